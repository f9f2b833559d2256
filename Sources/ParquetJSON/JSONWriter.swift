import ParquetBytes

/// Builds JSON text into a byte buffer: results and summaries crossing the C boundary.
///
/// The caller drives structure (`beginObject`, `key`, values, `endObject`); the writer inserts
/// commas and escapes strings (RFC 8259: quotes, backslash and control characters; other
/// text, already valid UTF-8 in Swift strings, is copied as is).
public struct JSONWriter: Sendable {
    /// The text written so far.
    public private(set) var buffer = ByteBuffer(capacity: 256)
    /// Whether the next value at the current level needs a comma before it.
    private var needsComma: [Bool] = [false]

    public init() {}

    /// The text written so far, as a string.
    public var text: String {
        buffer.withUnsafeReadableBytes { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { buffer.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject() {
        separate()
        buffer.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        buffer.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        buffer.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        buffer.append(UInt8(ascii: "]"))
    }

    /// Writes an object key; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        buffer.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        buffer.append(utf8: value ? "true" : "false")
    }

    public mutating func null() {
        separate()
        buffer.append(utf8: "null")
    }

    public mutating func int<T: BinaryInteger>(_ value: T) {
        separate()
        buffer.append(utf8: String(value))
    }

    /// Writes a finite number in the shortest form that reads back exactly; NaN and infinities,
    /// which JSON cannot hold, are written as the strings "NaN", "Infinity", "-Infinity".
    public mutating func double(_ value: Double) {
        if value.isNaN { string("NaN"); return }
        if value.isInfinite { string(value < 0 ? "-Infinity" : "Infinity"); return }
        separate()
        buffer.append(utf8: value.description)
    }

    /// Writes already-serialised JSON text as one value (the caller guarantees it is valid).
    public mutating func raw(_ json: String) {
        separate()
        buffer.append(utf8: json)
    }

    private mutating func appendQuoted(_ text: String) {
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(utf8: "\\\"")
            case UInt8(ascii: "\\"): buffer.append(utf8: "\\\\")
            case 0x0A: buffer.append(utf8: "\\n")
            case 0x0D: buffer.append(utf8: "\\r")
            case 0x09: buffer.append(utf8: "\\t")
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                buffer.append(utf8: "\\u00")
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 0xF)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
