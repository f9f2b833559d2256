/// A statistic decoded for people: numbers stay numbers (JSON numbers in `--json`), every
/// other kind (text, dates, timestamps, decimals, UUIDs, hex) is text.
enum InspectValue: Sendable, Equatable {
    case boolean(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    /// A FLOAT (or FLOAT16) value, kept single-precision so it prints in its shortest form.
    case float(Float)
    case double(Double)
    /// Text: strings, and the rendered form of dates, times, timestamps, decimals, UUIDs and
    /// raw bytes ("0x…").
    case text(String)

    /// The value as plain text (numbers in their shortest exact form).
    var text: String {
        switch self {
        case .boolean(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .unsigned(let value): String(value)
        case .float(let value): value.description
        case .double(let value): value.description
        case .text(let value): value
        }
    }
}
