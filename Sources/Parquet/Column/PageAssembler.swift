import ParquetBytes
import ParquetCompression
import ParquetEncoding
import ParquetThrift

/// Turns levels and encoded values into V1 data pages and a dictionary page: page header,
/// compression, and the running totals the column chunk metadata needs.
///
/// Every column writer owns one. Pages accumulate in memory until the row group is written,
/// because a column chunk must be contiguous in the file; that buffer is the row group's
/// memory bound.
struct PageAssembler {
    private let workspace: PageWorkspace

    /// Data pages (header + body each) still in memory, in order, after those parked in
    /// ``spooledPages``.
    private(set) var dataPages = ByteBuffer()
    /// Extents of the workspace's spool holding this chunk's earlier data pages, in order.
    private(set) var spooledPages: [Range<Int>] = []
    private var spooledBytes = 0
    /// The dictionary page (header + body), empty when the chunk has none.
    private(set) var dictionaryPage = ByteBuffer()

    private var definitionLevels: RLEBitPackedHybridEncoder?
    private var repetitionLevels: RLEBitPackedHybridEncoder?

    /// Level slots (values and nulls) in the page under construction.
    private(set) var pageValueCount = 0
    /// Level slots in the finished pages of this chunk.
    private(set) var chunkValueCount = 0
    private(set) var totalUncompressedBytes = 0
    private(set) var totalCompressedBytes = 0
    private var dataPageEncodingCounts: [(ParquetThrift.Encoding, Int32)] = []
    private var hasDictionaryPage = false

