#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock that owns the state it protects: the state is reachable only inside ``withLock(_:)``.
///
/// It exists so ThreadSanitizer can check the package's synchronisation. `Synchronization.Mutex`
/// parks contended threads inside the Swift runtime, which is not instrumented, so TSan never
/// sees the happens-before edge the mutex makes and reports hundreds of races on state the mutex
/// in fact serialises. This type is a `pthread_mutex_t` and a `pthread_cond_t`, whose calls TSan
/// intercepts, so `make test-tsan` sees every edge and its reports are real. Every lock in the
/// package is this one type.
///
/// `Lock<State>` says in its type what it guards. Like `Mutex`, it takes the state as `sending`
/// and lends it to the closure as `inout sending`, so non-`Sendable` state (an open writer) can be
/// shared between threads only through the lock, and the compiler keeps it from escaping.
///
/// The condition variable serves threads that wait until the state changes
/// (``withLock(waitingUntil:_:)``): every ``withLock`` wakes them when it ends, so no caller
/// signals by hand and none can forget to.
///
/// Not recursive: calling ``withLock(_:)`` from inside its own body is a bug (in debug builds it
/// stops the process with a message; in release builds the thread deadlocks).
package final class Lock<State>: @unchecked Sendable {
    // Allocated once and never moved: a pthread mutex or condition must not change address
    // while it is in use, which a stored property of a class does not promise.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    /// Guarded by `mutex`.
    private var state: State
    /// The threads blocked in ``withLock(waitingUntil:_:)``, guarded by `mutex`: with none, the
    /// end of a ``withLock(_:)`` wakes nobody (no broadcast call at all).
    private var waiting = 0

    /// Creates the lock, owning `initial`.
    /// - Parameter initial: The state; from now on only ``withLock(_:)`` reaches it.
    package init(_ initial: sending State) {
        state = initial
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        #if DEBUG
        // Makes a recursive withLock fail with EDEADLK (a message) instead of hanging.
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        #endif
        let status = pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        precondition(status == 0, "pthread_mutex_init failed (error \(status))")
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        let conditionStatus = pthread_cond_init(condition, nil)
        precondition(conditionStatus == 0, "pthread_cond_init failed (error \(conditionStatus))")
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the state while holding the lock.
    /// - Parameter body: Reads or changes the state; it must not call back into this lock.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (the lock is released either way).
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending State) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        lock()
        defer { unlock() }
        return try body(&state)
    }

    /// Waits until `ready` holds for the state, then runs `body` with it, holding the lock
    /// from the check through `body` (the lock is released while waiting).
    ///
    /// The state is checked again whenever another ``withLock(_:)`` ends.
    /// - Parameters:
    ///   - ready: Whether the state is one `body` may run on; called under the lock.
    ///   - body: Reads or changes the state; it must not call back into this lock.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (the lock is released either way).
    package func withLock<Result, Failure: Error>(
        waitingUntil ready: (borrowing State) -> Bool,
        _ body: (inout sending State) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        lock()
        defer { unlock() }
        if !ready(state) {
            waiting += 1
            repeat {
                let status = pthread_cond_wait(condition, mutex)
                precondition(status == 0, "pthread_cond_wait failed (error \(status))")
            } while !ready(state)
            waiting -= 1
        }
        return try body(&state)
    }

    private func lock() {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, status == EDEADLK
            ? "Lock.withLock called from inside its own body" : "pthread_mutex_lock failed (error \(status))")
    }

    /// Wakes the waiters (if any) to check the state again, then releases the lock.
    private func unlock() {
        if waiting > 0 { pthread_cond_broadcast(condition) }
        let status = pthread_mutex_unlock(mutex)
        precondition(status == 0, "pthread_mutex_unlock failed (error \(status))")
    }
}
