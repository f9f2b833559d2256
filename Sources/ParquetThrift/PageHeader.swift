/// The header in front of every page (`PageHeader`).
///
/// Exactly one of the page-specific headers should be set, matching `type`. The index
/// page header (field 6) is an empty placeholder in parquet.thrift and is skipped.
public struct PageHeader: ThriftCodable, Sendable, Hashable {
    /// The page kind (field 1).
    public var type: PageType
    /// The page size after decompression, header excluded (field 2).
    public var uncompressedPageSize: Int32
    /// The page size as stored, header excluded (field 3).
    public var compressedPageSize: Int32
    /// CRC-32 of the stored page bytes, header excluded (field 4).
    public var crc: Int32?
    /// Set for `.dataPage` (field 5).
    public var dataPageHeader: DataPageHeader?
    /// Set for `.dictionaryPage` (field 7).
    public var dictionaryPageHeader: DictionaryPageHeader?
    /// Set for `.dataPageV2` (field 8).
    public var dataPageHeaderV2: DataPageHeaderV2?

    /// Creates a page header.
    /// - Parameters:
    ///   - type: The page kind.
    ///   - uncompressedPageSize: Decompressed size.
    ///   - compressedPageSize: Stored size.
    ///   - crc: Page checksum.
    ///   - dataPageHeader: The v1 data page header.
    ///   - dictionaryPageHeader: The dictionary page header.
    ///   - dataPageHeaderV2: The v2 data page header.
    public init(
        type: PageType,
        uncompressedPageSize: Int32,
        compressedPageSize: Int32,
        crc: Int32? = nil,
        dataPageHeader: DataPageHeader? = nil,
        dictionaryPageHeader: DictionaryPageHeader? = nil,
        dataPageHeaderV2: DataPageHeaderV2? = nil
    ) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, enum: type)
        writer.writeField(2, i32: uncompressedPageSize)
        writer.writeField(3, i32: compressedPageSize)
        if let crc { writer.writeField(4, i32: crc) }
        if let dataPageHeader { writer.writeField(5, struct: dataPageHeader) }
        if let dictionaryPageHeader { writer.writeField(7, struct: dictionaryPageHeader) }
        if let dataPageHeaderV2 { writer.writeField(8, struct: dataPageHeaderV2) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields and the index page header.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var type: PageType?
        var uncompressedPageSize: Int32?
        var compressedPageSize: Int32?
        var crc: Int32?
        var dataPageHeader: DataPageHeader?
        var dictionaryPageHeader: DictionaryPageHeader?
        var dataPageHeaderV2: DataPageHeaderV2?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): type = try reader.readEnum()
            case (2, .i32): uncompressedPageSize = try reader.readI32()
            case (3, .i32): compressedPageSize = try reader.readI32()
            case (4, .i32): crc = try reader.readI32()
            case (5, .struct): dataPageHeader = try DataPageHeader(from: &reader)
            case (7, .struct): dictionaryPageHeader = try DictionaryPageHeader(from: &reader)
            case (8, .struct): dataPageHeaderV2 = try DataPageHeaderV2(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            type: try requireField(type, "PageHeader", "type"),
            uncompressedPageSize: try requireField(uncompressedPageSize, "PageHeader", "uncompressed_page_size"),
            compressedPageSize: try requireField(compressedPageSize, "PageHeader", "compressed_page_size"),
            crc: crc,
            dataPageHeader: dataPageHeader,
            dictionaryPageHeader: dictionaryPageHeader,
            dataPageHeaderV2: dataPageHeaderV2
        )
    }
}
