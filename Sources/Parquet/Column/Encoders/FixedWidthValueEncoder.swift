import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// A physical kind whose values sit in one of the builder's typed arrays.
protocol FixedWidthKind: PhysicalKind where Value: FixedWidthPhysicalValue {
    /// The builder's buffer holding values of this kind.
    static var values: KeyPath<ColumnBuilder, [Value]> { get }
}

extension SignedInt32Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int32]> { \.int32s } }
extension UnsignedInt32Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int32]> { \.int32s } }
extension SignedInt64Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int64]> { \.int64s } }
extension UnsignedInt64Kind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Int64]> { \.int64s } }
extension FloatKind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Float]> { \.floats } }
extension DoubleKind: FixedWidthKind { static var values: KeyPath<ColumnBuilder, [Double]> { \.doubles } }

/// INT32, INT64, FLOAT and DOUBLE values: a hash dictionary of values, the page's other values
/// (PLAIN, DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT), and min/max in the kind's order.
///
/// The page's values gather as PLAIN bytes whatever the encoding, so appending stays one copy
/// per mini-batch; DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT transform them once, as the page
/// closes.
struct FixedWidthValueEncoder<Kind: FixedWidthKind>: ColumnValueEncoder {
    private var dictionary = FixedWidthDictionary<Kind.Value>()
    /// The open page's values not in the dictionary, PLAIN-encoded.
    private var plain = ByteBuffer()
    /// How ``plain`` is written when the page closes.
    private let valueEncoding: ParquetThrift.Encoding
    private var statistics = PagedStatistics(FixedWidthStatistics<Kind>())

    static var supportsDictionary: Bool { true }

    /// The chunk's distinct values, when the column has a bloom filter.
    private var bloom: BloomCollector?

    init(descriptor: ColumnDescriptor, options: WriterOptions) {
        valueEncoding = descriptor.valueEncoding
        if options.bloomFilterColumns.contains(descriptor.name) { bloom = BloomCollector(fpp: options.bloomFilterFPP) }
    }

    static func withValues<R>(
        of builder: ColumnBuilder, _ body: (UnsafeBufferPointer<Kind.Value>) throws(ParquetError) -> R
    ) throws(ParquetError) -> R {
        try builder[keyPath: Kind.values].withUnsafeBufferPointer { buffer throws(ParquetError) in try body(buffer) }
    }

    static func miniBatchSlots(for builder: ColumnBuilder, options: WriterOptions) -> Int {
        ColumnWriting.miniBatchSlots
    }

    mutating func appendToDictionary(
        _ values: UnsafeBufferPointer<Kind.Value>, range: Range<Int>, indices: inout [UInt32]
    ) -> Int {
        let batch = UnsafeBufferPointer(rebasing: values[range])
        statistics.page.update(batch)
        let start = indices.count
        let entriesBefore = dictionary.count
        indices.append(contentsOf: repeatElement(0, count: batch.count))
        indices.withUnsafeMutableBufferPointer { stored in
            for offset in 0..<batch.count { stored[start &+ offset] = dictionary.index(of: batch[offset]) }
        }
        if bloom != nil && dictionary.count > entriesBefore {
            // The new dictionary entries are exactly the values not seen before.
            dictionary.values.withUnsafeBufferPointer { values in
                for value in values[entriesBefore...] { bloom!.insert(XXHash64.hash(value)) }
            }
        }
        return batch.count &* MemoryLayout<Kind.Value>.size
    }

    var dictionaryCount: Int { dictionary.count }

    var dictionaryBytes: Int { dictionary.plainEncodedByteSize }

    mutating func appendValues(_ values: UnsafeBufferPointer<Kind.Value>, range: Range<Int>) {
        let batch = UnsafeBufferPointer(rebasing: values[range])
        statistics.page.update(batch)
        PlainEncoder.append(contentsOf: batch, into: &plain)
        if bloom != nil {
            for value in batch { bloom!.insert(XXHash64.hash(value)) }
        }
    }

    mutating func appendValues(indices: UnsafeBufferPointer<UInt32>) {
        dictionary.values.withUnsafeBufferPointer { values in
            plain.reserveCapacity(plain.count + indices.count * MemoryLayout<Kind.Value>.size)
            for index in indices { PlainEncoder.append(values[Int(index)], into: &plain) }
        }
    }

    var valuePageBytes: Int { plain.count }

    mutating func flushValuePage(into pages: inout PageAssembler) throws(ParquetError) {
        let width = MemoryLayout<Kind.Value>.size
        switch valueEncoding {
        case .deltaBinaryPacked:
            try pages.writeDataPage(encoding: .deltaBinaryPacked) { body in
                plain.withUnsafeReadableBytes { values in
                    if width == 4 {
                        DeltaBinaryPackedEncoder.encode(plainInt32: values, into: &body)
                    } else {
                        DeltaBinaryPackedEncoder.encode(plainInt64: values, into: &body)
                    }
                }
            }
        case .byteStreamSplit:
            try pages.writeDataPage(encoding: .byteStreamSplit) { body in
                plain.withUnsafeReadableBytes { ByteStreamSplitEncoder.encode($0, width: width, into: &body) }
            }
        default:
            try pages.writeDataPage(encoding: .plain, values: &plain)
        }
        plain.removeAll()
    }

    func writeDictionaryPage(into pages: inout PageAssembler) throws(ParquetError) {
        try pages.writeDictionaryPage(entryCount: dictionary.count) { body in dictionary.writePlain(into: &body) }
    }

    mutating func closePageStatistics() -> (min: [UInt8], max: [UInt8])? {
        statistics.closePage().encodedBounds()
    }

    func chunkBounds() -> (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)? {
        statistics.chunk.encodedBounds().map { ($0.min, $0.max, true, true) }
    }

    mutating func finishBloomFilter() -> SplitBlockBloomFilter? {
        bloom?.finish()
    }

    mutating func releaseDictionary() {
        dictionary = FixedWidthDictionary()
    }

    mutating func reset() {
        bloom?.reset()
        dictionary.removeAll(keepingCapacity: true)
        plain.removeAll()
        statistics.reset()
    }
}
