import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// Encodes one leaf column of one row group into pages: ``ColumnChunkWriter`` for each value
/// encoder, held by type in ``ColumnWriterSet``.
protocol ColumnChunkWriting {
    /// The column this writer encodes.
    var descriptor: ColumnDescriptor { get }

    /// Encodes slots `levels` of `builder` and their values, which start at `firstValue`.
    /// - Returns: The value after the last one written: where the next slots' values start.
    ///   The writer counts them as it walks the levels, so the caller never scans them.
    /// - Throws: `ParquetError` when a page cannot be compressed or is too large.
    mutating func write(_ builder: ColumnBuilder, levels: Range<Int>, firstValue: Int) throws(ParquetError) -> Int

    /// Closes pages from now on with `workspace`'s compressor and scratch buffers: those of
    /// the thread that works on the column next.
    mutating func use(_ workspace: PageWorkspace)

    /// The encoded bytes this chunk would take if it closed now, roughly.
    var estimatedChunkBytes: Int { get }

    /// The bytes of this chunk held in memory, roughly: its open page, the dictionary, and the
    /// closed pages not parked in the spool.
    var heldBytes: Int { get }

    /// Closes the open page now if it holds at least `minimumBytes` (roughly, encoded), so
    /// its values wait compressed: for a row group kept open while other files are written.
    /// - Throws: `ParquetError` when the page cannot be compressed or is too large.
    mutating func closePage(minimumBytes: Int) throws(ParquetError)

    /// Gives back the buffers kept for the next page (its values' buffer when empty, the spare
    /// bodies of compressed pages): for a row group left open between writes.
    mutating func releasePageBuffers()

    /// Hands over the data pages closed but not compressed yet (``PendingPage``), oldest
    /// first; each comes back, compressed, through ``recordCompressed(_:)`` in that order.
    mutating func takePendingPages() -> [PendingPage]

    /// Writes a page taken by ``takePendingPages()``, compressed, after the pages before it.
    /// - Throws: `ParquetError` `.io` when a spooled page cannot be written.
    mutating func recordCompressed(_ page: PendingPage) throws(ParquetError)

    /// Closes the last page and hands over the chunk; the writer is then ready for the next row group.
    mutating func finish() throws(ParquetError) -> FinishedColumnChunk

    /// Starts the next chunk, keeping buffers' capacity (call once the finished chunk is written).
    mutating func reset()
}

/// A closed column chunk: its bytes and everything ColumnMetaData needs but the file offsets.
struct FinishedColumnChunk {
    /// The dictionary page (header + body), empty when the chunk has none.
    var dictionaryPage: ByteBuffer
    /// Extents of the writer's page spool holding the first data pages, in order.
    var spooledPages: [Range<Int>]
    /// The remaining data pages (header + body each).
    var dataPages: ByteBuffer
    /// Level slots in the chunk (ColumnMetaData.num_values counts nulls too).
    var valueCount: Int
    var totalUncompressedBytes: Int
    var totalCompressedBytes: Int
    var encodings: [ParquetThrift.Encoding]
    var encodingStats: [PageEncodingStats]
    /// The data pages, in order, for the page index.
    var pageIndex: [PageIndexEntry]
    /// The chunk's bloom filter, when its column has one.
    var bloomFilter: SplitBlockBloomFilter?
    var statistics: ParquetThrift.Statistics
    var nullCount: Int
    /// Level histograms and BYTE_ARRAY payload, for `ColumnMetaData.size_statistics`.
    var sizeStatistics: SizeStatistics?
}

/// Shared plumbing of the chunk writers: mini-batching and chunk statistics.
enum ColumnWriting {
    /// Slots handed to a column writer at a time: pages and the dictionary limit are checked
    /// between mini-batches, as Arrow C++ does, so either can overshoot by at most one.
    static let miniBatchSlots = 1024

    /// The number of present values among `levels` of a flat or nested column.
    @inline(__always)
    static func presentCount(_ levels: UnsafeBufferPointer<UInt8>, maxDefinitionLevel: UInt8) -> Int {
        var count = 0
        for level in levels where level == maxDefinitionLevel { count &+= 1 }
        return count
    }

    /// Walks slots `levels` of `builder` in mini-batches, calling `body` with each mini-batch's
    /// levels and its value range (counted from the definition levels, here only).
    /// - Parameters:
    ///   - firstValue: The value of the first present slot.
    ///   - firstSlots: The size of the first mini-batch.
    ///   - body: Encodes one mini-batch and returns the size the next may have (so a writer
    ///     can end a mini-batch exactly where its page reaches its value limit).
    /// - Returns: The value after the last present slot.
    static func forEachMiniBatch(
        _ builder: ColumnBuilder, levels: Range<Int>, firstValue: Int, firstSlots: Int,
        _ body: (_ definition: UnsafeBufferPointer<UInt8>, _ repetition: UnsafeBufferPointer<UInt8>,
                 _ slots: Int, _ values: Range<Int>) throws(ParquetError) -> Int
    ) throws(ParquetError) -> Int {
        let descriptor = builder.descriptor
        let maxDefinition = UInt8(descriptor.maxDefinitionLevel)
        var slot = levels.lowerBound
        var value = firstValue
        var slots = Swift.max(1, firstSlots)
        try builder.definitionLevels.withUnsafeBufferPointer { definition throws(ParquetError) in
            try builder.repetitionLevels.withUnsafeBufferPointer { repetition throws(ParquetError) in
                while slot < levels.upperBound {
                    var end = Swift.min(slot + slots, levels.upperBound)
                    // A page must not split a row: in a nested column, run on to the next
                    // slot that starts a row (repetition level 0).
                    if descriptor.maxRepetitionLevel > 0 {
                        while end < levels.upperBound && repetition[end] != 0 { end += 1 }
                    }
                    let def = descriptor.maxDefinitionLevel > 0
                        ? UnsafeBufferPointer(rebasing: definition[slot..<end]) : UnsafeBufferPointer(start: nil, count: 0)
                    let rep = descriptor.maxRepetitionLevel > 0
                        ? UnsafeBufferPointer(rebasing: repetition[slot..<end]) : UnsafeBufferPointer(start: nil, count: 0)
                    let present = descriptor.maxDefinitionLevel > 0
                        ? presentCount(def, maxDefinitionLevel: maxDefinition) : end - slot
                    slots = Swift.max(1, try body(def, rep, end - slot, value..<(value + present)))
                    value += present
                    slot = end
                }
            }
        }
        #if DEBUG
        precondition(value <= builder.valueCount, "levels and values of a column disagree")
        #endif
        return value
    }

    /// Builds the Thrift statistics of a chunk.
    static func statistics(
        nullCount: Int, bounds: (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)?
    ) -> ParquetThrift.Statistics {
        var statistics = ParquetThrift.Statistics()
        statistics.nullCount = Int64(nullCount)
        if let bounds {
            statistics.minValue = bounds.min
            statistics.isMinValueExact = bounds.minExact
            if let max = bounds.max {
                statistics.maxValue = max
                statistics.isMaxValueExact = bounds.maxExact
            }
        }
        return statistics
    }
}
