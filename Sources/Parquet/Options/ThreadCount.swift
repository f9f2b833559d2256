/// How many threads a writer encodes with: a fixed number, or ``auto`` for the cores the
/// process may use. An integer literal is a fixed count (`threads: 4`).
///
/// The output does not depend on it: every thread count writes the same bytes.
public struct ThreadCount: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The fixed count, or nil for ``auto``.
    public let fixed: Int?

    /// The cores this process may use (its CPU affinity mask, which `taskset`, cpusets and
    /// container runtimes narrow), resolved when a writer starts.
    public static let auto = ThreadCount(fixed: nil)

    /// The most threads a writer takes: each has its own codec context and page scratch.
    public static let maximum = 1024

    /// A fixed count (checked when a writer is created: 1 to ``maximum``).
    public init(_ count: Int) {
        fixed = count
    }

    private init(fixed: Int?) {
        self.fixed = fixed
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    /// The threads to start: the fixed count, or the available cores for ``auto``.
    public var resolved: Int {
        fixed ?? FileSystemCalls.availableCores()
    }

    /// `"auto"` or the count, as the configuration JSON spells it.
    public var description: String {
        fixed.map(String.init) ?? "auto"
    }
}
