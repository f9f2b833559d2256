import ParquetThrift

/// What a column chunk's metadata counts about its pages: level slots, byte totals, and
/// which encodings the pages used how often.
struct ChunkTotals {
    /// Level slots in the chunk's data pages (ColumnMetaData.num_values counts nulls too).
    private(set) var valueCount = 0
    /// Header and uncompressed body bytes of every page.
    private(set) var uncompressedBytes = 0
    /// Header and stored body bytes of every page.
    private(set) var compressedBytes = 0
    private var dataPageEncodingCounts: [(ParquetThrift.Encoding, Int32)] = []
    private var hasDictionaryPage = false
    /// DATA_PAGE or DATA_PAGE_V2: what encoding_stats counts the data pages as.
    private let dataPageType: PageType

    /// - Parameter dataPageType: The type of every data page of the chunk.
    init(dataPageType: PageType) {
        self.dataPageType = dataPageType
    }

    /// Forgets the counts, for the next chunk.
    mutating func reset() {
        self = ChunkTotals(dataPageType: dataPageType)
    }

    /// Counts a page.
    /// - Parameters:
    ///   - chunkBytes: What the page takes in the chunk (header and stored body).
    ///   - storedBodyBytes: Its stored body.
    ///   - uncompressedBodyBytes: Its body before compression.
    ///   - data: For a data page, its encoding and level slots; nil for the dictionary page.
    mutating func count(
        chunkBytes: Int, storedBodyBytes: Int, uncompressedBodyBytes: Int,
        data: (encoding: ParquetThrift.Encoding, slots: Int)?
    ) {
        compressedBytes += chunkBytes
        uncompressedBytes += chunkBytes - storedBodyBytes + uncompressedBodyBytes
        guard let data else {
            hasDictionaryPage = true
            return
        }
        valueCount += data.slots
        if let index = dataPageEncodingCounts.firstIndex(where: { $0.0 == data.encoding }) {
            dataPageEncodingCounts[index].1 += 1
        } else {
            dataPageEncodingCounts.append((data.encoding, 1))
        }
    }

    /// The encodings used in this chunk, for ColumnMetaData.encodings.
    /// - Parameter levels: Whether the column has definition or repetition levels (RLE).
    func encodings(levels: Bool) -> [ParquetThrift.Encoding] {
        var result: [ParquetThrift.Encoding] = []
        if hasDictionaryPage { result.append(.plain) }
        if levels { result.append(.rle) }
        for (encoding, _) in dataPageEncodingCounts where !result.contains(encoding) {
            result.append(encoding)
        }
        return result
    }

    /// Page counts per type and encoding, for ColumnMetaData.encoding_stats.
    var encodingStats: [PageEncodingStats] {
        var stats: [PageEncodingStats] = []
        if hasDictionaryPage { stats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1)) }
        for (encoding, count) in dataPageEncodingCounts {
            stats.append(PageEncodingStats(pageType: dataPageType, encoding: encoding, count: count))
        }
        return stats
    }
}
