/// Running min/max of a fixed-width column chunk in its kind's order.
struct FixedWidthStatistics<Kind: PhysicalKind> {
    private(set) var minimum: Kind.Value?
    private(set) var maximum: Kind.Value?

    /// Folds a run of values into the min/max.
    /// - Parameter values: Non-null values, contiguous.
    mutating func update(_ values: UnsafeBufferPointer<Kind.Value>) {
        var index = 0
        let count = values.count
        // Find a first value that counts (skipping NaN for floats).
        if minimum == nil {
            while index < count && Kind.isExcludedFromStatistics(values[index]) { index += 1 }
            guard index < count else { return }
            minimum = values[index]
            maximum = values[index]
            index += 1
        }
        var low = minimum!
        var high = maximum!
        // Two branch-free selects per value let the loop vectorise for integers.
        while index < count {
            let value = values[index]
            if !Kind.isExcludedFromStatistics(value) {
                low = Kind.isLess(value, low) ? value : low
                high = Kind.isLess(high, value) ? value : high
            }
            index &+= 1
        }
        minimum = low
        maximum = high
    }

    /// Folds one value in (used for dictionary entries as they are first seen).
    mutating func update(_ value: Kind.Value) {
        if Kind.isExcludedFromStatistics(value) { return }
        if let low = minimum, let high = maximum {
            if Kind.isLess(value, low) { minimum = value }
            if Kind.isLess(high, value) { maximum = value }
        } else {
            minimum = value
            maximum = value
        }
    }

    /// Folds another run's min/max in (a page's into its chunk's).
    mutating func merge(_ other: Self) {
        if let low = other.minimum { update(low) }
        if let high = other.maximum { update(high) }
    }

    /// The final min/max as PLAIN-encoded bytes (little-endian), or nil when nothing counted.
    func encodedBounds() -> (min: [UInt8], max: [UInt8])? {
        guard let low = minimum, let high = maximum else { return nil }
        return (Self.bytes(of: Kind.normalizedMinimum(low)), Self.bytes(of: Kind.normalizedMaximum(high)))
    }

    private static func bytes(of value: Kind.Value) -> [UInt8] {
        // Every platform Swift runs this writer on is little-endian, as PLAIN requires.
        withUnsafeBytes(of: value) { Array($0) }
    }

    mutating func reset() {
        minimum = nil
        maximum = nil
    }
}
