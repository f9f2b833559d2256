import Testing
@testable import Parquet

/// ``ParquetWriter`` over sinks that are not files: the bytes are the same file, the sink is
/// committed once by close, aborted by abort, by a failure and by a dropped writer, and the
/// page spool of a non-file sink lives in the temporary directory.
@Suite struct OutputSinkTests {
    static let schema = try! Schema([Field("a", .int64, nullable: false), Field("b", .string)])

    /// Collects the bytes in memory and records what was called; fails the write numbered
    /// `failingWrite` (0-based) when set.
    final class MemorySink: OutputSink {
        let path = "memory"
        var bytes: [UInt8] = []
        var writes = 0
        var commits = 0
        var aborts = 0
        var failingWrite: Int?
        var failingCommit = false

        func write(_ buffer: UnsafeRawBufferPointer) throws(ParquetError) {
            defer { writes += 1 }
            if writes == failingWrite { throw ParquetError(.io, "refused write \(writes)") }
            bytes.append(contentsOf: buffer)
        }

        func commit() throws(ParquetError) {
            if failingCommit { throw ParquetError(.io, "refused commit") }
            commits += 1
        }

        /// Counts the aborts that discard something: like every sink, later calls and calls
        /// after a commit do nothing.
        func abort() {
            if commits == 0 && aborts == 0 { aborts += 1 }
        }
    }

    static func batch(_ range: Range<Int64>) throws -> ColumnBatch {
        try makeBatch(schema) { batch in
            try batch.append(Array(range), to: "a")
            try batch.append(range.map { $0 % 3 == 0 ? nil : "v\($0)" }, to: "b")
        }
    }

