import ParquetBytes
import Testing
@testable import Parquet

/// The commit queue fsyncs each directory named to it once per wait, however many entries
/// were made in it, including directories its own jobs name while the caller waits; and it
/// still reports the first failure of the jobs.
@Suite struct CommitQueueTests {
    /// Records the directories synced, in order.
    final class Synced: Sendable {
        let names = Lock<[String]>([])
        func record(_ directory: String) { names.withLock { $0.append(directory) } }
        var sorted: [String] { names.withLock { $0.sorted() } }
        func clear() { names.withLock { $0 = [] } }
    }

    @Test(arguments: [1, 4])
    func eachDirectoryIsSyncedOncePerWait(threads: Int) throws {
        let synced = Synced()
        let queue = CommitQueue(threads: threads, limit: 2, syncDirectory: synced.record)
        defer { queue.stop() }
        // Ten partition directories made under one parent, and files renamed into two of
        // them by jobs (as FileSink's commit does, while the caller may already wait): each
        // directory once.
        for _ in 0..<10 { queue.syncBeforeWait("root/a=1") }
        queue.syncBeforeWait("root")
        for name in ["root/a=1/b=x", "root/a=1/b=y"] {
            queue.submit {
                queue.syncBeforeWait(name)
                return nil
            }
        }
        #expect(synced.sorted.isEmpty)  // nothing before the wait
        try queue.wait()
        #expect(synced.sorted == ["root", "root/a=1", "root/a=1/b=x", "root/a=1/b=y"])
        // Named after a wait: synced by the next one.
        synced.clear()
        queue.syncBeforeWait("root/a=2")
        try queue.wait()
        #expect(synced.sorted == ["root/a=2"])
        synced.clear()
        try queue.wait()
        #expect(synced.sorted.isEmpty)
    }

    @Test func aFailedJobIsReportedByTheWaitThatSyncsItsDirectories() throws {
        let synced = Synced()
        let queue = CommitQueue(threads: 2, syncDirectory: synced.record)
        defer { queue.stop() }
        queue.submit {
            queue.syncBeforeWait("root/a=1")
            return ParquetError(.io, "cannot flush")
        }
        queue.submit {
            queue.syncBeforeWait("root/a=2")
            return nil
        }
        let error = #expect(throws: ParquetError.self) { try queue.wait() }
        #expect(error?.message.contains("cannot flush") == true)
        #expect(synced.sorted == ["root/a=1", "root/a=2"])
        try queue.wait()  // reported once
    }
}
