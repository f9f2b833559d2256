import CArrowInterface
import Parquet

/// One Arrow record batch, checked against a ``Schema`` and ready to append to a
/// ``ColumnBatch`` in row ranges: Arrow buffers go straight into the column builders,
/// converted by the builders' checked stores (the conversion layer the Swift API shares).
///
/// A flat column whose Arrow values are stored as the column keeps them (int64 into int64,
/// double into float64, string into string, ...) is copied in bulk; every other column is
/// shredded row by row along its path (``_ArrowColumnPath``).
///
/// The importer points into the producer's buffers: use it only while the `ArrowArray` is
/// not released (within the call that received it).
package struct ArrowBatchImporter {
    /// The rows of the record batch.
    package let rowCount: Int
    private let view: ArrowArrayView
    private let paths: [_ArrowColumnPath]

    /// Checks a record batch against `schema`.
    /// - Parameters:
    ///   - array: A struct array whose children are the columns (not released; read only).
    ///   - root: Its field, from the stream's or the call's schema.
    ///   - schema: The schema of the batches it fills.
    /// - Throws: `ParquetError`: `.invalidArrow` for a malformed array, `.invalidSchema` /
    ///   `.typeMismatch` naming the field when the Arrow fields do not fit the schema.
    package init(_ array: UnsafePointer<ArrowArray>, root: ArrowField, schema: Schema) throws(ParquetError) {
        guard case .struct = root.type else {
            throw ParquetError(.invalidSchema, "an Arrow record batch is a struct of columns; this one is \(root.type.name)")
        }
        let view = try ArrowArrayView(array, field: root, path: "")
        if view.hasNulls {
            throw ParquetError(.invalidArrow, "the Arrow record batch has null rows (its struct array has nulls)")
        }
        try _ArrowColumnPath.checkNames(schema.fields, root.children, path: nil)
        var paths: [_ArrowColumnPath] = []
        paths.reserveCapacity(schema.leafColumns.count)
        for field in schema.fields {
            let index = root.children.firstIndex { $0.name == field.name }!
            try _ArrowColumnPath.collect(
                field, view.children[index], path: field.name, prefix: [], repetition: 0, into: &paths)
        }
        self.view = view
        self.paths = paths
        self.rowCount = view.length
    }

    /// Appends rows of the record batch to `batch`.
    ///
    /// Without `skipInvalidRows`, a rejected value rejects the range: `batch` is left as it
    /// was and the error names the column and the row (0-based in the record batch).
    /// - Parameters:
    ///   - rows: The rows, within `0..<rowCount`.
    ///   - batch: The batch to append to, built for the importer's schema.
    ///   - skipInvalidRows: Leave out rows with a rejected value (reported) instead.
    /// - Returns: The rows appended and the rows left out (with their errors).
    /// - Throws: `ParquetError`: the first rejected value without `skipInvalidRows`, or
    ///   `.invalidArrow` for a dictionary index out of range.
    package func append(
        rows: Range<Int>, to batch: inout ColumnBatch, skipInvalidRows: Bool
    ) throws(ParquetError) -> (rows: Int, rejected: [ParquetError]) {
        let marks = batch.builders.map { $0.mark() }
        let positions = (view.offset + rows.lowerBound)..<(view.offset + rows.upperBound)
        do throws(ParquetError) {
            for (column, path) in paths.enumerated() {
                try Self.appendColumn(path, rows: positions, into: &batch.builders[column])
            }
            return (rows.count, [])
        } catch {
            for column in marks.indices { batch.builders[column].rollBack(to: marks[column]) }
            guard skipInvalidRows else { throw located(error, paths: paths, rowBase: view.offset) }
        }
        // Some row was rejected: go again row by row, leaving out the rows that fail.
        var rejected: [ParquetError] = []
        var rowMarks = marks
        for row in positions {
            for column in rowMarks.indices { rowMarks[column] = batch.builders[column].mark() }
            do throws(ParquetError) {
                for (column, path) in paths.enumerated() { try path.emit(row: row, into: &batch.builders[column]) }
            } catch {
                for column in rowMarks.indices { batch.builders[column].rollBack(to: rowMarks[column]) }
                var located = error
                located.row = row - view.offset
                rejected.append(located)
            }
        }
        return (rows.count - rejected.count, rejected)
    }

    /// Gives an error from a column pass its column, and its row relative to the batch.
    private func located(_ error: ParquetError, paths: [_ArrowColumnPath], rowBase: Int) -> ParquetError {
        var error = error
        if let row = error.row { error.row = row - rowBase }
        return error
    }

    /// Appends one column's slots for `rows` (positions in the root struct's children).
    private static func appendColumn(
        _ path: _ArrowColumnPath, rows: Range<Int>, into builder: inout ColumnBuilder
    ) throws(ParquetError) {
        if path.nodes.count == 1 && path.dictionary == nil, try appendFlatRun(path, rows: rows, into: &builder) {
            return
        }
        let name = path.nodes[path.nodes.count - 1].path
        for row in rows {
            do throws(ParquetError) {
                try path.emit(row: row, into: &builder)
            } catch {
                var located = error
                located.column = located.column ?? name
                located.row = row
                throw located
            }
        }
    }

    /// Copies a flat column stored exactly as Arrow holds it in bulk; returns false (having
    /// appended nothing) for every other column.
    private static func appendFlatRun(
        _ path: _ArrowColumnPath, rows: Range<Int>, into builder: inout ColumnBuilder
    ) throws(ParquetError) -> Bool {
        let node = path.nodes[0]
        let view = node.view
        guard let kind = _ArrowExactCopy(view.type, builder.descriptor.type, path.conversion) else { return false }
        let start = view.offset + rows.lowerBound
        let count = rows.count
        guard count > 0 else { return true }
        let hasNulls = view.validity != nil && (start..<(start + count)).contains { !view.isValid($0) }
        if !hasNulls {
            do throws(ParquetError) {
                try kind.copy(view, start: start, count: count, into: &builder)
            } catch {
                var located = error
                located.column = node.path
                located.row = rows.lowerBound + (error.row ?? 0)
                throw located
            }
            return true
        }
        // Nulls: present values one by one (their levels come with them), nulls as absent.
        let name = node.path
        for row in rows {
            let position = view.offset + row
            if view.isValid(position) {
                do throws(ParquetError) {
                    try kind.store(view, at: position, into: &builder)
                } catch {
                    var located = error
                    located.column = name
                    located.row = row
                    throw located
                }
            } else {
                guard node.optional else {
                    throw ParquetError(.missingValue, "null in the non-nullable field '\(name)'", column: name, row: row)
                }
                builder.appendAbsent(definition: 0, repetition: 0)
            }
        }
        return true
    }
}

