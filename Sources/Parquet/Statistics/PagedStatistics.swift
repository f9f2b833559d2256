/// Running min/max that can be combined: a page's into its chunk's.
protocol MergeableStatistics {
    /// Folds another run's statistics in.
    mutating func merge(_ other: Self)
    /// Forgets every value.
    mutating func reset()
}

extension FixedWidthStatistics: MergeableStatistics {}
extension ByteArrayStatistics: MergeableStatistics {}
extension BooleanStatistics: MergeableStatistics {}

/// A column chunk's statistics kept per page, for the page index: values fold into the open
/// page's, which join the chunk's when the page closes (one merge per page, not a second
/// comparison per value).
struct PagedStatistics<Statistics: MergeableStatistics> {
    /// The open page's statistics: where values are folded in.
    var page: Statistics
    /// The closed pages' statistics together.
    private(set) var chunk: Statistics

    /// - Parameter empty: Statistics holding no value.
    init(_ empty: Statistics) {
        page = empty
        chunk = empty
    }

    /// Ends the open page.
    /// - Returns: The page's statistics (now also in ``chunk``).
    mutating func closePage() -> Statistics {
        let closed = page
        chunk.merge(page)
        page.reset()
        return closed
    }

    /// Starts the next chunk.
    mutating func reset() {
        page.reset()
        chunk.reset()
    }
}
