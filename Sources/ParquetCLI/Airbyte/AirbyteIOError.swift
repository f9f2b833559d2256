/// An I/O failure on the destination's input or output.
struct AirbyteIOError: Error, CustomStringConvertible {
    /// What failed, with the system's reason.
    var message: String

    var description: String { message }
}
