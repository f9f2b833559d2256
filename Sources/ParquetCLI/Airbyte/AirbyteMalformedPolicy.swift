import ArgumentParser

/// What the destination does with a line that is not a message it can act on.
enum AirbyteMalformedPolicy: String, ExpressibleByArgument, CaseIterable {
    /// Stop: discard what is not committed, exit non-zero, echo no further state.
    case fail
    /// Report the line and go on.
    case skip
}
