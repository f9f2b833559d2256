import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// A physical kind whose values sit in one of the builder's typed arrays.
protocol FixedWidthKind: PhysicalKind where Value: FixedWidthPhysicalValue {
    /// The builder's buffer holding values of this kind.
    static var values: KeyPath<ColumnBuilder, [Value]> { get }
}

extension FixedWidthKind {
    /// Calls `body` with the builder's values of this kind (once per batch, not per value).
    static func withValues<R>(
        in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Value>) throws(ParquetError) -> R
    ) throws(ParquetError) -> R {
        try builder[keyPath: values].withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }
}

extension SignedInt32Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int32]> { \.int32s } }
extension UnsignedInt32Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int32]> { \.int32s } }
extension SignedInt64Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int64]> { \.int64s } }
extension UnsignedInt64Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int64]> { \.int64s } }
extension FloatKind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Float]> { \.floats } }
extension DoubleKind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Double]> { \.doubles } }

/// Encodes an INT32, INT64, FLOAT or DOUBLE column chunk: dictionary first, PLAIN after
/// the dictionary passes its limit (or throughout when dictionaries are off).
struct FixedWidthColumnWriter<Kind: FixedWidthKind>: ColumnChunkWriting {
    let descriptor: ColumnDescriptor
    private let options: WriterOptions
    private var pages: PageAssembler
    private var dictionary: FixedWidthDictionary<Kind.Value>
    private var pending: PendingValues
    private var statistics = FixedWidthStatistics<Kind>()
    private var nullCount = 0

    init(descriptor: ColumnDescriptor, options: WriterOptions, workspace: PageWorkspace) {
        self.descriptor = descriptor
        self.options = options
        self.pages = PageAssembler(descriptor: descriptor, workspace: workspace)
        self.dictionary = FixedWidthDictionary()
        self.pending = PendingValues(dictionary: options.dictionary)
    }

    mutating func write(_ builder: ColumnBuilder, levels: Range<Int>, values: Range<Int>) throws(ParquetError) {
        try Kind.withValues(in: builder) { (all: UnsafeBufferPointer<Kind.Value>) throws(ParquetError) in
            try ColumnWriting.forEachMiniBatch(
                builder, levels: levels, values: values, firstSlots: nextSlots(ColumnWriting.miniBatchSlots)
            ) {
                definition, repetition, slots, range throws(ParquetError) in
                pages.appendLevels(definition: definition, repetition: repetition, count: slots)
                nullCount += slots - range.count
                let batch = UnsafeBufferPointer(rebasing: all[range])
                statistics.update(batch)
                if pending.usingDictionary {
                    // Moved out so the appends below write in place: one uniqueness and
                    // capacity check per mini-batch, not per value.
                    var indices = pending.indices
                    pending.indices = []
                    let start = indices.count
                    indices.append(contentsOf: repeatElement(0, count: batch.count))
                    indices.withUnsafeMutableBufferPointer { stored in
                        for offset in 0..<batch.count { stored[start &+ offset] = dictionary.index(of: batch[offset]) }
                    }
                    pending.indices = indices
                    pending.plainBytesOfIndices &+= batch.count &* MemoryLayout<Kind.Value>.size
                    if pending.dictionaryFailsEarly(
                        dictionaryCount: dictionary.count, dictionaryBytes: dictionary.plainEncodedByteSize
                    ) {
                        pending.abandonDictionary(writePlain: plainValues)
                    } else if pending.indices.count >= PendingValues.earlyCheckValues {
                        pending.passEarlyCheck()
                    }
                    if dictionary.plainEncodedByteSize >= options.dictionaryPageBytes {
                        // This page keeps its indices; the rest of the chunk is PLAIN.
                        try pending.fallBack(
                            into: &pages, dictionaryCount: dictionary.count, dictionaryBytes: dictionary.plainEncodedByteSize,
                            writePlain: plainValues)
                        return nextSlots(ColumnWriting.miniBatchSlots)
                    }
                } else {
                    PlainEncoder.append(contentsOf: batch, into: &pending.plain)
                }
                if pages.pageValueCount >= options.pageRows || currentPageBytes >= options.pageBytes {
                    try flushPage()
                }
                return nextSlots(ColumnWriting.miniBatchSlots)
            }
        }
    }

    /// The current page's encoded size, roughly.
    private var currentPageBytes: Int {
        pending.estimatedBytes(dictionaryCount: dictionary.count) + pages.estimatedLevelBytes
    }

    var estimatedChunkBytes: Int {
        pages.bufferedBytes + currentPageBytes + (pending.needsDictionaryPage ? dictionary.plainEncodedByteSize : 0)
    }

    /// The next mini-batch: at most `cap` slots, and no more than the page has room for.
    private func nextSlots(_ cap: Int) -> Int {
        Swift.min(cap, options.pageRows - pages.pageValueCount)
    }

    private mutating func flushPage() throws(ParquetError) {
        try pending.flushPage(
            into: &pages, dictionaryCount: dictionary.count, dictionaryBytes: dictionary.plainEncodedByteSize,
            writePlain: plainValues)
    }

    /// The PLAIN encoding of the dictionary entries `indices` name (a first page that the
    /// dictionary did not pay for).
    private func plainValues(_ indices: UnsafeBufferPointer<UInt32>, into body: inout ByteBuffer) {
        dictionary.values.withUnsafeBufferPointer { values in
            body.reserveCapacity(body.count + indices.count * MemoryLayout<Kind.Value>.size)
            for index in indices { PlainEncoder.append(values[Int(index)], into: &body) }
        }
    }

    mutating func finish() throws(ParquetError) -> FinishedColumnChunk {
        try flushPage()
        if pending.dictionaryUsed {
            try pages.writeDictionaryPage(entryCount: dictionary.count) { body in dictionary.writePlain(into: &body) }
        }
        let bounds = statistics.encodedBounds()
        return pages.finishedChunk(
            descriptor: descriptor, nullCount: nullCount,
            bounds: bounds.map { ($0.min, $0.max, true, true) })
    }

    mutating func reset() {
        pages.reset()
        dictionary.removeAll(keepingCapacity: true)
        pending.reset()
        statistics.reset()
        nullCount = 0
    }
}
