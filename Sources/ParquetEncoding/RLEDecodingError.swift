/// Why RLE / bit-packing hybrid input could not be decoded.
public enum RLEDecodingError: Error, Equatable, Sendable {
    /// The bit width is outside 0...32.
    case invalidBitWidth(Int)
    /// A run header varint is cut off or longer than 64 bits.
    case malformedHeader(offset: Int)
    /// A run header announces zero values.
    case emptyRun(offset: Int)
    /// The input ends inside an RLE value or bit-packed data.
    case truncatedRun(offset: Int)
    /// An RLE run's value has bits set above the bit width.
    case valueExceedsBitWidth(offset: Int)
    /// A 4-byte length prefix is missing or claims more bytes than there are.
    case invalidLengthPrefix
    /// Fewer values are encoded than were requested.
    case notEnoughValues(requested: Int, decoded: Int)
}
