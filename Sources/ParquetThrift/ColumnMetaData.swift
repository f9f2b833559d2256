/// Where a column chunk's pages are and how they are encoded (`ColumnMetaData`).
public struct ColumnMetaData: ThriftCodable, Sendable, Hashable {
    /// The physical type (field 1).
    public var type: PhysicalType
    /// Every encoding used by any page of the chunk, levels included (field 2).
    public var encodings: [Encoding]
    /// The path from the root to the leaf, root excluded (field 3).
    public var pathInSchema: [String]
    /// The compression codec (field 4).
    public var codec: CompressionCodec
    /// The number of values, nulls included (field 5).
    public var numValues: Int64
    /// The size of all pages uncompressed, headers included (field 6).
    public var totalUncompressedSize: Int64
    /// The size of all pages as stored, headers included (field 7).
    public var totalCompressedSize: Int64
    /// Free-form metadata (field 8).
    public var keyValueMetadata: [KeyValue]?
    /// The file offset of the first data page (field 9).
    public var dataPageOffset: Int64
    /// The file offset of the root index page (field 10).
    public var indexPageOffset: Int64?
    /// The file offset of the dictionary page (field 11).
    public var dictionaryPageOffset: Int64?
    /// Chunk-level statistics (field 12).
    public var statistics: Statistics?
    /// Page counts per page type and encoding (field 13).
    public var encodingStats: [PageEncodingStats]?
    /// The file offset of the bloom filter (field 14).
    public var bloomFilterOffset: Int64?
    /// The bloom filter's size, header included (field 15).
    public var bloomFilterLength: Int32?
    /// Unencoded sizes and level histograms (field 16).
    public var sizeStatistics: SizeStatistics?

    /// Creates column metadata.
    /// - Parameters:
    ///   - type: The physical type.
    ///   - encodings: All encodings used.
    ///   - pathInSchema: The leaf's path.
    ///   - codec: The compression codec.
    ///   - numValues: The value count.
    ///   - totalUncompressedSize: Bytes before compression.
    ///   - totalCompressedSize: Bytes as stored.
    ///   - keyValueMetadata: Free-form metadata.
    ///   - dataPageOffset: The first data page's offset.
    ///   - indexPageOffset: The index page's offset.
    ///   - dictionaryPageOffset: The dictionary page's offset.
    ///   - statistics: Chunk statistics.
    ///   - encodingStats: Page encoding counts.
    ///   - bloomFilterOffset: The bloom filter's offset.
    ///   - bloomFilterLength: The bloom filter's size.
    ///   - sizeStatistics: Size statistics.
    public init(
        type: PhysicalType,
        encodings: [Encoding],
        pathInSchema: [String],
        codec: CompressionCodec,
        numValues: Int64,
        totalUncompressedSize: Int64,
        totalCompressedSize: Int64,
        keyValueMetadata: [KeyValue]? = nil,
        dataPageOffset: Int64,
        indexPageOffset: Int64? = nil,
        dictionaryPageOffset: Int64? = nil,
        statistics: Statistics? = nil,
        encodingStats: [PageEncodingStats]? = nil,
        bloomFilterOffset: Int64? = nil,
        bloomFilterLength: Int32? = nil,
        sizeStatistics: SizeStatistics? = nil
    ) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.encodingStats = encodingStats
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
        self.sizeStatistics = sizeStatistics
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, enum: type)
        writer.writeField(2, enumList: encodings)
        writer.writeField(3, stringList: pathInSchema)
        writer.writeField(4, enum: codec)
        writer.writeField(5, i64: numValues)
        writer.writeField(6, i64: totalUncompressedSize)
        writer.writeField(7, i64: totalCompressedSize)
        if let keyValueMetadata { writer.writeField(8, structList: keyValueMetadata) }
        writer.writeField(9, i64: dataPageOffset)
        if let indexPageOffset { writer.writeField(10, i64: indexPageOffset) }
        if let dictionaryPageOffset { writer.writeField(11, i64: dictionaryPageOffset) }
        if let statistics { writer.writeField(12, struct: statistics) }
        if let encodingStats { writer.writeField(13, structList: encodingStats) }
        if let bloomFilterOffset { writer.writeField(14, i64: bloomFilterOffset) }
        if let bloomFilterLength { writer.writeField(15, i32: bloomFilterLength) }
        if let sizeStatistics { writer.writeField(16, struct: sizeStatistics) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields (such as geospatial statistics).
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var type: PhysicalType?
        var encodings: [Encoding]?
        var pathInSchema: [String]?
        var codec: CompressionCodec?
        var numValues: Int64?
        var totalUncompressedSize: Int64?
        var totalCompressedSize: Int64?
        var keyValueMetadata: [KeyValue]?
        var dataPageOffset: Int64?
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
        var encodingStats: [PageEncodingStats]?
        var bloomFilterOffset: Int64?
        var bloomFilterLength: Int32?
        var sizeStatistics: SizeStatistics?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): type = try reader.readEnum()
            case (2, .list): encodings = try reader.readEnumList()
            case (3, .list): pathInSchema = try reader.readStringList()
            case (4, .i32): codec = try reader.readEnum()
            case (5, .i64): numValues = try reader.readI64()
            case (6, .i64): totalUncompressedSize = try reader.readI64()
            case (7, .i64): totalCompressedSize = try reader.readI64()
            case (8, .list): keyValueMetadata = try reader.readStructList()
            case (9, .i64): dataPageOffset = try reader.readI64()
            case (10, .i64): indexPageOffset = try reader.readI64()
            case (11, .i64): dictionaryPageOffset = try reader.readI64()
            case (12, .struct): statistics = try Statistics(from: &reader)
            case (13, .list): encodingStats = try reader.readStructList()
            case (14, .i64): bloomFilterOffset = try reader.readI64()
            case (15, .i32): bloomFilterLength = try reader.readI32()
            case (16, .struct): sizeStatistics = try SizeStatistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        let name = "ColumnMetaData"
        self.init(
            type: try requireField(type, name, "type"),
            encodings: try requireField(encodings, name, "encodings"),
            pathInSchema: try requireField(pathInSchema, name, "path_in_schema"),
            codec: try requireField(codec, name, "codec"),
            numValues: try requireField(numValues, name, "num_values"),
            totalUncompressedSize: try requireField(totalUncompressedSize, name, "total_uncompressed_size"),
            totalCompressedSize: try requireField(totalCompressedSize, name, "total_compressed_size"),
            keyValueMetadata: keyValueMetadata,
            dataPageOffset: try requireField(dataPageOffset, name, "data_page_offset"),
            indexPageOffset: indexPageOffset,
            dictionaryPageOffset: dictionaryPageOffset,
            statistics: statistics,
            encodingStats: encodingStats,
            bloomFilterOffset: bloomFilterOffset,
            bloomFilterLength: bloomFilterLength,
            sizeStatistics: sizeStatistics
        )
    }
}
