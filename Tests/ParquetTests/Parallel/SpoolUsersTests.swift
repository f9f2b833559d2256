import ParquetBytes
import Testing
@testable import Parquet

/// Files that share threads and a page spool (a dataset's partition files) keep row groups
/// open at the same time; the spool is reset only when the last open row group ends. A file
/// given up with its row group open (aborted, failed or dropped) stops counting, so the others
/// still reset the spool when they end.
@Suite struct SpoolUsersTests {
    static let schema = try! Schema([Field("a", .int64, nullable: false), Field("b", .string)])

    @Test func aFileGivenUpWithARowGroupOpenStopsCountingAsASpoolUser() throws {
        let directory = try TemporaryDirectory()
        // Every page past a kilobyte of a column goes to the spool.
        let options = WriterOptions(compression: .uncompressed, columnBufferBytes: 1 << 10, pageBytes: 1 << 10)
        let spool = try ScratchFile(directory: directory.path)
        let threads = try EncodingThreads(
            width: 1, compression: options.compression, spool: spool, columnBufferBytes: 1 << 10)
        defer { threads.stop() }
        let batch = try makeBatch(Self.schema) { batch in
            try batch.append(Array(0..<Int64(5_000)), to: "a")
            try batch.append((0..<5_000).map { "value \($0)" }, to: "b")
        }
        func openWithRowGroupOpen(_ name: String) throws -> ParquetWriter {
            let writer = try ParquetWriter(
                sink: try FileSink(path: directory.file(name)), schema: Self.schema, options: options,
                sharedThreads: threads)
            try writer.writeStep(builders: batch.builders, rowCount: batch.rowCount, closingPagesOf: 0, on: threads)
            return writer
        }
        let kept = try openWithRowGroupOpen("kept.parquet")
        let aborted = try openWithRowGroupOpen("aborted.parquet")
        #expect(threads.spoolUsers.openRowGroups == 2)
        aborted.abort()
        #expect(threads.spoolUsers.openRowGroups == 1)
        aborted.abort()  // again: counted out once
        do {
            _ = try openWithRowGroupOpen("dropped.parquet")  // dropped unclosed at once
        }
        #expect(threads.spoolUsers.openRowGroups == 1)
        let summary = try kept.close()
        #expect(summary.rows == 5_000)
        #expect(threads.spoolUsers.openRowGroups == 0)
        // The last row group to end reset the spool: the next extent starts at its beginning.
        #expect(try spool.append(ByteBuffer([1, 2, 3])).lowerBound == 0)
        #expect(try readWholeFile(directory.file("kept.parquet")).count == summary.bytes)
    }
}
