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
    /// The open page's min/max; folded into ``chunkStatistics`` when the page closes.
    private var pageStatistics = FixedWidthStatistics<Kind>()
    private var chunkStatistics = FixedWidthStatistics<Kind>()

    static var supportsDictionary: Bool { true }

    init(descriptor: ColumnDescriptor, options: WriterOptions) {}

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
        pageStatistics.update(batch)
        let start = indices.count
        indices.append(contentsOf: repeatElement(0, count: batch.count))
        indices.withUnsafeMutableBufferPointer { stored in
            for offset in 0..<batch.count { stored[start &+ offset] = dictionary.index(of: batch[offset]) }
        }
        return batch.count &* MemoryLayout<Kind.Value>.size
    }

    var dictionaryCount: Int { dictionary.count }

    var dictionaryBytes: Int { dictionary.plainEncodedByteSize }

    mutating func appendPlain(_ values: UnsafeBufferPointer<Kind.Value>, range: Range<Int>) {
        let batch = UnsafeBufferPointer(rebasing: values[range])
        pageStatistics.update(batch)
        PlainEncoder.append(contentsOf: batch, into: &plain)
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
        defer {
            chunkStatistics.merge(pageStatistics)
            pageStatistics.reset()
        }
        return pageStatistics.encodedBounds()
    }

    func chunkBounds() -> (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)? {
        chunkStatistics.encodedBounds().map { ($0.min, $0.max, true, true) }
    }

    mutating func reset() {
        dictionary.removeAll(keepingCapacity: true)
        plain.removeAll()
        pageStatistics.reset()
        chunkStatistics.reset()
    }
}
