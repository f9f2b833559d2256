extension Array {
    /// Makes room for `extra` more elements, growing geometrically: to the next power of two.
    ///
    /// `reserveCapacity` allocates exactly what it is asked for, so calling it before every
    /// append of a few rows (a partition staging a batch's share, again and again) copies the
    /// whole array each time: quadratic. Doubling keeps appends amortised O(1). Powers of two,
    /// not twice the current capacity: the capacity an array really gets is rounded by malloc
    /// differently from run to run, so growth computed from it would drift, while a power of
    /// two depends on the count alone, which ``ColumnBuilder/heldBytes`` relies on.
    /// - Parameter extra: Elements about to be appended.
    @inline(__always)
    mutating func reserveForAppending(_ extra: Int) {
        let needed = count &+ extra
        if needed > capacity { reserveCapacity(Self.nominalCapacity(needed)) }
    }

    /// The capacity an array of `count` elements grown by doubling from one element has: the
    /// next power of two (0 for none).
    @inline(__always)
    static func nominalCapacity(_ count: Int) -> Int {
        count <= 1 ? count : 1 &<< (Int.bitWidth &- (count &- 1).leadingZeroBitCount)
    }

    /// Appends `count` elements that `fill` writes in place: the array grows once (and by
    /// doubling, as ``reserveForAppending(_:)``), then every element is stored through a
    /// pointer, with no capacity or uniqueness check per element as `append` makes.
    /// - Parameters:
    ///   - count: Elements appended.
    ///   - zero: What they hold until `fill` writes them.
    ///   - fill: Writes all `count` of them.
    @inline(__always)
    mutating func appendFilled(count: Int, zero: Element, _ fill: (UnsafeMutableBufferPointer<Element>) -> Void) {
        guard count > 0 else { return }
        let start = self.count
        reserveForAppending(count)
        append(contentsOf: repeatElement(zero, count: count))
        withUnsafeMutableBufferPointer { all in fill(UnsafeMutableBufferPointer(rebasing: all[start...])) }
    }
}
