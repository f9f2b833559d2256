/// Rows to write, held column by column in typed contiguous buffers.
///
/// Fill it column by column with ``append(_:to:)`` (leaf columns, from typed arrays: the
/// fastest way in) and ``append(encoding:to:)`` (any column, lists, structs and maps too, from
/// `Encodable` values), or row by row with ``append(rows:)`` (`Encodable` rows), then hand the
/// batch to ``ParquetWriter/write(_:)``. Values are checked against the column's type as they
/// are appended, so a bad value throws here and never reaches the file. ``removeAll()``
/// empties the batch for reuse while keeping its buffers' capacity.
///
/// ```swift
/// var batch = ColumnBatch(schema: schema)
/// try batch.append([1, 2, 3] as [Int64], to: "id")
/// try batch.append(["a", nil, "c"], to: "name")
/// try batch.append(encoding: [["x"], [], nil], to: "tags")   // a list<string> column
/// try writer.write(batch)
/// ```
public struct ColumnBatch: Sendable {
    /// The schema the batch follows.
    public let schema: Schema
    /// One staging builder per leaf column.
    package var builders: [ColumnBuilder]
    /// The schema's fields as nodes with their levels, for ``append(rows:)``.
    let shape: RowShape

    /// Creates an empty batch for `schema`.
    public init(schema: Schema) {
        self.schema = schema
        self.builders = schema.columns.map { ColumnBuilder(descriptor: $0) }
        self.shape = RowShape(schema)
    }

    /// The number of rows, when every column has the same number; otherwise the largest
    /// (``ParquetWriter/write(_:)`` rejects a batch whose columns disagree).
    public var rowCount: Int {
        builders.reduce(0) { Swift.max($0, $1.rowCount) }
    }

    /// The rows appended to one column.
    /// - Parameter column: The column's name.
    /// - Returns: The count, or nil when there is no such column.
    public func rowCount(of column: String) -> Int? {
        schema.index(of: column).flatMap { schema.leafIndex(ofField: $0) }.map { builders[$0].rowCount }
    }

    /// Appends values to the end of a column.
    ///
    /// Nothing is appended when any value is rejected: the column is as it was before the call.
    /// - Parameters:
    ///   - values: The values, of a type the column accepts (`Int64` for an int64 or
    ///     timestamp column, `String?` for a nullable string column, ...); `nil` is null.
    ///   - column: The column's name.
    /// - Throws: `ParquetError` naming the column and the row (0-based within `values`).
    public mutating func append<S: Sequence>(_ values: S, to column: String) throws(ParquetError)
    where S.Element: ColumnValue {
        guard let index = schema.index(of: column) else {
            throw ParquetError(.invalidSchema, "no column named '\(column)' in the schema", column: column)
        }
        try append(values, toColumnAt: index)
    }

    /// Appends values to the end of the top-level column at `index` (schema order).
    /// - Parameters:
    ///   - values: The values; `nil` is null.
    ///   - index: The field's position in `schema.fields`; it must be a leaf type (nested
    ///     fields take their values through ``append(encoding:toColumnAt:)``).
    /// - Throws: `ParquetError` naming the column and the row (0-based within `values`).
    public mutating func append<S: Sequence>(_ values: S, toColumnAt index: Int) throws(ParquetError)
    where S.Element: ColumnValue {
        guard schema.fields.indices.contains(index) else {
            throw ParquetError(.invalidSchema, "column index \(index) is outside the schema's \(schema.fields.count) fields")
        }
        guard let leaf = schema.leafIndex(ofField: index) else {
            throw ParquetError(
                .typeMismatch,
                "'\(schema.fields[index].name)' is a \(schema.fields[index].type.name) column: nested columns take Encodable values "
                    + "through append(encoding:to:)",
                column: schema.fields[index].name)
        }
        let index = leaf
        var sink = _ColumnSink(builder: builders[index])
        builders[index] = ColumnBuilder(descriptor: sink.builder.descriptor)  // keep `sink` uniquely referenced
        let mark = sink.builder.mark()
        var stored = 0
        // A contiguous array the column stores exactly as it is goes in with one copy; any
        // other contiguous run goes through the element type's own loop.
        let contiguous = values.withContiguousStorageIfAvailable { buffer -> ParquetError? in
            if S.Element._storeContiguous(buffer, into: &sink) { return nil }
            do throws(ParquetError) {
                try S.Element._storeEach(buffer, into: &sink, stored: &stored)
                return nil
            } catch {
                return error
            }
        }
        var failure: ParquetError?
        if let contiguous {
            failure = contiguous
        } else {
            do throws(ParquetError) {
                for value in values {
                    try value._store(into: &sink)
                    stored += 1
                }
            } catch {
                failure = error
            }
        }
        if var located = failure {
            sink.builder.rollBack(to: mark)
            builders[index] = sink.builder
            located.column = sink.builder.descriptor.name
            located.row = stored
            throw located
        }
        builders[index] = sink.builder
    }

    /// Empties every column, keeping buffer capacity for the next batch.
    public mutating func removeAll() {
        for index in builders.indices { builders[index].removeAll() }
    }
}

/// Where a ``ColumnValue`` stores itself: one column's staging buffers.
///
/// Public only so ``ColumnValue`` can name it; its members are the package's own.
public struct _ColumnSink {
    package var builder: ColumnBuilder
}
