/// Running min/max of a boolean column chunk (false < true).
struct BooleanStatistics {
    private(set) var sawFalse = false
    private(set) var sawTrue = false

    mutating func update(_ values: UnsafeBufferPointer<Bool>) {
        for value in values {
            if value { sawTrue = true } else { sawFalse = true }
            if sawTrue && sawFalse { return }
        }
    }

    /// Folds another run's values in (a page's into its chunk's).
    mutating func merge(_ other: Self) {
        sawFalse = sawFalse || other.sawFalse
        sawTrue = sawTrue || other.sawTrue
    }

    /// The final min/max as one byte each, or nil when the chunk held no value.
    func encodedBounds() -> (min: [UInt8], max: [UInt8])? {
        guard sawFalse || sawTrue else { return nil }
        return ([sawFalse ? 0 : 1], [sawTrue ? 1 : 0])
    }

    mutating func reset() {
        sawFalse = false
        sawTrue = false
    }
}
