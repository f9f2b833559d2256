import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// Encodes a BOOLEAN column chunk, PLAIN (bit-packed) by default or with the RLE/bit-packed
/// hybrid. Dictionaries never pay for one bit of information, so booleans have none.
struct BooleanColumnWriter: ColumnChunkWriting {
    let descriptor: ColumnDescriptor
    private let options: WriterOptions
    private var pages: PageAssembler
    private var plain = PlainBooleanEncoder()
    private var rle = RLEBitPackedHybridEncoder(bitWidth: 1)
    private var statistics = BooleanStatistics()
    private var nullCount = 0

    init(descriptor: ColumnDescriptor, options: WriterOptions, workspace: PageWorkspace) {
        self.descriptor = descriptor
        self.options = options
        self.pages = PageAssembler(descriptor: descriptor, workspace: workspace)
    }

    private var usesRLE: Bool { options.booleanEncoding == .rle }

    mutating func write(_ builder: ColumnBuilder, levels: Range<Int>, values: Range<Int>) throws(ParquetError) {
        try builder.booleans.withUnsafeBufferPointer { all throws(ParquetError) in
            try ColumnWriting.forEachMiniBatch(
                builder, levels: levels, values: values, firstSlots: nextSlots(ColumnWriting.miniBatchSlots)
            ) {
                definition, repetition, slots, range throws(ParquetError) in
                pages.appendLevels(definition: definition, repetition: repetition, count: slots)
                nullCount += slots - range.count
                let batch = UnsafeBufferPointer(rebasing: all[range])
                statistics.update(batch)
                if usesRLE {
                    for value in batch { rle.append(value ? 1 : 0) }
                } else {
                    for value in batch { plain.append(value) }
                }
                if pages.pageValueCount >= options.pageRows || currentPageBytes >= options.pageBytes {
                    try flushPage()
                }
                return nextSlots(ColumnWriting.miniBatchSlots)
            }
        }
    }

    private var currentPageBytes: Int {
        (usesRLE ? rle.estimatedByteSize : plain.estimatedByteSize) + pages.estimatedLevelBytes
    }

    var estimatedChunkBytes: Int { pages.bufferedBytes + currentPageBytes }

    /// The next mini-batch: at most `cap` slots, and no more than the page has room for.
    private func nextSlots(_ cap: Int) -> Int {
        Swift.min(cap, options.pageRows - pages.pageValueCount)
    }

    private mutating func flushPage() throws(ParquetError) {
        guard pages.pageValueCount > 0 else { return }
        if usesRLE {
            // RLE-encoded booleans carry a 4-byte length prefix, like V1 levels.
            try pages.writeDataPage(encoding: .rle) { body in rle.flushWithLengthPrefix(into: &body) }
        } else {
            try pages.writeDataPage(encoding: .plain) { body in plain.flush(into: &body) }
        }
    }

    mutating func finish() throws(ParquetError) -> FinishedColumnChunk {
        try flushPage()
        return pages.finishedChunk(
            descriptor: descriptor, nullCount: nullCount,
            bounds: statistics.encodedBounds().map { ($0.min, $0.max, true, true) })
    }

    mutating func reset() {
        pages.reset()
        statistics.reset()
        nullCount = 0
    }
}
