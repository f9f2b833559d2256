import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// Encodes a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY column chunk: dictionary first, PLAIN after
/// the dictionary passes its limit (or throughout when dictionaries are off).
struct ByteArrayColumnWriter: ColumnChunkWriting {
    let descriptor: ColumnDescriptor
    private let options: WriterOptions
    /// The value length of a FIXED_LEN_BYTE_ARRAY column, nil for BYTE_ARRAY.
    private let fixedLength: Int?
    private var pages: PageAssembler
    private var dictionary = ByteArrayDictionary()
    private var pending: PendingValues
    private var statistics: ByteArrayStatistics
    private var nullCount = 0

    init(descriptor: ColumnDescriptor, options: WriterOptions, workspace: PageWorkspace) {
        self.descriptor = descriptor
        self.options = options
        if case .fixedLenByteArray(let length) = descriptor.storage { fixedLength = length } else { fixedLength = nil }
        self.pages = PageAssembler(descriptor: descriptor, workspace: workspace)
        self.pending = PendingValues(dictionary: options.dictionary)
        self.statistics = ByteArrayStatistics(signedBigEndian: descriptor.statisticsOrder == .signedBigEndianBytes)
    }

    mutating func write(_ builder: ColumnBuilder, levels: Range<Int>, values: Range<Int>) throws(ParquetError) {
        // Size mini-batches from the batch's mean value length so a page of long values
        // overshoots its byte budget by a fraction, not by a thousand values.
        let meanBytes = Swift.max(1, builder.bytes.count / Swift.max(builder.valueCount, 1))
        let slots = Swift.min(ColumnWriting.miniBatchSlots, Swift.max(1, options.pageBytes / 4 / meanBytes))
        try builder.bytes.withUnsafeReadableBytes { data throws(ParquetError) in
            try builder.offsets.withUnsafeBufferPointer { offsets throws(ParquetError) in
                try ColumnWriting.forEachMiniBatch(builder, levels: levels, values: values, firstSlots: nextSlots(slots)) {
                    definition, repetition, count, range throws(ParquetError) in
                    pages.appendLevels(definition: definition, repetition: repetition, count: count)
                    nullCount += count - range.count
                    if pending.usingDictionary {
                        // Moved out so the indices are stored in place: one uniqueness and
                        // capacity check per mini-batch, not per value.
                        var indices = pending.indices
                        pending.indices = []
                        let start = indices.count
                        indices.append(contentsOf: repeatElement(0, count: range.count))
                        indices.withUnsafeMutableBufferPointer { all in
                            var slot = start
                            for index in range {
                                let value = Self.value(at: index, data: data, offsets: offsets, fixedLength: fixedLength)
                                let before = dictionary.count
                                let entry = dictionary.index(of: value)
                                all[slot] = entry
                                slot &+= 1
                                // A repeated value cannot move min/max: only new entries are compared.
                                if Int(entry) == before { statistics.update(value) }
                            }
                        }
                        pending.indices = indices
                        pending.plainBytesOfIndices &+= fixedLength.map { $0 &* range.count }
                            ?? (4 &* range.count &+ offsets[range.upperBound] &- offsets[range.lowerBound])
                        if pending.dictionaryFailsEarly(
                            dictionaryCount: dictionary.count, dictionaryBytes: dictionary.plainEncodedByteSize
                        ) {
                            pending.abandonDictionary(writePlain: plainValues)
                        } else if pending.indices.count >= PendingValues.earlyCheckValues {
                            pending.passEarlyCheck()
                        }
                    } else {
                        for index in range {
                            let value = Self.value(at: index, data: data, offsets: offsets, fixedLength: fixedLength)
                            statistics.update(value)
                            if fixedLength != nil {
                                PlainEncoder.appendFixedLengthByteArray(value, into: &pending.plain)
                            } else {
                                PlainEncoder.appendByteArray(value, into: &pending.plain)
                            }
                        }
                    }
                    if pending.usingDictionary && dictionary.plainEncodedByteSize >= options.dictionaryPageBytes {
                        try pending.fallBack(
                            into: &pages, dictionaryCount: dictionary.count, dictionaryBytes: dictionary.plainEncodedByteSize,
                            writePlain: plainValues)
                        return nextSlots(slots)
                    }
                    if pages.pageValueCount >= options.pageRows || currentPageBytes >= options.pageBytes {
                        try flushPage()
                    }
                    return nextSlots(slots)
                }
            }
        }
    }

    @inline(__always)
    private static func value(
        at index: Int, data: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<Int>, fixedLength: Int?
    ) -> UnsafeRawBufferPointer {
        if let fixedLength {
            return UnsafeRawBufferPointer(rebasing: data[(index * fixedLength)..<((index + 1) * fixedLength)])
        }
        return UnsafeRawBufferPointer(rebasing: data[offsets[index]..<offsets[index + 1]])
    }

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
        for index in indices {
            dictionary.withValue(at: Int(index)) { value in
                if fixedLength != nil {
                    PlainEncoder.appendFixedLengthByteArray(value, into: &body)
                } else {
                    PlainEncoder.appendByteArray(value, into: &body)
                }
            }
        }
    }

    mutating func finish() throws(ParquetError) -> FinishedColumnChunk {
        try flushPage()
        if pending.dictionaryUsed {
            try pages.writeDictionaryPage(entryCount: dictionary.count) { body in
                if fixedLength != nil {
                    dictionary.writePlainFixedLength(into: &body)
                } else {
                    dictionary.writePlain(into: &body)
                }
            }
        }
        let bounds = statistics.encodedBounds(
            truncatingTo: descriptor.allowsStatisticsTruncation ? options.statisticsTruncateLength : nil,
            utf8: descriptor.isText)
        return pages.finishedChunk(
            descriptor: descriptor, nullCount: nullCount,
            bounds: bounds.map { ($0.min, $0.max, $0.minIsExact, $0.maxIsExact) })
    }

    mutating func reset() {
        pages.reset()
        dictionary.removeAll(keepingCapacity: true)
        pending.reset()
        statistics.reset()
        nullCount = 0
    }
}
