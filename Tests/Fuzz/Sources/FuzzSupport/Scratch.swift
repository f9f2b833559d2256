#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A per-process scratch directory for what a fuzz input writes, emptied after every input
/// and removed when the process exits normally.
///
/// It lives under `$PARQUET_FUZZ_TMPDIR`, else `/dev/shm` (tmpfs: fsync and rename cost
/// nothing, and no disk is worn out), else `/tmp`, as `parquet-fuzz-<target>-<pid>`.
public final class ScratchDirectory: @unchecked Sendable {
    /// The directory.
    public let path: String

    nonisolated(unsafe) private static var registered: [String] = []

    /// Creates the directory (a stale one of the same name is removed first).
    public init(target: String) {
        let root: String
        if let chosen = Fuzz.environment("PARQUET_FUZZ_TMPDIR") {
            root = chosen
        } else if access("/dev/shm", W_OK) == 0 {
            root = "/dev/shm"
        } else {
            root = "/tmp"
        }
        path = "\(root)/parquet-fuzz-\(target)-\(getpid())"
        removeTree(path)
        guard mkdir(path, 0o700) == 0 else {
            Fuzz.fail("cannot create the scratch directory \(path): \(String(cString: strerror(errno)))")
        }
        if Self.registered.isEmpty {
            atexit {
                for path in ScratchDirectory.registered { removeTree(path) }
            }
        }
        Self.registered.append(path)
    }

    /// An empty directory `name` inside the scratch directory (emptied if it exists).
    public func fresh(_ name: String = "run") -> String {
        let directory = path + "/" + name
        removeTree(directory)
        guard mkdir(directory, 0o700) == 0 else {
            Fuzz.fail("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        return directory
    }

    /// Removes everything inside the scratch directory.
    public func clear() {
        for name in directoryEntries(path) { removeTree(path + "/" + name) }
    }
}

/// The names in a directory, without `.` and `..` (empty when it cannot be read).
public func directoryEntries(_ directory: String) -> [String] {
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

/// Whether `path` is a directory (not following a symbolic link).
public func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// Whether anything exists at `path` (not following a symbolic link).
public func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// The size of the file at `path`, or -1.
public func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : -1
}

/// Removes `path` and, for a directory, everything below it (symbolic links are not followed).
public func removeTree(_ path: String) {
    if isDirectory(path) {
        for name in directoryEntries(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// Every non-directory below `root`, as full paths, sorted.
public func filesBelow(_ root: String) -> [String] {
    var found: [String] = []
    for name in directoryEntries(root) {
        let path = root + "/" + name
        if isDirectory(path) { found += filesBelow(path) } else { found.append(path) }
    }
    return found.sorted()
}

/// Writes `bytes` to a new file at `path` (replacing it).
public func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { Fuzz.fail("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var done = 0
    while done < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { Fuzz.fail("cannot write \(path): \(String(cString: strerror(errno)))") }
        done += written
    }
}

/// ``writeFile(_:_:)-(String,UnsafeRawBufferPointer)`` for a string's UTF-8 or an array.
public func writeFile(_ path: String, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { writeFile(path, $0) }
}

/// The bytes of the file at `path` (nil when it cannot be read).
public func readFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count < 0 { return nil }
        if count == 0 { return bytes }
        bytes += chunk[0..<count]
    }
}

/// Creates `path` and its missing parents.
public func makeDirectories(_ path: String) {
    var partial = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
        partial += "/" + component
        if !isDirectory(partial) { mkdir(partial, 0o755) }
    }
}
