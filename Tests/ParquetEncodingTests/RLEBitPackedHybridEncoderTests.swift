import ParquetBytes
import Testing
@testable import ParquetEncoding

/// Byte-exact vectors worked out by hand from parquet-format Encodings.md.
@Suite struct RLEBitPackedHybridEncoderTests {
    func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
        for value in values { encoder.append(value) }
        #expect(encoder.count == values.count)
        var output = ByteBuffer()
        encoder.flush(into: &output)
        return output.bytes
    }

    @Test func specExampleBitPacked() {
        // Encodings.md: 0..7 at bit width 3 pack to 10001000 11000110 11111010; one group
        // gives the header (1 << 1) | 1 = 0x03.
        #expect(encode(Array(0...7), bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func rleRun() {
        // 100 copies: header varint(100 << 1 = 200) = 0xC8 0x01, then ceil(3 / 8) = 1 value byte.
        let expected: [UInt8] = [0xC8, 0x01, 0x05]
        #expect(encode(Array(repeating: 5, count: 100), bitWidth: 3) == expected)
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 3)
        encoder.append(5, count: 100)
        #expect(encoder.count == 100)
        var output = ByteBuffer()
        encoder.flush(into: &output)
        #expect(output.bytes == expected)
    }

    @Test func mixedRuns() {
        // 0...7 → bit-packed group (closed by the RLE run that follows: header 0x03).
        // 10 × 2 → RLE header 10 << 1 = 0x14, value 0x02.
        // 1, 2, 3 → padded group 1,2,3,0,0,0,0,0: bits 001 010 011 000... LSB first give
        // 0b1101_0001 = 0xD1, then 0x00 0x00; a new run, header 0x03.
        let values: [UInt32] = Array(0...7) + Array(repeating: 2, count: 10) + [1, 2, 3]
        #expect(encode(values, bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA, 0x14, 0x02, 0x03, 0xD1, 0x00, 0x00])
    }

    @Test func repeatsNotOnAGroupBoundaryArePacked() {
        // 1 then 9 × 4: the first group 1,4,4,4,4,4,4,4 is packed (the repeat did not start on
        // a group boundary): bits 0 and 5 → 0x21, bits 8, 11, 14 → 0x49, bits 17, 20, 23 → 0x92.
        // The tail 4,4 is one value, and RLE (header 0x04, value 0x04: 2 bytes) beats
        // another packed group (3 bytes).
        let values: [UInt32] = [1] + Array(repeating: 4, count: 9)
        #expect(encode(values, bitWidth: 3) == [0x03, 0x21, 0x49, 0x92, 0x04, 0x04])
    }

    @Test func shortTailOfOneValueAtBitWidth1StaysPacked() {
        // Width 1: a packed group is 1 byte, cheaper than RLE's 2, so 0,1,0,1,0,1,0,1,1,1
        // becomes two groups in one run: header (2 << 1) | 1 = 0x05, 0xAA, then 1,1 → 0x03.
        let values: [UInt32] = [0, 1, 0, 1, 0, 1, 0, 1, 1, 1]
        #expect(encode(values, bitWidth: 1) == [0x05, 0xAA, 0x03])
    }

    @Test func bitPackedRunsSplitAfter63Groups() {
        // 600 alternating bits = 75 groups: a run of 63 (header 0x7F) and one of 12 (0x19);
        // 0,1,0,1,... LSB first is 0b1010_1010 = 0xAA.
        let values = (0..<600).map { UInt32($0 & 1) }
        let expected: [UInt8] = [0x7F] + Array(repeating: 0xAA, count: 63) + [0x19] + Array(repeating: 0xAA, count: 12)
        #expect(encode(values, bitWidth: 1) == expected)
    }

    @Test func bitWidthZero() {
        // Only zeros fit; everything is one RLE run with no value bytes.
        #expect(encode(Array(repeating: 0, count: 1000), bitWidth: 0) == [0xD0, 0x0F])  // varint 2000
        #expect(encode([0, 0, 0], bitWidth: 0) == [0x06])
        #expect(encode([], bitWidth: 0) == [])
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 0)
        encoder.append(0, count: 1_000_000)
        var output = ByteBuffer()
        encoder.flush(into: &output)
        #expect(output.bytes == [0x80, 0x89, 0x7A])  // varint 2_000_000
    }

    @Test func bitWidth32() {
        // At width 32 a packed value is its 4 little-endian bytes, and an RLE value takes 4 bytes.
        let group: [UInt32] = [0xFFFF_FFFF, 0x1234_5678, 0, 1, 0x8000_0000, 0xDEAD_BEEF, 7, 0xCAFE_BABE]
        let values = group + Array(repeating: 0xDEAD_BEEF, count: 9)
        var expected: [UInt8] = [0x03]
        for value in group {
            expected += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
        }
        expected += [0x12, 0xEF, 0xBE, 0xAD, 0xDE]  // 9 << 1 = 18
        #expect(encode(values, bitWidth: 32) == expected)
    }

    @Test func lengthPrefix() {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 3)
        encoder.append(5, count: 100)
        var output = ByteBuffer()
        output.append(0xAB)  // existing content stays in front
        encoder.flushWithLengthPrefix(into: &output)
        #expect(output.bytes == [0xAB, 0x03, 0x00, 0x00, 0x00, 0xC8, 0x01, 0x05])
        encoder.flushWithLengthPrefix(into: &output)
        #expect(output.bytes.suffix(4) == [0, 0, 0, 0])
    }

    @Test func reuseAfterFlush() {
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 3)
        var first = ByteBuffer()
        var second = ByteBuffer()
        for value in [7, 7, 1, 2, 3, 4, 5, 6, 0, 0, 0] as [UInt32] { encoder.append(value) }
        encoder.flush(into: &first)
        #expect(encoder.count == 0)
        #expect(encoder.estimatedByteSize == 0)
        for value in 0...7 as ClosedRange<UInt32> { encoder.append(value) }
        encoder.flush(into: &second)
        #expect(second.bytes == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func runAppendMatchesSingleAppends() {
        var random = SplitMix64(seed: 42)
        for bitWidth in [1, 2, 5, 8, 13, 32] {
            var single = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
            var runs = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
            let maxValue = bitWidth == 32 ? UInt64(UInt32.max) : (1 << UInt64(bitWidth)) - 1
            for _ in 0..<500 {
                let value = UInt32(random.next(upperBound: min(maxValue, 3) + 1))
                let length = Int(random.next(upperBound: UInt64(30)))
                for _ in 0..<length { single.append(value) }
                runs.append(value, count: length)
            }
            #expect(single.count == runs.count)
            #expect(single.estimatedByteSize == runs.estimatedByteSize)
            var a = ByteBuffer()
            var b = ByteBuffer()
            single.flush(into: &a)
            runs.flush(into: &b)
            #expect(a == b, "bit width \(bitWidth)")
        }
    }

    @Test func bulkAppendMatchesSingleAppends() {
        var random = SplitMix64(seed: 1234)
        for bitWidth in [0, 1, 3, 8, 10, 17, 32] {
            for shape in RLEBitPackedHybridRoundTripTests.Shape.allCases {
                for length in [5, 8, 64, 100, 1001, 5000] {
                    let values = RLEBitPackedHybridRoundTripTests.values(shape, length: length, bitWidth: bitWidth, random: &random)
                    var single = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
                    var bulk = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
                    // Start the bulk encoder off a group boundary half of the time.
                    let lead = Int(random.next(upperBound: UInt64(2))) * 3
                    for value in values { single.append(value) }
                    for value in values.prefix(lead) { bulk.append(value) }
                    values.dropFirst(lead).withUnsafeBufferPointer { bulk.append(contentsOf: $0) }
                    #expect(single.count == bulk.count)
                    #expect(single.estimatedByteSize == bulk.estimatedByteSize)
                    var a = ByteBuffer()
                    var b = ByteBuffer()
                    single.flush(into: &a)
                    bulk.flush(into: &b)
                    #expect(a == b, "bit width \(bitWidth) \(shape) length \(length)")
                }
            }
        }
    }

    @Test func estimatedByteSizeBoundsTheOutput() {
        var random = SplitMix64(seed: 7)
        for round in 0..<200 {
            let bitWidth = round % 33
            var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
            let length = Int(random.next(upperBound: UInt64(300)))
            for _ in 0..<length {
                let value = bitWidth == 0 ? 0 : UInt32(truncatingIfNeeded: random.next()) >> UInt32(32 - bitWidth)
                encoder.append(random.next(upperBound: UInt64(4)) == 0 ? 0 : value)
            }
            let estimate = encoder.estimatedByteSize
            var output = ByteBuffer()
            encoder.flush(into: &output)
            #expect(estimate >= output.count)
            #expect(estimate <= output.count + 1 + bitWidth)
        }
    }

    @Test func bitWidthForMaxValue() {
        let cases: [(UInt64, Int)] = [
            (0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (7, 3), (8, 4), (255, 8), (256, 9),
            (UInt64(UInt32.max), 32), (UInt64.max, 64),
        ]
        for (maxValue, width) in cases {
            #expect(RLEBitPackedHybridEncoder.bitWidth(forMaxValue: maxValue) == width, "\(maxValue)")
        }
    }
}
