import ParquetBytes
import ParquetDecoding
import Testing
@testable import ParquetEncoding

/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY round trips.
@Suite struct DeltaByteArrayEncoderTests {
    enum Kind: CaseIterable { case deltaLength, delta }

    static func encode(_ values: [[UInt8]], _ kind: Kind) -> [UInt8] {
        let lengths = values.map { Int32($0.count) }
        let bytes = values.flatMap { $0 }
        var output = ByteBuffer()
        lengths.withUnsafeBufferPointer { lengths in
            bytes.withUnsafeBytes { bytes in
                switch kind {
                case .deltaLength: DeltaLengthByteArrayEncoder.encode(lengths: lengths, bytes: bytes, into: &output)
                case .delta: DeltaByteArrayEncoder.encode(lengths: lengths, bytes: bytes, into: &output)
                }
            }
        }
        return output.bytes
    }

    static func decode(_ bytes: [UInt8], _ kind: Kind) throws -> [[UInt8]] {
        var offset = 0
        let values = switch kind {
        case .deltaLength: try DeltaLengthByteArrayDecoder.decode(bytes, offset: &offset)
        case .delta: try DeltaByteArrayDecoder.decode(bytes, offset: &offset)
        }
        #expect(offset == bytes.count, "bytes left after the values")
        return values
    }

    static func strings(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let stem = Array("https://example.com/path/\(index / 10)/".utf8)
            let tail = (0..<Int(random.next(upperBound: UInt64(12)))).map { _ in UInt8(97 + random.next(upperBound: UInt64(26))) }
            return random.next(upperBound: UInt64(5)) == 0 ? [] : stem + tail
        }
    }

    @Test(arguments: Kind.allCases, [0, 1, 2, 127, 128, 129, 1_000])
    func roundTrip(kind: Kind, count: Int) throws {
        let values = Self.strings(count, seed: UInt64(count))
        #expect(try Self.decode(Self.encode(values, kind), kind) == values)
    }

    @Test(arguments: Kind.allCases)
    func emptyAndRepeatedValues(kind: Kind) throws {
        let values: [[UInt8]] = [[], [], [1, 2, 3], [1, 2, 3], [1, 2], [], [1, 2, 3, 4], [0xFF]]
        #expect(try Self.decode(Self.encode(values, kind), kind) == values)
    }

    @Test func deltaLengthIsLengthsThenBytes() throws {
        let bytes = Self.encode([Array("ab".utf8), Array("cde".utf8)], .deltaLength)
        #expect(Array(bytes.suffix(5)) == Array("abcde".utf8))
        var offset = 0
        #expect(try DeltaBinaryPackedDecoder.decodeInt32(bytes, offset: &offset) == [2, 3])
        #expect(offset == bytes.count - 5)
    }

    @Test func deltaSharesPrefixes() throws {
        let values = [Array("apple".utf8), Array("applesauce".utf8), Array("apply".utf8)]
        let bytes = Self.encode(values, .delta)
        var offset = 0
        #expect(try DeltaBinaryPackedDecoder.decodeInt32(bytes, offset: &offset) == [0, 5, 4])
        #expect(try DeltaLengthByteArrayDecoder.decode(bytes, offset: &offset) == [Array("apple".utf8), Array("sauce".utf8), Array("y".utf8)])
    }

    @Test func fixedLengthValuesFrontCompress() throws {
        // 16-byte ids sharing a 12-byte stem, as FIXED_LEN_BYTE_ARRAY values.
        let values = (0..<300).map { index -> [UInt8] in [UInt8](repeating: 7, count: 12) + withUnsafeBytes(of: UInt32(index).bigEndian, Array.init) }
        let bytes = Self.encode(values, .delta)
        #expect(try Self.decode(bytes, .delta) == values)
        #expect(bytes.count < values.count * 16 / 2)
    }
}
