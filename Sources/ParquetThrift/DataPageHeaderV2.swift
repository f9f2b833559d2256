/// The header specific to a v2 data page (`DataPageHeaderV2`).
///
/// In v2 pages the levels come first, uncompressed and without length prefixes; their
/// byte lengths are recorded here so the values section can be decompressed on its own.
public struct DataPageHeaderV2: ThriftCodable, Sendable, Hashable {
    /// The number of values, nulls included (field 1).
    public var numValues: Int32
    /// The number of nulls (field 2).
    public var numNulls: Int32
    /// The number of rows; v2 pages start and end on row boundaries (field 3).
    public var numRows: Int32
    /// The encoding of the values (field 4).
    public var encoding: Encoding
    /// The byte length of the definition levels (field 5).
    public var definitionLevelsByteLength: Int32
    /// The byte length of the repetition levels (field 6).
    public var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed (field 7, IDL default true). It is always
    /// written so that no reader has to know the default; absent on read means true.
    public var isCompressed: Bool
    /// Page statistics (field 8).
    public var statistics: Statistics?

    /// Creates a v2 data page header.
    /// - Parameters:
    ///   - numValues: Values including nulls.
    ///   - numNulls: Nulls.
    ///   - numRows: Rows.
    ///   - encoding: Value encoding.
    ///   - definitionLevelsByteLength: Definition level bytes.
    ///   - repetitionLevelsByteLength: Repetition level bytes.
    ///   - isCompressed: Whether the values section is compressed.
    ///   - statistics: Page statistics.
    public init(
        numValues: Int32,
        numNulls: Int32,
        numRows: Int32,
        encoding: Encoding,
        definitionLevelsByteLength: Int32,
        repetitionLevelsByteLength: Int32,
        isCompressed: Bool = true,
        statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encoding = encoding
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, i32: numNulls)
        writer.writeField(3, i32: numRows)
        writer.writeField(4, enum: encoding)
        writer.writeField(5, i32: definitionLevelsByteLength)
        writer.writeField(6, i32: repetitionLevelsByteLength)
        writer.writeField(7, bool: isCompressed)
        if let statistics { writer.writeField(8, struct: statistics) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Encoding?
        var definitionLevelsByteLength: Int32?
        var repetitionLevelsByteLength: Int32?
        var isCompressed = true
        var statistics: Statistics?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): numNulls = try reader.readI32()
            case (3, .i32): numRows = try reader.readI32()
            case (4, .i32): encoding = try reader.readEnum()
            case (5, .i32): definitionLevelsByteLength = try reader.readI32()
            case (6, .i32): repetitionLevelsByteLength = try reader.readI32()
            case (7, .bool): isCompressed = try reader.readBool()
            case (8, .struct): statistics = try Statistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        let name = "DataPageHeaderV2"
        self.init(
            numValues: try requireField(numValues, name, "num_values"),
            numNulls: try requireField(numNulls, name, "num_nulls"),
            numRows: try requireField(numRows, name, "num_rows"),
            encoding: try requireField(encoding, name, "encoding"),
            definitionLevelsByteLength: try requireField(definitionLevelsByteLength, name, "definition_levels_byte_length"),
            repetitionLevelsByteLength: try requireField(repetitionLevelsByteLength, name, "repetition_levels_byte_length"),
            isCompressed: isCompressed,
            statistics: statistics
        )
    }
}
