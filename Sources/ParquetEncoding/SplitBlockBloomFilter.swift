import ParquetBytes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parquet's split-block bloom filter (BloomFilter.md): blocks of eight 32-bit words; a
/// value's xxHash64 picks a block with its upper 32 bits and sets one bit in each word from
/// its lower 32 bits times a per-word salt.
public struct SplitBlockBloomFilter: Sendable {
    /// The words of every block, in order (stored little-endian in the file).
    public private(set) var words: [UInt32]

    private static let salts: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x47B6_137B, 0x4497_4D91, 0x8824_AD5B, 0xA2B7_289D, 0x7054_95C7, 0x2DF1_424B, 0x9EFC_4947, 0x5C6B_FB31
    )

    /// The smallest filter: one block.
    public static let minimumBytes = 32
    /// The largest filter readers accept: 128 MiB (Arrow C++'s and parquet-java's limit).
    public static let maximumBytes = 128 << 20

    /// The filter size for `distinctValues` values at false-positive rate `fpp`: the spec's
    /// `-8 / ln(1 - fpp^(1/8))` bits per value, rounded up to a power of two bytes within
    /// ``minimumBytes``...``maximumBytes``.
    /// - Parameters:
    ///   - distinctValues: The values to be inserted (distinct).
    ///   - fpp: The false-positive probability wanted, in (0, 1).
    /// - Returns: The bitset size in bytes.
    public static func optimalBytes(distinctValues: Int, fpp: Double) -> Int {
        let bitsPerValue = -8 / log1p(-pow(fpp, 1.0 / 8))
        let bits = bitsPerValue * Double(Swift.max(distinctValues, 1))
        guard bits.isFinite, bits < Double(maximumBytes * 8) else { return maximumBytes }
        var bytes = minimumBytes
        while bytes * 8 < Int(bits.rounded(.up)) { bytes <<= 1 }
        return bytes
    }

    /// Creates an empty filter.
    /// - Parameter bytes: The bitset size: a power of two, at least ``minimumBytes``.
    public init(bytes: Int) {
        precondition(bytes >= Self.minimumBytes && bytes & (bytes - 1) == 0, "a bloom filter is a power of two of at least 32 bytes")
        words = [UInt32](repeating: 0, count: bytes / 4)
    }

    /// The bitset size in bytes.
    public var byteCount: Int { words.count * 4 }

    /// Adds a value by its xxHash64.
    public mutating func insert(hash: UInt64) {
        let (block, mask) = Self.locate(hash, blocks: words.count / 8)
        words.withUnsafeMutableBufferPointer { words in
            withUnsafeBytes(of: mask) { mask in
                for lane in 0..<8 { words[block &+ lane] |= mask.load(fromByteOffset: lane * 4, as: UInt32.self) }
            }
        }
    }

    /// Whether a value with this xxHash64 may have been inserted (false: it certainly was not).
    public func mightContain(hash: UInt64) -> Bool {
        let (block, mask) = Self.locate(hash, blocks: words.count / 8)
        return withUnsafeBytes(of: mask) { mask in
            (0..<8).allSatisfy { lane in
                words[block + lane] & mask.load(fromByteOffset: lane * 4, as: UInt32.self) != 0
            }
        }
    }

    /// Appends the bitset, little-endian words, to `buffer`.
    public func write(into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(buffer.count + byteCount)
        for word in words { buffer.appendLittleEndian(word) }
    }

    /// The first word of the hash's block and the bit to set in each of its eight words.
    @inline(__always)
    private static func locate(
        _ hash: UInt64, blocks: Int
    ) -> (Int, (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) {
        let block = Int(((hash >> 32) &* UInt64(blocks)) >> 32)
        let key = UInt32(truncatingIfNeeded: hash)
        func bit(_ salt: UInt32) -> UInt32 { 1 << ((key &* salt) >> 27) }
        let s = salts
        return (block * 8, (bit(s.0), bit(s.1), bit(s.2), bit(s.3), bit(s.4), bit(s.5), bit(s.6), bit(s.7)))
    }
}
