#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Parquet

/// `AsyncParquetWriter`: awaited from many tasks, run on its own thread, the file as a
/// `ParquetWriter` writes it.
@Suite struct AsyncParquetWriterTests {
    struct Row: Encodable, Sendable {
        var id: Int64
        var tags: [String]
    }

    static let schema = try! Schema([Field("id", .int64, nullable: false), Field("tags", .list(.string), nullable: false)])

    @Test func concurrentTasksWriteEveryRowOnTheWritersThread() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("async.parquet")
        let writer = try AsyncParquetWriter(path: path, schema: Self.schema)
        let threads = try await withThrowingTaskGroup(of: UInt.self) { group in
            for task in 0..<16 {
                group.addTask {
                    let rows = (0..<250).map { Row(id: Int64(task * 1000 + $0), tags: ["t\($0 % 3)"]) }
                    try await writer.write(rows: rows)
                    var batch = ColumnBatch(schema: Self.schema)
                    try batch.append([Int64(-task - 1)], to: "id")
                    try batch.append(encoding: [[String]()], to: "tags")
                    try await writer.write(batch)
                    return await writer.currentThread()
                }
            }
            var seen = Set<UInt>()
            for try await thread in group { seen.insert(thread) }
            return seen
        }
        #expect(threads.count == 1)  // every call ran on the one writer thread
        #expect(!threads.contains(UInt(pthread_self())))
        #expect(await writer.rowCount == 16 * 251)
        let summary = try await writer.close()
        #expect(summary.rows == 16 * 251)
        let file = try ParquetFileReader(bytes: readWholeFile(path))
        _ = try file.validate()
        #expect(Set(try file.values(ofColumn: 0)).count == 16 * 251)
    }

    @Test func errorsComeBackAndDroppingAborts() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("dropped.parquet")
        do {
            let writer = try AsyncParquetWriter(path: path, schema: Self.schema)
            let other = ColumnBatch(schema: try Schema([Field("x", .int32)]))
            await #expect(throws: ParquetError.self) { try await writer.write(other) }
            struct Bad: Encodable, Sendable { var id: Int64? = nil; var tags: [String] = [] }
            let error = await #expect(throws: ParquetError.self) { try await writer.write(rows: [Bad()]) }
            #expect(error?.code == .missingValue)
            try await writer.write(rows: [Row(id: 1, tags: [])])
            #expect(await writer.rowCount == 1)
        }
        #expect(!fileExists(path))
        let refused = await #expect(throws: ParquetError.self) {
            try AsyncParquetWriter(path: directory.file("no/such/dir/x.parquet"), schema: Self.schema)
        }
        #expect(refused?.code == .io)
    }
}
