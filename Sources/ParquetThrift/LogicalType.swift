/// The logical type annotation of a schema element (the `LogicalType` union).
///
/// Each case is one union member; its field id is given in brackets. Members this
/// library does not model (VARIANT = 16, GEOMETRY = 17, GEOGRAPHY = 18, later ones)
/// decode as ``other(fieldID:)`` so that a footer using them still loads; re-encoding
/// such a value writes the member as an empty struct, which is valid for all of those
/// members (their fields are optional) but drops any parameters they carried.
public enum LogicalType: ThriftCodable, Sendable, Hashable {
    /// UTF-8 text [1].
    case string
    /// A map group [2].
    case map
    /// A list group [3].
    case list
    /// An enum stored as UTF-8 text [4].
    case `enum`
    /// A decimal with `scale` fractional digits out of `precision` digits [5].
    case decimal(scale: Int32, precision: Int32)
    /// Days since the Unix epoch [6].
    case date
    /// Time of day [7].
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    /// Instant or local date-time [8].
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    /// An integer of `bitWidth` 8, 16, 32 or 64 bits [10].
    case integer(bitWidth: Int8, isSigned: Bool)
    /// Always null (`NullType`, named UNKNOWN in parquet.thrift) [11].
    case unknown
    /// JSON text [12].
    case json
    /// BSON document [13].
    case bson
    /// 16-byte UUID [14].
    case uuid
    /// IEEE half-precision float [15].
    case float16
    /// A member this library does not model, kept by field id.
    case other(fieldID: Int16)

    /// The union member's field id.
    public var fieldID: Int16 {
        switch self {
        case .string: 1
        case .map: 2
        case .list: 3
        case .enum: 4
        case .decimal: 5
        case .date: 6
        case .time: 7
        case .timestamp: 8
        case .integer: 10
        case .unknown: 11
        case .json: 12
        case .bson: 13
        case .uuid: 14
        case .float16: 15
        case .other(let fieldID): fieldID
        }
    }

    /// Writes the union: the one member struct, then the stop byte.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        switch self {
        case .decimal(let scale, let precision):
            // DecimalType { 1: required i32 scale, 2: required i32 precision }
            writer.writeFieldBegin(fieldID, .struct)
            writer.writeStructBegin()
            writer.writeField(1, i32: scale)
            writer.writeField(2, i32: precision)
            writer.writeStructEnd()
        case .time(let isAdjustedToUTC, let unit), .timestamp(let isAdjustedToUTC, let unit):
            // TimeType and TimestampType share { 1: required bool isAdjustedToUTC, 2: required TimeUnit unit }
            writer.writeFieldBegin(fieldID, .struct)
            writer.writeStructBegin()
            writer.writeField(1, bool: isAdjustedToUTC)
            writer.writeField(2, struct: unit)
            writer.writeStructEnd()
        case .integer(let bitWidth, let isSigned):
            // IntType { 1: required i8 bitWidth, 2: required bool isSigned }
            writer.writeFieldBegin(fieldID, .struct)
            writer.writeStructBegin()
            writer.writeField(1, i8: bitWidth)
            writer.writeField(2, bool: isSigned)
            writer.writeStructEnd()
        case .string, .map, .list, .enum, .date, .unknown, .json, .bson, .uuid, .float16, .other:
            writer.writeEmptyStructField(fieldID)
        }
        writer.writeStructEnd()
    }

    /// Reads the union.
    /// - Parameter reader: The reader positioned at the union.
    /// - Throws: ``ThriftError/invalidUnion(type:)`` unless exactly one member is set, or
    ///   ``ThriftError/missingRequiredField(type:field:)`` for an incomplete member.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var result: LogicalType?
        var members = 0
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            guard field.type == .struct else {
                // Every member is a struct; anything else is foreign and ignored.
                try reader.skip(field.type)
                continue
            }
            members += 1
            switch field.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enum
            case 5: result = try Self.readDecimal(&reader)
            case 6: result = .date
            case 7:
                let (utc, unit) = try Self.readTime(&reader, "TimeType")
                result = .time(isAdjustedToUTC: utc, unit: unit)
            case 8:
                let (utc, unit) = try Self.readTime(&reader, "TimestampType")
                result = .timestamp(isAdjustedToUTC: utc, unit: unit)
            case 10: result = try Self.readInteger(&reader)
            case 11: result = .unknown
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            default: result = .other(fieldID: field.id)
            }
            switch field.id {
            case 5, 7, 8, 10: break  // already consumed by the member reader
            default: try reader.skip(.struct)  // empty (or unknown) member struct
            }
        }
        reader.readStructEnd()
        guard members == 1, let result else { throw .invalidUnion(type: "LogicalType") }
        self = result
    }

    private static func readDecimal(_ reader: inout CompactReader) throws(ThriftError) -> LogicalType {
        var scale: Int32?
        var precision: Int32?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): scale = try reader.readI32()
            case (2, .i32): precision = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        return .decimal(
            scale: try requireField(scale, "DecimalType", "scale"),
            precision: try requireField(precision, "DecimalType", "precision")
        )
    }

    private static func readTime(
        _ reader: inout CompactReader,
        _ typeName: String
    ) throws(ThriftError) -> (Bool, TimeUnit) {
        var isAdjustedToUTC: Bool?
        var unit: TimeUnit?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .bool): isAdjustedToUTC = try reader.readBool()
            case (2, .struct): unit = try TimeUnit(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        return (
            try requireField(isAdjustedToUTC, typeName, "isAdjustedToUTC"),
            try requireField(unit, typeName, "unit")
        )
    }

    private static func readInteger(_ reader: inout CompactReader) throws(ThriftError) -> LogicalType {
        var bitWidth: Int8?
        var isSigned: Bool?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i8): bitWidth = try reader.readI8()
            case (2, .bool): isSigned = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        return .integer(
            bitWidth: try requireField(bitWidth, "IntType", "bitWidth"),
            isSigned: try requireField(isSigned, "IntType", "isSigned")
        )
    }
}
