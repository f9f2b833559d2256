import Foundation
import Testing
@testable import Parquet
import ParquetFoundation

/// Foundation types as column values, in derived schemas, and as outputs.
@Suite struct FoundationValueTests {
    func batch(_ fields: [Field]) throws -> ColumnBatch { ColumnBatch(schema: try Schema(fields)) }

    @Test func datesToTimestampsInEachUnitAndToDays() throws {
        let instant = Date(timeIntervalSince1970: 1_700_000_000.123456)
        var batch = try batch([
            Field("ms", .timestamp(.milliseconds, utc: true)), Field("us", .timestamp(.microseconds, utc: true)),
            Field("day", .date), Field("before", .date),
        ])
        try batch.append([instant, nil], to: "ms")
        try batch.append([instant, nil], to: "us")
        try batch.append([instant, nil], to: "day")
        try batch.append([Date(timeIntervalSince1970: -1), nil], to: "before")
        #expect(batch.builders[0].int64s == [1_700_000_000_123])
        #expect(batch.builders[1].int64s == [1_700_000_000_123_456])
        #expect(batch.builders[2].int32s == [19_675])  // 2023-11-14
        #expect(batch.builders[3].int32s == [-1])  // 1969-12-31: days round down
        var strings = try self.batch([Field("s", .string)])
        #expect(throws: ParquetError.self) { try strings.append([instant], to: "s") }
        var far = try self.batch([Field("ns", .timestamp(.nanoseconds, utc: true))])
        let error = try #require(throws: ParquetError.self) {
            try far.append([Date(timeIntervalSince1970: 1e12)], to: "ns")
        }
        #expect(error.code == .valueOutOfRange)
        #expect(error.row == 0 && error.column == "ns")
    }

    @Test func decimalsAreExactOrRefused() throws {
        var batch = try batch([Field("d", .decimal(precision: 10, scale: 2)), Field("s", .string)])
        try batch.append([Decimal(string: "12.34")!, Decimal(string: "-0.5")!, nil], to: "d")
        try batch.append([Decimal(string: "12.340")!, Decimal(string: "1e3")!, nil], to: "s")
        #expect(batch.builders[0].int64s == [1234, -50])
        #expect(String(decoding: batch.builders[1].bytes.bytes, as: UTF8.self) == "12.341000")
        let scale = try #require(throws: ParquetError.self) {
            try batch.append([Decimal(string: "1.234")!], to: "d")
        }
        #expect(scale.code == .invalidValue)
        let digits = try #require(throws: ParquetError.self) {
            try batch.append([Decimal(string: "123456789.1")!], to: "d")
        }
        #expect(digits.code == .valueOutOfRange)
        #expect(batch.builders[0].rowCount == 3)
    }

    @Test func uuidsDataAndURLs() throws {
        let key = UUID(uuidString: "0123ABCD-0000-4000-8000-0000000000FF")!
        var batch = try batch([
            Field("key", .uuid), Field("text", .string), Field("blob", .binary), Field("link", .string),
        ])
        try batch.append([key], to: "key")
        try batch.append([key], to: "text")
        try batch.append([Data([1, 2, 3])], to: "blob")
        try batch.append([URL(string: "https://example.com/a?b=c")!], to: "link")
        #expect(batch.builders[0].bytes.bytes == [0x01, 0x23, 0xAB, 0xCD, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xFF])
        #expect(String(decoding: batch.builders[1].bytes.bytes, as: UTF8.self) == "0123abcd-0000-4000-8000-0000000000ff")
        #expect(batch.builders[2].bytes.bytes == [1, 2, 3])
        #expect(String(decoding: batch.builders[3].bytes.bytes, as: UTF8.self) == "https://example.com/a?b=c")
        var strings = try self.batch([Field("s", .string)])
        #expect(throws: ParquetError.self) { try strings.append([Data([0xFF])], to: "s") }  // not UTF-8
    }

    struct Event: Codable {
        var id: UUID
        var at: Date
        var day: Date?
        var amount: Decimal
        var payload: Data
        var source: URL?
        var history: [Date]
    }

    @Test func derivedSchemaAndEncodableRows() throws {
        let schema = try Schema(deriving: Event.self)
        #expect(schema.fields == [
            Field("id", .uuid, nullable: false),
            Field("at", .timestamp(.microseconds, utc: true), nullable: false),
            Field("day", .timestamp(.microseconds, utc: true)),
            Field("amount", .decimal(precision: 38, scale: 18), nullable: false),
            Field("payload", .binary, nullable: false),
            Field("source", .string),
            Field("history", .list(.timestamp(.microseconds, utc: true), nullableElements: false), nullable: false),
        ])
        let at = Date(timeIntervalSince1970: 86_400.5)
        let event = Event(
            id: UUID(), at: at, day: nil, amount: Decimal(string: "0.000000000000000001")!, payload: Data([7]),
            source: URL(string: "s3://bucket/key"), history: [at, at])
        var batch = ColumnBatch(schema: schema)
        try batch.append(rows: [event])
        #expect(batch.builders[1].int64s == [86_400_500_000])
        #expect(batch.builders[2].definitionLevels == [0])
        #expect(batch.builders[6].int64s == [86_400_500_000, 86_400_500_000])
        #expect(batch.builders[6].repetitionLevels == [0, 1])
        // Decimal(38, 18) holds 10^-18 exactly: unscaled 1, big-endian in 16 bytes.
        #expect(batch.builders[3].bytes.bytes == [UInt8](repeating: 0, count: 15) + [1])
    }

    @Test func urlAndFileHandleOutputs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = try Schema([Field("id", .int64, nullable: false)])
        var batch = ColumnBatch(schema: schema)
        try batch.append([1, 2, 3] as [Int64], to: "id")

        let url = directory.appendingPathComponent("by-url.parquet")
        let byURL = try ParquetWriter(url: url, schema: schema)
        try byURL.write(batch)
        _ = try byURL.close()

        let handlePath = directory.appendingPathComponent("by-handle.parquet").path
        #expect(FileManager.default.createFile(atPath: handlePath, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: handlePath))
        let byHandle = try ParquetWriter(fileHandle: handle, schema: schema)
        try byHandle.write(batch)
        _ = try byHandle.close()
        try handle.close()

        let written = try Data(contentsOf: url)
        #expect(written.prefix(4) == Data("PAR1".utf8) && written.suffix(4) == Data("PAR1".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: handlePath)) == written)

        let remote = try #require(throws: ParquetError.self) {
            try ParquetWriter(url: URL(string: "https://example.com/x.parquet")!, schema: schema)
        }
        #expect(remote.code == .invalidOptions)
    }
}
