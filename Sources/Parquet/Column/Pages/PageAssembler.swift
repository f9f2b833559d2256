import ParquetBytes
import ParquetCompression
import ParquetEncoding
import ParquetThrift

/// Turns levels and encoded values into data pages (V1, or V2 with
/// ``WriterOptions/dataPageVersion``) and a dictionary page: levels, page header,
/// compression, and what the column chunk metadata and page index count (totals, size
/// statistics). The closed pages go to a ``PageWriting`` (kept in memory, or spooled past the
/// workspace's column buffer); V1 data pages of a compressed file wait uncompressed in
/// ``PendingPage``s until the writer has them compressed (possibly on another thread) and
/// hands them back in order.
///
/// Every column writer owns one. Pages wait until the row group is written, because a
/// column chunk must be contiguous in the file; that wait is the row group's memory bound.
struct PageAssembler {
    /// The compressor and scratch buffers pages are closed with: those of the thread working
    /// on the column (set before each piece of work). The spool is the file's, whichever.
    var workspace: PageWorkspace
    /// Whether page headers carry the CRC-32 of the stored bytes.
    private let checksum: Bool
    /// Whether data pages are V2: levels first, uncompressed and without length prefixes,
    /// then the values compressed on their own.
    private let version2: Bool
    /// Whether closed V1 data pages wait in ``pending`` for ``PendingPage/compress(with:)``
    /// instead of being compressed at once (compressed files only; V2 and dictionary pages
    /// are compressed at once).
    private let defersCompression: Bool
    /// Data pages closed but not compressed yet, in order (see ``PendingPage``).
    private var pending: [PendingPage] = []
    /// The most ``pending`` can take once compressed and recorded (``PendingPage/bound``).
    private var pendingBytes = 0
    /// Buffers of recorded pending pages, reused as the next pages' bodies.
    private var spareBuffers: [ByteBuffer] = []

    /// Where the data pages go, in order.
    private let pageWriter: any PageWriting
    /// The dictionary page (header + body), empty when the chunk has none; it goes before
    /// the data pages, so it is kept apart.
    private let dictionaryPageWriter = BufferedPageWriter()

    private var definitionLevels: RLEBitPackedHybridEncoder?
    private var repetitionLevels: RLEBitPackedHybridEncoder?

    /// Level slots (values and nulls) in the page under construction.
    private(set) var pageValueCount = 0
    /// Null slots in the page under construction.
    private var pageNullCount = 0
    /// Rows that start in the page under construction.
    private var pageRowCount = 0
    /// Rows in the chunk's closed pages: the next page's first row.
    private var chunkRowCount = 0
    /// The chunk's data pages, in order, for the page index.
    private(set) var pageIndex: [PageIndexEntry] = []
    private var totals: ChunkTotals
    /// Level histograms and BYTE_ARRAY payload of the open page and of the chunk.
    private var sizes: SizeCounter

