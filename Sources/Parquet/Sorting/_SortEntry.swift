/// A row and its first key's prefix, sorted as a pair so most comparisons stay in cache.
struct _SortEntry {
    var prefix: UInt64
    var row: Int32
}
