#if canImport(Glibc)
import Glibc
#endif
import Parquet
import ParquetJSON
import ParquetThrift
@testable import ParquetCLI

/// Bytes in memory as the destination's input, handed out in chunks of a fixed size so lines
/// are split across reads the way a pipe splits them.
struct AirbyteMemorySource: AirbyteByteSource {
    let bytes: [UInt8]
    let chunk: Int
    var position = 0

    init(_ text: String, chunk: Int = 7) {
        bytes = Array(text.utf8)
        self.chunk = chunk
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(AirbyteIOError) -> Int {
        let count = min(chunk, buffer.count, bytes.count - position)
        for offset in 0..<count { buffer[offset] = bytes[position + offset] }
        position += count
        return count
    }
}

/// An output sink that keeps what it is given, in order, flushes included, and can look at
/// the disk when a line arrives (``onLine``).
final class AirbyteRecordingSink: AirbyteOutputSink {
    enum Event: Equatable {
        case line(String)
        case flush
    }

    private(set) var events: [Event] = []
    /// Called with each line as it is written, before the next one.
    var onLine: ((String) -> Void)?

    var lines: [String] {
        events.compactMap { if case .line(let text) = $0 { text } else { nil } }
    }

    func writeLine(_ line: UnsafeRawBufferPointer) throws(AirbyteIOError) {
        let text = String(decoding: line, as: UTF8.self)
        events.append(.line(text))
        onLine?(text)
    }

    func flush() throws(AirbyteIOError) {
        events.append(.flush)
    }
}

/// A fresh empty directory under /tmp for one test.
func makeAirbyteTestDirectory() -> String {
    var template = Array("/tmp/parquet-airbyte-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
    precondition(path != nil, "mkdtemp failed")
    return String(cString: path!)
}

/// Every file under `root` (recursively) as paths relative to it, sorted; hidden ones included.
func airbyteListFiles(_ root: String) -> [String] {
    var found: [String] = []
    func walk(_ directory: String, _ prefix: String) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            var status = stat()
            lstat(directory + "/" + name, &status)
            if (status.st_mode & S_IFMT) == S_IFDIR {
                walk(directory + "/" + name, prefix + name + "/")
            } else {
                found.append(prefix + name)
            }
        }
    }
    walk(root, "")
    return found.sorted()
}

/// Removes a directory tree made by a test.
func airbyteRemoveTree(_ root: String) {
    var directories: [String] = []
    func walk(_ directory: String) {
        directories.append(directory)
        guard let stream = opendir(directory) else { return }
        var children: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { children.append(directory + "/" + name) }
        }
        closedir(stream)
        for child in children {
            var status = stat()
            lstat(child, &status)
            if (status.st_mode & S_IFMT) == S_IFDIR { walk(child) } else { unlink(child) }
        }
    }
    walk(root)
    for directory in directories.reversed() { rmdir(directory) }
}

/// The row count in a Parquet file's footer, read with the project's Thrift code.
func airbyteFileRows(_ path: String) throws -> Int {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw ParquetError(.io, "cannot open \(path)") }
    defer { close(descriptor) }
    let size = Int(lseek(descriptor, 0, SEEK_END))
    var tail = [UInt8](repeating: 0, count: 8)
    _ = tail.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 8, off_t(size - 8)) }
    guard Array(tail[4...]) == Array("PAR1".utf8) else { throw ParquetError(.io, "\(path) has no footer magic") }
    let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
    var footer = [UInt8](repeating: 0, count: length)
    _ = footer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, off_t(size - 8 - length)) }
    return Int(try FileMetaData.decode(from: footer).numRows)
}

/// Rows in the committed (`*.parquet`) files under `directory`.
func airbyteCommittedRows(_ directory: String) throws -> Int {
    try airbyteListFiles(directory).filter { $0.hasSuffix(".parquet") }.reduce(0) {
        $0 + (try airbyteFileRows(directory + "/" + $1))
    }
}

/// A dataset configuration for a test stream.
func airbyteConfiguration(
    _ directory: String, jsonSchema: JSONValue? = nil, extra: [(key: String, value: JSONValue)] = []
) throws -> WriterConfiguration {
    var members: [(key: String, value: JSONValue)] = [("directory", .string(directory))]
    if let jsonSchema { members.append(("json_schema", jsonSchema)) }
    return try WriterConfiguration(json: .object(members + extra))
}

/// Scans a line given as text.
func airbyteScan(_ line: String) throws(AirbyteScanError) -> AirbyteEnvelope {
    let bytes = Array(line.utf8)
    return try bytes.withUnsafeBytes { raw in
        Result { () throws(AirbyteScanError) in try AirbyteEnvelope.scan(raw) }
    }.get()
}