    /// - Parameters:
    ///   - descriptor: The column.
    ///   - workspace: The compressor and scratch buffers to start with, and the file's spool.
    ///   - checksum: Write each page's CRC-32 in its header.
    ///   - dataPageVersion: 1 or 2 (``WriterOptions/dataPageVersion``).
    init(descriptor: ColumnDescriptor, workspace: PageWorkspace, checksum: Bool = false, dataPageVersion: Int = 1) {
        self.workspace = workspace
        self.checksum = checksum
        self.version2 = dataPageVersion == 2
        self.defersCompression = dataPageVersion != 2 && workspace.codec != .uncompressed
        self.totals = ChunkTotals(dataPageType: dataPageVersion == 2 ? .dataPageV2 : .dataPage)
        self.sizes = SizeCounter(descriptor: descriptor)
        if let spool = workspace.spool {
            pageWriter = SpoolingPageWriter(spool: spool, thresholdBytes: workspace.columnBufferBytes)
        } else {
            pageWriter = BufferedPageWriter()
        }
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
    ///   - nullCount: How many of them are nulls (or empty lists) rather than values.
    mutating func appendLevels(
        definition: UnsafeBufferPointer<UInt8>, repetition: UnsafeBufferPointer<UInt8>, count: Int, nullCount: Int
    ) {
        if definitionLevels != nil {
            definitionLevels!.append(contentsOf: definition)
            sizes.countDefinitionLevels(definition, slots: count, nulls: nullCount)
        }
        if repetitionLevels != nil {
            repetitionLevels!.append(contentsOf: repetition)
            pageRowCount &+= sizes.countRepetitionLevels(repetition)
        } else {
            pageRowCount &+= count
        }
        pageValueCount += count
        pageNullCount += nullCount
    }

    /// Counts BYTE_ARRAY payload (the values' bytes, without length prefixes) added to the
    /// current page, for the size statistics.
    mutating func countUnencodedBytes(_ bytes: Int) {
        sizes.countUnencodedBytes(bytes)
    }

    /// Bytes the levels of the current page will take, roughly.
    var estimatedLevelBytes: Int {
        (definitionLevels?.estimatedByteSize ?? 0) + (repetitionLevels?.estimatedByteSize ?? 0)
    }

    /// Bytes of finished pages, in memory or parked, with pages waiting for compression counted
    /// at the most they can take (see ``pendingBytes``).
    var bufferedBytes: Int { pageWriter.writtenBytes + dictionaryPageWriter.writtenBytes + pendingBytes }

    /// Bytes of finished pages held in memory (not parked), pending pages at their bound.
    var heldBytes: Int { pageWriter.heldBytes + dictionaryPageWriter.writtenBytes + pendingBytes }

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
        if version2 {
            // V2 layout: the levels (no length prefixes) stay apart, uncompressed.
            workspace.levels.removeAll()
            repetitionLevels?.flush(into: &workspace.levels)
            let repetitionBytes = workspace.levels.count
            definitionLevels?.flush(into: &workspace.levels)
            writeValues(&workspace.body)
            try emitDataPageV2(
                encoding: encoding, values: workspace.body, levels: workspace.levels, repetitionBytes: repetitionBytes)
            return
        }
        // V1 layout: repetition levels, definition levels, each with a 4-byte length prefix.
        repetitionLevels?.flushWithLengthPrefix(into: &workspace.body)
        definitionLevels?.flushWithLengthPrefix(into: &workspace.body)
        writeValues(&workspace.body)
        try emitDataPage(encoding: encoding, body: &workspace.body)
    }

    /// Closes the current page with values already encoded in `values`. A column without
    /// levels (required and flat) has nothing to put before them, so they are the page body
    /// as they are: no copy into the scratch body. A page that waits for compression takes
    /// `values` and leaves an empty buffer (of a page recorded earlier) in its place.
    mutating func writeDataPage(encoding: ParquetThrift.Encoding, values: inout ByteBuffer) throws(ParquetError) {
        guard pageValueCount > 0 else { return }
        if repetitionLevels == nil && definitionLevels == nil {
            if version2 {
                try emitDataPageV2(encoding: encoding, values: values, levels: ByteBuffer(), repetitionBytes: 0)
            } else {
                try emitDataPage(encoding: encoding, body: &values)
            }
        } else {
            try writeDataPage(encoding: encoding) { body in body.append(values) }
        }
    }

