/// How a leaf column's values are laid out in memory and on disk.
package enum ColumnStorage: Hashable, Sendable {
    case boolean
    case int32
    case int64
    case float
    case double
    case byteArray
    case fixedLenByteArray(Int)

    /// The parquet.thrift name of the physical type, for messages.
    package var physicalName: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray(let length): "FIXED_LEN_BYTE_ARRAY(\(length))"
        }
    }
}

/// How min/max statistics order a column's values (parquet-format LogicalTypes.md sort orders).
package enum StatisticsOrder: Hashable, Sendable {
    /// false < true.
    case boolean
    /// Two's complement integers, compared signed.
    case signed
    /// Integers stored in a signed physical type but compared unsigned (UINT_8..UINT_64).
    case unsigned
    /// IEEE 754 with NaN ignored and zeros normalised.
    case float
    /// Bytes compared lexicographically as unsigned (strings, binary, UUID, fixed).
    case unsignedBytes
    /// Big-endian two's complement bytes compared as signed numbers (decimals in fixed bytes).
    case signedBigEndianBytes
}

/// A leaf column: everything the column writer needs to know about one column.
package struct ColumnDescriptor: Hashable, Sendable {
    /// The dotted path from the root (one element for flat schemas).
    package var path: [String]
    /// The column's user-facing type.
    package var type: DataType
    /// The column's position among the leaves.
    package var index: Int
    /// The highest definition level (0 for a required top-level column).
    package var maxDefinitionLevel: Int
    /// The highest repetition level (0 outside lists).
    package var maxRepetitionLevel: Int

    /// Whether the leaf field itself is nullable (its repetition in the schema).
    package var nullable: Bool

    /// The leaf field's chosen encoding (checked against ``storage``), nil for the writer's choice.
    package var encoding: ColumnEncoding?

    init(path: [String], type: DataType, nullable: Bool, index: Int, maxDefinitionLevel: Int, maxRepetitionLevel: Int) {
        self.path = path
        self.type = type
        self.nullable = nullable
        self.index = index
        self.maxDefinitionLevel = maxDefinitionLevel
        self.maxRepetitionLevel = maxRepetitionLevel
    }

    /// Whether the column sits inside a struct, list or map.
    package var isNested: Bool { path.count > 1 }

    /// The column name for error messages.
    package var name: String { path.joined(separator: ".") }

    /// The in-memory and on-disk representation of the values.
    package var storage: ColumnStorage {
        switch type {
        case .boolean: .boolean
        case .int8, .int16, .int32, .uint8, .uint16, .uint32, .date: .int32
        case .int64, .uint64, .timestamp: .int64
        case .time(let unit): unit == .milliseconds ? .int32 : .int64
        case .float32: .float
        case .float64: .double
        case .string, .binary, .json: .byteArray
        case .fixedBinary(let length): .fixedLenByteArray(length)
        case .uuid: .fixedLenByteArray(16)
        case .decimal(let precision, _):
            precision <= 9 ? .int32 : precision <= 18 ? .int64
                : .fixedLenByteArray(DataType.decimalByteLength(precision: precision))
        case .list, .struct, .map:
            preconditionFailure("a leaf column never has a nested type")
        }
    }

    /// The order min/max statistics follow.
    package var statisticsOrder: StatisticsOrder {
        switch type {
        case .boolean: .boolean
        case .uint8, .uint16, .uint32, .uint64: .unsigned
        case .float32, .float64: .float
        case .string, .binary, .json, .fixedBinary, .uuid: .unsignedBytes
        case .decimal:
            if case .fixedLenByteArray = storage { .signedBigEndianBytes } else { .signed }
        case .int8, .int16, .int32, .int64, .date, .time, .timestamp: .signed
        case .list, .struct, .map: preconditionFailure("a leaf column never has a nested type")
        }
    }

    /// Whether byte-array statistics may be truncated (variable-length values only: a shorter
    /// fixed-length value would not be a value of the column).
    var allowsStatisticsTruncation: Bool { storage == .byteArray }

    /// Whether the column holds UTF-8 text, so truncated statistics must stay valid UTF-8.
    package var isText: Bool {
        switch type {
        case .string, .json: true
        default: false
        }
    }
}
