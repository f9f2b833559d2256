/// Unencoded sizes and level histograms of a page or column chunk (`SizeStatistics`).
public struct SizeStatistics: ThriftCodable, Sendable, Hashable {
    /// Bytes of BYTE_ARRAY payload without length prefixes (field 1).
    public var unencodedByteArrayDataBytes: Int64?
    /// How often each repetition level occurs, indexed by level (field 2).
    public var repetitionLevelHistogram: [Int64]?
    /// How often each definition level occurs, indexed by level (field 3).
    public var definitionLevelHistogram: [Int64]?

    /// Creates size statistics; every field is optional.
    public init(
        unencodedByteArrayDataBytes: Int64? = nil,
        repetitionLevelHistogram: [Int64]? = nil,
        definitionLevelHistogram: [Int64]? = nil
    ) {
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
        self.repetitionLevelHistogram = repetitionLevelHistogram
        self.definitionLevelHistogram = definitionLevelHistogram
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        if let unencodedByteArrayDataBytes { writer.writeField(1, i64: unencodedByteArrayDataBytes) }
        if let repetitionLevelHistogram { writer.writeField(2, i64List: repetitionLevelHistogram) }
        if let definitionLevelHistogram { writer.writeField(3, i64List: definitionLevelHistogram) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        self.init()
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i64): unencodedByteArrayDataBytes = try reader.readI64()
            case (2, .list): repetitionLevelHistogram = try reader.readI64List()
            case (3, .list): definitionLevelHistogram = try reader.readI64List()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
    }
}