    /// Closes a V1 page whose body is `body`: compressed and recorded now, or (when the
    /// assembler defers compression) moved into ``pending``, `body` getting a spare buffer.
    private mutating func emitDataPage(encoding: ParquetThrift.Encoding, body: inout ByteBuffer) throws(ParquetError) {
        let header = PageHeader(
            type: .dataPage,
            uncompressedPageSize: 0, compressedPageSize: 0,
            dataPageHeader: DataPageHeader(
                numValues: Int32(pageValueCount), encoding: encoding,
                definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
        guard defersCompression else {
            try record(try compressed(header: header, body: body), encoding: encoding, uncompressedBodyBytes: body.count)
            return
        }
        guard body.count <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of \(body.count) bytes does not fit the i32 page size")
        }
        var taken = spareBuffers.popLast() ?? ByteBuffer()
        taken.removeAll()
        swap(&taken, &body)
        pending.append(PendingPage(
            header: header, body: taken, stored: spareBuffers.popLast() ?? ByteBuffer(), encoding: encoding,
            valueCount: pageValueCount, pageIndexSlot: pageIndex.count, checksum: checksum))
        pendingBytes += pending[pending.count - 1].bound
        // The page's entry now, as its levels and sizes are the open page's; where it lands
        // is set when it is recorded.
        pageIndex.append(PageIndexEntry(
            offset: -1, size: 0, firstRowIndex: chunkRowCount, nullCount: pageNullCount,
            isNullPage: pageNullCount == pageValueCount, bounds: nil, sizes: sizes.closePage()))
        chunkRowCount += pageRowCount
        pageValueCount = 0
        pageNullCount = 0
        pageRowCount = 0
    }

    /// Gives back the buffers kept for the next pages' bodies (a row group left open between
    /// writes: its next page may come much later).
    mutating func releaseSpareBuffers() {
        spareBuffers = []
    }

    /// Hands over the pages waiting for compression, oldest first; they come back through
    /// ``recordCompressed(_:)`` in the same order.
    mutating func takePending() -> [PendingPage] {
        pendingBytes = 0
        defer { pending = [] }
        return pending
    }

    /// Writes a page taken by ``takePending()`` and compressed: into the chunk after the pages
    /// recorded before it, with its page index entry completed.
    /// - Throws: `ParquetError` `.io` when a spooled page cannot be written.
    mutating func recordCompressed(_ page: PendingPage) throws(ParquetError) {
        precondition(page.isCompressed, "a pending page is compressed before it is recorded")
        let offset = pageWriter.writtenBytes
        let written = try pageWriter.write(CompressedPage(header: page.header, body: page.stored))
        totals.count(
            chunkBytes: written, storedBodyBytes: page.stored.count, uncompressedBodyBytes: page.body.count,
            data: (page.encoding, page.valueCount))
        pageIndex[page.pageIndexSlot].offset = offset
        pageIndex[page.pageIndexSlot].size = written
        // One spare body and one spare compressed buffer per column at most: the next page
        // takes them, so a column holds about two pages of buffers more than when it
        // compressed at once.
        if spareBuffers.count < 2 {
            spareBuffers.append(page.body)
            spareBuffers.append(page.stored)
        }
    }

    /// Compresses and records every page waiting, on the calling thread with ``workspace``.
    /// - Throws: `ParquetError` when a page cannot be compressed or written.
    mutating func compressPending() throws(ParquetError) {
        for var page in takePending() {
            try page.compress(with: workspace)
            try recordCompressed(page)
        }
    }

    /// Closes a V2 page: `levels` (repetition then definition, `repetitionBytes` of the
    /// former) as they are, then `values` compressed on their own, so a reader can take the
    /// levels without decompressing.
    private mutating func emitDataPageV2(
        encoding: ParquetThrift.Encoding, values: ByteBuffer, levels: ByteBuffer, repetitionBytes: Int
    ) throws(ParquetError) {
        let compressedValues = workspace.codec != .uncompressed
        var header = PageHeader(
            type: .dataPageV2,
            uncompressedPageSize: 0, compressedPageSize: 0,
            dataPageHeaderV2: DataPageHeaderV2(
                numValues: Int32(pageValueCount), numNulls: Int32(pageNullCount), numRows: Int32(pageRowCount),
                encoding: encoding, definitionLevelsByteLength: Int32(levels.count - repetitionBytes),
                repetitionLevelsByteLength: Int32(repetitionBytes), isCompressed: compressedValues))
        // Compressed alone (checksum off: it covers the whole stored body, levels included).
        var page = try compressed(header: header, body: values, checksum: false)
        if !levels.isEmpty {
            workspace.page.removeAll()
            workspace.page.append(levels)
            workspace.page.append(page.body)
            page.body = workspace.page
        }
        let uncompressedBytes = levels.count + values.count
        guard uncompressedBytes <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of \(uncompressedBytes) bytes does not fit the i32 page size")
        }
        header = page.header
        header.uncompressedPageSize = Int32(uncompressedBytes)
        header.compressedPageSize = Int32(page.body.count)
        if checksum { header.crc = Self.crc(of: page.body) }
        page.header = header
        try record(page, encoding: encoding, uncompressedBodyBytes: uncompressedBytes)
    }

