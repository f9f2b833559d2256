#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ParquetBytes

/// One background thread that runs one job at a time: the second stage of a two-stage
/// pipeline (the caller parses batch N+1 while this thread encodes and compresses batch N).
///
/// A plain POSIX thread and a ``Lock`` (a pthread mutex and condition variable): the core is
/// Foundation-free and takes no dispatch dependency. ``submit(_:)`` waits while a job is still
/// queued or running, so at most one job is in flight and the caller can never run more than
/// one batch ahead (memory stays bounded by two batches). Everything a job touches must be
/// left alone by the caller until ``waitUntilIdle()`` returns; the lock makes the job's writes
/// visible to the caller from then on.
///
/// The owner must call ``stop()`` before dropping the worker (the thread holds an unretained
/// reference to it).
package final class BackgroundWorker: Sendable {
    /// What the caller and the thread share.
    private struct Queue {
        /// The job submitted and not yet taken by the thread.
        var job: (@Sendable () -> Void)?
        /// Whether the thread is running a job.
        var running = false
        /// Set by ``stop()``: the thread ends once the queue is empty.
        var stopping = false
        /// The thread until ``stop()`` joins it.
        var thread: pthread_t?

        var idle: Bool { job == nil && !running }
    }

    private let queue = Lock(Queue())

    /// Starts the thread.
    /// - Throws: `ParquetError` with code `.internalError` when the system refuses a thread.
    package init() throws(ParquetError) {
        // Unretained: the owner stops (joins) the thread before dropping the worker.
        let worker = Unmanaged.passUnretained(self)
        let (handle, status) = _PosixThread.start { worker.takeUnretainedValue().loop() }
        guard let handle else {
            throw ParquetError(.internalError, "cannot start a background thread (error \(status))")
        }
        queue.withLock { $0.thread = handle }
    }

    deinit {
        #if DEBUG
        precondition(queue.withLock { $0.thread == nil }, "BackgroundWorker dropped without stop()")
        #endif
    }

    /// Queues `job` for the thread, first waiting until the previous job has finished.
    /// - Parameter job: Runs on the background thread.
    package func submit(_ job: @escaping () -> Void) {
        // The job crosses to the other thread by design (the caller leaves what it touches alone
        // until waitUntilIdle), which the compiler cannot check: it is handed over unchecked.
        nonisolated(unsafe) let job = job
        queue.withLock(waitingUntil: { $0.idle }) { $0.job = { job() } }
    }

    /// Returns once no job is queued or running.
    package func waitUntilIdle() {
        queue.withLock(waitingUntil: { $0.idle }) { _ in }
    }

    /// Runs the queued job to its end, then ends the thread and joins it. Idempotent.
    package func stop() {
        let thread = queue.withLock { queue -> pthread_t? in
            queue.stopping = true
            defer { queue.thread = nil }
            return queue.thread
        }
        guard let thread else { return }
        pthread_join(thread, nil)
    }

    private func loop() {
        while true {
            // The next job; none once stop() was called and the queue is empty.
            let next = queue.withLock(waitingUntil: { $0.job != nil || $0.stopping }) { queue in
                defer { queue.job = nil }
                queue.running = queue.job != nil
                return queue.job
            }
            guard let next else { return }
            next()
            queue.withLock { $0.running = false }
        }
    }
}
