/// A configured catalog the destination cannot use, and why.
struct AirbyteCatalogError: Error, CustomStringConvertible {
    /// What is wrong, naming the stream.
    var message: String

    /// Creates an error.
    /// - Parameter message: What is wrong.
    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
