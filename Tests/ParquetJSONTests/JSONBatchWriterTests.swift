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
        let (outcomes, files) = try Self.writeBatches(
            batches, schema: schema, policy: policy, threads: [1, 2, 3, 8], name: "threads",
            options: WriterOptions(compression: .zstd(level: 1), rowGroupRows: 9_000, pageRows: 1_000))
        for outcome in outcomes.dropFirst() { #expect(outcome == outcomes[0]) }
        #expect(files[0].count > 1_000)
        for file in files.dropFirst() { #expect(file == files[0]) }
    }

    /// Writes `batches` through a ``JSONBatchWriter`` once per thread count, each into a file
    /// of its own.
    /// - Parameters:
    ///   - options: The files' options (their thread count is replaced by each of `threads`).
    /// - Returns: For each thread count, each batch's outcome (rows written, rejects with row
    ///   and byte offset, unknown keys; or the error's code, row, offset and message) and the
    ///   file's rows and row groups; and the files' bytes.
    static func writeBatches(
        _ batches: [String], schema: Schema, policy: InvalidRecordPolicy, threads: [Int], name: String,
        options: WriterOptions = WriterOptions(compression: .snappy, rowGroupRows: 50_000)
    ) throws -> (outcomes: [[String]], files: [[UInt8]]) {
        var files: [[UInt8]] = []
        var outcomes: [[String]] = []
        for threads in threads {
            let path = temporaryPath("\(name)\(threads).parquet")
            var options = options
            options.threads = ThreadCount(threads)
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
            let summary = try writer.close()
            seen.append("\(summary.rows) rows in \(summary.rowGroups) groups")
            files.append(contents(path))
            outcomes.append(seen)
        }
        return (outcomes, files)
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
        let (outcomes, files) = try Self.writeBatches(
            batches, schema: schema, policy: policy, threads: [1, 2, 3, 8], name: "pieces")
        #expect(outcomes[0].count == batches.count + 1)
        for outcome in outcomes.dropFirst() { #expect(outcome == outcomes[0]) }
        for file in files.dropFirst() { #expect(file == files[0]) }
    }

    /// JSON arrays large enough to be parsed in three pieces (head, body, tail), cut between
    /// records: as
    /// ``largeBatchesParsedInPiecesGiveWhatOneThreadGives(policy:)`` for NDJSON, plus the cuts
    /// an array invites: `},{` inside records (a list of structs, and text that reads like a
    /// record boundary), pretty-printed arrays, records whose first keys differ, a missing `]`,
    /// bytes after it, and an empty record list.
    @Test(arguments: [InvalidRecordPolicy.skip, .fail])
    func largeArraysParsedInPiecesGiveWhatOneThreadGives(policy: InvalidRecordPolicy) throws {
        let schema = try Schema([
            Field("id", .int64, nullable: false), Field("name", .string),
            Field("parts", .list(.struct(fields: [Field("id", .int32), Field("note", .string)]))),
        ])
        func record(_ id: Int) -> String {
            // Every 50th name looks like the end of a record and the start of the next one.
            let name = id % 50 == 7 ? #"a},{\"id\": \#(id),"# : "name \(id % 997) \(String(repeating: "x", count: id % 40))"
            let parts = (0..<(id % 4)).map { #"{"id": \#($0), "note": "n\#(id % 13)"}"# }.joined(separator: ",")
            return #"{"id": \#(id), "name": "\#(name)", "parts": [\#(parts)]}"#
        }
        let rows = 36_000
        func array(_ records: [String], separator: String = ",") -> String { "[" + records.joined(separator: separator) + "]" }
        var batches: [String] = []
        batches.append(array((0..<rows).map(record)))
        batches.append(array((0..<rows).map { $0 % 4_999 == 17 ? #"{"id": "bad \#($0)"}"# : record($0) }))
        batches.append(array((0..<rows).map { $0 == rows - 10 ? #"{"id": 1, "extra": 2}"# : record($0) }))
        batches.append(" [\n  " + (0..<rows).map(record).joined(separator: " ,\n  ") + "\n] \n")
        // Keys in another order from record 1 on: no cut is found, one thread parses it.
        batches.append(array([record(0)] + (1..<rows).map { #"{"name": "n", "id": \#($0)}"# }))
        batches.append(String(array((0..<rows).map(record)).dropLast()))
        batches.append(array((0..<rows).map(record)) + " x")
        batches.append(
            String(array((0..<(rows / 2)).map(record)).dropLast()) + ",,"
                + String(array((rows / 2..<rows).map(record)).dropFirst()))
        batches.append("[" + String(repeating: " ", count: 3 << 20) + "]")
        let (outcomes, files) = try Self.writeBatches(
            batches, schema: schema, policy: policy, threads: [1, 3], name: "arrayPieces")
        #expect(outcomes[0].count == batches.count + 1)
        #expect(outcomes[0][0].hasPrefix("\(rows) "))
        for outcome in outcomes.dropFirst() { #expect(outcome == outcomes[0]) }
        for file in files.dropFirst() { #expect(file == files[0]) }
    }

    /// Where a batch array is cut: at the `{` of a record, never inside a string, and not at
    /// all when records do not start with the first record's key; the pieces then parse on
    /// their own. A list of structs whose first key is the record's can take a cut: that piece
    /// fails and the batch is parsed again whole, with the same result.
    @Test func arrayCutsFallBetweenRecords() throws {
        func cuts(_ text: String, count: Int) -> (cuts: [Int], array: Bool) {
            Array(text.utf8).withUnsafeBytes { JSONBatchDecoder.pieces(of: $0, count: count) }
        }
        let record = #"{"id": 1, "parts": [{"n": 2},{"n": 3}], "s": "},{\"id\": 4"}"#
        let text = "[" + Array(repeating: record, count: 60_000).joined(separator: " , ") + "]"
        let bytes = Array(text.utf8)
        let (found, array) = cuts(text, count: 3)
        #expect(array && found.count == 4 && found.first == 0 && found.last == bytes.count)
        for cut in found.dropFirst().dropLast() {
            #expect(Array(bytes[cut..<(cut + record.utf8.count)]) == Array(record.utf8))
            #expect(Array(bytes[(cut - 4)..<cut]) == Array("} , ".utf8))
        }
        #expect(cuts(text, count: 1).cuts == [0, bytes.count])
        let otherKeys = "[" + record + "," + Array(repeating: #"{"s": 1, "id": 2}"#, count: 200_000).joined(separator: ",") + "]"
        #expect(cuts(otherKeys, count: 2).cuts.count == 2)

        let schema = try Schema([
            Field("id", .int64, nullable: false), Field("parts", .list(.struct(fields: [Field("n", .int32)]))),
            Field("s", .string),
        ])
        let pool = try WorkerPool(width: 3)
        defer { pool.stop() }
        let ambiguous = text.replacing(#"{"n": 2},{"n": 3}"#, with: #"{"id": 2},{"id": 3}"#)
        for (batch, pieces) in [(text, 3), (ambiguous, nil)] {
            var decoder = JSONBatchDecoder(schema: schema)
            var builders = schema.leafColumns.map { ColumnBuilder(descriptor: $0) }
            var spare: [[ColumnBuilder]] = []
            let outcome = try batch._withJSONBytes { bytes throws(ParquetError) in
                try decoder.decode(bytes, into: &builders, policy: .fail, pool: pool, spare: &spare)
            }
            #expect(outcome.rowsAccepted == 60_000 && builders.allSatisfy { $0.rowCount == 60_000 })
            if let pieces { #expect(decoder.lastPieceCount == pieces) }
        }
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
