import ParquetBytes
import ParquetEncoding

/// BOOLEAN values, PLAIN (bit-packed) by default or with the RLE/bit-packed hybrid.
/// Dictionaries never pay for one bit of information, so booleans have none.
struct BooleanValueEncoder: ColumnValueEncoder {
    private let usesRLE: Bool
    private var plain = PlainBooleanEncoder()
    private var rle = RLEBitPackedHybridEncoder(bitWidth: 1)
    private var statistics = PagedStatistics(BooleanStatistics())

    static var supportsDictionary: Bool { false }

    init(descriptor: ColumnDescriptor, options: WriterOptions) {
        // A field's "plain" wins over the file's boolean encoding.
        usesRLE = descriptor.encoding == nil && options.booleanEncoding == .rle
    }

    static func withValues<R>(
        of builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Bool>) throws(ParquetError) -> R
    ) throws(ParquetError) -> R {
        try builder.booleans.withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }

    static func miniBatchSlots(for builder: ColumnBuilder, options: WriterOptions) -> Int {
        ColumnWriting.miniBatchSlots
    }

    mutating func appendToDictionary(_ values: UnsafeBufferPointer<Bool>, range: Range<Int>, indices: inout [UInt32]) -> Int {
        preconditionFailure("booleans have no dictionary")
    }

    var dictionaryCount: Int { 0 }

    var dictionaryBytes: Int { 0 }

    mutating func appendValues(_ values: UnsafeBufferPointer<Bool>, range: Range<Int>) {
        let batch = UnsafeBufferPointer(rebasing: values[range])
        statistics.page.update(batch)
        if usesRLE {
            for value in batch { rle.append(value ? 1 : 0) }
        } else {
            for value in batch { plain.append(value) }
        }
    }

    mutating func appendValues(indices: UnsafeBufferPointer<UInt32>) {
        preconditionFailure("booleans have no dictionary")
    }

    var valuePageBytes: Int { usesRLE ? rle.estimatedByteSize : plain.estimatedByteSize }

    mutating func flushValuePage(into pages: inout PageAssembler) throws(ParquetError) {
        if usesRLE {
            // RLE-encoded booleans carry a 4-byte length prefix, like V1 levels.
            try pages.writeDataPage(encoding: .rle) { body in rle.flushWithLengthPrefix(into: &body) }
        } else {
            try pages.writeDataPage(encoding: .plain) { body in plain.flush(into: &body) }
        }
    }

    func writeDictionaryPage(into pages: inout PageAssembler) throws(ParquetError) {
        preconditionFailure("booleans have no dictionary")
    }

    mutating func closePageStatistics() -> (min: [UInt8], max: [UInt8])? {
        statistics.closePage().encodedBounds()
    }

    func chunkBounds() -> (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)? {
        statistics.chunk.encodedBounds().map { ($0.min, $0.max, true, true) }
    }

    /// Booleans have no bloom filter: two values, and the statistics say which occur.
    mutating func finishBloomFilter() -> SplitBlockBloomFilter? { nil }

    mutating func reset() {
        statistics.reset()
    }
}
