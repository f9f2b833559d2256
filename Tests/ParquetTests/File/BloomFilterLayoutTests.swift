import ParquetEncoding
import ParquetThrift
import Testing
@testable import Parquet

/// Bloom filters in the file: after each row group's chunks (the reader's `validate()` checks
/// the placement and header), holding every value written and sized from distinct values.
@Suite struct BloomFilterLayoutTests {
    @Test func filtersFollowTheirRowGroupAndHoldEveryValue() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("id", .int64, nullable: false), Field("name", .string), Field("other", .int32)])
        let rows = 30_000
        let batch = try makeBatch(schema) { batch in
            try batch.append((0..<rows).map { Int64($0) }, to: "id")
            try batch.append((0..<rows).map { $0 % 5 == 0 ? nil : "name\($0 % 300)" } as [String?], to: "name")
            try batch.append((0..<rows).map { Int32($0) }, to: "other")
        }
        let options = WriterOptions(rowGroupRows: 10_000, bloomFilterColumns: ["id", "name"])
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        try reader.validate()
        for (group, rowGroup) in reader.metadata.rowGroups.enumerated() {
            #expect(rowGroup.columns[2].metaData?.bloomFilterOffset == nil)
            for column in 0..<2 {
                let meta = try #require(rowGroup.columns[column].metaData)
                let offset = Int(try #require(meta.bloomFilterOffset))
                let (header, headerLength) = try reader.bytes[offset...].withUnsafeBytes {
                    try BloomFilterHeader.decodePrefix(from: $0)
                }
                let start = offset + headerLength
                let words = (0..<Int(header.numBytes) / 4).map { index in
                    reader.bytes[(start + index * 4)..<(start + index * 4 + 4)].withUnsafeBytes {
                        UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))
                    }
                }
                var filter = SplitBlockBloomFilter(bytes: Int(header.numBytes))
                // Rebuild the filter from the file's words: every value of the group must be in it.
                let hashes: [UInt64] = column == 0
                    ? (group * 10_000..<(group + 1) * 10_000).map { XXHash64.hash(Int64($0)) }
                    : (0..<300).filter { $0 % 5 != 0 }.map { value in Array("name\(value)".utf8).withUnsafeBytes { XXHash64.hash($0) } }
                for hash in hashes { filter.insert(hash: hash) }
                #expect(filter.words == words, "row group \(group) column \(column): the file's filter lacks values")
                #expect(Int(header.numBytes) == (column == 0 ? 16_384 : 512))
            }
        }
    }
}
