import Parquet
import ParquetBytes
import ParquetEncoding

/// Sorts the rows of a batch into partitions, column by column with hash tables of the
/// batch's distinct values, so a row costs no allocation; a directory name is rendered once
/// per partition per batch.
struct _PartitionRouter {
    /// A partition field resolved against the schema.
    struct Resolved {
        var field: PartitionField
        /// The leaf column (also the top-level field: partition columns are flat).
        var leaf: Int
        var type: DataType
    }

    /// The fields, outermost directory first.
    let fields: [Resolved]

    /// The longest directory name most file systems take.
    static let maximumSegmentBytes = 255
    /// Hive's and Spark's directory value for a null (or empty) partition value.
    static let nullValue = "__HIVE_DEFAULT_PARTITION__"

    /// Checks `fields` against `schema`.
    /// - Throws: `ParquetError` `.invalidOptions` for a missing, nested or unsuitable column,
    ///   or a transform that does not fit the column's type.
    init(schema: Schema, fields: [PartitionField]) throws(ParquetError) {
        var resolved: [Resolved] = []
        for field in fields {
            guard let fieldIndex = schema.index(of: field.column) else {
                throw ParquetError(.invalidOptions, "partition column '\(field.column)' is not a top-level column of the schema")
            }
            let type = schema.fields[fieldIndex].type
            guard !type.isNested, let leaf = schema.leafIndex(ofField: fieldIndex) else {
                throw ParquetError(
                    .invalidOptions, "partition column '\(field.column)' is a \(type.name); partition by a primitive column",
                    column: field.column)
            }
            guard Self.accepts(type, field.transform) else {
                throw ParquetError(
                    .invalidOptions,
                    "cannot partition by \(field.transform.rawValue) of '\(field.column)', a \(type.name) column: "
                        + "identity takes integers, booleans, strings and dates; year, month and day take dates "
                        + "and timestamps; hour takes timestamps",
                    column: field.column)
            }
            guard field.name.utf8.count < Self.maximumSegmentBytes / 2, !field.name.isEmpty,
                  !field.name.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=") || $0 == 0 })
            else {
                throw ParquetError(.invalidOptions, "partition name '\(field.name)' cannot be a directory key")
            }
            resolved.append(Resolved(field: field, leaf: leaf, type: type))
        }
        self.fields = resolved
    }

    private static func accepts(_ type: DataType, _ transform: PartitionTransform) -> Bool {
        switch (type, transform) {
        case (.boolean, .identity), (.string, .identity), (.date, .identity): true
        case (.int8, .identity), (.int16, .identity), (.int32, .identity), (.int64, .identity): true
        case (.uint8, .identity), (.uint16, .identity), (.uint32, .identity), (.uint64, .identity): true
        case (.date, .year), (.date, .month), (.date, .day): true
        case (.timestamp, .year), (.timestamp, .month), (.timestamp, .day), (.timestamp, .hour): true
        default: false
        }
    }

