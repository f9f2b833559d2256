import ParquetBytes
import ParquetEncoding

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

/// INT32, INT64, FLOAT and DOUBLE values: a hash dictionary of values, PLAIN little-endian
/// bytes, and min/max in the kind's order.
struct FixedWidthValueEncoder<Kind: FixedWidthKind>: ColumnValueEncoder {
    private var dictionary = FixedWidthDictionary<Kind.Value>()
    private var plain = ByteBuffer()
    private var statistics = PagedStatistics(FixedWidthStatistics<Kind>())

    static var supportsDictionary: Bool { true }

    /// The chunk's distinct values, when the column has a bloom filter.
    private var bloom: BloomCollector?

    init(descriptor: ColumnDescriptor, options: WriterOptions) {
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

    mutating func appendPlain(_ values: UnsafeBufferPointer<Kind.Value>, range: Range<Int>) {
        let batch = UnsafeBufferPointer(rebasing: values[range])
        statistics.page.update(batch)
        PlainEncoder.append(contentsOf: batch, into: &plain)
        if bloom != nil {
            for value in batch { bloom!.insert(XXHash64.hash(value)) }
        }
    }

    mutating func appendPlain(indices: UnsafeBufferPointer<UInt32>) {
        dictionary.values.withUnsafeBufferPointer { values in
            plain.reserveCapacity(plain.count + indices.count * MemoryLayout<Kind.Value>.size)
            for index in indices { PlainEncoder.append(values[Int(index)], into: &plain) }
        }
    }

    var plainPageBytes: Int { plain.count }

    mutating func flushPlainPage(into pages: inout PageAssembler) throws(ParquetError) {
        try pages.writeDataPage(encoding: .plain, values: plain)
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

    mutating func reset() {
        bloom?.reset()
        dictionary.removeAll(keepingCapacity: true)
        plain.removeAll()
        statistics.reset()
    }
}