    /// Writes a closed data page and counts it: totals, page index entry, size statistics.
    private mutating func record(
        _ page: CompressedPage, encoding: ParquetThrift.Encoding, uncompressedBodyBytes: Int
    ) throws(ParquetError) {
        let offset = pageWriter.writtenBytes
        let written = try pageWriter.write(page)
        totals.count(
            chunkBytes: written, storedBodyBytes: page.body.count, uncompressedBodyBytes: uncompressedBodyBytes,
            data: (encoding, pageValueCount))
        pageIndex.append(PageIndexEntry(
            offset: offset, size: written, firstRowIndex: chunkRowCount, nullCount: pageNullCount,
            isNullPage: pageNullCount == pageValueCount, bounds: nil, sizes: sizes.closePage()))
        chunkRowCount += pageRowCount
        pageValueCount = 0
        pageNullCount = 0
        pageRowCount = 0
    }

    /// Records the min/max of the data page just written, for the page index.
    mutating func setBoundsOfLastPage(_ bounds: (min: [UInt8], max: [UInt8])?) {
        pageIndex[pageIndex.count - 1].bounds = bounds
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
        dictionaryPageWriter.reset()
        let page = try compressed(header: header, body: workspace.body)
        let written = try dictionaryPageWriter.write(page)
        totals.count(chunkBytes: written, storedBodyBytes: page.body.count, uncompressedBodyBytes: workspace.body.count, data: nil)
    }

    /// Compresses `body` into the workspace's scratch buffer (unless the file is
    /// uncompressed) and fills in the header's sizes.
    private func compressed(header: PageHeader, body: ByteBuffer, checksum: Bool? = nil) throws(ParquetError) -> CompressedPage {
        let checksum = checksum ?? self.checksum
        var header = header
        guard body.count <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of \(body.count) bytes does not fit the i32 page size")
        }
        header.uncompressedPageSize = Int32(body.count)
        guard workspace.codec != .uncompressed else {
            header.compressedPageSize = Int32(body.count)
            if checksum { header.crc = Self.crc(of: body) }
            return CompressedPage(header: header, body: body)
        }
        workspace.compressed.removeAll()
        do {
            try body.withUnsafeReadableBytes { raw throws(CompressionError) in
                try workspace.compressor.compress(raw, into: &workspace.compressed)
            }
        } catch {
            throw ParquetError(.compression, "\(error)")
        }
        header.compressedPageSize = Int32(workspace.compressed.count)
        if checksum { header.crc = Self.crc(of: workspace.compressed) }
        return CompressedPage(header: header, body: workspace.compressed)
    }

    /// The header's `crc`: CRC-32 of the stored body, as a signed i32 (Thrift has no unsigned).
    private static func crc(of stored: ByteBuffer) -> Int32 {
        Int32(bitPattern: stored.withUnsafeReadableBytes { PageChecksum.crc32($0) })
    }

    /// Hands over the closed chunk (call after the last page and the dictionary page).
    /// - Parameters:
    ///   - descriptor: The column, for which level encodings to list.
    ///   - nullCount: Nulls in the chunk.
    ///   - bounds: The PLAIN-encoded min/max and whether each is exact, or nil when none.
    /// - Precondition: No page waits for compression (``compressPending()``).
    func finishedChunk(
        descriptor: ColumnDescriptor, nullCount: Int,
        bounds: (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)?
    ) -> FinishedColumnChunk {
        let pages = pageWriter.pages
        return FinishedColumnChunk(
            dictionaryPage: dictionaryPageWriter.bytes,
            spooledPages: pages.spooled,
            dataPages: pages.inMemory,
            valueCount: totals.valueCount,
            totalUncompressedBytes: totals.uncompressedBytes,
            totalCompressedBytes: totals.compressedBytes,
            encodings: totals.encodings(levels: descriptor.maxDefinitionLevel + descriptor.maxRepetitionLevel > 0),
            encodingStats: totals.encodingStats,
            pageIndex: pageIndex,
            bloomFilter: nil,
            statistics: ColumnWriting.statistics(nullCount: nullCount, bounds: bounds),
            nullCount: nullCount,
            sizeStatistics: sizes.chunkStatistics)
    }

    /// Forgets the finished chunk so the next row group starts clean; buffers keep their capacity.
    mutating func reset() {
        precondition(pending.isEmpty, "pending pages are recorded before the chunk is finished")
        pageWriter.reset()
        dictionaryPageWriter.reset()
        pageValueCount = 0
        pageNullCount = 0
        pageRowCount = 0
        chunkRowCount = 0
        pageIndex.removeAll(keepingCapacity: true)
        totals.reset()
        sizes.reset()
    }
}
