#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ParquetJSON
import ParquetThrift

/// A failure inside an inspect test helper, saying what went wrong.
struct InspectTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory under /tmp for one test's files, removed (with its files) on deinit.
final class InspectScratchDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/parquet-inspect-tests-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let created else { throw InspectTestFailure("mkdtemp failed: errno \(errno)") }
        path = String(cString: created)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        guard let directory = opendir(path) else { return }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." {
                let child = file(name)
                if unlink(child) != 0 { rmdir(child) }
            }
        }
        closedir(directory)
        rmdir(path)
    }
}

/// Whole-file reads and writes with open/read/write, for building corrupt copies.
enum InspectFiles {
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InspectTestFailure("cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InspectTestFailure("cannot read \(path): errno \(errno)")
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[..<count])
        }
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw InspectTestFailure("cannot create \(path): errno \(errno)") }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            guard written > 0 else { throw InspectTestFailure("short write to \(path): errno \(errno)") }
            done += written
        }
    }

    /// A file made of "PAR1", `metadata` in Thrift compact form, its length and "PAR1": a
    /// footer built by hand, for cases the writer never produces (deprecated statistics,
    /// chunks that disagree with the schema).
    static func writeFooterOnly(_ path: String, _ metadata: FileMetaData) throws {
        let footer = metadata.serialized().withUnsafeReadableBytes { Array($0) }
        let length = UInt32(footer.count)
        var bytes = Array("PAR1".utf8) + footer
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
        bytes += Array("PAR1".utf8)
        try write(path, bytes)
    }
}

/// Reading the inspect JSON back, so tests check the text a user gets rather than the model.
extension JSONValue {
    /// The member or element at a path of keys and indices ("row_groups", 0, "rows").
    func at(_ path: Any...) -> JSONValue? {
        var current: JSONValue? = self
        for step in path {
            switch (current, step) {
            case (.object, let key as String): current = current?[key]
            case (.array(let items), let index as Int): current = items.indices.contains(index) ? items[index] : nil
            default: return nil
            }
        }
        return current
    }

    /// The elements of an array, empty otherwise.
    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The text of a string value.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The text of a number value as written.
    var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }
}
