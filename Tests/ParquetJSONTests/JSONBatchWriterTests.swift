#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Parquet
@testable import ParquetJSON

/// The public Swift path for JSON records, nested ones included.
@Suite struct JSONBatchWriterTests {
    static func temporaryPath(_ name: String) -> String {
        var template = Array("/tmp/jsonbatchwriter.XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        return directory + "/" + name
    }

    @Test func writesNestedRecordsAndReportsSkippedOnes() throws {
        let schema = try Schema([
            Field("id", .int64, nullable: false),
            Field("tags", .list(.string)),
            Field("address", .struct(fields: [Field("city", .string), Field("zip", .int32)])),
            Field("attrs", .map(.string, .int64)),
        ])
        let path = Self.temporaryPath("nested.parquet")
        let writer = try ParquetWriter(path: path, schema: schema)
        let records = JSONBatchWriter(writer: writer, onInvalid: .skip)
        let result = try records.write("""
            {"id": 1, "tags": ["a", null], "address": {"city": "Oslo", "zip": 150}, "attrs": {"x": 1}}
            {"id": 2, "tags": [], "address": null, "attrs": {}}
            {"id": "three"}
            {"id": 4, "tags": "not a list"}
            {"id": 5}
            """)
        #expect(result.rowsWritten == 3)
        #expect(result.rejected.map(\.row) == [2, 3])
        #expect(result.rejected.map(\.code) == [.typeMismatch, .typeMismatch])
        #expect(result.rejected[1].column == "tags")  // the node where a list was expected
        let summary = try writer.close()
        #expect(summary.rows == 3)
        #expect(summary.columns.map(\.name) == [
            "id", "tags.list.element", "address.city", "address.zip", "attrs.key_value.key", "attrs.key_value.value",
        ])
        #expect(summary.columns[0].minimum == .int(1) && summary.columns[0].maximum == .int(5))
        #expect(access(path, F_OK) == 0)
    }

    @Test func aFailedBatchWritesNothingAndTheWriterGoesOn() throws {
        let schema = try Schema([Field("id", .int64, nullable: false), Field("tags", .list(.int32))])
        let path = Self.temporaryPath("fail.parquet")
        let writer = try ParquetWriter(path: path, schema: schema)
        let records = JSONBatchWriter(writer: writer)
        #expect(try records.write(#"[{"id": 1, "tags": [1, 2]}]"#).rowsWritten == 1)
        #expect {
            try records.write(#"[{"id": 2, "tags": [3]}, {"id": 3, "tags": [99999999999]}]"#)
        } throws: { error in
            let error = error as? ParquetError
            return error?.code == .valueOutOfRange && error?.row == 1 && error?.column == "tags.list.element"
        }
        #expect {
            try records.write(#"[{"id": 4,"#)
        } throws: { error in
            (error as? ParquetError)?.code == .malformedJSON
        }
        #expect(try records.write(#"{"id": 5, "tags": null}"#).rowsWritten == 1)
        let summary = try writer.close()
        #expect(summary.rows == 2)
        #expect(summary.columns[0].minimum == .int(1) && summary.columns[0].maximum == .int(5))
    }

    /// Reads a whole file (test helper; the library has no reader).
    static func contents(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    @Test(arguments: [InvalidRecordPolicy.skip, .fail])
    func twoThreadsWriteTheSameFileAsOne(policy: InvalidRecordPolicy) throws {
        let schema = try Schema([
            Field("id", .int64, nullable: false), Field("name", .string), Field("tags", .list(.int32)),
        ])
        var batches: [String] = []
        for batch in 0..<40 {
            var lines: [String] = []
            for row in 0..<(batch % 5 == 4 ? 0 : 700 + batch * 13) {
                let id = batch * 10_000 + row
                lines.append(#"{"id": \#(id), "name": "n\#(id % 97)", "tags": [\#(row % 5), \#(id % 11)]}"#)
            }
            // Every seventh batch has an invalid record: skipped, or the whole batch rejected.
            if batch % 7 == 3 { lines.insert(#"{"id": "bad"}"#, at: lines.count / 2) }
            batches.append(lines.joined(separator: "\n"))
        }
        var files: [[UInt8]] = []
        var outcomes: [[String]] = []
        for threads in [1, 2, 3, 8] {
            let path = Self.temporaryPath("threads\(threads).parquet")
            let options = WriterOptions(
                compression: .zstd(level: 1), rowGroupRows: 9_000, pageRows: 1_000, threads: ThreadCount(threads))
            let writer = try ParquetWriter(path: path, schema: schema, options: options)
            let records = JSONBatchWriter(writer: writer, onInvalid: policy)
            var seen: [String] = []
            for batch in batches {
                do {
                    let result = try records.write(batch)
                    seen.append("\(result.rowsWritten) \(result.rejected.map(\.row))")
                } catch {
                    seen.append("\(error.code) \(error.row ?? -1)")
                }
            }
            let summary = try writer.close()
            seen.append("\(summary.rows) rows in \(summary.rowGroups) groups")
            files.append(Self.contents(path))
            outcomes.append(seen)
        }
        for outcome in outcomes.dropFirst() { #expect(outcome == outcomes[0]) }
        #expect(files[0].count > 1_000)
        for file in files.dropFirst() { #expect(file == files[0]) }
    }

    /// Batches large enough to be parsed in pieces (over 1 MiB a piece): rejects, invalid and
    /// malformed records, unknown keys, records spanning lines and a cut inside a string all
    /// come out as with one thread, rows and byte offsets included, and the files are the same.
    @Test(arguments: [InvalidRecordPolicy.skip, .fail])
    func largeBatchesParsedInPiecesGiveWhatOneThreadGives(policy: InvalidRecordPolicy) throws {
        let schema = try Schema([
            Field("id", .int64, nullable: false), Field("name", .string), Field("tags", .list(.int32)),
            Field("at", .struct(fields: [Field("x", .float64), Field("y", .string)])),
        ])
        func line(_ id: Int) -> String {
            #"{"id": \#(id), "name": "name \#(id % 997) \#(String(repeating: "x", count: id % 40))", "tags": [\#(id % 5), \#(id % 11)], "at": {"x": \#(Double(id) / 8), "y": "y\#(id % 13)"}}"#
        }
        let rows = 30_000
        var batches: [String] = []
        // Clean; rejects spread over every piece; an unknown key late; a malformed record at the
        // end; pretty-printed records (every cut falls inside one).
        batches.append((0..<rows).map(line).joined(separator: "\n"))
        batches.append((0..<rows).map { $0 % 4_999 == 17 ? #"{"id": "bad \#($0)"}"# : line($0) }.joined(separator: "\n"))
        batches.append((0..<rows).map { $0 == rows - 10 ? #"{"id": 1, "extra": 2}"# : line($0) }.joined(separator: "\n"))
        batches.append((0..<rows).map(line).joined(separator: "\n") + "\n{\"id\": 1, \"name\": \"cut")
        batches.append((0..<rows).map { line($0).split(separator: ", ").joined(separator: ",\n ") }.joined(separator: "\n"))
        batches.append((0..<rows).map(line).joined(separator: "\r\n"))
        var files: [[UInt8]] = []
        var outcomes: [[String]] = []
        for threads in [1, 2, 3, 8] {
            let path = Self.temporaryPath("pieces\(threads).parquet")
            let options = WriterOptions(compression: .snappy, rowGroupRows: 50_000, threads: ThreadCount(threads))
            let writer = try ParquetWriter(path: path, schema: schema, options: options)
            let records = JSONBatchWriter(writer: writer, onInvalid: policy)
            var seen: [String] = []
            for batch in batches {
                do {
                    let result = try records.write(batch)
                    seen.append("\(result.rowsWritten) \(result.rejected.map { "\($0.row ?? -1)@\($0.offset ?? -1)" }) \(result.unknownKeys)")
                } catch {
                    seen.append("\(error.code) \(error.row ?? -1) \(error.offset ?? -1) \(error.message)")
                }
            }
            seen.append("\(try writer.close().rows)")
            files.append(Self.contents(path))
            outcomes.append(seen)
        }
        #expect(outcomes[0].count == batches.count + 1)
        for outcome in outcomes.dropFirst() { #expect(outcome == outcomes[0]) }
        for file in files.dropFirst() { #expect(file == files[0]) }
    }

    @Test func twoThreadsAbortLeavesNothingAndBadThreadCountsAreRefused() throws {
        let schema = try Schema([Field("id", .int64, nullable: false)])
        let path = Self.temporaryPath("aborted.parquet")
        for bad in [0, -1, ThreadCount.maximum + 1] {
            #expect(throws: ParquetError.self) {
                try ParquetWriter(path: path, schema: schema, options: WriterOptions(threads: ThreadCount(bad)))
            }
        }
        let writer = try ParquetWriter(path: path, schema: schema, options: WriterOptions(threads: 2))
        let records = JSONBatchWriter(writer: writer)
        for batch in 0..<10 {
            try records.write((0..<1_000).map { #"{"id": \#(batch * 1_000 + $0)}"# }.joined(separator: "\n"))
        }
        writer.abort()
        #expect(access(path, F_OK) != 0)
        #expect(throws: ParquetError.self) { try writer.close() }
    }
}
