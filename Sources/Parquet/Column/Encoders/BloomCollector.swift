import ParquetEncoding

/// The distinct values of a column chunk, as xxHash64s, until the chunk closes and its bloom
/// filter is sized from their count: the filter fits the data (the spec's bits per value for
/// the wanted false-positive rate) instead of a fixed guess, as arrow-rs's and Arrow C++'s
/// fixed NDV settings would make it.
///
/// Memory is one hash per distinct value of the chunk (at most the row group's values).
struct BloomCollector {
    private var hashes: Set<UInt64> = []
    /// The false-positive probability the filter is sized for.
    let fpp: Double

    init(fpp: Double) {
        self.fpp = fpp
    }

    /// Adds a value's hash (repeats are kept once).
    @inline(__always)
    mutating func insert(_ hash: UInt64) {
        hashes.insert(hash)
    }

    /// The chunk's filter, sized for its distinct values; the collector starts empty again.
    mutating func finish() -> SplitBlockBloomFilter {
        var filter = SplitBlockBloomFilter(
            bytes: SplitBlockBloomFilter.optimalBytes(distinctValues: hashes.count, fpp: fpp))
        for hash in hashes { filter.insert(hash: hash) }
        hashes.removeAll(keepingCapacity: true)
        return filter
    }

    /// Forgets the chunk's values.
    mutating func reset() {
        hashes.removeAll(keepingCapacity: true)
    }
}
