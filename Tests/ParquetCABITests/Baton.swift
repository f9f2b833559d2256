#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Turns taken in order by several threads: the holder of turn n does its work, then passes
/// turn n + 1. Release/acquire ordering makes everything the last holder did visible to the
/// next (as a C caller handing a writer to another thread must ensure).
final class Baton: Sendable {
    private let turn = Atomic<Int>(0)

    /// Waits until turn `n` comes.
    /// - Parameter n: The turn to wait for.
    func wait(for n: Int) {
        while turn.load(ordering: .acquiring) != n { sched_yield() }
    }

    /// Hands the next turn on.
    /// - Parameter n: The turn just finished.
    func pass(after n: Int) {
        turn.store(n + 1, ordering: .releasing)
    }
}
