/// What the page index records of one data page: where it is (OffsetIndex) and what it holds
/// (ColumnIndex).
struct PageIndexEntry {
    /// Bytes from the chunk's first data page to this page's header.
    var offset: Int
    /// Header and stored body.
    var size: Int
    /// The page's first row, counted from the row group's first.
    var firstRowIndex: Int
    /// Null slots in the page.
    var nullCount: Int
    /// Whether the page holds nulls only.
    var isNullPage: Bool
    /// The page's min/max, PLAIN-encoded (truncated as chunk statistics are); nil for a null
    /// page, or a page whose values do not count (all NaN).
    var bounds: (min: [UInt8], max: [UInt8])?
    /// The page's level histograms and BYTE_ARRAY payload.
    var sizes: SizeCounter.Page
}
