/// The header specific to a v1 data page (`DataPageHeader`).
public struct DataPageHeader: ThriftCodable, Sendable, Hashable {
    /// The number of values, nulls included (field 1).
    public var numValues: Int32
    /// The encoding of the values (field 2).
    public var encoding: Encoding
    /// The encoding of the definition levels, normally RLE (field 3).
    public var definitionLevelEncoding: Encoding
    /// The encoding of the repetition levels, normally RLE (field 4).
    public var repetitionLevelEncoding: Encoding
    /// Page statistics (field 5).
    public var statistics: Statistics?

    /// Creates a v1 data page header.
    /// - Parameters:
    ///   - numValues: Values including nulls.
    ///   - encoding: Value encoding.
    ///   - definitionLevelEncoding: Definition level encoding.
    ///   - repetitionLevelEncoding: Repetition level encoding.
    ///   - statistics: Page statistics.
    public init(
        numValues: Int32,
        encoding: Encoding,
        definitionLevelEncoding: Encoding = .rle,
        repetitionLevelEncoding: Encoding = .rle,
        statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding
        self.statistics = statistics
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, enum: encoding)
        writer.writeField(3, enum: definitionLevelEncoding)
        writer.writeField(4, enum: repetitionLevelEncoding)
        if let statistics { writer.writeField(5, struct: statistics) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var numValues: Int32?
        var encoding: Encoding?
        var definitionLevelEncoding: Encoding?
        var repetitionLevelEncoding: Encoding?
        var statistics: Statistics?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): encoding = try reader.readEnum()
            case (3, .i32): definitionLevelEncoding = try reader.readEnum()
            case (4, .i32): repetitionLevelEncoding = try reader.readEnum()
            case (5, .struct): statistics = try Statistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        let name = "DataPageHeader"
        self.init(
            numValues: try requireField(numValues, name, "num_values"),
            encoding: try requireField(encoding, name, "encoding"),
            definitionLevelEncoding: try requireField(definitionLevelEncoding, name, "definition_level_encoding"),
            repetitionLevelEncoding: try requireField(repetitionLevelEncoding, name, "repetition_level_encoding"),
            statistics: statistics
        )
    }
}
