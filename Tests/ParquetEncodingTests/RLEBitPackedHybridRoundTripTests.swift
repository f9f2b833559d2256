import ParquetBytes
import Testing
@testable import ParquetEncoding

@Suite struct RLEBitPackedHybridRoundTripTests {
    enum Shape: CaseIterable {
        case uniform, shortRuns, longRuns, constant, alternating, smallAlphabet
    }

    /// Generates a sequence of `length` values below `2^bitWidth` in the given shape.
    static func values(_ shape: Shape, length: Int, bitWidth: Int, random: inout SplitMix64) -> [UInt32] {
        func draw() -> UInt32 {
            bitWidth == 0 ? 0 : UInt32(truncatingIfNeeded: random.next()) >> UInt32(32 - bitWidth)
        }
        var values: [UInt32] = []
        values.reserveCapacity(length)
        switch shape {
        case .uniform:
            while values.count < length { values.append(draw()) }
        case .shortRuns, .longRuns:
            let maxRun: UInt64 = shape == .shortRuns ? 12 : 2000
            while values.count < length {
                let value = draw()
                let run = Int(random.next(upperBound: maxRun)) + 1
                values += repeatElement(value, count: min(run, length - values.count))
            }
        case .constant:
            values = Array(repeating: draw(), count: length)
        case .alternating:
            let a = draw(), b = draw()
            values = (0..<length).map { $0 & 1 == 0 ? a : b }
        case .smallAlphabet:
            let alphabet = (0..<3).map { _ in draw() }
            while values.count < length { values.append(alphabet[Int(random.next(upperBound: UInt64(3)))]) }
        }
        return values
    }

    @Test(arguments: Array(0...32))
    func roundTrip(bitWidth: Int) throws {
        var random = SplitMix64(seed: 0x5EED &+ UInt64(bitWidth))
        var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)  // reused across cases
        for shape in Shape.allCases {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 503, 504, 505, 1000, 4097] {
                let values = Self.values(shape, length: length, bitWidth: bitWidth, random: &random)
                // Mix the three append APIs so all of them are checked.
                var index = 0
                while index < values.count {
                    switch random.next(upperBound: UInt64(3)) {
                    case 0:
                        encoder.append(values[index])
                        index += 1
                    case 1:
                        var end = index + 1
                        while end < values.count && values[end] == values[index] { end += 1 }
                        encoder.append(values[index], count: end - index)
                        index = end
                    default:
                        let end = min(values.count, index + Int(random.next(upperBound: UInt64(40))) + 1)
                        values[index..<end].withUnsafeBufferPointer { encoder.append(contentsOf: $0) }
                        index = end
                    }
                }
                #expect(encoder.count == values.count)
                let estimate = encoder.estimatedByteSize
                var output = ByteBuffer()
                let prefixed = random.next(upperBound: UInt64(2)) == 0
                if prefixed {
                    encoder.flushWithLengthPrefix(into: &output)
                } else {
                    encoder.flush(into: &output)
                }
                #expect(estimate >= output.count - (prefixed ? 4 : 0))
                var decoder = prefixed
                    ? try RLEBitPackedHybridDecoder(lengthPrefixed: output.bytes, bitWidth: bitWidth)
                    : try RLEBitPackedHybridDecoder(bytes: output.bytes, bitWidth: bitWidth)
                let decoded = try decoder.decode(count: values.count)
                #expect(decoded == values, "\(shape) length \(length)")
                // At most the zero padding of the last group remains.
                var padding = 0
                while let value = try decoder.next() {
                    #expect(value == 0)
                    padding += 1
                }
                #expect(padding < 8)
            }
        }
    }
}
