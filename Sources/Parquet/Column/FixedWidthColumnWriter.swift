import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// A physical kind whose values sit in one of the builder's typed arrays.
protocol FixedWidthKind: PhysicalKind where Value: FixedWidthPhysicalValue {
    /// Calls `body` with the builder's values of this kind.
    static func withValues<R>(
        in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Value>) throws(ParquetError) -> R
    ) throws(ParquetError) -> R
}

extension SignedInt32Kind: FixedWidthKind {
    static func withValues<R>(in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Int32>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        try builder.int32s.withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }
}

extension UnsignedInt32Kind: FixedWidthKind {
    static func withValues<R>(in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Int32>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        try builder.int32s.withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }
}

extension SignedInt64Kind: FixedWidthKind {
    static func withValues<R>(in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Int64>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        try builder.int64s.withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }
}

extension UnsignedInt64Kind: FixedWidthKind {
    static func withValues<R>(in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Int64>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        try builder.int64s.withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }
}

extension FloatKind: FixedWidthKind {
    static func withValues<R>(in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Float>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        try builder.floats.withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }
}

extension DoubleKind: FixedWidthKind {
    static func withValues<R>(in builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Double>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        try builder.doubles.withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }
}

/// Encodes an INT32, INT64, FLOAT or DOUBLE column chunk: dictionary first, PLAIN after
/// the dictionary passes its limit (or throughout when dictionaries are off).
struct FixedWidthColumnWriter<Kind: FixedWidthKind>: ColumnChunkWriting {
    let descriptor: ColumnDescriptor
    private let options: WriterOptions
    private var pages: PageAssembler
    private var dictionary: FixedWidthDictionary<Kind.Value>
    /// Whether the current chunk is still dictionary-encoding.
    private var encodingWithDictionary: Bool
    /// Whether any page of the current chunk was dictionary-encoded (so a dictionary page is owed).
    private var dictionaryUsed = false
    /// The current page's dictionary indices.
    private var indices: [UInt32] = []
    /// The current page's PLAIN values.
    private var plainValues = ByteBuffer()
    private var statistics = FixedWidthStatistics<Kind>()
    private var nullCount = 0

    init(descriptor: ColumnDescriptor, options: WriterOptions) throws(ParquetError) {
        self.descriptor = descriptor
        self.options = options
        self.pages = try PageAssembler(descriptor: descriptor, compression: options.compression)
        self.dictionary = FixedWidthDictionary()
        self.encodingWithDictionary = options.dictionary
    }

    mutating func write(_ builder: ColumnBuilder, levels: Range<Int>, values: Range<Int>) throws(ParquetError) {
        try Kind.withValues(in: builder) { (all: UnsafeBufferPointer<Kind.Value>) throws(ParquetError) in
            try ColumnWriting.forEachMiniBatch(builder, levels: levels, values: values) {
                definition, repetition, slots, range throws(ParquetError) in
                pages.appendLevels(definition: definition, repetition: repetition, count: slots)
                nullCount += slots - range.count
                let batch = UnsafeBufferPointer(rebasing: all[range])
                statistics.update(batch)
                if encodingWithDictionary {
                    for value in batch { indices.append(dictionary.index(of: value)) }
                    if dictionary.plainEncodedByteSize >= options.dictionaryPageBytes {
                        // Fallback: this page keeps its indices, the rest of the chunk is PLAIN.
                        try flushPage()
                        encodingWithDictionary = false
                        return
                    }
                } else {
                    PlainEncoder.append(contentsOf: batch, into: &plainValues)
                }
                if pages.pageValueCount >= options.pageRows || currentPageBytes >= options.pageBytes {
                    try flushPage()
                }
            }
        }
    }

    /// The current page's encoded size, roughly.
    private var currentPageBytes: Int {
        let valueBytes = encodingWithDictionary
            ? PageAssembler.estimatedIndexBytes(count: indices.count, dictionaryCount: dictionary.count)
            : plainValues.count
        return valueBytes + pages.estimatedLevelBytes
    }

    var estimatedChunkBytes: Int {
        pages.bufferedBytes + currentPageBytes + (dictionaryUsed || encodingWithDictionary ? dictionary.plainEncodedByteSize : 0)
    }

    private mutating func flushPage() throws(ParquetError) {
        guard pages.pageValueCount > 0 else { return }
        if encodingWithDictionary {
            dictionaryUsed = true
            try indices.withUnsafeBufferPointer { indices throws(ParquetError) in
                try pages.writeDictionaryIndexPage(indices: indices, dictionaryCount: dictionary.count)
            }
            indices.removeAll(keepingCapacity: true)
        } else {
            try pages.writeDataPage(encoding: .plain) { body in body.append(plainValues) }
            plainValues.removeAll()
        }
    }

    mutating func finish() throws(ParquetError) -> FinishedColumnChunk {
        try flushPage()
        if dictionaryUsed {
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
        encodingWithDictionary = options.dictionary
        dictionaryUsed = false
        statistics.reset()
        nullCount = 0
    }
}
