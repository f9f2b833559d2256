import ParquetBytes
import ParquetDecoding
import Testing
@testable import ParquetEncoding

@Suite struct ByteStreamSplitEncoderTests {
    static func encode(_ plain: [UInt8], width: Int) -> [UInt8] {
        var output = ByteBuffer()
        plain.withUnsafeBytes { ByteStreamSplitEncoder.encode($0, width: width, into: &output) }
        return output.bytes
    }

    @Test func streamsHoldOneByteOfEachValue() {
        // Two 4-byte values: streams are byte 0 of each, byte 1 of each, ...
        #expect(Self.encode([1, 2, 3, 4, 5, 6, 7, 8], width: 4) == [1, 5, 2, 6, 3, 7, 4, 8])
    }

    @Test func emptyPageIsEmpty() throws {
        #expect(Self.encode([], width: 8) == [])
        #expect(try ByteStreamSplitDecoder.decode([], width: 8) == [])
    }

    @Test(arguments: [1, 2, 3, 4, 8, 16, 17], [0, 1, 2, 129, 1_000])
    func roundTrip(width: Int, count: Int) throws {
        var random = SplitMix64(seed: UInt64(width * 10_000 + count))
        let plain = (0..<(width * count)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let encoded = Self.encode(plain, width: width)
        #expect(encoded.count == plain.count)
        #expect(try ByteStreamSplitDecoder.decode(encoded[...], width: width) == plain)
    }

    @Test func doublesRoundTripBitForBit() throws {
        let values: [Double] = [0, -0.0, .nan, .infinity, -.infinity, .pi, .leastNonzeroMagnitude, -123.456]
        var plain = ByteBuffer()
        values.withUnsafeBufferPointer { PlainEncoder.append(contentsOf: $0, into: &plain) }
        let decoded = try ByteStreamSplitDecoder.decode(Self.encode(plain.bytes, width: 8)[...], width: 8)
        #expect(decoded == plain.bytes)
    }
}
