#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetJSON

/// `convert --rejects FILE`: a dead-letter file of the input that was left out, one JSON
/// object per line: where it was, why, and its exact text.
///
/// ```
/// {"line":250000,"byte":81234567,"reason":{"code":"malformed_json","message":"line 250,000 ends inside a string"},"text":"{\"id\": 7, \"name\": \"trunc"}
/// {"record":12,"byte":4410,"reason":{"code":"type_mismatch","message":"...","column":"id"},"text":"{\"id\": \"x\"}"}
/// ```
///
/// NDJSON input names the `line` (1-based), a JSON array the `record` (1-based element); `byte`
/// is the offset of the line or element in the input. Text that is not valid UTF-8 is given
/// as `"text_base64"` instead, so the bytes are kept exactly.
final class RejectsFile {
    let path: String
    private let sink: FileDescriptorSink
    /// Entries written.
    private(set) var count = 0

    /// Creates (or truncates) the file.
    /// - Throws: `ValidationError`-worthy text when it cannot be created.
    init(path: String) throws(ParquetError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot create the rejects file '\(path)': \(CLIFiles.errorText())")
        }
        self.path = path
        sink = FileDescriptorSink(descriptor: descriptor, name: path)
    }

    deinit {
        close(sink.descriptor)
    }

    /// Appends one entry.
    /// - Parameters:
    ///   - place: `("line", n)` or `("record", n)`.
    ///   - byte: The input offset of the text.
    ///   - reason: Why it was left out (its row and offset are the batch's, so not written).
    ///   - message: The reason's message as the user reads it (defaults to the error's).
    ///   - text: The rejected input, without its newline.
    /// - Throws: `ParquetError` `.io` when the file cannot be written.
    func append(
        place: (String, Int), byte: Int, reason: ParquetError, message: String? = nil, text: [UInt8]
    ) throws(ParquetError) {
        var json = JSONWriter()
        json.beginObject()
        json.key(place.0)
        json.int(place.1)
        json.key("byte")
        json.int(byte)
        json.key("reason")
        json.beginObject()
        json.key("code")
        json.string(reason.code.rawValue)
        json.key("message")
        json.string(message ?? reason.message)
        if let column = reason.column {
            json.key("column")
            json.string(column)
        }
        json.endObject()
        if let string = String(validating: text, as: UTF8.self) {
            json.key("text")
            json.string(string)
        } else {
            json.key("text_base64")
            json.string(Self.base64(text))
        }
        json.endObject()
        var line = json.text
        // withUTF8 is rethrows, so the typed error is carried out by hand.
        var failure: AirbyteIOError?
        line.withUTF8 { bytes in
            do throws(AirbyteIOError) { try sink.writeLine(UnsafeRawBufferPointer(bytes)) } catch { failure = error }
        }
        if let failure {
            throw ParquetError(.io, "writing the rejects file '\(path)' failed: \(failure)")
        }
        count += 1
    }

    /// Writes what is buffered.
    /// - Throws: `ParquetError` `.io` when the file cannot be written.
    func flush() throws(ParquetError) {
        do {
            try sink.flush()
        } catch {
            throw ParquetError(.io, "writing the rejects file '\(path)' failed: \(error)")
        }
    }

    /// RFC 4648 base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let a = UInt32(bytes[index])
            let b = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let c = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = a << 16 | b << 8 | c
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(index + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
