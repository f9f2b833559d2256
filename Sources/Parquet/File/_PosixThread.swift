#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting a POSIX thread for a Swift closure: the one place the C entry point is written
/// (``WorkerPool`` and ``CommitQueue`` start their threads here).
enum _PosixThread {
    /// The closure a new thread runs, handed to it retained.
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts a thread that runs `body` and ends when it returns.
    /// - Parameter body: What the thread runs (it is released when the thread is done with it).
    /// - Returns: The thread to join, or nil and `pthread_create`'s error status.
    static func start(_ body: @escaping () -> Void) -> (thread: pthread_t?, status: Int32) {
        let handedOver = Unmanaged.passRetained(Body(body))
        #if canImport(Darwin)
        var handle: pthread_t? = nil
        #else
        var handle = pthread_t()
        #endif
        let status = pthread_create(&handle, nil, { context in
            #if canImport(Darwin)
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            #else
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            #endif
            return nil
        }, handedOver.toOpaque())
        guard status == 0 else {
            handedOver.release()
            return (nil, status)
        }
        return (handle, 0)
    }
}