    /// With a small column buffer, pages wait in the spool: a file gets them copied inside the
    /// kernel (copy_file_range), another sink read and written; the bytes are the same.
    @Test(arguments: [1, 2, 3], [nil, 1 << 10])
    func aMemorySinkGetsTheSameBytesAsAFile(threads: Int, columnBufferBytes: Int?) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("x.parquet")
        var options = WriterOptions(rowGroupRows: 1_000, threads: ThreadCount(threads))
        options.columnBufferBytes = columnBufferBytes
        let fileWriter = try ParquetWriter(path: path, schema: Self.schema, options: options)
        let sink = MemorySink()
        let sinkWriter = try ParquetWriter(sink: sink, schema: Self.schema, options: options)
        for start in stride(from: Int64(0), to: 5_000, by: 700) {
            try fileWriter.write(Self.batch(start..<min(start + 700, 5_000)))
            try sinkWriter.write(Self.batch(start..<min(start + 700, 5_000)))
        }
        let fileSummary = try fileWriter.close()
        let sinkSummary = try sinkWriter.close()
        #expect(sink.commits == 1 && sink.aborts == 0)
        #expect(sinkSummary.path == "memory")
        #expect(sinkSummary.rows == 5_000 && sinkSummary.rowGroups == fileSummary.rowGroups)
        #expect(sinkSummary.bytes == sink.bytes.count)
        // created_by and everything else match: the sink changes where bytes go, nothing more.
        #expect(sink.bytes == (try readWholeFile(path)))
        let reader = try ParquetFileReader(bytes: sink.bytes)
        try reader.validate()
        #expect(try reader.values(ofColumn: 0).count == 5_000)
        sinkWriter.abort()  // after close: nothing happens
        #expect(sink.aborts == 0)
    }

    /// Dictionary pages, small data pages, page indexes and the footer reach the sink gathered
    /// (one write per small row group, one for the file's tail), and each row group reaches it
    /// whole as it closes, so a streaming sink still gets it then.
    @Test func smallWritesReachTheSinkGatheredAndEachRowGroupWhole() throws {
        let sink = MemorySink()
        let writer = try ParquetWriter(sink: sink, schema: Self.schema, options: WriterOptions(rowGroupRows: 1_000))
        #expect(sink.writes == 1 && sink.bytes.count == 4)  // the magic, at once
        var handedOver: [Int] = []
        for start in stride(from: Int64(0), to: 5_000, by: 1_000) {
            try writer.write(Self.batch(start..<start + 1_000))
            handedOver.append(sink.bytes.count)
        }
        let summary = try writer.close()
        #expect(summary.rowGroups == 5)
        // Magic, one write per row group (its two chunks' pages and headers), one for the page
        // indexes and footer: 30 writes before they were gathered.
        #expect(sink.writes == 1 + 5 + 1)
        let reader = try ParquetFileReader(bytes: sink.bytes)
        try reader.validate()
        let ends = reader.metadata.rowGroups.map { group in
            group.columns.map { chunk in
                let meta = chunk.metaData!
                return Int(meta.dictionaryPageOffset ?? meta.dataPageOffset) + Int(meta.totalCompressedSize)
            }.max()!
        }
        #expect(handedOver == ends)
    }

    @Test func aFailedWriteAbortsTheSinkAndFailsTheWriter() throws {
        let sink = MemorySink()
        sink.failingWrite = 2  // the magic, the first row group, then the second row group fails
        let writer = try ParquetWriter(sink: sink, schema: Self.schema, options: WriterOptions(rowGroupRows: 100))
        let error = #expect(throws: ParquetError.self) { try writer.write(Self.batch(0..<500)) }
        #expect(error?.code == .io)
        #expect(sink.aborts == 1 && sink.commits == 0)
        let later = #expect(throws: ParquetError.self) { try writer.close() }
        #expect(later?.code == .writerClosed)
        #expect(sink.aborts == 1 && sink.commits == 0)
    }

    @Test func aFailedCommitIsAnErrorAndTheSinkIsAborted() throws {
        let sink = MemorySink()
        sink.failingCommit = true
        let writer = try ParquetWriter(sink: sink, schema: Self.schema)
        try writer.write(Self.batch(0..<10))
        let error = #expect(throws: ParquetError.self) { try writer.close() }
        #expect(error?.code == .io)
        #expect(sink.aborts == 1 && sink.commits == 0)
    }

    @Test func aSinkRefusingTheFirstBytesFailsInitAndIsAborted() throws {
        let sink = MemorySink()
        sink.failingWrite = 0
        #expect(throws: ParquetError.self) { _ = try ParquetWriter(sink: sink, schema: Self.schema) }
        #expect(sink.aborts == 1)
        let invalid = MemorySink()
        #expect(throws: ParquetError.self) {
            _ = try ParquetWriter(sink: invalid, schema: Self.schema, options: WriterOptions(rowGroupRows: 0))
        }
        #expect(invalid.aborts == 1 && invalid.bytes.isEmpty)
    }

    @Test func abortAndADroppedWriterAbortTheSink() throws {
        let aborted = MemorySink()
        let writer = try ParquetWriter(sink: aborted, schema: Self.schema)
        try writer.write(Self.batch(0..<10))
        writer.abort()
        writer.abort()
        #expect(aborted.aborts == 1 && aborted.commits == 0)

        let dropped = MemorySink()
        do {
            let writer = try ParquetWriter(sink: dropped, schema: Self.schema)
            try writer.write(Self.batch(0..<10))
        }
        #expect(dropped.aborts == 1 && dropped.commits == 0)
    }

    @Test func aSpooledRowGroupGoesThroughTheSinkWithItsScratchFileInTheTemporaryDirectory() throws {
        // Pages beyond 1 KiB per column wait in the spool; a non-file sink's spool is nameless
        // in TMPDIR/tmp, so the file reads back whole and nothing is left anywhere.
        let sink = MemorySink()
        let options = WriterOptions(compression: .uncompressed, columnBufferBytes: 1 << 10, pageBytes: 1 << 10)
        let writer = try ParquetWriter(sink: sink, schema: Self.schema, options: options)
        try writer.write(Self.batch(0..<20_000))
        try writer.close()
        let reader = try ParquetFileReader(bytes: sink.bytes)
        try reader.validate()
        #expect(try reader.values(ofColumn: 0) == (0..<20_000).map { .int64($0) })
        #expect(sink.writes > 3)
    }
}
