import ParquetThrift

/// Counts a column chunk's size statistics as its pages fill: how often each definition and
/// repetition level occurs, and the BYTE_ARRAY payload (value bytes without length prefixes),
/// per page (for the page index) and for the chunk (`ColumnMetaData.size_statistics`).
///
/// Readers plan with them without decoding: the payload tells how much memory the strings
/// need, the histograms how many nulls and list elements each nesting level has.
/// Histograms are kept only for levels a column has (a required flat column has neither);
/// the payload only for BYTE_ARRAY columns, as Arrow C++ writes them.
struct SizeCounter {
    /// One page's share, recorded with its page index entry.
    struct Page {
        var definitionHistogram: [Int64]
        var repetitionHistogram: [Int64]
        var unencodedBytes: Int?
    }

    private let maxDefinitionLevel: Int
    private let countsBytes: Bool
    private var page: Page
    private var chunk: Page

    /// - Parameter descriptor: The column: its levels, and whether it is BYTE_ARRAY.
    init(descriptor: ColumnDescriptor) {
        maxDefinitionLevel = descriptor.maxDefinitionLevel
        countsBytes = descriptor.storage == .byteArray
        let empty = Page(
            definitionHistogram: [Int64](repeating: 0, count: maxDefinitionLevel > 0 ? maxDefinitionLevel + 1 : 0),
            repetitionHistogram: [Int64](
                repeating: 0, count: descriptor.maxRepetitionLevel > 0 ? descriptor.maxRepetitionLevel + 1 : 0),
            unencodedBytes: countsBytes ? 0 : nil)
        page = empty
        chunk = empty
    }

    /// Counts the definition levels of a run of slots.
    /// - Parameters:
    ///   - levels: One level per slot.
    ///   - slots: The number of slots.
    ///   - nulls: How many have a level below the maximum: with a maximum of 1 that is the
    ///     whole histogram, so the levels need no scan.
    mutating func countDefinitionLevels(_ levels: UnsafeBufferPointer<UInt8>, slots: Int, nulls: Int) {
        if maxDefinitionLevel == 1 {
            page.definitionHistogram[0] &+= Int64(nulls)
            page.definitionHistogram[1] &+= Int64(slots - nulls)
            return
        }
        page.definitionHistogram.withUnsafeMutableBufferPointer { histogram in
            for level in levels { histogram[Int(level)] &+= 1 }
        }
    }

    /// Counts the repetition levels of a run of slots.
    /// - Returns: The rows that start among them (slots at level 0).
    mutating func countRepetitionLevels(_ levels: UnsafeBufferPointer<UInt8>) -> Int {
        let before = page.repetitionHistogram[0]
        page.repetitionHistogram.withUnsafeMutableBufferPointer { histogram in
            for level in levels { histogram[Int(level)] &+= 1 }
        }
        return Int(page.repetitionHistogram[0] - before)
    }

    /// Counts BYTE_ARRAY payload bytes of the open page.
    mutating func countUnencodedBytes(_ bytes: Int) {
        if countsBytes { page.unencodedBytes! &+= bytes }
    }

    /// Ends the open page: folds it into the chunk's counts.
    /// - Returns: The page's counts.
    mutating func closePage() -> Page {
        let closed = page
        for level in page.definitionHistogram.indices {
            chunk.definitionHistogram[level] &+= page.definitionHistogram[level]
        }
        for level in page.repetitionHistogram.indices {
            chunk.repetitionHistogram[level] &+= page.repetitionHistogram[level]
        }
        if countsBytes { chunk.unencodedBytes! &+= page.unencodedBytes! }
        Self.zero(&page)
        return closed
    }

    /// The chunk's size statistics (call after its last page closed); nil for a required flat
    /// column that is not BYTE_ARRAY, which has nothing to count.
    var chunkStatistics: SizeStatistics? {
        guard countsBytes || !chunk.definitionHistogram.isEmpty || !chunk.repetitionHistogram.isEmpty else { return nil }
        return SizeStatistics(
            unencodedByteArrayDataBytes: chunk.unencodedBytes.map(Int64.init),
            repetitionLevelHistogram: chunk.repetitionHistogram.isEmpty ? nil : chunk.repetitionHistogram,
            definitionLevelHistogram: chunk.definitionHistogram.isEmpty ? nil : chunk.definitionHistogram)
    }

    /// Starts the next chunk.
    mutating func reset() {
        Self.zero(&page)
        Self.zero(&chunk)
    }

    private static func zero(_ counts: inout Page) {
        for level in counts.definitionHistogram.indices { counts.definitionHistogram[level] = 0 }
        for level in counts.repetitionHistogram.indices { counts.repetitionHistogram[level] = 0 }
        if counts.unencodedBytes != nil { counts.unencodedBytes = 0 }
    }
}