/// The flat columns whose Arrow buffer is the column's storage as it is.
enum _ArrowExactCopy {
    case int32, int64, float, double, boolean, byteArray32, byteArray64

    init?(_ arrow: ArrowType, _ target: DataType, _ conversion: _ArrowConversion) {
        switch (arrow, target) {
        case (.integer(32, true), .int32), (.integer(32, false), .uint32), (.date32, .date): self = .int32
        case (.integer(64, true), .int64), (.integer(64, false), .uint64): self = .int64
        case (.timestamp, .timestamp):
            guard case .rescaled(1, 1) = conversion else { return nil }
            self = .int64
        case (.float32, .float32): self = .float
        case (.float64, .float64): self = .double
        case (.boolean, .boolean): self = .boolean
        case (.utf8(.offsets32), .string), (.utf8(.offsets32), .json), (.utf8(.offsets32), .binary),
            (.binary(.offsets32), .binary), (.binary(.offsets32), .string), (.binary(.offsets32), .json):
            self = .byteArray32
        case (.utf8(.offsets64), .string), (.utf8(.offsets64), .json), (.utf8(.offsets64), .binary),
            (.binary(.offsets64), .binary), (.binary(.offsets64), .string), (.binary(.offsets64), .json):
            self = .byteArray64
        default: return nil
        }
    }

    /// Appends the present value at buffer position `position`, with its level.
    @inline(__always)
    func store(_ view: ArrowArrayView, at position: Int, into builder: inout ColumnBuilder) throws(ParquetError) {
        let data = view.buffers[0].unsafelyUnwrapped
        switch self {
        case .int32:
            builder.appendPresent()
            builder.int32s.append(data.loadUnaligned(fromByteOffset: 4 * position, as: Int32.self))
        case .int64:
            builder.appendPresent()
            builder.int64s.append(data.loadUnaligned(fromByteOffset: 8 * position, as: Int64.self))
        case .float:
            builder.appendPresent()
            builder.floats.append(data.loadUnaligned(fromByteOffset: 4 * position, as: Float.self))
        case .double:
            builder.appendPresent()
            builder.doubles.append(data.loadUnaligned(fromByteOffset: 8 * position, as: Double.self))
        case .boolean:
            builder.appendPresent()
            builder.booleans.append(view.boolean(at: position))
        case .byteArray32, .byteArray64:
            try builder.storeBytes(view.bytes(at: position))
        }
    }

    /// Appends `count` present values from buffer position `start`.
    func copy(_ view: ArrowArrayView, start: Int, count: Int, into builder: inout ColumnBuilder) throws(ParquetError) {
        let data = view.buffers[0].unsafelyUnwrapped
        switch self {
        case .int32:
            builder.storeExact(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Int32.self) + start, count: count))
        case .int64:
            builder.storeExact(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Int64.self) + start, count: count))
        case .float:
            builder.storeExact(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Float.self) + start, count: count))
        case .double:
            builder.storeExact(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Double.self) + start, count: count))
        case .boolean:
            let bits = data.assumingMemoryBound(to: UInt8.self)
            builder.booleans.reserveCapacity(builder.booleans.count + count)
            for position in start..<(start + count) { builder.booleans.append(ArrowArrayView.bit(bits, position)) }
            builder.appendPresent(count: count)
        case .byteArray32:
            try builder.storeByteArrayRun(
                data: view.buffers[1].unsafelyUnwrapped,
                offsets: UnsafeBufferPointer(start: data.assumingMemoryBound(to: Int32.self) + start, count: count + 1))
        case .byteArray64:
            try builder.storeByteArrayRun(
                data: view.buffers[1].unsafelyUnwrapped,
                offsets: UnsafeBufferPointer(start: data.assumingMemoryBound(to: Int64.self) + start, count: count + 1))
        }
    }
}
