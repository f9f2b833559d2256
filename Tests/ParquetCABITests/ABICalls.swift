#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ParquetJSON

@testable import ParquetCABI

// The @_cdecl entry points as the concurrency tests call them from many threads: a writer is
// carried as its token's bit pattern (a UInt, so closures that cross threads can hold it),
// results come back parsed and freed, and files are read back whole.

/// `create_writer`; nil when it returned NULL.
/// - Parameter config: The configuration JSON.
/// - Returns: The token's bit pattern.
func abiCreate(_ config: String) -> UInt? {
    create_writer(config).map { UInt(bitPattern: $0) }
}

/// The pointer a token's bit pattern stands for (NULL for 0).
func abiPointer(_ writer: UInt) -> UnsafeMutableRawPointer? {
    UnsafeMutableRawPointer(bitPattern: writer)
}

/// Parses a returned string and frees it; nil when it was NULL or not JSON.
func abiTake(_ pointer: UnsafeMutablePointer<CChar>?) -> JSONValue? {
    guard let pointer else { return nil }
    defer { free_string(pointer) }
    return try? JSONValue.parse(String(cString: pointer))
}

/// `write_batch`, parsed.
func abiWrite(_ writer: UInt, _ records: String) -> JSONValue? {
    abiTake(write_batch(abiPointer(writer), records))
}

/// `close_writer`, parsed.
func abiClose(_ writer: UInt) -> JSONValue? {
    abiTake(close_writer(abiPointer(writer)))
}

/// `commit_files`, parsed.
func abiCommit(_ writer: UInt) -> JSONValue? {
    abiTake(commit_files(abiPointer(writer)))
}

/// The calling thread's `last_error()` text.
func abiLastErrorText() -> String {
    last_error().map { String(cString: $0) } ?? "<NULL>"
}

/// A result as compact JSON text, for failure messages.
func describe(_ value: JSONValue?) -> String {
    switch value {
    case nil: return "<none>"
    case .null?: return "null"
    case .bool(let flag)?: return "\(flag)"
    case .number(let text)?: return text
    case .string(let text)?: return "\"\(text)\""
    case .array(let values)?: return "[" + values.map { describe($0) }.joined(separator: ",") + "]"
    case .object(let members)?: return "{" + members.map { "\"\($0.key)\":" + describe($0.value) }.joined(separator: ",") + "}"
    }
}

/// The code of a failed result's error (`{"ok": false, "error": {"code": ...}}`), or nil.
func errorCode(_ result: JSONValue?) -> String? {
    guard result?["ok"] == .bool(false), case .string(let code)? = result?["error"]?["code"] else { return nil }
    return code
}

/// The code of the calling thread's last error, or nil for `null` (or no code).
func lastErrorCode() -> String? {
    guard let error = try? JSONValue.parse(abiLastErrorText()), case .string(let code)? = error["code"] else {
        return nil
    }
    return code
}

/// An integer member of a result, or nil.
func integer(_ value: JSONValue?) -> Int? {
    guard case .number(let text)? = value else { return nil }
    return Int(text)
}

/// A fresh empty directory under /tmp.
func makeScratchDirectory(_ name: String) -> String {
    var template = Array("/tmp/parquet-cabi-\(name)-XXXXXX".utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(created != nil, "mkdtemp failed")
    return String(cString: created!)
}

/// The names in a directory, sorted.
func directoryEntries(_ directory: String) -> [String] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Removes a directory and the files in it.
func removeDirectory(_ directory: String) {
    for name in directoryEntries(directory) { unlink(directory + "/" + name) }
    rmdir(directory)
}

/// A whole file's bytes, or nil when it cannot be opened.
func fileContents(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return count == 0 ? bytes : nil }
        bytes += chunk[..<count]
    }
}
