#if canImport(Glibc)
import Glibc
#endif
import Parquet
import Testing

/// ``OutputMode`` for a single file: `overwrite` replaces, `error` refuses an existing file at
/// creation and keeps one created meanwhile at commit, the dataset modes are refused.
@Suite struct OutputModeFileTests {
    static let schema = try! Schema([Field("a", .int64, nullable: false)])

    static func writeFile(_ path: String, rows: Int, mode: OutputMode) throws(ParquetError) {
        let writer = try ParquetWriter(path: path, schema: schema, mode: mode)
        var batch = ColumnBatch(schema: schema)
        try batch.append((0..<rows).map { Int64($0) }, to: "a")
        try writer.write(batch)
        _ = try writer.close()
    }

    static func rows(_ path: String) throws -> Int64 {
        try ParquetFileReader(path: path).metadata.numRows
    }

    @Test func overwriteIsTheDefaultAndReplaces() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.parquet")
        try Self.writeFile(path, rows: 3, mode: .overwrite)
        let writer = try ParquetWriter(path: path, schema: Self.schema)
        var batch = ColumnBatch(schema: Self.schema)
        try batch.append([1, 2, 3, 4, 5] as [Int64], to: "a")
        try writer.write(batch)
        _ = try writer.close()
        #expect(try Self.rows(path) == 5)
        #expect(directory.entries() == ["out.parquet"])
    }

    @Test func errorRefusesAnExistingFileAndLeavesIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.parquet")
        try Self.writeFile(path, rows: 3, mode: .error)
        #expect(throws: ParquetError.self) { try Self.writeFile(path, rows: 5, mode: .error) }
        do {
            _ = try ParquetWriter(path: path, schema: Self.schema, mode: .error)
            Issue.record("an existing file was accepted")
        } catch {
            #expect(error.code == .io)
            #expect(error.message.contains("'\(path)' already exists") && error.message.contains("overwrite"))
        }
        #expect(try Self.rows(path) == 3)
        #expect(directory.entries() == ["out.parquet"])
    }

    @Test func errorKeepsAFileCreatedWhileWriting() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema, mode: .error)
        var batch = ColumnBatch(schema: Self.schema)
        try batch.append([1, 2] as [Int64], to: "a")
        try writer.write(batch)
        // Another process creates the file meanwhile: the commit must not replace it.
        let other = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        #expect(other >= 0)
        _ = "theirs".withCString { write(other, $0, 6) }
        close(other)
        #expect(throws: ParquetError.self) { try writer.close() }
        #expect(try readWholeFile(path) == Array("theirs".utf8))
        #expect(directory.entries() == ["out.parquet"])
    }

    @Test func datasetModesAreRefusedForAFile() throws {
        let directory = try TemporaryDirectory()
        for mode in [OutputMode.append, .overwritePartitions] {
            do {
                _ = try ParquetWriter(path: directory.file("out.parquet"), schema: Self.schema, mode: mode)
                Issue.record("mode \(mode) was accepted for a file")
            } catch {
                #expect(error.code == .invalidOptions)
                #expect(error.message.contains("'\(mode.rawValue)'"))
            }
        }
        #expect(directory.entries().isEmpty)
    }

    @Test func defaultsMatchTheAnchors() {
        #expect(OutputMode.defaultMode(dataset: false, local: true) == .overwrite)
        #expect(OutputMode.defaultMode(dataset: true, local: true) == .error)
        #expect(OutputMode.defaultMode(dataset: true, local: false) == .append)
    }
}
