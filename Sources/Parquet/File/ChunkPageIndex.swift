import ParquetThrift

/// One column chunk's page index, built when the chunk is written and kept until the footer:
/// the index structures go after the last row group (PageIndex.md).
struct ChunkPageIndex {
    /// The chunk's ColumnIndex; nil when a page has values but no bounds (all NaN), since a
    /// ColumnIndex needs both bounds of every page that is not all null (Arrow C++ leaves the
    /// chunk's ColumnIndex out then too).
    let columnIndex: ColumnIndex?
    /// The chunk's OffsetIndex: every data page's file offset, size and first row.
    let offsetIndex: OffsetIndex

    /// Builds the index of a chunk.
    /// - Parameters:
    ///   - pages: The chunk's data pages, in order.
    ///   - dataPageOffset: The file offset of the chunk's first data page.
    ///   - descriptor: The column, whose order the bounds are compared in.
    init(pages: [PageIndexEntry], dataPageOffset: Int, descriptor: ColumnDescriptor) {
        offsetIndex = OffsetIndex(
            pageLocations: pages.map {
                PageLocation(
                    offset: Int64(dataPageOffset + $0.offset), compressedPageSize: Int32($0.size),
                    firstRowIndex: Int64($0.firstRowIndex))
            },
            unencodedByteArrayDataBytes: descriptor.storage == .byteArray
                ? pages.map { Int64($0.sizes.unencodedBytes ?? 0) } : nil)
        columnIndex = Self.columnIndex(of: pages, descriptor: descriptor)
    }

    private static func columnIndex(of pages: [PageIndexEntry], descriptor: ColumnDescriptor) -> ColumnIndex? {
        var nullPages: [Bool] = []
        var minValues: [[UInt8]] = []
        var maxValues: [[UInt8]] = []
        nullPages.reserveCapacity(pages.count)
        minValues.reserveCapacity(pages.count)
        maxValues.reserveCapacity(pages.count)
        for page in pages {
            if page.isNullPage {
                // The spec's placeholder for a page with no value: empty bounds.
                nullPages.append(true)
                minValues.append([])
                maxValues.append([])
            } else {
                guard let bounds = page.bounds else { return nil }
                nullPages.append(false)
                minValues.append(bounds.min)
                maxValues.append(bounds.max)
            }
        }
        return ColumnIndex(
            nullPages: nullPages, minValues: minValues, maxValues: maxValues,
            boundaryOrder: boundaryOrder(nullPages: nullPages, minValues: minValues, maxValues: maxValues, descriptor),
            nullCounts: pages.map { Int64($0.nullCount) },
            repetitionLevelHistograms: descriptor.maxRepetitionLevel > 0 ? pages.flatMap(\.sizes.repetitionHistogram) : nil,
            definitionLevelHistograms: descriptor.maxDefinitionLevel > 0 ? pages.flatMap(\.sizes.definitionHistogram) : nil)
    }

    /// ASCENDING when the pages' minima and maxima (null pages aside) never decrease,
    /// DESCENDING when they never increase, else UNORDERED; readers binary-search the first two.
    private static func boundaryOrder(
        nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]], _ descriptor: ColumnDescriptor
    ) -> BoundaryOrder {
        var ascending = true
        var descending = true
        var previous: Int?
        for page in nullPages.indices where !nullPages[page] {
            if let last = previous {
                let minOrder = descriptor.compareEncoded(minValues[page], minValues[last])
                let maxOrder = descriptor.compareEncoded(maxValues[page], maxValues[last])
                if minOrder < 0 || maxOrder < 0 { ascending = false }
                if minOrder > 0 || maxOrder > 0 { descending = false }
                if !ascending && !descending { return .unordered }
            }
            previous = page
        }
        return ascending ? .ascending : .descending
    }
}
