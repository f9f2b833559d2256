import ParquetCompression
import ParquetThrift
import Testing
@testable import Parquet

/// The page index: a ColumnIndex and an OffsetIndex per chunk after the row groups
/// (the layout and the OffsetIndex are checked by `ParquetFileReader.validate()` for every
/// file the tests write; these check what the ColumnIndex says).
@Suite struct PageIndexTests {
    func columnIndex(_ reader: ParquetFileReader, rowGroup: Int = 0, column: Int) throws -> ColumnIndex? {
        let chunk = reader.metadata.rowGroups[rowGroup].columns[column]
        guard let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength else { return nil }
        return try ColumnIndex.decode(from: Array(reader.bytes[Int(offset)..<Int(offset + Int64(length))]))
    }

    func int64(_ bytes: [UInt8]) -> Int64 { bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } }

    @Test func pagesRecordTheirBoundsNullsAndOrder() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([
            Field("sorted", .int64, nullable: false), Field("reversed", .int64, nullable: false),
            Field("text", .string), Field("sparse", .int64),
        ])
        let rows = 10_000
        let batch = try makeBatch(schema) { batch in
            try batch.append((0..<rows).map { Int64($0) }, to: "sorted")
            try batch.append((0..<rows).map { Int64(rows - $0) }, to: "reversed")
            // Ten repeating words: every page holds the same dictionary entries.
            try batch.append((0..<rows).map { $0 % 7 == 0 ? nil : "word\($0 % 10)" } as [String?], to: "text")
            // Nulls only in the first 4,000 rows: the first two pages hold nulls only.
            try batch.append((0..<rows).map { $0 < 4000 ? nil : Int64($0 % 100) } as [Int64?], to: "sparse")
        }
        let options = WriterOptions(pageRows: 2000)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        try reader.validate()

        let sorted = try #require(try columnIndex(reader, column: 0))
        #expect(sorted.boundaryOrder == .ascending)
        #expect(sorted.nullPages.allSatisfy { !$0 })
        #expect(sorted.minValues.map(int64) == [0, 2000, 4000, 6000, 8000])
        #expect(sorted.maxValues.map(int64) == [1999, 3999, 5999, 7999, 9999])
        #expect(try columnIndex(reader, column: 1)?.boundaryOrder == .descending)

        let text = try #require(try columnIndex(reader, column: 2))
        // A dictionary entry seen on an earlier page still counts for each later page.
        #expect(text.minValues.allSatisfy { $0 == Array("word0".utf8) }, "\(text.minValues)")
        #expect(text.maxValues.allSatisfy { $0 == Array("word9".utf8) })
        #expect(text.nullCounts!.reduce(0, +) == Int64((0..<rows).filter { $0 % 7 == 0 }.count))

        let sparse = try #require(try columnIndex(reader, column: 3))
        #expect(sparse.nullPages.prefix(2) == [true, true])
        #expect(sparse.minValues[0].isEmpty && sparse.maxValues[0].isEmpty)
        #expect(sparse.nullPages.dropFirst(2).allSatisfy { !$0 })
        #expect(sparse.minValues.dropFirst(2).map(int64).allSatisfy { $0 == 0 })
    }

    @Test func aPageOfOnlyNaNLeavesTheColumnIndexOut() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("x", .float64, nullable: false)])
        let values = (0..<4000).map { $0 < 2500 ? Double.nan : Double($0) }
        let (reader, _) = try writeAndRead(
            in: directory, schema: schema, options: WriterOptions(pageRows: 1000),
            batches: [makeBatch(schema) { try $0.append(values, to: "x") }])
        try reader.validate()
        #expect(try columnIndex(reader, column: 0) == nil)
        #expect(reader.metadata.rowGroups[0].columns[0].offsetIndexOffset != nil)
    }

    @Test func pageIndexCanBeTurnedOff() throws {
        let directory = try TemporaryDirectory()
        let (reader, _) = try writeAndRead(
            in: directory, schema: Mixed.schema, options: WriterOptions(pageIndex: false), batches: [Mixed.batch(0..<1000)])
        try reader.validate()
        #expect(reader.metadata.rowGroups[0].columns.allSatisfy { $0.columnIndexOffset == nil && $0.offsetIndexOffset == nil })
    }
}

/// Page checksums: every page header (dictionary pages too) carries the CRC-32 of its stored
/// bytes when asked, and none otherwise (the reader's `validate()` checks each one it finds).
@Suite struct PageChecksumTests {
    @Test(arguments: [Compression.uncompressed, .zstd])
    func everyPageCarriesItsChecksum(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let (reader, _) = try writeAndRead(
            in: directory, schema: Mixed.schema, options: WriterOptions(compression: compression, pageRows: 1000, pageChecksum: true),
            batches: [Mixed.batch(0..<5000)])
        let chunks = try reader.validate()
        let pages = chunks.flatMap { $0 }.flatMap(\.pages)
        #expect(pages.count > chunks[0].count)
        #expect(pages.allSatisfy { $0.header.crc != nil })
        #expect(pages.contains { $0.header.type == .dictionaryPage })
    }

    @Test func noChecksumByDefault() throws {
        let directory = try TemporaryDirectory()
        let (reader, _) = try writeAndRead(in: directory, schema: Mixed.schema, batches: [Mixed.batch(0..<100)])
        #expect(try reader.validate().flatMap { $0 }.flatMap(\.pages).allSatisfy { $0.header.crc == nil })
    }
}
