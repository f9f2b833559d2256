/// The unit of an Arrow time, timestamp or duration (`s`, `m`, `u`, `n` in a format string).
package enum ArrowTimeUnit: Sendable, Hashable {
    case seconds, milliseconds, microseconds, nanoseconds

    /// Parses the unit letter of a format string.
    /// - Parameter letter: `s`, `m`, `u` or `n`.
    /// - Returns: The unit, or nil for another letter.
    init?(letter: UInt8) {
        switch letter {
        case UInt8(ascii: "s"): self = .seconds
        case UInt8(ascii: "m"): self = .milliseconds
        case UInt8(ascii: "u"): self = .microseconds
        case UInt8(ascii: "n"): self = .nanoseconds
        default: return nil
        }
    }

    /// Units in one second.
    package var perSecond: Int64 {
        switch self {
        case .seconds: 1
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }

    /// The name used in messages (`s`, `ms`, `us`, `ns`).
    package var name: String {
        switch self {
        case .seconds: "s"
        case .milliseconds: "ms"
        case .microseconds: "us"
        case .nanoseconds: "ns"
        }
    }
}
