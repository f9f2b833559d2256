/// The type of a column as users think of it; the writer derives the Parquet physical type,
/// logical type and converted type from it.
///
/// `list`, `struct` and `map` nest other fields to any depth; every other case is a leaf.
public indirect enum DataType: Sendable, Hashable {
    case boolean
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float32, float64
    /// UTF-8 text.
    case string
    /// Arbitrary bytes.
    case binary
    /// Bytes of exactly `length` per value.
    case fixedBinary(length: Int)
    /// Days since 1970-01-01.
    case date
    /// Time of day since midnight, in `unit`.
    case time(TimeUnit)
    /// Instant since the epoch in `unit`; `utc` false means a local (wall-clock) timestamp.
    case timestamp(TimeUnit, utc: Bool = true)
    /// Exact decimal: an unscaled integer times 10^-scale, with at most `precision` digits (1...38).
    case decimal(precision: Int, scale: Int)
    /// A 16-byte UUID.
    case uuid
    /// JSON text.
    case json
    /// A list whose elements are `element` (its name is written as the spec's `element`;
    /// its `nullable` says whether elements may be null).
    case list(element: Field)
    /// A group of named fields.
    case `struct`(fields: [Field])
    /// Key-value pairs; the key is never null (names are written as `key` and `value`).
    case map(key: Field, value: Field)

    /// A list of `type` values.
    /// - Parameters:
    ///   - type: The element type.
    ///   - nullableElements: Whether elements may be null (true by default, as in Arrow).
    public static func list(_ type: DataType, nullableElements: Bool = true) -> DataType {
        .list(element: Field("element", type, nullable: nullableElements))
    }

    /// A map from `key` to `value` values.
    /// - Parameters:
    ///   - key: The key type (keys are never null).
    ///   - value: The value type.
    ///   - nullableValues: Whether values may be null (true by default).
    public static func map(_ key: DataType, _ value: DataType, nullableValues: Bool = true) -> DataType {
        .map(key: Field("key", key, nullable: false), value: Field("value", value, nullable: nullableValues))
    }

    /// Whether the type nests other fields (list, struct, map).
    public var isNested: Bool {
        switch self {
        case .list, .struct, .map: true
        default: false
        }
    }
}

extension DataType {
    /// The byte length of a decimal stored as FIXED_LEN_BYTE_ARRAY: the fewest bytes whose
    /// two's complement range holds every value of `precision` digits.
    /// - Parameter precision: Decimal digits, 1...38.
    /// - Returns: The byte length (1...16).
    static func decimalByteLength(precision: Int) -> Int {
        // The largest magnitude is 10^precision - 1; n bytes hold magnitudes below 2^(8n-1).
        var limit: UInt128 = 1
        for _ in 0..<precision { limit &*= 10 }
        let maxMagnitude = limit - 1
        var bytes = 1
        while bytes < 16 && maxMagnitude >= (UInt128(1) << (8 * bytes - 1)) { bytes += 1 }
        return bytes
    }

    /// The type's name in the schema JSON of the C ABI (`int64`, `timestamp_us`, ...).
    public var name: String {
        switch self {
        case .boolean: "boolean"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float32: "float32"
        case .float64: "float64"
        case .string: "string"
        case .binary: "binary"
        case .fixedBinary: "fixed_binary"
        case .date: "date"
        case .time(let unit): "time_\(unit.rawValue)"
        case .timestamp(let unit, _): "timestamp_\(unit.rawValue)"
        case .decimal: "decimal"
        case .uuid: "uuid"
        case .json: "json"
        case .list: "list"
        case .struct: "struct"
        case .map: "map"
        }
    }
}
