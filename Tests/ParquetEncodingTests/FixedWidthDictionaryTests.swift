import ParquetBytes
import Testing
@testable import ParquetEncoding

@Suite struct FixedWidthDictionaryTests {
    @Test func indicesAreStableAndDeduplicated() {
        var dictionary = FixedWidthDictionary<Int32>()
        #expect(dictionary.index(of: 10) == 0)
        #expect(dictionary.index(of: -3) == 1)
        #expect(dictionary.index(of: 10) == 0)
        #expect(dictionary.index(of: 0) == 2)
        #expect(dictionary.index(of: -3) == 1)
        #expect(dictionary.count == 3)
        #expect(dictionary.values == [10, -3, 0])
    }

    @Test func signedZerosAreDistinct() {
        var doubles = FixedWidthDictionary<Double>()
        #expect(doubles.index(of: 0.0) == 0)
        #expect(doubles.index(of: -0.0) == 1)
        #expect(doubles.index(of: 0.0) == 0)
        var floats = FixedWidthDictionary<Float>()
        #expect(floats.index(of: -0.0) == 0)
        #expect(floats.index(of: 0.0) == 1)
        #expect(floats.count == 2)
    }

    @Test func nanIsDeduplicatedByBitPattern() {
        var dictionary = FixedWidthDictionary<Double>()
        let nan = Double.nan
        let otherNaN = Double(bitPattern: nan.bitPattern | 1)  // another payload
        #expect(dictionary.index(of: 1.5) == 0)
        #expect(dictionary.index(of: nan) == 1)
        #expect(dictionary.index(of: nan) == 1)
        #expect(dictionary.index(of: otherNaN) == 2)
        #expect(dictionary.index(of: otherNaN) == 2)
        #expect(dictionary.count == 3)
        var floats = FixedWidthDictionary<Float>()
        #expect(floats.index(of: .nan) == 0)
        #expect(floats.index(of: .nan) == 0)
    }

    @Test func growthKeepsEveryIndex() {
        var dictionary = FixedWidthDictionary<Int64>()
        var random = SplitMix64(seed: 11)
        var keys: [Int64] = []
        var seen = Set<Int64>()
        while keys.count < 50_000 {
            // Mix structured (sequential, strided) and random keys.
            let key: Int64 = switch keys.count % 3 {
            case 0: Int64(keys.count)
            case 1: Int64(keys.count) << 32
            default: Int64(bitPattern: random.next())
            }
            if seen.insert(key).inserted { keys.append(key) }
        }
        for (index, key) in keys.enumerated() {
            #expect(dictionary.index(of: key) == UInt32(index))
        }
        #expect(dictionary.count == keys.count)
        var mismatches = 0
        for (index, key) in keys.enumerated().reversed() where dictionary.index(of: key) != UInt32(index) {
            mismatches += 1
        }
        #expect(mismatches == 0)
        #expect(dictionary.values == keys)
        #expect(dictionary.count == keys.count)
    }

    @Test func doublesWithStructuredBitsGrow() {
        var dictionary = FixedWidthDictionary<Double>(minimumCapacity: 4)
        let keys = (0..<20_000).map { Double($0) * 0.25 }
        for (index, key) in keys.enumerated() { #expect(dictionary.index(of: key) == UInt32(index)) }
        var mismatches = 0
        for (index, key) in keys.enumerated() where dictionary.index(of: key) != UInt32(index) { mismatches += 1 }
        #expect(mismatches == 0)
    }

    @Test func plainEncoding() {
        var dictionary = FixedWidthDictionary<Int32>()
        for value: Int32 in [1, 2, 1, -1, 2] { _ = dictionary.index(of: value) }
        var output = ByteBuffer()
        dictionary.writePlain(into: &output)
        #expect(output.bytes == [1, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(dictionary.plainEncodedByteSize == output.count)

        var doubles = FixedWidthDictionary<Double>()
        for value in [1.0, -0.0, 1.0] { _ = doubles.index(of: value) }
        var doubleOutput = ByteBuffer()
        doubles.writePlain(into: &doubleOutput)
        #expect(doubles.plainEncodedByteSize == 16)
        #expect(doubleOutput.bytes == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0x80])
    }

    @Test func removeAll() {
        for keepingCapacity in [true, false] {
            var dictionary = FixedWidthDictionary<Int64>()
            for value in 0..<1000 { _ = dictionary.index(of: Int64(value)) }
            dictionary.removeAll(keepingCapacity: keepingCapacity)
            #expect(dictionary.count == 0)
            #expect(dictionary.plainEncodedByteSize == 0)
            #expect(dictionary.index(of: 999) == 0)
            #expect(dictionary.index(of: 5) == 1)
            #expect(dictionary.index(of: 999) == 0)
        }
    }
}
