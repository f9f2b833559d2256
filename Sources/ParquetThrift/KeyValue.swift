/// One entry of free-form key/value metadata (`KeyValue`).
public struct KeyValue: ThriftCodable, Sendable, Hashable {
    /// The key (field 1, required).
    public var key: String
    /// The value (field 2); absent is distinct from empty.
    public var value: String?

    /// Creates an entry.
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value, if any.
    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, string: key)
        if let value { writer.writeField(2, string: value) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing key.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var key: String?
        var value: String?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .binary): key = try reader.readString()
            case (2, .binary): value = try reader.readString()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(key: try requireField(key, "KeyValue", "key"), value: value)
    }
}