    /// Assigns each row of a batch to a partition.
    ///
    /// Column by column, so the hot loops read one column's buffers directly: each field's
    /// values are interned into a code per row (0 for null or empty, which share Hive's
    /// default partition), and the codes of successive fields are folded pairwise into
    /// partition numbers, in order of first appearance: through a dense table indexed by
    /// (partition so far, code) while partitions × codes stay small (they nearly always do:
    /// a batch's partitions are bounded by its rows and the caller's open files), through a
    /// hash table keyed by the pair beyond that.
    /// - Parameters:
    ///   - builders: The batch, one builder per leaf in schema order.
    ///   - indexes: Each builder's ``ColumnBuilder/RowIndex``.
    ///   - rowCount: The rows in the batch.
    /// - Returns: The partition of each row (an index into `directories`) and each
    ///   partition's relative directory (`a=1/b=x`), in order of first appearance.
    /// - Throws: `ParquetError` `.invalidValue` for a value whose directory name is too long.
    mutating func route(
        builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex], rowCount: Int
    ) throws(ParquetError) -> (partitionOfRow: [UInt32], directories: [String]) {
        var partitionOfRow = [UInt32](repeating: 0, count: rowCount)
        var partitionCount = 1
        for field in fields {
            let (codes, codeCount) = Self.valueCodes(
                of: field, builder: builders[field.leaf], index: indexes[field.leaf], rowCount: rowCount)
            codes.withUnsafeBufferPointer { codes in
                partitionOfRow.withUnsafeMutableBufferPointer { partial in
                    partitionCount = Self.fold(partial, codes, partitions: partitionCount, codes: codeCount)
                }
            }
        }
        var directories: [String] = []
        for row in 0..<rowCount where Int(partitionOfRow[row]) == directories.count {
            directories.append(try directory(ofRow: row, builders: builders, indexes: indexes))
        }
        return (partitionOfRow, directories)
    }

    /// The largest (partitions so far × codes) folded through a dense table: 256 KiB of it.
    static let denseFoldLimit = 1 << 16

    /// Folds one field's codes into the rows' partitions so far, renumbering the pairs in
    /// order of first appearance.
    /// - Parameters:
    ///   - partial: Each row's partition so far (below `partitions`), replaced by its new one.
    ///   - codes: Each row's code for the field (below `codeCount`).
    ///   - partitions: The partitions so far.
    ///   - codeCount: The field's codes (its distinct values, plus the null code).
    /// - Returns: The partitions after the fold.
    private static func fold(
        _ partial: UnsafeMutableBufferPointer<UInt32>, _ codes: UnsafeBufferPointer<UInt32>, partitions: Int,
        codes codeCount: Int
    ) -> Int {
        let (slots, overflow) = partitions.multipliedReportingOverflow(by: codeCount)
        if !overflow && slots <= denseFoldLimit {
            var table = [UInt32](repeating: .max, count: slots)
            var next: UInt32 = 0
            table.withUnsafeMutableBufferPointer { table in
                for row in partial.indices {
                    let slot = Int(partial[row]) &* codeCount &+ Int(codes[row])
                    var partition = table[slot]
                    if partition == .max {
                        partition = next
                        table[slot] = next
                        next &+= 1
                    }
                    partial[row] = partition
                }
            }
            return Int(next)
        }
        var pairs = FixedWidthDictionary<Int64>()
        for row in partial.indices {
            let key = UInt64(partial[row]) << 32 | UInt64(codes[row])
            partial[row] = pairs.index(of: Int64(bitPattern: key))
        }
        return pairs.count
    }

    /// Each row's code for one field: 0 for null (or an empty string, which Hive files under
    /// the same default partition), else 1 + the index of its value (or transform bucket)
    /// among this batch's distinct values.
    /// - Returns: The codes, and how many there are (distinct values + 1).
    private static func valueCodes(
        of field: Resolved, builder: ColumnBuilder, index: ColumnBuilder.RowIndex, rowCount: Int
    ) -> (codes: [UInt32], count: Int) {
        var count = 0
        let codes = [UInt32](unsafeUninitializedCapacity: rowCount) { codes, initialized in
            switch builder.descriptor.storage {
            case .byteArray:
                var values = _ByteStringCodes()
                // A column with a value in every row (no nulls) reads row r's value at r,
                // without asking the index row by row.
                let dense = index.values(0..<rowCount).count == rowCount
                builder.offsets.withUnsafeBufferPointer { starts in
                    builder.bytes.withUnsafeReadableBytes { all in
                        for row in 0..<rowCount {
                            guard let value = dense ? row : index.valueIndex(ofRow: row),
                                starts[value &+ 1] > starts[value]
                            else {
                                codes[row] = 0
                                continue
                            }
                            let start = starts[value]
                            codes[row] = values.code(
                                of: UnsafeRawBufferPointer(rebasing: all[start..<starts[value &+ 1]]), readable: all.count &- start)
                        }
                    }
                }
                count = values.count + 1
            case .boolean:
                builder.booleans.withUnsafeBufferPointer { booleans in
                    for row in 0..<rowCount {
                        codes[row] = index.valueIndex(ofRow: row).map { booleans[$0] ? 2 : 1 } ?? 0
                    }
                }
                count = 3
            case .int32:
                count = builder.int32s.withUnsafeBufferPointer {
                    integerCodes($0, of: field, index: index, into: UnsafeMutableBufferPointer(rebasing: codes[..<rowCount]))
                }
            case .int64:
                count = builder.int64s.withUnsafeBufferPointer {
                    integerCodes($0, of: field, index: index, into: UnsafeMutableBufferPointer(rebasing: codes[..<rowCount]))
                }
            default:
                preconditionFailure("partition columns are checked to be integers, booleans, strings, dates or timestamps")
            }
            initialized = rowCount
        }
        return (codes, count)
    }

    /// ``valueCodes(of:builder:index:rowCount:)`` for an integer column (dates and
    /// timestamps included): the value's transform bucket interned.
    /// - Returns: How many codes there are (distinct buckets + 1).
    private static func integerCodes<Integer: FixedWidthInteger>(
        _ numbers: UnsafeBufferPointer<Integer>, of field: Resolved, index: ColumnBuilder.RowIndex,
        into codes: UnsafeMutableBufferPointer<UInt32>
    ) -> Int {
        var values = FixedWidthDictionary<Int64>()
        for row in codes.indices {
            guard let value = index.valueIndex(ofRow: row) else {
                codes[row] = 0
                continue
            }
            codes[row] = values.index(of: bucket(Int64(numbers[value]), field)) &+ 1
        }
        return values.count + 1
    }

    /// The value a transform keeps: days, hours, months or years since the epoch.
    @inline(__always)
    private static func bucket(_ value: Int64, _ field: Resolved) -> Int64 {
        if field.field.transform == .identity { return value }
        let (days, hours) = dayAndHour(value, field.type)
        switch field.field.transform {
        case .identity: return value
        case .hour: return hours
        case .day: return days
        case .month:
            let date = CivilDate(daysSinceEpoch: days)
            return date.year * 12 + date.month - 1
        case .year: return CivilDate(daysSinceEpoch: days).year
        }
    }

    /// Days and hours since the epoch (floored) of a date or timestamp value.
    private static func dayAndHour(_ value: Int64, _ type: DataType) -> (days: Int64, hours: Int64) {
        guard case .timestamp(let unit, _) = type else { return (value, value * 24) }
        let perHour = unit.perSecond * 3600
        let hours = value >= 0 ? value / perHour : -((-(value + 1)) / perHour) - 1
        let days = hours >= 0 ? hours / 24 : -((-(hours + 1)) / 24) - 1
        return (days, hours)
    }

    /// `name=value/name=value` for a row.
    private func directory(
        ofRow row: Int, builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex]
    ) throws(ParquetError) -> String {
        var path = ""
        for field in fields {
            let text = Self.valueText(of: field, row: row, builder: builders[field.leaf], index: indexes[field.leaf])
            let segment = "\(field.field.name)=\(text)"
            guard segment.utf8.count <= Self.maximumSegmentBytes else {
                throw ParquetError(
                    .invalidValue,
                    "the partition value of '\(field.field.column)' makes a directory name of \(segment.utf8.count) bytes; at most \(Self.maximumSegmentBytes) fit",
                    column: field.field.column, row: row)
            }
            if !path.isEmpty { path += "/" }
            path += segment
        }
        return path
    }

    /// The directory value of a row: Iceberg's text for transforms, the value otherwise.
    private static func valueText(
        of field: Resolved, row: Int, builder: ColumnBuilder, index: ColumnBuilder.RowIndex
    ) -> String {
        guard let value = index.valueIndex(ofRow: row) else { return nullValue }
        switch builder.descriptor.storage {
        case .boolean:
            return builder.booleans[value] ? "true" : "false"
        case .byteArray:
            let start = builder.offsets[value]
            let end = builder.offsets[value + 1]
            guard end > start else { return nullValue }
            return builder.bytes.withUnsafeReadableBytes { escaped(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        case .int32:
            return integerText(Int64(builder.int32s[value]), field)
        case .int64:
            return integerText(builder.int64s[value], field)
        default:
            preconditionFailure("partition columns are checked to be integers, booleans, strings, dates or timestamps")
        }
    }

    private static func integerText(_ value: Int64, _ field: Resolved) -> String {
        switch (field.field.transform, field.type) {
        case (.identity, .date): return CivilDate(daysSinceEpoch: value).text
        case (.identity, .uint32): return String(UInt32(truncatingIfNeeded: value))
        case (.identity, .uint64): return String(UInt64(bitPattern: value))
        case (.identity, _): return String(value)
        default: break
        }
        let (days, hours) = dayAndHour(value, field.type)
        let date = CivilDate(daysSinceEpoch: days)
        switch field.field.transform {
        case .year: return date.yearText
        case .month: return "\(date.yearText)-\(CivilDate.padded(date.month.magnitude, 2))"
        case .day: return date.text
        default:
            let hour = hours - days * 24
            return "\(date.text)-\(CivilDate.padded(UInt64(hour), 2))"
        }
    }

    /// The value as Hive and Spark write it in a path (`FileUtils.escapePathName`): the
    /// characters they escape written `%XX` (control characters, `"`, `#`, `%`, `'`, `*`, `/`,
    /// `:`, `=`, `?`, `\\`, DEL, `{`, `[`, `]`, `^`), everything else as it is, so non-ASCII
    /// stays UTF-8. Spark decodes its own escapes only: `%E2%82%AC` came back as `â\u{82}¬`.
    /// NUL is escaped too (Hive never meets it; no file name can hold it). No value can add a
    /// path level (`/` is escaped) or be `.`/`..` (the segment always starts with `key=`).
    static func escaped(_ bytes: UnsafeRawBufferPointer) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if hiveEscapes(byte) {
                text.append(UInt8(ascii: "%"))
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 15)])
            } else {
                text.append(byte)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether Hive escapes the byte (its `charToEscape` set, plus NUL).
    @inline(__always)
    static func hiveEscapes(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00...0x1F, 0x7F: true
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "'"), UInt8(ascii: "*"),
            UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "\\"),
            UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "^"):
            true
        default: false
        }
    }
}
