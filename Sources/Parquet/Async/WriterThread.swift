#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ParquetBytes

/// A serial executor with one thread of its own: the executor of an ``AsyncParquetWriter``.
///
/// Encoding, compressing and writing a batch are blocking work (CPU, then `write(2)` and
/// `fsync(2)`). On Swift's cooperative pool they would hold one of its few threads for the whole
/// call and starve every other task; here they run on a thread that does nothing else, and the
/// awaiting task is suspended meanwhile. Jobs run one at a time, in the order they arrive.
///
/// The thread is detached and ends after ``shutdown()`` once the queued jobs have run.
final class WriterThread: SerialExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        var next = 0
        var stopping = false
    }

    private let state = Lock(State())

    /// Starts the thread.
    /// - Throws: `ParquetError` `.internalError` when the system refuses a thread.
    init() throws(ParquetError) {
        let (thread, status) = _PosixThread.start { [self] in run() }
        guard let thread else {
            throw ParquetError(.internalError, "could not start the writer's thread (error \(status))")
        }
        pthread_detach(thread)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        state.withLock { $0.jobs.append(job) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread end once the jobs queued so far have run.
    func shutdown() {
        state.withLock { $0.stopping = true }
    }

    /// The thread's loop: the next job, or the end after ``shutdown()``.
    private func run() {
        while true {
            let job = state.withLock(waitingUntil: { $0.next < $0.jobs.count || $0.stopping }) { state -> UnownedJob? in
                guard state.next < state.jobs.count else { return nil }
                let job = state.jobs[state.next]
                state.next += 1
                if state.next == state.jobs.count {
                    state.jobs.removeAll(keepingCapacity: true)
                    state.next = 0
                }
                return job
            }
            guard let job else { return }
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
