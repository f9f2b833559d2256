import ArgumentParser

/// What `convert` and the Airbyte destination do with input that is not JSON they can read:
/// a malformed NDJSON line, array element or Airbyte message.
enum MalformedLinePolicy: String, ExpressibleByArgument, CaseIterable {
    /// Stop: discard the output (or, for Airbyte, what is not committed) and exit non-zero.
    case fail
    /// Report the line, leave it out (and write it to `--rejects`, for convert), and go on.
    case skip
}
