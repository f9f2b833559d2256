import Testing
@testable import ParquetEncoding

/// xxHash64 against the reference implementation's values (computed with the `xxhash`
/// package), and the split-block filter's insert/probe and sizing.
@Suite struct BloomFilterTests {
    func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { XXHash64.hash($0) } }

    @Test func xxHash64MatchesTheReference() {
        #expect(hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        // 100 bytes: three 32-byte stripes, then the 8-, 4- and 1-byte tails.
        #expect(hash((0..<100).map { UInt8($0) }) == 0x6AC1_E580_3216_6597)
        #expect(hash(Array("0123456789abcdef0123456789abcdefXYZ12".utf8)) == 0x7E9A_C5D1_7641_5ED5)
        // A fixed-width value hashes as its PLAIN (little-endian) bytes.
        #expect(XXHash64.hash(Int64(42)) == hash([42, 0, 0, 0, 0, 0, 0, 0]))
    }

    @Test func insertedValuesAreFoundAndOthersMostlyNot() {
        var filter = SplitBlockBloomFilter(bytes: SplitBlockBloomFilter.optimalBytes(distinctValues: 10_000, fpp: 0.01))
        for value in 0..<10_000 { filter.insert(hash: XXHash64.hash(Int64(value))) }
        #expect((0..<10_000).allSatisfy { filter.mightContain(hash: XXHash64.hash(Int64($0))) })
        let falsePositives = (10_000..<110_000).filter { filter.mightContain(hash: XXHash64.hash(Int64($0))) }.count
        #expect(falsePositives < 2_000, "\(falsePositives) false positives in 100,000")
    }

    @Test func sizeFollowsTheSpecFormula() {
        // 1% needs about 9.6 bits per value: 10,000 values, 12 KB, rounded up to 16 KiB.
        #expect(SplitBlockBloomFilter.optimalBytes(distinctValues: 10_000, fpp: 0.01) == 16_384)
        #expect(SplitBlockBloomFilter.optimalBytes(distinctValues: 0, fpp: 0.01) == 32)
        #expect(SplitBlockBloomFilter.optimalBytes(distinctValues: 1_000_000_000, fpp: 0.001) == SplitBlockBloomFilter.maximumBytes)
    }
}
