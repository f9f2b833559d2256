#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The signal that asked the conversion to stop (0: none). Written only by the handler, which
/// may do nothing else (async-signal-safety); read between chunks.
nonisolated(unsafe) private var receivedSignal: Int32 = 0

private func recordSignal(_ signal: Int32) {
    receivedSignal = signal
}

/// SIGINT and SIGTERM stop a conversion cleanly: the handler only records the signal; the
/// read loop sees it (a blocked `read` returns EINTR, since SA_RESTART is not set), aborts
/// the output so nothing partial is left, and exits 128 + the signal.
enum ConvertSignals {
    /// Installs the handlers.
    static func install() {
        receivedSignal = 0
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = recordSignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// The signal received, or nil.
    static var received: Int32? { receivedSignal == 0 ? nil : receivedSignal }
}
