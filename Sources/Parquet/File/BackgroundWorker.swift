#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One background thread that runs one job at a time: the second stage of a two-stage
/// pipeline (the caller parses batch N+1 while this thread encodes and compresses batch N).
///
/// A plain POSIX thread with a mutex and a condition variable: the core is Foundation-free
/// and takes no dispatch dependency. ``submit(_:)`` waits while a job is still queued or
/// running, so at most one job is in flight and the caller can never run more than one batch
/// ahead (memory stays bounded by two batches). Everything a job touches must be left alone
/// by the caller until ``waitUntilIdle()`` returns; the mutex makes the job's writes visible
/// to the caller from then on.
///
/// The owner must call ``stop()`` before dropping the worker (the thread holds an unretained
/// reference to it).
package final class BackgroundWorker: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    /// Guarded by `mutex`.
    private var job: (() -> Void)?
    private var running = false
    private var stopping = false
    private var thread: pthread_t?

    /// Starts the thread.
    /// - Throws: `ParquetError` with code `.internalError` when the system refuses a thread.
    package init() throws(ParquetError) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
        #if canImport(Darwin)
        var handle: pthread_t? = nil
        #else
        var handle = pthread_t()
        #endif
        let status = pthread_create(&handle, nil, { context in
            #if canImport(Darwin)
            Unmanaged<BackgroundWorker>.fromOpaque(context).takeUnretainedValue().loop()
            #else
            Unmanaged<BackgroundWorker>.fromOpaque(context!).takeUnretainedValue().loop()
            #endif
            return nil
        }, Unmanaged.passUnretained(self).toOpaque())
        guard status == 0 else {
            Self.destroy(mutex, condition)
            throw ParquetError(.internalError, "cannot start a background thread (error \(status))")
        }
        thread = handle
    }

    deinit {
        #if DEBUG
        precondition(thread == nil, "BackgroundWorker dropped without stop()")
        #endif
        Self.destroy(mutex, condition)
    }

    /// Queues `job` for the thread, first waiting until the previous job has finished.
    package func submit(_ job: @escaping () -> Void) {
        pthread_mutex_lock(mutex)
        while self.job != nil || running { pthread_cond_wait(condition, mutex) }
        self.job = job
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Returns once no job is queued or running.
    package func waitUntilIdle() {
        pthread_mutex_lock(mutex)
        while job != nil || running { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Runs the queued job to its end, then ends the thread and joins it. Idempotent.
    package func stop() {
        guard let thread else { return }
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        pthread_join(thread, nil)
        self.thread = nil
    }

    private func loop() {
        pthread_mutex_lock(mutex)
        while true {
            while job == nil && !stopping { pthread_cond_wait(condition, mutex) }
            guard let next = job else { break }
            job = nil
            running = true
            pthread_mutex_unlock(mutex)
            next()
            pthread_mutex_lock(mutex)
            running = false
            pthread_cond_broadcast(condition)
        }
        pthread_mutex_unlock(mutex)
    }

    private static func destroy(
        _ mutex: UnsafeMutablePointer<pthread_mutex_t>, _ condition: UnsafeMutablePointer<pthread_cond_t>
    ) {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }
}
