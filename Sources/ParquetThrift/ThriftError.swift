/// Why a Thrift compact-protocol payload could not be decoded.
///
/// Decoding never traps on malformed input; every defect surfaces as one of these.
public enum ThriftError: Error, Sendable, Hashable {
    /// The input ended in the middle of a fixed-size value, a varint or a header.
    /// (A length prefix that runs past the end is reported as ``invalidLength(_:)``,
    /// since a cut-off payload and a corrupt length cannot be told apart.)
    case truncated
    /// A varint ran past its maximum length or does not fit the declared integer width.
    case invalidVarint
    /// A type nibble is not a compact type code (0 where a value is needed, 14 or 15).
    case invalidType(UInt8)
    /// A length or element count is negative, too large for the platform, or larger than
    /// the bytes that remain (every element takes at least one byte, so such a count
    /// cannot be honest and would otherwise make us reserve absurd amounts of memory).
    case invalidLength(Int64)
    /// A bool list element is neither 1 (true) nor 0 or 2 (false).
    case invalidBool(UInt8)
    /// A field id or an `i16` value does not fit in 16 bits.
    case valueOutOfRange
    /// Structs and containers nest deeper than the reader's limit.
    case depthLimitExceeded(Int)
    /// A field that parquet.thrift marks `required` is absent (or had the wrong wire type).
    case missingRequiredField(type: String, field: String)
    /// An `i32` enum field carries a value this library does not know.
    case unknownEnumValue(type: String, value: Int32)
    /// A union does not have exactly one recognised member set.
    case invalidUnion(type: String)
    /// A list's element type differs from the one parquet.thrift declares.
    case unexpectedElementType(expected: ThriftType, found: ThriftType)
}
