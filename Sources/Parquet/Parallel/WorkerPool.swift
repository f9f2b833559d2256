#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ParquetBytes

/// A fixed set of threads that run the tasks of one parallel loop at a time: the columns of a
/// row group, the pieces of a JSON batch.
///
/// ``forEach(_:_:)`` hands out indices `0..<count` one at a time (the next free index to the
/// next free thread, so a slow column does not hold up the others' threads) and returns when
/// every task has run. The calling thread runs tasks too, so a pool of width N starts N - 1
/// threads, and width 1 starts none and runs every loop inline. Which thread runs a task never
/// changes what it computes: callers write each task's result to a slot of its own and join
/// the slots in index order, so the output is the same for every width.
///
/// Plain POSIX threads and one ``Lock`` (the core is Foundation-free and takes no dispatch
/// dependency; TSan sees every edge). A task takes the lock twice (to be handed out, and to
/// report it is done): negligible for tasks of a column's few thousand rows.
///
/// Loops do not nest: a task must not call ``forEach(_:_:)`` on its own pool. Two threads may
/// share a pool (a dataset's files); their loops then take turns. The owner calls ``stop()``
/// before dropping the pool.
package final class WorkerPool: Sendable {
    /// The loop being run, handed to the threads: a pointer to its closure, valid only until
    /// ``forEach(_:_:)`` returns, which waits for every task. A pointer, not the closure, so
    /// no thread holds a reference to the closure once its last task is done
    /// (`withoutActuallyEscaping` checks that none is left).
    private struct Loop: @unchecked Sendable {
        let body: UnsafePointer<(_ index: Int, _ worker: Int) -> Void>

        /// Runs task `index`; the closure's copy made for the call ends with it.
        func run(_ index: Int, worker: Int) {
            body.pointee(index, worker)
        }
    }

    /// Tasks handed to the next loop by ``attach(_:_:)``.
    private struct Attached: @unchecked Sendable {
        // @unchecked: the closure is run by the pool's threads, as a loop's body is; the
        // attacher makes it touch only what is its own (see attach(_:_:)).
        let count: Int
        let body: (_ index: Int, _ worker: Int) -> Void
    }

    private struct State {
        /// Tasks attached and not all handed out (nil once they are): idle threads take them,
        /// and the next loop takes the rest.
        var attached: Attached?
        /// The next attached task to hand out.
        var attachedNext = 0
        /// Attached tasks not yet returned, taken by a loop or not.
        var attachedUnfinished = 0
        /// Counts loops, so a thread knows a loop it has not yet joined.
        var generation = 0
        var loop: Loop?
        /// The next index to hand out, and the loop's size.
        var next = 0
        var count = 0
        /// Tasks handed out or not, that have not yet returned.
        var unfinished = 0
        var stopping = false
        var threads: [pthread_t] = []

        /// Hands out the next index of loop `generation`, if any is left.
        mutating func take(in generation: Int) -> (index: Int, loop: Loop)? {
            guard self.generation == generation, let loop, next < count else { return nil }
            defer { next += 1 }
            return (next, loop)
        }
    }

    /// The threads that run tasks, the caller of ``forEach(_:_:)`` included.
    package let width: Int
    private let state = Lock(State())

    /// Starts `width - 1` threads.
    /// - Parameter width: The threads a loop runs on, the caller's included (at least 1).
    /// - Throws: `ParquetError` `.internalError` when the system refuses a thread.
    package init(width: Int) throws(ParquetError) {
        self.width = Swift.max(1, width)
        // Unretained: the owner stops (joins) the threads before dropping the pool.
        let pool = Unmanaged.passUnretained(self)
        for worker in 1..<self.width {
            let (handle, status) = _PosixThread.start { pool.takeUnretainedValue().run(worker: worker) }
            guard let handle else {
                stop()
                throw ParquetError(.internalError, "cannot start encoding thread \(worker) of \(width - 1) (error \(status))")
            }
            state.withLock { $0.threads.append(handle) }
        }
    }

    deinit {
        #if DEBUG
        precondition(state.withLock { $0.threads.isEmpty }, "WorkerPool dropped without stop()")
        #endif
    }

    /// Runs `body(index, worker)` for every index in `0..<count`, spread over the pool's
    /// threads, and returns when all have returned.
    /// - Parameters:
    ///   - count: The number of tasks.
    ///   - body: One task: `index` is the task, `worker` (`0..<width`, 0 for the caller) the
    ///     thread running it, for per-thread scratch. Tasks run concurrently: each may touch
    ///     only what is its own (its index's slot, its worker's scratch).
    package func forEach(_ count: Int, _ body: (_ index: Int, _ worker: Int) -> Void) {
        guard let (attached, first) = state.withLock({ state -> (Attached, Int)? in
            guard let attached = state.attached else { return nil }
            defer {
                state.attached = nil
                state.attachedNext = 0
            }
            return (attached, state.attachedNext)
        }) else {
            loop(count, body)
            return
        }
        // The attached tasks no idle thread has taken yet go first: they were waiting, and
        // they are large (pages to compress).
        let waiting = attached.count - first
        loop(waiting + count) { index, worker in
            if index < waiting {
                attached.body(first + index, worker)
                state.withLock { $0.attachedUnfinished -= 1 }
            } else {
                body(index - waiting, worker)
            }
        }
    }

    /// Hands `count` tasks to the pool to run in the background: the pool's threads (not the
    /// caller's) take them one at a time while no loop needs them, and the next loop run on
    /// the pool, whoever runs it, takes those left as its first tasks. When that loop returns
    /// none is left to hand out, but one an idle thread took before it may still be running:
    /// they are all done when ``runAttached()`` returns.
    ///
    /// Why: work that is ready but not needed yet (the pages a file closed at the end of a
    /// write, to be compressed) fills the threads while the caller prepares the next batch
    /// and during the next parallel loop (the next batch's parse), instead of making a loop of
    /// its own, where a single large task would leave the other threads idle. Tasks attached
    /// twice before they run all run.
    /// - Parameters:
    ///   - count: The number of tasks.
    ///   - body: One task, as in ``forEach(_:_:)``. It may run on any of the pool's threads
    ///     at any later time (or on the caller's in a loop or ``runAttached()``), so it must
    ///     own what it touches: hold it strongly, and touch nothing a loop's tasks or the
    ///     caller touch until ``runAttached()`` has returned.
    package func attach(_ count: Int, _ body: @escaping (_ index: Int, _ worker: Int) -> Void) {
        guard count > 0 else { return }
        state.withLock { state in
            state.attachedUnfinished += count
            guard let earlier = state.attached else {
                state.attached = Attached(count: count, body: body)
                return
            }
            state.attached = Attached(count: earlier.count + count) { index, worker in
                if index < earlier.count {
                    earlier.body(index, worker)
                } else {
                    body(index - earlier.count, worker)
                }
            }
        }
    }

    /// Runs the attached tasks now, on the threads, if no loop has run them yet; when it
    /// returns, every task attached before the call has run.
    package func runAttached() {
        forEach(0) { _, _ in }
        // A loop on another thread may have taken them and still be running them.
        state.withLock(waitingUntil: { $0.attachedUnfinished == 0 }) { _ in }
    }

    /// Runs `body` for `0..<count` on the threads (``forEach(_:_:)`` without attached tasks).
    private func loop(_ count: Int, _ body: (_ index: Int, _ worker: Int) -> Void) {
        guard width > 1 && count > 1 else {
            for index in 0..<count { body(index, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { pointer in run(Loop(body: pointer), count: count) }
        }
    }

    /// ``forEach(_:_:)`` once its closure can be pointed to.
    private func run(_ loop: Loop, count: Int) {
        do {
            // Another thread's loop on a shared pool finishes first.
            let generation = state.withLock(waitingUntil: { $0.loop == nil }) { state -> Int in
                state.generation += 1
                state.loop = loop
                state.next = 0
                state.count = count
                state.unfinished = count
                return state.generation
            }
            runTasks(of: generation, worker: 0, first: state.withLock { $0.take(in: generation) })
            state.withLock(waitingUntil: { $0.unfinished == 0 }) { $0.loop = nil }
        }
    }

    /// Runs tasks of loop `generation`, starting with `first`, until none is left.
    private func runTasks(of generation: Int, worker: Int, first: (index: Int, loop: Loop)?) {
        var task = first
        while let (index, loop) = task {
            loop.run(index, worker: worker)
            task = state.withLock { state in
                state.unfinished -= 1
                return state.take(in: generation)
            }
        }
    }

    /// What a thread takes next.
    private enum Work {
        case loop(generation: Int, first: (index: Int, loop: Loop)?)
        case attached(Attached, index: Int)
    }

    /// A thread's life: join each new loop, and run attached tasks while there is none, until
    /// ``stop()``.
    private func run(worker: Int) {
        var seen = 0
        while true {
            let work = state.withLock(
                waitingUntil: { $0.stopping || ($0.generation != seen && $0.loop != nil) || $0.attached != nil }
            ) { state -> Work? in
                if state.stopping { return nil }
                if state.generation != seen && state.loop != nil {
                    return .loop(generation: state.generation, first: state.take(in: state.generation))
                }
                let attached = state.attached!
                let index = state.attachedNext
                state.attachedNext += 1
                if state.attachedNext == attached.count {
                    state.attached = nil
                    state.attachedNext = 0
                }
                return .attached(attached, index: index)
            }
            switch work {
            case nil:
                return
            case .loop(let generation, let first)?:
                seen = generation
                runTasks(of: generation, worker: worker, first: first)
            case .attached(let attached, let index)?:
                attached.body(index, worker)
                state.withLock { $0.attachedUnfinished -= 1 }
            }
        }
    }

    /// Ends the threads (after the loop being run, if any) and joins them. Idempotent.
    package func stop() {
        let threads = state.withLock { state -> [pthread_t] in
            state.stopping = true
            defer { state.threads = [] }
            return state.threads
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}
