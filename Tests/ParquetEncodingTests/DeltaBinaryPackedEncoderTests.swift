import ParquetBytes
import ParquetDecoding
import Testing
@testable import ParquetEncoding

@Suite struct DeltaBinaryPackedEncoderTests {
    static func encode(_ values: [Int64]) -> [UInt8] {
        var output = ByteBuffer()
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        return output.bytes
    }

    static func encode(_ values: [Int32]) -> [UInt8] {
        var output = ByteBuffer()
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        return output.bytes
    }

    /// Decodes `bytes` as one INT64 run that must use up every byte.
    static func decode64(_ bytes: [UInt8]) throws -> [Int64] {
        var offset = 0
        let values = try DeltaBinaryPackedDecoder.decodeInt64(bytes, offset: &offset)
        #expect(offset == bytes.count, "bytes left after the run")
        return values
    }

    static func decode32(_ bytes: [UInt8]) throws -> [Int32] {
        var offset = 0
        let values = try DeltaBinaryPackedDecoder.decodeInt32(bytes, offset: &offset)
        #expect(offset == bytes.count, "bytes left after the run")
        return values
    }

    @Test func emptyIsAHeaderAlone() throws {
        // block 128 (0x80 0x01), 4 miniblocks, 0 values, first value 0.
        #expect(Self.encode([Int64]()) == [0x80, 0x01, 0x04, 0x00, 0x00])
        #expect(try Self.decode64(Self.encode([Int64]())) == [])
    }

    @Test func oneValueHasNoBlock() throws {
        // first value -3 zigzags to 5.
        #expect(Self.encode([Int64(-3)]) == [0x80, 0x01, 0x04, 0x01, 0x05])
        #expect(try Self.decode32(Self.encode([Int32(7)])) == [7])
    }

    /// The spec's example: 1 2 3 4 5 is header (first value 1), then one block with min
    /// delta 1 and all miniblocks of width 0.
    @Test func constantStepPacksToWidthZero() {
        #expect(Self.encode([Int64(1), 2, 3, 4, 5]) == [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0])
    }

    @Test func allEqualValuesTakeNoMiniblockBytes() throws {
        let values = [Int64](repeating: 42, count: 1_000)
        let bytes = Self.encode(values)
        // Header (6 bytes: the count takes two) + 8 blocks of (min delta 0, 4 zero widths).
        #expect(bytes.count == 6 + 8 * 5)
        #expect(try Self.decode64(bytes) == values)
    }

    @Test(arguments: [2, 3, 32, 33, 127, 128, 129, 130, 256, 257, 1_000])
    func blockBoundaries(count: Int) throws {
        var random = SplitMix64(seed: UInt64(count))
        let values = (0..<count).map { _ in Int64(bitPattern: random.next()) >> 40 }
        #expect(try Self.decode64(Self.encode(values)) == values)
        let narrow = values.map { Int32(truncatingIfNeeded: $0) }
        #expect(try Self.decode32(Self.encode(narrow)) == narrow)
    }

    /// The last block's unused miniblocks keep a zero width byte and no body.
    @Test func unusedMiniblocksHaveZeroWidthAndNoBody() {
        // 41 values: 40 deltas, miniblock 0 full, miniblock 1 holds 8, 2 and 3 unused.
        let values = (0..<41).map { Int64($0 * $0) }
        let bytes = Self.encode(values)
        // Header: 0x80 0x01, 4, 41, zigzag(0); min delta zigzag(1) = 2; then four widths.
        let widths = Array(bytes[6..<10])
        #expect(widths[2] == 0 && widths[3] == 0)
        #expect(bytes.count == 10 + 4 * Int(widths[0]) + 4 * Int(widths[1]))
    }

    @Test func extremeDeltasWrapAround() throws {
        let values: [Int64] = [.min, .max, .min, 0, .max, -1, .min, .min, 1, .max]
        #expect(try Self.decode64(Self.encode(values)) == values)
        let narrow: [Int32] = [.min, .max, .min, 0, .max, -1, .min, .min, 1, .max]
        let bytes = Self.encode(narrow)
        // 32-bit deltas: the one miniblock fits in 32 bits although the true differences need
        // 33. Header 9 bytes (first value Int32.min zigzags to 5 varint bytes), min delta at
        // most 5, four width bytes, then 32 values of at most 32 bits.
        #expect(bytes.count <= 9 + 5 + 4 + 4 * 32)
        #expect(try Self.decode32(bytes) == narrow)
    }

    @Test(arguments: [1, 7, 31, 32, 33, 47, 63, 64])
    func everyWideWidthRoundTrips(bits: Int) throws {
        var random = SplitMix64(seed: UInt64(bits) &* 977)
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        var current: Int64 = 0
        var values: [Int64] = []
        for _ in 0..<300 {
            values.append(current)
            current = current &+ Int64(bitPattern: random.next() & mask)
        }
        #expect(try Self.decode64(Self.encode(values)) == values)
    }

    @Test func plainInputMatchesTypedInput() throws {
        var random = SplitMix64(seed: 5)
        let values = (0..<500).map { _ in Int32(truncatingIfNeeded: random.next()) }
        var plain = ByteBuffer()
        values.withUnsafeBufferPointer { PlainEncoder.append(contentsOf: $0, into: &plain) }
        var fromPlain = ByteBuffer()
        plain.withUnsafeReadableBytes { DeltaBinaryPackedEncoder.encode(plainInt32: $0, into: &fromPlain) }
        #expect(fromPlain.bytes == Self.encode(values))
        let wide = values.map { Int64($0) * 1_000_003 }
        var plain64 = ByteBuffer()
        wide.withUnsafeBufferPointer { PlainEncoder.append(contentsOf: $0, into: &plain64) }
        var fromPlain64 = ByteBuffer()
        plain64.withUnsafeReadableBytes { DeltaBinaryPackedEncoder.encode(plainInt64: $0, into: &fromPlain64) }
        #expect(try Self.decode64(fromPlain64.bytes) == wide)
    }

    @Test func sortedValuesShrink() {
        let values = (0..<10_000).map { (index: Int) -> Int64 in
            let step = Int64(index) * 1_000
            return 1_700_000_000_000 + step + Int64(index % 7)
        }
        #expect(Self.encode(values).count < values.count)
    }
}
