import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values: a hash dictionary of byte strings, the page's
/// other values (PLAIN: length-prefixed, or bare for fixed length; DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY, or BYTE_STREAM_SPLIT for fixed length), and min/max in the column's byte
/// order, truncated as the options allow.
///
/// For the DELTA encodings the page's values gather as bare bytes plus a length each, which
/// is what those encoders take; BYTE_STREAM_SPLIT transposes the bare fixed-length bytes.
struct ByteArrayValueEncoder: ColumnValueEncoder {
    /// The builder's value bytes and offsets (offsets unused for fixed length).
    struct Values {
        let data: UnsafeRawBufferPointer
        let offsets: UnsafeBufferPointer<Int>
    }

    /// The value length of a FIXED_LEN_BYTE_ARRAY column, nil for BYTE_ARRAY.
    private let fixedLength: Int?
    private let truncateLength: Int?
    private let utf8: Bool
    private var dictionary = ByteArrayDictionary()
    /// The open page's values not in the dictionary: PLAIN, or bare bytes when
    /// ``splitsLengths``.
    private var plain = ByteBuffer()
    /// How the page's values are written when it closes.
    private let valueEncoding: ParquetThrift.Encoding
    /// Whether values gather bare with their lengths in ``lengths`` (the DELTA encodings).
    private let splitsLengths: Bool
    /// The open page's value lengths, when ``splitsLengths``.
    private var lengths: [Int32] = []
    private var statistics: PagedStatistics<ByteArrayStatistics>
    /// For each dictionary entry, the last page (``pageNumber``) that held it: a value already
    /// in the dictionary still moves the page's min/max the first time the page holds it.
    private var entryPages: [UInt32] = []
    private var pageNumber: UInt32 = 1
    /// The chunk's distinct values, when the column has a bloom filter.
    private var bloom: BloomCollector?

    static var supportsDictionary: Bool { true }

    init(descriptor: ColumnDescriptor, options: WriterOptions) {
        if case .fixedLenByteArray(let length) = descriptor.storage { fixedLength = length } else { fixedLength = nil }
        truncateLength = descriptor.allowsStatisticsTruncation ? options.statisticsTruncateLength : nil
        utf8 = descriptor.isText
        valueEncoding = descriptor.valueEncoding
        splitsLengths = valueEncoding == .deltaLengthByteArray || valueEncoding == .deltaByteArray
        statistics = PagedStatistics(
            ByteArrayStatistics(signedBigEndian: descriptor.statisticsOrder == .signedBigEndianBytes))
        if options.bloomFilterColumns.contains(descriptor.name) { bloom = BloomCollector(fpp: options.bloomFilterFPP) }
    }

    static func withValues<R>(
        of builder: ColumnBuilder, _ body: (Values) throws(ParquetError) -> R
    ) throws(ParquetError) -> R {
        try builder.bytes.withUnsafeReadableBytes { data throws(ParquetError) in
            try builder.offsets.withUnsafeBufferPointer { offsets throws(ParquetError) in
                try body(Values(data: data, offsets: offsets))
            }
        }
    }

    /// Sized from the batch's mean value length, so a page of long values overshoots its
    /// byte budget by a fraction, not by a thousand values.
    static func miniBatchSlots(for builder: ColumnBuilder, options: WriterOptions) -> Int {
        let meanBytes = Swift.max(1, builder.bytes.count / Swift.max(builder.valueCount, 1))
        return Swift.min(ColumnWriting.miniBatchSlots, Swift.max(1, options.pageBytes / 4 / meanBytes))
    }

    @inline(__always)
    private func value(at index: Int, in values: Values) -> UnsafeRawBufferPointer {
        if let fixedLength {
            return UnsafeRawBufferPointer(rebasing: values.data[(index * fixedLength)..<((index + 1) * fixedLength)])
        }
        return UnsafeRawBufferPointer(rebasing: values.data[values.offsets[index]..<values.offsets[index + 1]])
    }

    mutating func appendToDictionary(_ values: Values, range: Range<Int>, indices: inout [UInt32]) -> Int {
        let start = indices.count
        indices.append(contentsOf: repeatElement(0, count: range.count))
        let page = pageNumber
        indices.withUnsafeMutableBufferPointer { all in
            var slot = start
            for index in range {
                let value = self.value(at: index, in: values)
                let entry = Int(dictionary.index(of: value))
                all[slot] = UInt32(truncatingIfNeeded: entry)
                slot &+= 1
                // A value the page already holds cannot move its min/max: only an entry's
                // first appearance in the page is compared.
                if entry == entryPages.count {
                    entryPages.append(page)
                    statistics.page.update(value)
                    // A new dictionary entry: a value the chunk has not held before.
                    if bloom != nil { bloom!.insert(XXHash64.hash(value)) }
                } else if entryPages[entry] != page {
                    entryPages[entry] = page
                    statistics.page.update(value)
                }
            }
        }
        return fixedLength.map { $0 &* range.count }
            ?? (4 &* range.count &+ values.offsets[range.upperBound] &- values.offsets[range.lowerBound])
    }

    var dictionaryCount: Int { dictionary.count }

    var dictionaryBytes: Int { dictionary.plainEncodedByteSize }

    mutating func appendValues(_ values: Values, range: Range<Int>) {
        // Sized first: the page buffer of a partition's step starts empty, and growing it a
        // value at a time copied it at every doubling.
        let bytes = fixedLength.map { $0 &* range.count }
            ?? (values.offsets[range.upperBound] &- values.offsets[range.lowerBound])
        if fixedLength == nil && !splitsLengths {
            appendPlainByteArrays(values, range: range, bytes: bytes)
            return
        }
        plain.reserveCapacity(plain.count &+ bytes)
        for index in range {
            let value = self.value(at: index, in: values)
            statistics.page.update(value)
            if bloom != nil { bloom!.insert(XXHash64.hash(value)) }
            appendBareValue(value)
        }
    }

