/// The one error type the writer throws: a code for programs, a message for people, and the
/// column and row the problem was found at when it concerns a value.
public struct ParquetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. The raw values are stable: the C ABI reports them.
    public enum Code: String, Sendable, Hashable {
        case invalidSchema = "invalid_schema"
        case invalidOptions = "invalid_options"
        case typeMismatch = "type_mismatch"
        case valueOutOfRange = "value_out_of_range"
        case invalidValue = "invalid_value"
        case rowCountMismatch = "row_count_mismatch"
        case io = "io_error"
        case compression = "compression_error"
        case writerClosed = "writer_closed"
        case limitExceeded = "limit_exceeded"
        /// The input is not well-formed JSON (the whole batch is rejected).
        case malformedJSON = "malformed_json"
        /// A non-nullable column's key is missing or null.
        case missingValue = "missing_value"
        /// A batch element is valid JSON but not an object.
        case invalidRecord = "invalid_record"
        /// Arrow input that breaks the C Data Interface's rules (a malformed format string, a
        /// missing buffer, offsets out of order): the producer's fault, not the data's.
        case invalidArrow = "invalid_arrow"
        case internalError = "internal_error"
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence saying what went wrong.
    public var message: String
    /// The column concerned, when there is one.
    public var column: String?
    /// The row (0-based within the call) concerned, when there is one.
    public var row: Int?
    /// The byte offset in the input where the problem was found, for text input.
    public var offset: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong, for people.
    ///   - column: The column concerned.
    ///   - row: The row concerned.
    ///   - offset: The byte offset in the input.
    public init(_ code: Code, _ message: String, column: String? = nil, row: Int? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.column = column
        self.row = row
        self.offset = offset
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let column { text += " (column '\(column)'" + (row.map { ", row \($0)" } ?? "") + ")" }
        else if let row { text += " (row \(row))" }
        if let offset { text += " at byte \(offset)" }
        return text
    }
}
