#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Invariant checks shared by the fuzz targets.
///
/// A violated invariant prints what was expected and what happened, plus the calls the
/// current input made (``note(_:)``), and then aborts: libFuzzer records the input as a crash
/// (`crash-<sha1>` under its `-artifact_prefix`), exactly as it does for a trap or an
/// AddressSanitizer report.
public enum Fuzz {
    /// The calls made for the current input, printed when an invariant fails.
    nonisolated(unsafe) private static var trace: [String] = []

    /// Starts the trace of a new input.
    public static func beginInput() {
        trace.removeAll(keepingCapacity: true)
    }

    /// Records one step of the current input (kept short: see ``preview(_:limit:)``).
    public static func note(_ step: String) {
        if trace.count < 200 { trace.append(step) }
    }

    /// Reports a violated invariant and aborts the process.
    public static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        var text = "\n==== parquet-writer fuzz: INVARIANT VIOLATED (\(file):\(line))\n\(message)\n"
        if !trace.isEmpty {
            text += "---- steps of this input:\n"
            for step in trace { text += "  " + step + "\n" }
        }
        text += "====\n"
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let written = write(2, bytes.baseAddress! + done, bytes.count - done)
                if written <= 0 { break }
                done += written
            }
        }
        abort()
    }

    /// Fails unless `condition` holds.
    @inline(__always)
    public static func check(
        _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) {
        if !condition { fail(message(), file: file, line: line) }
    }

    /// Bytes as readable text for messages: printable ASCII as is, the rest escaped, cut at `limit`.
    public static func preview(_ bytes: UnsafeRawBufferPointer, limit: Int = 160) -> String {
        var text = "\""
        for byte in bytes.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x0A: text += "\\n"
            default:
                let hex = Array("0123456789abcdef".utf8)
                text += "\\x" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        text += "\""
        if bytes.count > limit { text += "... (\(bytes.count) bytes)" }
        return text
    }

    /// ``preview(_:limit:)`` of a string's UTF-8.
    public static func preview(_ text: String, limit: Int = 160) -> String {
        var copy = text
        return copy.withUTF8 { preview(UnsafeRawBufferPointer($0), limit: limit) }
    }

    /// Splits `bytes` at every `separator` (empty pieces kept), at most `limit` pieces (the
    /// last one keeps the rest).
    public static func split(_ bytes: UnsafeRawBufferPointer, at separator: UInt8, limit: Int) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < bytes.count && pieces.count < limit - 1 {
            if bytes[index] == separator {
                pieces.append(start..<index)
                start = index + 1
            }
            index += 1
        }
        pieces.append(start..<bytes.count)
        return pieces
    }

    /// A copy of `bytes` in an allocation of exactly their size (plus a NUL when asked), so
    /// that AddressSanitizer reports any read past the end (libFuzzer's own buffer is exact
    /// only for the whole input, not for a slice of it). Free with `free`.
    public static func exactCopy(_ bytes: UnsafeRawBufferPointer, nulTerminated: Bool = false) -> UnsafeMutablePointer<CChar> {
        let size = bytes.count + (nulTerminated ? 1 : 0)
        guard let memory = malloc(max(size, 1)) else { fail("malloc(\(size)) failed") }
        if let base = bytes.baseAddress, bytes.count > 0 { memcpy(memory, base, bytes.count) }
        if nulTerminated { memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self) }
        return memory.assumingMemoryBound(to: CChar.self)
    }

    /// The environment variable `name`, if set and not empty.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}
