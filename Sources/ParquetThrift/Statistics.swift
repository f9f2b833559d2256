/// Min/max/null statistics of a page or column chunk (`Statistics` in parquet.thrift).
///
/// Bounds are PLAIN-encoded values without a length prefix for byte arrays. `max`/`min`
/// (ids 1, 2) are the deprecated signed-order bounds; new writers set `maxValue`/`minValue`.
public struct Statistics: ThriftCodable, Sendable, Hashable {
    /// Deprecated signed-order maximum (field 1).
    public var max: [UInt8]?
    /// Deprecated signed-order minimum (field 2).
    public var min: [UInt8]?
    /// The number of nulls (field 3); writers should always set it, even to 0.
    public var nullCount: Int64?
    /// The number of distinct values (field 4).
    public var distinctCount: Int64?
    /// The upper bound under the column order (field 5).
    public var maxValue: [UInt8]?
    /// The lower bound under the column order (field 6).
    public var minValue: [UInt8]?
    /// Whether `maxValue` is an actual value rather than a truncated bound (field 7).
    public var isMaxValueExact: Bool?
    /// Whether `minValue` is an actual value rather than a truncated bound (field 8).
    public var isMinValueExact: Bool?

    /// Creates statistics; every field is optional.
    public init(
        max: [UInt8]? = nil,
        min: [UInt8]? = nil,
        nullCount: Int64? = nil,
        distinctCount: Int64? = nil,
        maxValue: [UInt8]? = nil,
        minValue: [UInt8]? = nil,
        isMaxValueExact: Bool? = nil,
        isMinValueExact: Bool? = nil
    ) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        if let max { writer.writeField(1, binary: max) }
        if let min { writer.writeField(2, binary: min) }
        if let nullCount { writer.writeField(3, i64: nullCount) }
        if let distinctCount { writer.writeField(4, i64: distinctCount) }
        if let maxValue { writer.writeField(5, binary: maxValue) }
        if let minValue { writer.writeField(6, binary: minValue) }
        if let isMaxValueExact { writer.writeField(7, bool: isMaxValueExact) }
        if let isMinValueExact { writer.writeField(8, bool: isMinValueExact) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields (such as the proposed `nan_count`).
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        self.init()
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .binary): max = try reader.readBinary()
            case (2, .binary): min = try reader.readBinary()
            case (3, .i64): nullCount = try reader.readI64()
            case (4, .i64): distinctCount = try reader.readI64()
            case (5, .binary): maxValue = try reader.readBinary()
            case (6, .binary): minValue = try reader.readBinary()
            case (7, .bool): isMaxValueExact = try reader.readBool()
            case (8, .bool): isMinValueExact = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
    }
}
