#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetJSON
import Testing

@testable import ParquetCABI

/// The @_cdecl functions called from Swift: NULLs, dead handles, last_error, the round trip.
/// (The pytest suite in Tests/ABI drives the same functions through the built .so.)
@Suite struct EntryPointTests {
    /// Takes a returned string, frees it, and parses it.
    func take(_ pointer: UnsafeMutablePointer<CChar>?) throws -> JSONValue {
        let text = try #require(pointer.map { String(cString: $0) })
        free_string(pointer)
        return try JSONValue.parse(text)
    }

    func lastError() throws -> JSONValue {
        try JSONValue.parse(String(cString: try #require(last_error())))
    }

    func config(_ path: String, _ extra: String = "") -> String {
        #"{"path": "\#(path)", "schema": {"fields": [{"name": "id", "type": "int64", "nullable": false}, {"name": "s", "type": "string"}]}\#(extra)}"#
    }

    @Test func nullArgumentsAreErrors() throws {
        #expect(create_writer(nil) == nil)
        #expect(try lastError()["code"] == .string("invalid_argument"))

        let write = try take(write_batch(nil, "[]"))
        #expect(write["ok"] == .bool(false))
        #expect(write["error"]?["code"] == .string("invalid_argument"))
        #expect(try lastError()["code"] == .string("invalid_argument"))

        #expect(try take(write_batch_n(nil, "[]", 2))["error"]?["code"] == .string("invalid_argument"))
        #expect(try take(close_writer(nil))["error"]?["code"] == .string("invalid_argument"))
        abort_writer(nil)
        #expect(try lastError()["code"] == .string("invalid_argument"))
        free_string(nil)
        #expect(try lastError()["code"] == .string("invalid_argument"), "free_string leaves last_error alone")
    }

    @Test func badConfigurationReturnsNullAndSaysWhy() throws {
        #expect(create_writer(#"{"path": "x.parquet", "schema": {"fields": [{"name": "a", "type": "int128"}]}}"#) == nil)
        let error = try lastError()
        #expect(error["code"] == .string("invalid_schema"))
        #expect(error["column"] == .string("a"))
        guard case .string(let message)? = error["message"] else { Issue.record("no message"); return }
        #expect(message.contains("int128"))

        #expect(create_writer("{not json") == nil)
        #expect(try lastError()["code"] == .string("malformed_json"))
        #expect(try lastError()["offset"] == .number("1"))
    }

    @Test func unwritablePathsAreIOErrors() throws {
        let directory = makeScratchDirectory("entry-points")
        defer { removeDirectory(directory) }
        #expect(create_writer(config(directory + "/missing/out.parquet")) == nil)
        #expect(try lastError()["code"] == .string("io_error"))
        #expect(create_writer(config(directory)) == nil)
        let error = try lastError()
        #expect(error["code"] == .string("io_error"))
        guard case .string(let message)? = error["message"] else { Issue.record("no message"); return }
        #expect(message.contains("is a directory"))
        #expect(directoryEntries(directory).isEmpty)
    }

    @Test func successClearsLastErrorAndDeadHandlesAreErrors() throws {
        let directory = makeScratchDirectory("entry-points")
        defer { removeDirectory(directory) }
        #expect(create_writer(nil) == nil)
        let writer = try #require(create_writer(config(directory + "/a.parquet")))
        #expect(String(cString: try #require(last_error())) == "null")

        abort_writer(writer)
        #expect(directoryEntries(directory).isEmpty, "abort leaves nothing behind")
        #expect(try take(write_batch(writer, "[]"))["error"]?["code"] == .string("invalid_handle"))
        #expect(try take(close_writer(writer))["error"]?["code"] == .string("invalid_handle"))
        abort_writer(writer)
        #expect(try lastError()["code"] == .string("invalid_handle"))
    }

    @Test func versionIsStatic() {
        let version = String(cString: parquet_writer_version()!)
        #expect(version.hasPrefix("\(ParquetWriter.version) (build "))
        #expect(ParquetWriter.version.split(separator: ".").map { Int($0) != nil } == [true, true, true])
        #expect(version.hasSuffix(")"))
        #expect(parquet_writer_version() == parquet_writer_version())
    }

    @Test func roundTripThroughTheEntryPoints() throws {
        let directory = makeScratchDirectory("entry-points")
        defer { removeDirectory(directory) }
        let path = directory + "/out.parquet"
        let writer = try #require(create_writer(config(path, #", "on_invalid": "skip""#)))

        let first = try take(write_batch(writer, #"[{"id": 1, "s": "a"}, {"id": 2}]"#))
        #expect(first["ok"] == .bool(true))
        #expect(first["rows_written"] == .number("2"))
        #expect(first["files"] == .array([]))

        // Not NUL-terminated: only the first `length` bytes are read.
        let buffer = Array(#"{"id": 3, "s": "c"}"#.utf8) + Array("\n{\"id\": \"x\"}\ngarbage".utf8)
        let length = buffer.count - "\ngarbage".utf8.count
        let second = try take(buffer.withUnsafeBytes {
            write_batch_n(writer, $0.baseAddress!.assumingMemoryBound(to: CChar.self), UInt(length))
        })
        #expect(second["ok"] == .bool(true))
        #expect(second["rows_written"] == .number("1"))
        #expect(second["rows_rejected"] == .number("1"))
        guard case .array(let errors)? = second["errors"], let rejected = errors.first else {
            Issue.record("no errors listed: \(second)")
            return
        }
        #expect(rejected["row"] == .number("1"))
        #expect(rejected["column"] == .string("id"))
        #expect(rejected["offset"] != JSONValue.null)

        // Malformed JSON rejects the whole batch; the writer stays usable.
        let third = try take(write_batch(writer, #"[{"id": 9}, {"id": "#))
        #expect(third["ok"] == .bool(false))
        #expect(third["error"]?["code"] == .string("malformed_json"))
        #expect(try lastError()["code"] == .string("malformed_json"))

        #expect(directoryEntries(directory).allSatisfy { $0 != "out.parquet" }, "nothing at the path before close")
        let summary = try take(close_writer(writer))
        #expect(summary["ok"] == .bool(true), "\(summary)")
        #expect(summary["rows_written"] == .number("3"))
        #expect(summary["rows_rejected"] == .number("1"))
        guard case .array(let files)? = summary["files"], let file = files.first else {
            Issue.record("no files: \(summary)")
            return
        }
        #expect(file["path"] == .string(path))
        #expect(file["rows"] == .number("3"))
        #expect(file["row_groups"] == .number("1"))
        #expect(file["columns"]?["id"]?["min"] == .number("1"))
        #expect(file["columns"]?["id"]?["max"] == .number("3"))
        #expect(file["columns"]?["s"]?["null_count"] == .number("1"))
        #expect(file["columns"]?["s"]?["max"] == .string("c"))
        #expect(directoryEntries(directory) == ["out.parquet"])
        #expect(try take(close_writer(writer))["error"]?["code"] == .string("invalid_handle"))
    }

    @Test func failPolicyRejectsTheWholeBatch() throws {
        let directory = makeScratchDirectory("entry-points")
        defer { removeDirectory(directory) }
        let writer = try #require(create_writer(config(directory + "/f.parquet")))
        let rejected = try take(write_batch(writer, #"[{"id": 1}, {"id": 2.5}, {"id": 3}]"#))
        #expect(rejected["ok"] == .bool(false))
        #expect(rejected["error"]?["row"] == .number("1"))
        #expect(rejected["error"]?["column"] == .string("id"))
        let accepted = try take(write_batch(writer, #"[{"id": 4}]"#))
        #expect(accepted["rows_written"] == .number("1"))
        let summary = try take(close_writer(writer))
        guard case .array(let files)? = summary["files"], let file = files.first else {
            Issue.record("no files: \(summary)")
            return
        }
        #expect(file["rows"] == .number("1"))
        #expect(file["columns"]?["id"]?["min"] == .number("4"))
    }
}
