/// A fixed-width physical type together with the order its statistics follow.
///
/// Column writers are generic over a kind so the per-value loops specialise to plain machine
/// compares: no existential, no runtime switch per value.
protocol PhysicalKind {
    associatedtype Value: BitwiseCopyable & Equatable
    /// Whether `a` sorts before `b` in this kind's statistics order.
    static func isLess(_ a: Value, _ b: Value) -> Bool
    /// Whether the value is left out of min/max (NaN for floats).
    static func isExcludedFromStatistics(_ value: Value) -> Bool
    /// Adjusts a final minimum (floats: a zero minimum is written as -0.0).
    static func normalizedMinimum(_ value: Value) -> Value
    /// Adjusts a final maximum (floats: a zero maximum is written as +0.0).
    static func normalizedMaximum(_ value: Value) -> Value
    /// Whether the kind may hold values excluded from statistics (only floats do).
    static var hasExclusions: Bool { get }
}

extension PhysicalKind {
    static func isExcludedFromStatistics(_ value: Value) -> Bool { false }
    static func normalizedMinimum(_ value: Value) -> Value { value }
    static func normalizedMaximum(_ value: Value) -> Value { value }
    static var hasExclusions: Bool { false }
}

/// INT32 compared as signed.
enum SignedInt32Kind: PhysicalKind {
    static func isLess(_ a: Int32, _ b: Int32) -> Bool { a < b }
}

/// INT32 holding UINT_8/16/32, compared as unsigned.
enum UnsignedInt32Kind: PhysicalKind {
    static func isLess(_ a: Int32, _ b: Int32) -> Bool { UInt32(bitPattern: a) < UInt32(bitPattern: b) }
}

/// INT64 compared as signed.
enum SignedInt64Kind: PhysicalKind {
    static func isLess(_ a: Int64, _ b: Int64) -> Bool { a < b }
}

/// INT64 holding UINT_64, compared as unsigned.
enum UnsignedInt64Kind: PhysicalKind {
    static func isLess(_ a: Int64, _ b: Int64) -> Bool { UInt64(bitPattern: a) < UInt64(bitPattern: b) }
}

/// IEEE 754 single precision.
enum FloatKind: PhysicalKind {
    static func isLess(_ a: Float, _ b: Float) -> Bool { a < b }
    static func isExcludedFromStatistics(_ value: Float) -> Bool { value.isNaN }
    static func normalizedMinimum(_ value: Float) -> Float { value == 0 ? -0.0 : value }
    static func normalizedMaximum(_ value: Float) -> Float { value == 0 ? 0.0 : value }
    static var hasExclusions: Bool { true }
}

/// IEEE 754 double precision.
enum DoubleKind: PhysicalKind {
    static func isLess(_ a: Double, _ b: Double) -> Bool { a < b }
    static func isExcludedFromStatistics(_ value: Double) -> Bool { value.isNaN }
    static func normalizedMinimum(_ value: Double) -> Double { value == 0 ? -0.0 : value }
    static func normalizedMaximum(_ value: Double) -> Double { value == 0 ? 0.0 : value }
    static var hasExclusions: Bool { true }
}
