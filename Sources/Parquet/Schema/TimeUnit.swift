/// The resolution of a time of day or a timestamp.
public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
    case milliseconds = "ms"
    case microseconds = "us"
    case nanoseconds = "ns"

    /// How many units make one second.
    public var perSecond: Int64 {
        switch self {
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }
}
