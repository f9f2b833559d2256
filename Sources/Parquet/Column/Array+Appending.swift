extension Array {
    /// Makes room for `extra` more elements, growing geometrically.
    ///
    /// `reserveCapacity` allocates exactly what it is asked for, so calling it before every
    /// append of a few rows (a partition staging a batch's share, again and again) copies the
    /// whole array each time: quadratic. Doubling keeps appends amortised O(1).
    /// - Parameter extra: Elements about to be appended.
    @inline(__always)
    mutating func reserveForAppending(_ extra: Int) {
        let needed = count &+ extra
        if needed > capacity { reserveCapacity(Swift.max(needed, capacity &* 2)) }
    }
}
