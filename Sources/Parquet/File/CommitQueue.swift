#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ParquetBytes

/// A few threads that make finished files durable (fsync, rename, fsync of the directory)
/// while the caller goes on encoding the next file.
///
/// On a disk every fsync waits for the file system's journal, a millisecond or more: a
/// dataset that commits hundreds of partition files at close spends longer waiting than
/// encoding. Handed here, the waits overlap the encoding and each other (a journal commits
/// the fsyncs that arrive together as one). Directories are fsynced once each when the caller
/// waits (``syncBeforeWait(_:)``), however many files were renamed or partition directories
/// made in them. Nothing changes for readers: each file is still fsynced before its rename and
/// its directory after it, and the caller reports a file only after ``wait()`` returns.
///
/// Threads start on the first job; at most ``limit`` jobs are queued or running (each holds
/// a file descriptor), so ``submit(_:)`` waits beyond that. The owner must call ``stop()``
/// before dropping the queue.
package final class CommitQueue: Sendable {
    private struct State {
        var jobs: [@Sendable () -> ParquetError?] = []
        var running = 0
        /// The first failure since the last ``wait()``.
        var failure: ParquetError?
        var stopping = false
        var threads: [pthread_t] = []
        /// Directories to fsync before the next ``wait()`` returns (``syncBeforeWait(_:)``).
        var directories: Set<String> = []

        var pending: Int { jobs.count + running }
    }

    private let state = Lock(State())
    /// Threads started on the first job.
    private let threadCount: Int
    /// Jobs queued or running at most.
    package let limit: Int

    /// fsyncs a directory (replaced in tests, to count them).
    private let syncDirectory: @Sendable (String) -> Void

    /// Creates an idle queue.
    /// - Parameters:
    ///   - threads: Threads to run jobs on (started on the first job).
    ///   - limit: Jobs queued or running at most.
    ///   - syncDirectory: Makes a directory durable (``syncBeforeWait(_:)``).
    package init(
        threads: Int = 4, limit: Int = 32,
        syncDirectory: @escaping @Sendable (String) -> Void = { FileSystemCalls.syncDirectory($0) }
    ) {
        threadCount = Swift.max(1, threads)
        self.limit = Swift.max(1, limit)
        self.syncDirectory = syncDirectory
    }

    deinit {
        #if DEBUG
        precondition(state.withLock { $0.threads.isEmpty }, "CommitQueue dropped without stop()")
        #endif
    }

    /// Queues `job`, first waiting while ``limit`` jobs are pending. If no thread can be
    /// started, the job runs here.
    /// - Parameter job: Makes one file (or directory) durable; returns its failure, if any.
    package func submit(_ job: @escaping @Sendable () -> ParquetError?) {
        let started = state.withLock(waitingUntil: { $0.pending < limit }) { state -> Bool in
            if state.threads.isEmpty && !state.stopping { state.threads = Self.startThreads(threadCount, for: self) }
            guard !state.threads.isEmpty else { return false }
            state.jobs.append(job)
            return true
        }
        guard !started else { return }
        if let failure = job() { state.withLock { $0.failure = $0.failure ?? failure } }
    }

    /// Has `directory` fsynced before the next ``wait()`` returns, once however many entries
    /// were made in it meanwhile: a dataset's first batch makes its partition directories in
    /// bursts under few parents (120 directories in 13 for currency × category), and a
    /// directory is only owed durable when a file in it is reported, after a wait.
    /// - Parameter directory: A directory an entry was made in (or renamed into).
    package func syncBeforeWait(_ directory: String) {
        state.withLock { _ = $0.directories.insert(directory) }
    }

    /// Returns once every job submitted so far has run and every directory named to
    /// ``syncBeforeWait(_:)`` (by the caller or by those jobs) is fsynced.
    /// - Throws: The first failure of those jobs (cleared, so the next wait reports only later ones).
    package func wait() throws(ParquetError) {
        while true {
            let directories = state.withLock { state -> Set<String> in
                defer { state.directories = [] }
                return state.directories
            }
            let sync = syncDirectory
            for directory in directories {
                submit {
                    sync(directory)
                    return nil
                }
            }
            let (failure, done) = state.withLock(waitingUntil: { $0.pending == 0 }) { state -> (ParquetError?, Bool) in
                // Jobs that ran meanwhile may have named more directories.
                guard state.directories.isEmpty else { return (nil, false) }
                defer { state.failure = nil }
                return (state.failure, true)
            }
            guard done else { continue }
            if let failure { throw failure }
            return
        }
    }

    /// Runs the jobs queued, then ends the threads and joins them. Idempotent.
    package func stop() {
        let threads = state.withLock { state -> [pthread_t] in
            state.stopping = true
            defer { state.threads = [] }
            return state.threads
        }
        for thread in threads { pthread_join(thread, nil) }
    }

    private static func startThreads(_ count: Int, for queue: CommitQueue) -> [pthread_t] {
        // Unretained: stop() joins the threads before the owner drops the queue.
        let unretained = Unmanaged.passUnretained(queue)
        var threads: [pthread_t] = []
        for _ in 0..<count {
            guard let thread = _PosixThread.start({ unretained.takeUnretainedValue().loop() }).thread else { break }
            threads.append(thread)
        }
        return threads
    }

    private func loop() {
        while true {
            let next = state.withLock(waitingUntil: { !$0.jobs.isEmpty || $0.stopping }) { state -> (@Sendable () -> ParquetError?)? in
                guard !state.jobs.isEmpty else { return nil }
                state.running += 1
                return state.jobs.removeFirst()
            }
            guard let next else { return }
            let failure = next()
            state.withLock { state in
                state.running -= 1
                if let failure, state.failure == nil { state.failure = failure }
            }
        }
    }
}
