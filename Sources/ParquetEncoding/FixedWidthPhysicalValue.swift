/// A fixed-width Parquet physical value (INT32, INT64, FLOAT, DOUBLE).
///
/// PLAIN encodes these as their little-endian bit patterns, and dictionaries key them by
/// bit pattern rather than by `==`, so that `-0.0` and `+0.0` stay distinct entries and a
/// NaN is one ordinary entry instead of a value that never equals itself.
public protocol FixedWidthPhysicalValue: BitwiseCopyable, Sendable {
    /// The unsigned integer with the same size as the value.
    associatedtype BitPattern: FixedWidthInteger & UnsignedInteger & Sendable

    /// The raw bits of the value, as PLAIN writes them (before the little-endian swap).
    var physicalBitPattern: BitPattern { get }

    /// Recreates a value from its raw bits.
    /// - Parameter physicalBitPattern: Bits previously read from ``physicalBitPattern``.
    init(physicalBitPattern: BitPattern)
}
