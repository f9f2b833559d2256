/// Finds the elements of one top-level JSON array in input that arrives in chunks, so a
/// JSON-array file can be converted in batches without ever holding the whole array.
///
/// It checks only the array's frame (brackets, commas, strings and nesting); the elements
/// themselves are checked by the writer's decoder. The state survives between calls, so each
/// byte is looked at once.
struct JSONArraySplitter {
    private enum State {
        case start, firstElement, nextElement, afterElement, inContainer, inString, inScalar, done
    }

    private var state = State.start
    private var depth = 0
    private var escaped = false
    /// Where the element being scanned starts, in the caller's buffer.
    private(set) var elementStart: Int?
    /// Whether the closing bracket was seen.
    var isComplete: Bool { state == .done }

    /// A frame error at a byte position of the caller's buffer.
    struct FrameError: Error, Equatable {
        var message: String
        var position: Int
    }

    /// Scans `bytes[from...]`, appending the range of every element completed in it.
    /// - Parameters:
    ///   - bytes: The buffer; bytes before `from` were scanned by earlier calls.
    ///   - from: The first byte not yet scanned.
    ///   - elements: Receives the ranges of completed elements.
    /// - Throws: `FrameError` when the input is not one JSON array.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, from: Int, into elements: inout [Range<Int>]) throws(FrameError) {
        var index = from
        while index < bytes.count {
            let byte = bytes[index]
            switch state {
            case .start:
                if !Self.isSpace(byte) {
                    guard byte == UInt8(ascii: "[") else {
                        throw FrameError(message: "expected a JSON array ('['), found \(Self.describe(byte))", position: index)
                    }
                    state = .firstElement
                }
            case .firstElement, .nextElement:
                if Self.isSpace(byte) { break }
                if byte == UInt8(ascii: "]") {
                    guard state == .firstElement else {
                        throw FrameError(message: "a comma is followed by ']' (trailing comma)", position: index)
                    }
                    state = .done
                    break
                }
                guard byte != UInt8(ascii: ",") else { throw FrameError(message: "an array element is missing", position: index) }
                elementStart = index
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    state = .inContainer
                    depth = 1
                case UInt8(ascii: "\""):
                    state = .inString
                default:
                    state = .inScalar
                }
            case .inContainer:
                if escaped {
                    escaped = false
                } else if depth < 0 {
                    // Inside a string within the container (depth negated while in it).
                    if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { depth = -depth }
                } else if byte == UInt8(ascii: "\"") {
                    depth = -depth
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { finishElement(at: index + 1, into: &elements) }
                }
            case .inString:
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    finishElement(at: index + 1, into: &elements)
                }
            case .inScalar:
                if Self.isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                    finishElement(at: index, into: &elements)
                    continue  // the delimiter is the next state's
                }
            case .afterElement:
                if Self.isSpace(byte) { break }
                if byte == UInt8(ascii: ",") {
                    state = .nextElement
                } else if byte == UInt8(ascii: "]") {
                    state = .done
                } else {
                    throw FrameError(message: "expected ',' or ']' after an array element, found \(Self.describe(byte))", position: index)
                }
            case .done:
                guard Self.isSpace(byte) else {
                    throw FrameError(message: "unexpected \(Self.describe(byte)) after the end of the array", position: index)
                }
            }
            index += 1
        }
    }

    /// Checks that the input ended with the array closed.
    /// - Parameter position: The input's length (for the error).
    /// - Throws: `FrameError` for an unterminated or empty input.
    func finish(at position: Int) throws(FrameError) {
        switch state {
        case .done: return
        case .start: throw FrameError(message: "the input is empty: expected a JSON array", position: position)
        default: throw FrameError(message: "the input ends inside the array: ']' is missing", position: position)
        }
    }

    /// Moves positions after the caller dropped the first `count` bytes of its buffer.
    mutating func shift(by count: Int) {
        if let start = elementStart { elementStart = start - count }
    }

    private mutating func finishElement(at end: Int, into elements: inout [Range<Int>]) {
        elements.append(elementStart!..<end)
        elementStart = nil
        state = .afterElement
        depth = 0
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
