import Glibc
import ParquetBytes
import Testing
@testable import Parquet

/// ``FileSink`` directly: bytes go to a hidden temporary file, and the target appears, whole,
/// only on commit; handed to a commit queue, the file is in place once the queue's wait
/// returns, and the directory that several files were renamed into is fsynced once.
@Suite struct FileSinkTests {
    static func write(_ text: String, to sink: FileSink) throws {
        try sink.write(ByteBuffer(text.utf8))
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    @Test func theTargetAppearsWholeOnlyOnCommit() throws {
        let directory = try TemporaryDirectory()
        let target = directory.file("out.parquet")
        let sink = try FileSink(path: target)
        try Self.write("PAR1 rows", to: sink)
        #expect(!Self.exists(target))
        #expect(Self.exists(sink.temporaryPath))
        try sink.commit()
        #expect(String(decoding: try readWholeFile(target), as: UTF8.self) == "PAR1 rows")
        #expect(!Self.exists(sink.temporaryPath))
        #expect(throws: ParquetError.self) { try sink.commit() }  // once
    }

    @Test func anAbortedSinkLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        let target = directory.file("out.parquet")
        let sink = try FileSink(path: target)
        try Self.write("partial", to: sink)
        sink.abort()
        sink.abort()
        #expect(!Self.exists(target) && !Self.exists(sink.temporaryPath))
    }

    @Test func filesCommittedOnAQueueAreInPlaceAfterItsWaitAndTheirDirectorySyncedOnce() throws {
        let directory = try TemporaryDirectory()
        let synced = Lock<[String]>([])
        let queue = CommitQueue(threads: 2, syncDirectory: { name in synced.withLock { $0.append(name) } })
        defer { queue.stop() }
        var sinks: [FileSink] = []
        for index in 0..<3 {
            let sink = try FileSink(path: directory.file("part-\(index).parquet"))
            sink.durability = queue
            try Self.write("file \(index)", to: sink)
            try sink.commit()
            sinks.append(sink)
        }
        try queue.wait()
        for (index, sink) in sinks.enumerated() {
            #expect(String(decoding: try readWholeFile(directory.file("part-\(index).parquet")), as: UTF8.self) == "file \(index)")
            #expect(!Self.exists(sink.temporaryPath))
        }
        #expect(synced.withLock { $0 } == [directory.path])
    }
}
