/// A destination configuration (`--config`) that cannot be used, with the reason.
struct AirbyteConfigError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, naming the key.
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
