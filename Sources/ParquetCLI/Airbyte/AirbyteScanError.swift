/// Why a line is not the JSON the scanner expected, and where (a byte offset in the line).
struct AirbyteScanError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, for people.
    var message: String
    /// The byte offset in the line where it was found.
    var offset: Int

    var description: String { "\(message) at byte \(offset)" }
}