    mutating func appendValues(indices: UnsafeBufferPointer<UInt32>) {
        // The dictionary's storage is opened once for the run (a copy holds it: the closure
        // writes the page, which is this encoder too); per value it cost a retain and a
        // release, most of the run in a partitioned file's small chunks.
        let dictionary = self.dictionary
        dictionary.withValues { bytes, offsets in
            if fixedLength == nil && !splitsLengths {
                // PLAIN, sized first and written through one reservation (a partition's
                // chunks that give up their dictionary at the close pass every value here).
                var byteCount = 0
                for index in indices { byteCount &+= offsets[Int(index) &+ 1] &- offsets[Int(index)] }
                PlainEncoder.appendByteArrays(
                    indices.lazy.map { Int($0) }, of: bytes, offsets: offsets, byteCount: byteCount, into: &plain)
                return
            }
            for index in indices {
                let entry = Int(index)
                appendBareValue(UnsafeRawBufferPointer(rebasing: bytes[offsets[entry]..<offsets[entry &+ 1]]))
            }
        }
    }

    /// ``appendValues(_:range:)`` for PLAIN BYTE_ARRAY: the statistics and the bloom filter
    /// take the values first, then the page takes them all through one reservation (a value
    /// at a time, each write checked the buffer's uniqueness and capacity again).
    /// - Parameters:
    ///   - values: The builder's values.
    ///   - range: The values appended.
    ///   - bytes: Their bytes, without the lengths.
    private mutating func appendPlainByteArrays(_ values: Values, range: Range<Int>, bytes: Int) {
        for index in range {
            let value = self.value(at: index, in: values)
            statistics.page.update(value)
            if bloom != nil { bloom!.insert(XXHash64.hash(value)) }
        }
        PlainEncoder.appendByteArrays(range, of: values.data, offsets: values.offsets, byteCount: bytes, into: &plain)
    }

    /// Adds one value to the open page bare: fixed length (PLAIN, BYTE_STREAM_SPLIT), or with
    /// its length apart for the DELTA encodings. (PLAIN BYTE_ARRAY values go in a run at a
    /// time, ``PlainEncoder/appendByteArrays(_:of:offsets:byteCount:into:)``.)
    @inline(__always)
    private mutating func appendBareValue(_ value: UnsafeRawBufferPointer) {
        assert(fixedLength != nil || splitsLengths, "PLAIN BYTE_ARRAY values are appended in runs")
        PlainEncoder.appendFixedLengthByteArray(value, into: &plain)
        if splitsLengths { lengths.append(Int32(truncatingIfNeeded: value.count)) }
    }

    /// The bytes, plus a byte a length (they pack to a few bits each) for the DELTA encodings.
    var valuePageBytes: Int { plain.count + lengths.count }

    mutating func flushValuePage(into pages: inout PageAssembler) throws(ParquetError) {
        switch valueEncoding {
        case .deltaLengthByteArray, .deltaByteArray:
            let encoding = valueEncoding
            try pages.writeDataPage(encoding: encoding) { body in
                lengths.withUnsafeBufferPointer { lengths in
                    plain.withUnsafeReadableBytes { bytes in
                        if encoding == .deltaByteArray {
                            DeltaByteArrayEncoder.encode(lengths: lengths, bytes: bytes, into: &body)
                        } else {
                            DeltaLengthByteArrayEncoder.encode(lengths: lengths, bytes: bytes, into: &body)
                        }
                    }
                }
            }
            lengths.removeAll(keepingCapacity: true)
        case .byteStreamSplit:
            let width = fixedLength!
            try pages.writeDataPage(encoding: .byteStreamSplit) { body in
                plain.withUnsafeReadableBytes { ByteStreamSplitEncoder.encode($0, width: width, into: &body) }
            }
        default:
            try pages.writeDataPage(encoding: .plain, values: &plain)
        }
        plain.removeAll()
    }

    func writeDictionaryPage(into pages: inout PageAssembler) throws(ParquetError) {
        try pages.writeDictionaryPage(entryCount: dictionary.count) { body in
            if fixedLength != nil {
                dictionary.writePlainFixedLength(into: &body)
            } else {
                dictionary.writePlain(into: &body)
            }
        }
    }

    mutating func closePageStatistics() -> (min: [UInt8], max: [UInt8])? {
        pageNumber &+= 1
        return statistics.closePage().pageBounds(truncatingTo: truncateLength, utf8: utf8)
    }

    func chunkBounds() -> (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)? {
        statistics.chunk.encodedBounds(truncatingTo: truncateLength, utf8: utf8)
            .map { ($0.min, $0.max, $0.minIsExact, $0.maxIsExact) }
    }

    mutating func finishBloomFilter() -> SplitBlockBloomFilter? {
        bloom?.finish()
    }

    mutating func releaseEmptyPageBuffer() {
        if plain.isEmpty { plain = ByteBuffer() }
    }

    mutating func releaseDictionary() {
        dictionary = ByteArrayDictionary()
        entryPages = []
    }

    mutating func reset() {
        bloom?.reset()
        dictionary.removeAll(keepingCapacity: true)
        plain.removeAll()
        lengths.removeAll(keepingCapacity: true)
        statistics.reset()
        entryPages.removeAll(keepingCapacity: true)
        pageNumber = 1
    }
}
