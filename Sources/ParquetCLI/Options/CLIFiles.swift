#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Parquet
import ParquetJSON

/// Small whole-file reads for the command line's inputs that are read at once (schemas,
/// catalogs, configurations), never for record data, which is streamed.
enum CLIFiles {
    /// The largest file read whole: schemas and catalogs are small.
    static let maximumBytes = 64 << 20

    /// Reads a whole file.
    /// - Parameters:
    ///   - path: The file.
    ///   - what: What the file is, for the message.
    /// - Returns: Its bytes.
    /// - Throws: `ValidationError` saying which file could not be read and why.
    static func read(_ path: String, what: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ValidationError("cannot open the \(what) file '\(path)': \(errorText())") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ValidationError("cannot read the \(what) file '\(path)': \(errorText())")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
            guard bytes.count <= maximumBytes else {
                throw ValidationError("the \(what) file '\(path)' is larger than \(maximumBytes >> 20) MiB")
            }
        }
    }

    /// Reads and parses a JSON file.
    /// - Throws: `ValidationError` naming the file, with the parser's message and offset.
    static func readJSON(_ path: String, what: String) throws -> JSONValue {
        let bytes = try read(path, what: what)
        do {
            return try bytes.withUnsafeBytes { raw in
                Result { () throws(ParquetError) in try JSONValue.parse(raw) }
            }.get()
        } catch {
            throw ValidationError("the \(what) file '\(path)' is not valid JSON: \(error)")
        }
    }

    static func errorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
