import ParquetBytes
import Testing
@testable import ParquetEncoding

@Suite struct ByteArrayDictionaryTests {
    func index(_ dictionary: inout ByteArrayDictionary, _ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { dictionary.index(of: $0) }
    }

    func index(_ dictionary: inout ByteArrayDictionary, _ string: String) -> UInt32 {
        index(&dictionary, Array(string.utf8))
    }

    @Test func indicesAreStableAndDeduplicated() {
        var dictionary = ByteArrayDictionary()
        #expect(index(&dictionary, "apple") == 0)
        #expect(index(&dictionary, "banana") == 1)
        #expect(index(&dictionary, "apple") == 0)
        #expect(index(&dictionary, "appl") == 2)  // a prefix is a different key
        #expect(index(&dictionary, "banana") == 1)
        #expect(dictionary.count == 3)
        #expect(dictionary.value(at: 2) == Array("appl".utf8))
    }

    @Test func emptyStringIsAKey() {
        var dictionary = ByteArrayDictionary()
        #expect(index(&dictionary, "x") == 0)
        #expect(index(&dictionary, []) == 1)
        #expect(index(&dictionary, "") == 1)
        // An empty buffer with a nil base address is the same key.
        #expect(dictionary.index(of: UnsafeRawBufferPointer(start: nil, count: 0)) == 1)
        #expect(dictionary.value(at: 1) == [])
        #expect(dictionary.count == 2)
    }

    @Test func binaryKeysOfEveryShortLength() {
        // Lengths 0...40 cover every branch of the hash; keys differing in one byte, and
        // keys with zero bytes, must stay distinct.
        var dictionary = ByteArrayDictionary()
        var keys: [[UInt8]] = []
        for length in 0...40 {
            keys.append(Array(repeating: 0, count: length))
            for position in 0..<length { var key = Array(repeating: UInt8(0), count: length); key[position] = 1; keys.append(key) }
        }
        for (expected, key) in keys.enumerated() { #expect(index(&dictionary, key) == UInt32(expected)) }
        for (expected, key) in keys.enumerated() { #expect(index(&dictionary, key) == UInt32(expected)) }
        #expect(dictionary.count == keys.count)
    }

    @Test func growthKeepsEveryIndex() {
        var dictionary = ByteArrayDictionary()
        var random = SplitMix64(seed: 5)
        var keys: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        while keys.count < 30_000 {
            let length = Int(random.next(upperBound: UInt64(keys.count % 10 == 0 ? 200 : 24)))
            let key = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if seen.insert(key).inserted { keys.append(key) }
        }
        for (expected, key) in keys.enumerated() { #expect(index(&dictionary, key) == UInt32(expected)) }
        var mismatches = 0
        for (expected, key) in keys.enumerated().reversed() where index(&dictionary, key) != UInt32(expected) {
            mismatches += 1
        }
        #expect(mismatches == 0)
        #expect(dictionary.count == keys.count)
        var wrongValues = 0
        for (position, key) in keys.enumerated() where dictionary.value(at: position) != key { wrongValues += 1 }
        #expect(wrongValues == 0)
        #expect(dictionary.valueByteCount == keys.reduce(0) { $0 + $1.count })
    }

    @Test func plainEncoding() {
        var dictionary = ByteArrayDictionary()
        for string in ["ab", "", "ab", "xyz"] { _ = index(&dictionary, string) }
        var output = ByteBuffer()
        output.append(0xEE)  // existing content stays in front
        dictionary.writePlain(into: &output)
        #expect(output.bytes == [0xEE, 2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0, 3, 0, 0, 0, 0x78, 0x79, 0x7A])
        #expect(dictionary.plainEncodedByteSize == output.count - 1)
    }

    @Test func plainFixedLengthEncoding() {
        var dictionary = ByteArrayDictionary()
        for key: [UInt8] in [[1, 2, 3], [4, 5, 6], [1, 2, 3]] { _ = index(&dictionary, key) }
        var output = ByteBuffer()
        dictionary.writePlainFixedLength(into: &output)
        #expect(output.bytes == [1, 2, 3, 4, 5, 6])
        #expect(dictionary.valueByteCount == output.count)
    }

    @Test func removeAll() {
        for keepingCapacity in [true, false] {
            var dictionary = ByteArrayDictionary()
            for value in 0..<1000 { _ = index(&dictionary, "key \(value)") }
            dictionary.removeAll(keepingCapacity: keepingCapacity)
            #expect(dictionary.count == 0)
            #expect(dictionary.plainEncodedByteSize == 0)
            #expect(index(&dictionary, "key 999") == 0)
            #expect(index(&dictionary, "key 5") == 1)
            #expect(index(&dictionary, "key 999") == 0)
            #expect(dictionary.value(at: 0) == Array("key 999".utf8))
        }
    }
}
