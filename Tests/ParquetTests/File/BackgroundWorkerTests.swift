import Synchronization
import Testing
@testable import Parquet

/// The pipeline's second thread: one job at a time, in order, visible to the caller after
/// `waitUntilIdle`.
@Suite struct BackgroundWorkerTests {
    final class Log: @unchecked Sendable {
        var entries: [Int] = []
    }

    @Test func jobsRunOneAtATimeInOrder() throws {
        let worker = try BackgroundWorker()
        defer { worker.stop() }
        let log = Log()
        let running = Atomic<Int>(0)
        let overlaps = Atomic<Int>(0)
        for index in 0..<200 {
            worker.submit {
                if running.add(1, ordering: .sequentiallyConsistent).newValue != 1 {
                    overlaps.add(1, ordering: .relaxed)
                }
                var spin = 0
                for step in 0..<(index % 7) * 1_000 { spin &+= step }
                log.entries.append(index + (spin == -1 ? 1 : 0))
                running.subtract(1, ordering: .sequentiallyConsistent)
            }
        }
        worker.waitUntilIdle()
        #expect(log.entries == Array(0..<200))
        #expect(overlaps.load(ordering: .relaxed) == 0)
    }

    @Test func stopRunsTheQueuedJobAndIsIdempotent() throws {
        let worker = try BackgroundWorker()
        let log = Log()
        worker.submit { log.entries.append(1) }
        worker.stop()
        worker.stop()
        #expect(log.entries == [1])
    }
}
