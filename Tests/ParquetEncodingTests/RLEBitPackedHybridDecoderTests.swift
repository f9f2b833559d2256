import ParquetBytes
import Testing
@testable import ParquetEncoding

@Suite struct RLEBitPackedHybridDecoderTests {
    @Test func decodesSpecExample() throws {
        var decoder = try RLEBitPackedHybridDecoder(bytes: [0x03, 0x88, 0xC6, 0xFA], bitWidth: 3)
        #expect(try decoder.decode(count: 8) == Array(0...7))
        #expect(try decoder.next() == nil)
    }

    @Test func decodesRLEAndMixedRuns() throws {
        var decoder = try RLEBitPackedHybridDecoder(bytes: [0xC8, 0x01, 0x05], bitWidth: 3)
        #expect(try decoder.decode(count: 100) == Array(repeating: 5, count: 100))
        #expect(try decoder.next() == nil)

        let mixed: [UInt8] = [0x03, 0x88, 0xC6, 0xFA, 0x14, 0x02, 0x03, 0xD1, 0x00, 0x00]
        var mixedDecoder = try RLEBitPackedHybridDecoder(bytes: mixed, bitWidth: 3)
        // The last group decodes with its 5 padding zeros.
        let expected: [UInt32] = Array(0...7) + Array(repeating: 2, count: 10) + [1, 2, 3, 0, 0, 0, 0, 0]
        #expect(try mixedDecoder.decode(count: expected.count) == expected)
        #expect(try mixedDecoder.next() == nil)
    }

    @Test func lengthPrefixed() throws {
        var decoder = try RLEBitPackedHybridDecoder(lengthPrefixed: [3, 0, 0, 0, 0xC8, 0x01, 0x05, 0xEE], bitWidth: 3)
        #expect(try decoder.decode(count: 100).count == 100)
        #expect(try decoder.next() == nil)  // the trailing 0xEE is outside the prefix
        #expect(throws: RLEDecodingError.invalidLengthPrefix) {
            try RLEBitPackedHybridDecoder(lengthPrefixed: [4, 0, 0, 0, 0xC8, 0x01, 0x05], bitWidth: 3)
        }
        #expect(throws: RLEDecodingError.invalidLengthPrefix) {
            try RLEBitPackedHybridDecoder(lengthPrefixed: [0, 0, 0], bitWidth: 3)
        }
    }

    func firstError(_ bytes: [UInt8], bitWidth: Int) -> RLEDecodingError? {
        do {
            var decoder = try RLEBitPackedHybridDecoder(bytes: bytes, bitWidth: bitWidth)
            while try decoder.next() != nil {}
            return nil
        } catch let error as RLEDecodingError {
            return error
        } catch {
            return nil
        }
    }

    @Test func rejectsMalformedInput() {
        #expect(firstError([0x80], bitWidth: 3) == .malformedHeader(offset: 0))  // varint cut off
        #expect(firstError(Array(repeating: 0xFF, count: 11), bitWidth: 3) == .malformedHeader(offset: 0))
        #expect(firstError([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], bitWidth: 3) == .malformedHeader(offset: 0))
        #expect(firstError([0x00], bitWidth: 3) == .emptyRun(offset: 0))  // RLE run of 0
        #expect(firstError([0x01], bitWidth: 3) == .emptyRun(offset: 0))  // 0 groups
        #expect(firstError([0x04], bitWidth: 8) == .truncatedRun(offset: 0))  // value byte missing
        #expect(firstError([0x04, 0x01], bitWidth: 9) == .truncatedRun(offset: 0))  // needs 2 value bytes
        #expect(firstError([0x03, 0x88, 0xC6], bitWidth: 3) == .truncatedRun(offset: 0))
        #expect(firstError([0x02, 0x05, 0x05, 0x88], bitWidth: 3) == .truncatedRun(offset: 2))
        // A group count near 2^63 must not overflow the byte count.
        #expect(firstError([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], bitWidth: 1) == .truncatedRun(offset: 0))
        #expect(firstError([0x04, 0x08], bitWidth: 3) == .valueExceedsBitWidth(offset: 0))
        #expect(firstError([0x04, 0x01], bitWidth: 1) == nil)
        #expect(firstError([0x04, 0x01], bitWidth: 0) == .emptyRun(offset: 1))  // width 0: no value byte
        #expect(throws: RLEDecodingError.invalidBitWidth(33)) { try RLEBitPackedHybridDecoder(bytes: [], bitWidth: 33) }
        #expect(throws: RLEDecodingError.invalidBitWidth(-1)) { try RLEBitPackedHybridDecoder(bytes: [], bitWidth: -1) }
        #expect(throws: RLEDecodingError.notEnoughValues(requested: 9, decoded: 8)) {
            var decoder = try RLEBitPackedHybridDecoder(bytes: [0x03, 0x88, 0xC6, 0xFA], bitWidth: 3)
            _ = try decoder.decode(count: 9)
        }
    }

    @Test func randomGarbageNeverTraps() throws {
        var random = SplitMix64(seed: 99)
        for round in 0..<2000 {
            let bytes = (0..<Int(random.next(upperBound: UInt64(24)))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var decoder = try RLEBitPackedHybridDecoder(bytes: bytes, bitWidth: round % 33)
            var decoded = 0
            do {
                while decoded < 10_000, try decoder.next() != nil { decoded += 1 }
            } catch is RLEDecodingError {}
        }
    }
}
