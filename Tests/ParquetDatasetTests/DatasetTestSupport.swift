#if canImport(Glibc)
import Glibc
#endif
import Parquet
import ParquetThrift

/// A fresh empty directory under /tmp for one test.
func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/parquet-dataset-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
    precondition(path != nil, "mkdtemp failed")
    return String(cString: path!)
}

/// Every file under `root` (recursively), as paths relative to it, sorted; hidden files included.
func listFiles(_ root: String) -> [String] {
    var found: [String] = []
    func walk(_ directory: String, _ prefix: String) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            let path = directory + "/" + name
            var status = stat()
            lstat(path, &status)
            if (status.st_mode & S_IFMT) == S_IFDIR { walk(path, prefix + name + "/") } else { found.append(prefix + name) }
        }
    }
    walk(root, "")
    return found.sorted()
}

/// Removes a directory tree made by a test.
func removeTree(_ root: String) {
    for file in listFiles(root) { unlink(root + "/" + file) }
    func prune(_ directory: String) {
        guard let stream = opendir(directory) else { return }
        var children: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name != "." && name != ".." { children.append(directory + "/" + name) }
        }
        closedir(stream)
        for child in children { prune(child) }
        rmdir(directory)
    }
    prune(root)
}

/// The footer of a Parquet file, decoded with the project's Thrift code.
func readFooter(_ path: String) throws -> FileMetaData {
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
    return try FileMetaData.decode(from: footer)
}