    init(descriptor: ColumnDescriptor, workspace: PageWorkspace) {
        self.workspace = workspace
        if descriptor.maxDefinitionLevel > 0 {
            definitionLevels = RLEBitPackedHybridEncoder(
                bitWidth: RLEBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(descriptor.maxDefinitionLevel)))
        }
        if descriptor.maxRepetitionLevel > 0 {
            repetitionLevels = RLEBitPackedHybridEncoder(
                bitWidth: RLEBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(descriptor.maxRepetitionLevel)))
        }
    }

    /// Adds the levels of a run of slots to the current page.
    /// - Parameters:
    ///   - definition: One level per slot, or empty when the column has no definition levels.
    ///   - repetition: One level per slot, or empty when the column has no repetition levels.
    ///   - count: The number of slots.
    mutating func appendLevels(
        definition: UnsafeBufferPointer<UInt8>, repetition: UnsafeBufferPointer<UInt8>, count: Int
    ) {
        if definitionLevels != nil { definitionLevels!.append(contentsOf: definition) }
        if repetitionLevels != nil { repetitionLevels!.append(contentsOf: repetition) }
        pageValueCount += count
    }

    /// Bytes the levels of the current page will take, roughly.
    var estimatedLevelBytes: Int {
        (definitionLevels?.estimatedByteSize ?? 0) + (repetitionLevels?.estimatedByteSize ?? 0)
    }

    /// Bytes of finished pages, in memory or parked.
    var bufferedBytes: Int { spooledBytes + dataPages.count + dictionaryPage.count }

    /// Closes the current page: levels, then the values `writeValues` appends, compressed and
    /// preceded by a page header.
    /// - Parameters:
    ///   - encoding: The encoding of the values section.
    ///   - writeValues: Appends the encoded values to the page body.
    mutating func writeDataPage(
        encoding: ParquetThrift.Encoding, writeValues: (inout ByteBuffer) -> Void
    ) throws(ParquetError) {
        guard pageValueCount > 0 else { return }
        workspace.body.removeAll()
        // V1 layout: repetition levels, definition levels, each with a 4-byte length prefix.
        repetitionLevels?.flushWithLengthPrefix(into: &workspace.body)
        definitionLevels?.flushWithLengthPrefix(into: &workspace.body)
        writeValues(&workspace.body)
        try emitDataPage(encoding: encoding, body: workspace.body)
    }

    /// Closes the current page with values already encoded in `values`. A column without
    /// levels (required and flat) has nothing to put before them, so they are the page body
    /// as they are: no copy into the scratch body.
    mutating func writeDataPage(encoding: ParquetThrift.Encoding, values: ByteBuffer) throws(ParquetError) {
        guard pageValueCount > 0 else { return }
        if repetitionLevels == nil && definitionLevels == nil {
            try emitDataPage(encoding: encoding, body: values)
        } else {
            try writeDataPage(encoding: encoding) { body in body.append(values) }
        }
    }

    private mutating func emitDataPage(encoding: ParquetThrift.Encoding, body: ByteBuffer) throws(ParquetError) {
        let header = PageHeader(
            type: .dataPage,
            uncompressedPageSize: 0, compressedPageSize: 0,
            dataPageHeader: DataPageHeader(
                numValues: Int32(pageValueCount), encoding: encoding,
                definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
        try emit(header: header, body: body, toDictionary: false)
        chunkValueCount += pageValueCount
        pageValueCount = 0
        if let index = dataPageEncodingCounts.firstIndex(where: { $0.0 == encoding }) {
            dataPageEncodingCounts[index].1 += 1
        } else {
            dataPageEncodingCounts.append((encoding, 1))
        }
    }

    /// Closes the current page as RLE_DICTIONARY: one byte of bit width, then the indices
    /// in the RLE/bit-packed hybrid (no length prefix).
    /// - Parameters:
    ///   - indices: The page's dictionary indices, one per present value.
    ///   - dictionaryCount: Entries in the dictionary, which fixes the bit width.
    mutating func writeDictionaryIndexPage(
        indices: UnsafeBufferPointer<UInt32>, dictionaryCount: Int
    ) throws(ParquetError) {
        // Readers expect at least one bit, even for a one-entry dictionary.
        let bitWidth = Swift.max(1, RLEBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(Swift.max(dictionaryCount, 1) - 1)))
        try writeDataPage(encoding: .rleDictionary) { body in
            body.append(UInt8(bitWidth))
            var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
            encoder.append(contentsOf: indices)
            encoder.flush(into: &body)
        }
    }

    /// Estimated bytes of `count` dictionary indices for a dictionary of `dictionaryCount` entries.
    static func estimatedIndexBytes(count: Int, dictionaryCount: Int) -> Int {
        (count * Swift.max(1, RLEBitPackedHybridEncoder.bitWidth(forMaxValue: UInt64(dictionaryCount))) + 7) / 8
    }

    /// Writes the dictionary page; the chunk will place it before the data pages.
    /// - Parameters:
    ///   - entryCount: The number of dictionary entries.
    ///   - writeEntries: Appends the PLAIN-encoded entries.
    mutating func writeDictionaryPage(
        entryCount: Int, writeEntries: (inout ByteBuffer) -> Void
    ) throws(ParquetError) {
        workspace.body.removeAll()
        writeEntries(&workspace.body)
        let header = PageHeader(
            type: .dictionaryPage,
            uncompressedPageSize: 0, compressedPageSize: 0,
            dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(entryCount), encoding: .plain))
        dictionaryPage.removeAll()
        try emit(header: header, body: workspace.body, toDictionary: true)
        hasDictionaryPage = true
    }

    /// Compresses `body`, fills in the sizes and appends header and body to the chunk's
    /// dictionary page or data pages (parking the data pages in the spool once they pass the
    /// workspace's column buffer size).
    private mutating func emit(header: PageHeader, body: ByteBuffer, toDictionary: Bool) throws(ParquetError) {
        var header = header
        guard body.count <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of \(body.count) bytes does not fit the i32 page size")
        }
        header.uncompressedPageSize = Int32(body.count)
        let compressed = workspace.codec != .uncompressed
        if compressed {
            workspace.compressed.removeAll()
            do {
                try body.withUnsafeReadableBytes { raw throws(CompressionError) in
                    try workspace.compressor.compress(raw, into: &workspace.compressed)
                }
            } catch {
                throw ParquetError(.compression, "\(error)")
            }
        }
        let stored = compressed ? workspace.compressed : body
        header.compressedPageSize = Int32(stored.count)
        let headerBytes = header.serialized()
        if toDictionary {
            dictionaryPage.append(headerBytes)
            dictionaryPage.append(stored)
        } else {
            dataPages.append(headerBytes)
            dataPages.append(stored)
            if let spool = workspace.spool, dataPages.count >= workspace.columnBufferBytes {
                spooledPages.append(try spool.append(dataPages))
                spooledBytes += dataPages.count
                dataPages.removeAll()
            }
        }
        totalUncompressedBytes += headerBytes.count + body.count
        totalCompressedBytes += headerBytes.count + stored.count
    }

    /// Hands over the closed chunk (call after the last page and the dictionary page).
    /// - Parameters:
    ///   - descriptor: The column, for which level encodings to list.
    ///   - nullCount: Nulls in the chunk.
    ///   - bounds: The PLAIN-encoded min/max and whether each is exact, or nil when none.
    func finishedChunk(
        descriptor: ColumnDescriptor, nullCount: Int,
        bounds: (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)?
    ) -> FinishedColumnChunk {
        FinishedColumnChunk(
            dictionaryPage: dictionaryPage,
            spooledPages: spooledPages,
            dataPages: dataPages,
            valueCount: chunkValueCount,
            totalUncompressedBytes: totalUncompressedBytes,
            totalCompressedBytes: totalCompressedBytes,
            encodings: encodings(levels: descriptor.maxDefinitionLevel + descriptor.maxRepetitionLevel > 0),
            encodingStats: encodingStats,
            statistics: ColumnWriting.statistics(nullCount: nullCount, bounds: bounds),
            nullCount: nullCount)
    }

    /// The encodings used in this chunk, for ColumnMetaData.encodings.
    func encodings(levels: Bool) -> [ParquetThrift.Encoding] {
        var result: [ParquetThrift.Encoding] = []
        if hasDictionaryPage { result.append(.plain) }
        if levels { result.append(.rle) }
        for (encoding, _) in dataPageEncodingCounts where !result.contains(encoding) {
            result.append(encoding)
        }
        return result
    }

    /// Page counts per type and encoding, for ColumnMetaData.encoding_stats.
    var encodingStats: [PageEncodingStats] {
        var stats: [PageEncodingStats] = []
        if hasDictionaryPage { stats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1)) }
        for (encoding, count) in dataPageEncodingCounts {
            stats.append(PageEncodingStats(pageType: .dataPage, encoding: encoding, count: count))
        }
        return stats
    }

    /// Forgets the finished chunk so the next row group starts clean; buffers keep their capacity.
    mutating func reset() {
        dataPages.removeAll()
        spooledPages.removeAll()
        spooledBytes = 0
        dictionaryPage.removeAll()
        chunkValueCount = 0
        pageValueCount = 0
        totalUncompressedBytes = 0
        totalCompressedBytes = 0
        dataPageEncodingCounts.removeAll()
        hasDictionaryPage = false
    }
}

extension Compression {
    /// The codec id the file metadata records for this compression.
    var thriftCodec: ParquetThrift.CompressionCodec {
        switch self {
        case .uncompressed: .uncompressed
        case .snappy: .snappy
        case .gzip: .gzip
        case .zstd: .zstd
        case .lz4Raw: .lz4Raw
        case .brotli: .brotli
        }
    }
}
