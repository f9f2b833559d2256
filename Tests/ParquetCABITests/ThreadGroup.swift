#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Runs one body on several POSIX threads at once and collects what each reports.
///
/// Raw pthreads rather than tasks: each C call then really runs on its own thread (as a C
/// caller's would), pthread_create and pthread_join give ThreadSanitizer its happens-before
/// edges, and the threads start together (each waits until all have arrived) so their calls
/// overlap. `#expect` is for the test's own task, so the threads report (failures, outcomes)
/// as text and the caller checks it after the join.
final class ThreadGroup: @unchecked Sendable {
    private let body: @Sendable (Int) -> [String]
    private let count: Int
    /// One entry per thread, each written only by its thread and read after the join.
    private let reports: UnsafeMutableBufferPointer<[String]>
    private let claimed = Atomic<Int>(0)
    private let arrived = Atomic<Int>(0)

    private init(_ count: Int, _ body: @escaping @Sendable (Int) -> [String]) {
        self.count = count
        self.body = body
        reports = .allocate(capacity: count)
        reports.initialize(repeating: [])
    }

    deinit {
        reports.deinitialize()
        reports.deallocate()
    }

    /// Runs `body(index)` for index 0 ..< `count`, each on a thread of its own, all started
    /// together, and returns once every thread has ended.
    /// - Parameters:
    ///   - count: How many threads.
    ///   - body: Returns what its thread has to report.
    /// - Returns: Each thread's report, in index order.
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> [String]) -> [[String]] {
        let group = ThreadGroup(count, body)
        var threads: [pthread_t] = []
        for _ in 0..<count {
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { context in
                Unmanaged<ThreadGroup>.fromOpaque(context!).takeUnretainedValue().enter()
                return nil
            }, Unmanaged.passUnretained(group).toOpaque())
            precondition(status == 0, "pthread_create failed (error \(status))")
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
        return Array(group.reports)
    }

    /// ``run(_:_:)`` for bodies that report only failures.
    /// - Parameters:
    ///   - count: How many threads.
    ///   - body: Returns the failures seen on its thread (empty when all went well).
    /// - Returns: Every thread's failures, each prefixed with its thread index.
    static func failures(_ count: Int, _ body: @escaping @Sendable (Int) -> [String]) -> [String] {
        run(count, body).enumerated().flatMap { index, failures in failures.map { "thread \(index): \($0)" } }
    }

    /// A new thread's start: takes an index, waits for the others, runs the body.
    private func enter() {
        let index = claimed.add(1, ordering: .relaxed).oldValue
        arrived.add(1, ordering: .acquiringAndReleasing)
        while arrived.load(ordering: .acquiring) < count { sched_yield() }
        reports[index] = body(index)
    }
}
