/// Why an encoded values section could not be decoded.
public enum ValueDecodingError: Error, Equatable, Sendable {
    /// The input ends before what its headers announce.
    case truncated(offset: Int)
    /// A varint is longer than 64 bits.
    case malformedVarint(offset: Int)
    /// A header field is out of range (block size not a multiple of 128, miniblocks that do
    /// not divide it into multiples of 32, a bit width wider than the type).
    case invalidHeader(String)
    /// A length or prefix length is negative or longer than the value it belongs to.
    case invalidLength(offset: Int)
}
