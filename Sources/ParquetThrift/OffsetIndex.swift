/// The page locations of one column chunk, part of the page index (`OffsetIndex`).
public struct OffsetIndex: ThriftCodable, Sendable, Hashable {
    /// One entry per data page, in file order (field 1).
    public var pageLocations: [PageLocation]
    /// Per-page unencoded BYTE_ARRAY payload sizes (field 2).
    public var unencodedByteArrayDataBytes: [Int64]?

    /// Creates an offset index.
    /// - Parameters:
    ///   - pageLocations: The pages.
    ///   - unencodedByteArrayDataBytes: Per-page byte array sizes.
    public init(pageLocations: [PageLocation], unencodedByteArrayDataBytes: [Int64]? = nil) {
        self.pageLocations = pageLocations
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, structList: pageLocations)
        if let unencodedByteArrayDataBytes { writer.writeField(2, i64List: unencodedByteArrayDataBytes) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var pageLocations: [PageLocation]?
        var unencodedByteArrayDataBytes: [Int64]?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .list): pageLocations = try reader.readStructList()
            case (2, .list): unencodedByteArrayDataBytes = try reader.readI64List()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            pageLocations: try requireField(pageLocations, "OffsetIndex", "page_locations"),
            unencodedByteArrayDataBytes: unencodedByteArrayDataBytes
        )
    }
}
