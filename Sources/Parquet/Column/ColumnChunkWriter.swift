import ParquetBytes
import ParquetThrift

/// Encodes one leaf column of one row group: levels, page limits, the dictionary decision and
/// the pages, for any physical type; ``ColumnValueEncoder`` does the type's values.
///
/// Values go to the dictionary first (when the column has one), and in the column's value
/// encoding (PLAIN unless its field chose a DELTA or BYTE_STREAM_SPLIT encoding) after the
/// dictionary passes its byte limit, fails its first page's check (not made when the field
/// asked for `dictionary`), or throughout when the column has no dictionary. Pages close once they reach `pageRows` slots or `pageBytes`, checked between
/// mini-batches as Arrow C++ does.
struct ColumnChunkWriter<Encoder: ColumnValueEncoder>: ColumnChunkWriting {
    let descriptor: ColumnDescriptor
    private let options: WriterOptions
    private var pages: PageAssembler
    private var encoder: Encoder
    private var dictionary: DictionaryState
    private var nullCount = 0

    init(descriptor: ColumnDescriptor, options: WriterOptions, workspace: PageWorkspace) {
        self.descriptor = descriptor
        self.options = options
        self.pages = PageAssembler(
            descriptor: descriptor, workspace: workspace, checksum: options.pageChecksum,
            dataPageVersion: options.dataPageVersion)
        self.encoder = Encoder(descriptor: descriptor, options: options)
        switch descriptor.encoding {
        case nil:
            dictionary = DictionaryState(enabled: options.dictionary && Encoder.supportsDictionary)
        case .dictionary?:
            // The schema allows it only where the type supports a dictionary.
            dictionary = DictionaryState(enabled: Encoder.supportsDictionary, forced: true)
        default:
            // PLAIN, DELTA or BYTE_STREAM_SPLIT asked for: every page in that encoding.
            dictionary = DictionaryState(enabled: false)
        }
    }

    mutating func write(_ builder: ColumnBuilder, levels: Range<Int>, firstValue: Int) throws(ParquetError) -> Int {
        let cap = Encoder.miniBatchSlots(for: builder, options: options)
        let countsBytes = descriptor.storage == .byteArray
        return try Encoder.withValues(of: builder) { (all: Encoder.Values) throws(ParquetError) in
            try ColumnWriting.forEachMiniBatch(builder, levels: levels, firstValue: firstValue, firstSlots: nextSlots(cap)) {
                definition, repetition, slots, range throws(ParquetError) in
                pages.appendLevels(
                    definition: definition, repetition: repetition, count: slots, nullCount: slots - range.count)
                nullCount += slots - range.count
                if countsBytes {
                    pages.countUnencodedBytes(builder.offsets[range.upperBound] - builder.offsets[range.lowerBound])
                }
                if dictionary.active {
                    // Moved out so the encoder stores the indices in place: one uniqueness
                    // and capacity check per mini-batch, not per value.
                    var indices = dictionary.indices
                    dictionary.indices = []
                    let plainBytes = encoder.appendToDictionary(all, range: range, indices: &indices)
                    dictionary.indices = indices
                    dictionary.plainBytesOfIndices &+= plainBytes
                    if dictionary.failsEarly(dictionaryCount: encoder.dictionaryCount, dictionaryBytes: encoder.dictionaryBytes) {
                        dictionary.indices.withUnsafeBufferPointer { encoder.appendValues(indices: $0) }
                        dictionary.deactivate()
                        encoder.releaseDictionary()
                    } else if encoder.dictionaryBytes >= options.dictionaryPageBytes {
                        // This page keeps its indices; the rest of the chunk is in the value encoding.
                        try flushPage()
                        dictionary.deactivate()
                        return nextSlots(cap)
                    }
                } else {
                    encoder.appendValues(all, range: range)
                }
                if pages.pageValueCount >= options.pageRows || currentPageBytes >= options.pageBytes {
                    try flushPage()
                }
                return nextSlots(cap)
            }
        }
    }

    mutating func use(_ workspace: PageWorkspace) {
        pages.workspace = workspace
    }

    /// The open page's encoded size, roughly.
    private var currentPageBytes: Int {
        (dictionary.active ? dictionary.estimatedIndexBytes(dictionaryCount: encoder.dictionaryCount) : encoder.valuePageBytes)
            + pages.estimatedLevelBytes
    }

    var estimatedChunkBytes: Int {
        pages.bufferedBytes + currentPageBytes + (dictionary.needsDictionaryPage ? encoder.dictionaryBytes : 0)
    }

    var heldBytes: Int {
        pages.heldBytes + currentPageBytes + (dictionary.needsDictionaryPage ? encoder.dictionaryBytes : 0)
    }

    mutating func closePage(minimumBytes: Int) throws(ParquetError) {
        guard currentPageBytes >= minimumBytes else { return }
        try flushPage()
    }

    mutating func releasePageBuffers() {
        pages.releaseSpareBuffers()
        encoder.releaseEmptyPageBuffer()
    }

    /// The next mini-batch: at most `cap` slots, and no more than the page has room for.
    private func nextSlots(_ cap: Int) -> Int {
        Swift.min(cap, options.pageRows - pages.pageValueCount)
    }

    /// Closes the open page: dictionary indices, or values in the value encoding (a first page
    /// its dictionary does not pay for turns to the value encoding here, with the rest of the
    /// chunk).
    private mutating func flushPage() throws(ParquetError) {
        guard pages.pageValueCount > 0 else { return }
        try writePage()
        pages.setBoundsOfLastPage(encoder.closePageStatistics())
    }

    private mutating func writePage() throws(ParquetError) {
        guard dictionary.active else {
            try encoder.flushValuePage(into: &pages)
            return
        }
        if dictionary.firstPageFails(dictionaryCount: encoder.dictionaryCount, dictionaryBytes: encoder.dictionaryBytes) {
            dictionary.indices.withUnsafeBufferPointer { encoder.appendValues(indices: $0) }
            dictionary.deactivate()
            // Not written: its memory (a partition file's row group may stay open long) goes back now.
            encoder.releaseDictionary()
            try encoder.flushValuePage(into: &pages)
        } else {
            let count = encoder.dictionaryCount
            try dictionary.indices.withUnsafeBufferPointer { indices throws(ParquetError) in
                try pages.writeDictionaryIndexPage(indices: indices, dictionaryCount: count)
            }
            dictionary.pageWritten()
        }
    }

    mutating func finish() throws(ParquetError) -> FinishedColumnChunk {
        try flushPage()
        try pages.compressPending()
        if dictionary.used { try encoder.writeDictionaryPage(into: &pages) }
        var chunk = pages.finishedChunk(descriptor: descriptor, nullCount: nullCount, bounds: encoder.chunkBounds())
        chunk.bloomFilter = encoder.finishBloomFilter()
        return chunk
    }

    mutating func takePendingPages() -> [PendingPage] {
        pages.takePending()
    }

    mutating func recordCompressed(_ page: PendingPage) throws(ParquetError) {
        try pages.recordCompressed(page)
    }

    mutating func reset() {
        pages.reset()
        encoder.reset()
        dictionary.reset()
        nullCount = 0
    }
}
