/// The header specific to a dictionary page (`DictionaryPageHeader`).
public struct DictionaryPageHeader: ThriftCodable, Sendable, Hashable {
    /// The number of dictionary entries (field 1).
    public var numValues: Int32
    /// The encoding of the entries; PLAIN for new files (field 2).
    public var encoding: Encoding
    /// Whether the entries are sorted ascending (field 3).
    public var isSorted: Bool?

    /// Creates a dictionary page header.
    /// - Parameters:
    ///   - numValues: Entry count.
    ///   - encoding: Entry encoding.
    ///   - isSorted: Whether entries are sorted.
    public init(numValues: Int32, encoding: Encoding = .plain, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.isSorted = isSorted
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, enum: encoding)
        if let isSorted { writer.writeField(3, bool: isSorted) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var numValues: Int32?
        var encoding: Encoding?
        var isSorted: Bool?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): encoding = try reader.readEnum()
            case (3, .bool): isSorted = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            numValues: try requireField(numValues, "DictionaryPageHeader", "num_values"),
            encoding: try requireField(encoding, "DictionaryPageHeader", "encoding"),
            isSorted: isSorted
        )
    }
}
