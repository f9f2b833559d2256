#if canImport(Glibc)
import Glibc
#endif
import ParquetBytes
import Testing
@testable import Parquet

/// The pool every threaded writer runs on: each index once, on any width, with loops from
/// two threads taking turns, and a clean stop.
@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 2, 3, 8])
    func everyIndexRunsOnceOnAValidWorker(width: Int) throws {
        let pool = try WorkerPool(width: width)
        defer { pool.stop() }
        for count in [0, 1, 2, 7, 100, 1_000] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(count, 1))
            hits.initialize(repeating: 0)
            defer { hits.deallocate() }
            let workers = Lock(Set<Int>())
            pool.forEach(count) { index, worker in
                hits[index] += 1
                workers.withLock { _ = $0.insert(worker) }
            }
            #expect(hits.prefix(count).allSatisfy { $0 == 1 })
            #expect(workers.withLock { $0.allSatisfy { (0..<width).contains($0) } })
        }
    }

    @Test func loopsFromTwoThreadsTakeTurnsOnASharedPool() throws {
        let pool = try WorkerPool(width: 3)
        defer { pool.stop() }
        let totals = Lock([0, 0])
        let threads = (0..<2).map { caller in
            _PosixThread.start {
                for _ in 0..<200 {
                    let sum = Lock(0)
                    pool.forEach(50) { index, _ in sum.withLock { $0 += index } }
                    let value = sum.withLock { $0 }
                    totals.withLock { $0[caller] += value }
                }
            }.thread!
        }
        for thread in threads { pthread_join(thread, nil) }
        #expect(totals.withLock { $0 } == [200 * 1_225, 200 * 1_225])
    }

    /// Attached tasks (pages a file closed, to compress) run with the next loop, whoever runs
    /// it, each once; attaching twice chains; with no loop, `runAttached` runs them; the
    /// loop's own tasks still get their own indices.
    @Test(arguments: [1, 2, 3])
    func attachedTasksRunOnceWithTheNextLoop(width: Int) throws {
        let pool = try WorkerPool(width: width)
        defer { pool.stop() }
        let attachedHits = Lock([Int](repeating: 0, count: 7))
        pool.attach(4) { index, worker in
            #expect((0..<width).contains(worker))
            attachedHits.withLock { $0[index] += 1 }
        }
        pool.attach(3) { index, _ in attachedHits.withLock { $0[4 + index] += 1 } }
        let loopHits = Lock([Int](repeating: 0, count: 5))
        pool.forEach(5) { index, _ in loopHits.withLock { $0[index] += 1 } }
        #expect(loopHits.withLock { $0 } == [1, 1, 1, 1, 1])
        if width == 1 {
            // No thread of its own to take them: the loop ran them all, on the caller's.
            #expect(attachedHits.withLock { $0 } == [1, 1, 1, 1, 1, 1, 1])
        }
        // With threads, a task an idle thread took before the loop may still be running when
        // the loop returns (checked right away, this failed once in a while): runAttached
        // waits for it.
        pool.runAttached()
        #expect(attachedHits.withLock { $0 } == [1, 1, 1, 1, 1, 1, 1])
        // Consumed: the next loop runs only its own tasks.
        pool.forEach(2) { _, _ in }
        #expect(attachedHits.withLock { $0 } == [1, 1, 1, 1, 1, 1, 1])
        // No loop comes: runAttached runs them, and returns once they have.
        let late = Lock(0)
        pool.attach(6) { _, _ in late.withLock { $0 += 1 } }
        pool.runAttached()
        #expect(late.withLock { $0 } == 6)
        pool.runAttached()
        #expect(late.withLock { $0 } == 6)
    }

    /// The pool's own threads run attached tasks while no loop needs them (the caller is
    /// off preparing the next batch); a pool of width 1 has none, so they wait for a loop.
    @Test func idleThreadsRunAttachedTasksInTheBackground() throws {
        let pool = try WorkerPool(width: 3)
        defer { pool.stop() }
        let done = Lock(0)
        let workers = Lock(Set<Int>())
        pool.attach(8) { _, worker in
            workers.withLock { _ = $0.insert(worker) }
            done.withLock { $0 += 1 }
        }
        var waited = 0
        while done.withLock({ $0 }) < 8 && waited < 5_000 {
            usleep(1_000)
            waited += 1
        }
        #expect(done.withLock { $0 } == 8)
        #expect(workers.withLock { !$0.contains(0) && !$0.isEmpty })

        let single = try WorkerPool(width: 1)
        defer { single.stop() }
        let inline = Lock(0)
        single.attach(2) { _, _ in inline.withLock { $0 += 1 } }
        usleep(20_000)
        #expect(inline.withLock { $0 } == 0)
        single.runAttached()
        #expect(inline.withLock { $0 } == 2)
    }

    /// A loop on another thread may take the attached tasks; `runAttached` still returns only
    /// once they are done.
    @Test func runAttachedWaitsForTasksAnotherThreadsLoopTook() throws {
        let pool = try WorkerPool(width: 2)
        defer { pool.stop() }
        for _ in 0..<50 {
            let done = Lock(0)
            pool.attach(2) { _, _ in
                usleep(200)
                done.withLock { $0 += 1 }
            }
            let other = _PosixThread.start { pool.forEach(1) { _, _ in } }.thread!
            pool.runAttached()
            #expect(done.withLock { $0 } == 2)
            pthread_join(other, nil)
        }
    }

    @Test func stopIsIdempotentAndAWidthOnePoolRunsInline() throws {
        let pool = try WorkerPool(width: 1)
        var order: [Int] = []
        pool.forEach(5) { index, worker in
            #expect(worker == 0)
            order.append(index)
        }
        #expect(order == [0, 1, 2, 3, 4])
        pool.stop()
        pool.stop()
        let wide = try WorkerPool(width: 4)
        wide.stop()
        wide.stop()
    }
}
