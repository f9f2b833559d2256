#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Parquet

/// The file-system side of a dataset: durable directory creation, file names, and the
/// removal of temporary files that writers which died left behind.
enum DatasetDirectory {
    /// Creates `path` and any missing parents, each made durable by an fsync of its parent
    /// (a file renamed into a directory that is itself not yet durable could vanish on a crash).
    /// - Throws: `ParquetError` `.io` naming the directory that could not be created.
    static func create(_ path: String) throws(ParquetError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw ParquetError(.io, "'\(path)' exists and is not a directory")
            }
            return
        }
        let parent = parentOf(path)
        if parent != path { try create(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw ParquetError(.io, "cannot create the directory '\(path)': \(errorText())")
        }
        syncDirectory(parent)
    }

    /// fsyncs a directory so the entries created in it are durable.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The directory holding `path` ("." for a bare name, "/" for the root).
    static func parentOf(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `a/b` joined, without doubling the slash.
    static func join(_ directory: String, _ name: String) -> String {
        guard !name.isEmpty else { return directory }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Removes the temporary files (`.parquet-<host>-<pid>-<random>.tmp` or `.spool`) that
    /// writers of this host left when their process died, in `root` and in its `key=value`
    /// directories. A file of another host (a shared or network file system), of a live
    /// process, of a pid this process may not signal, or in the older name without a host is
    /// left alone: a pid can only be checked on its own host.
    /// - Parameter root: The dataset's directory.
    /// - Returns: The paths removed.
    @discardableResult
    static func removeAbandonedTemporaries(in root: String) -> [String] {
        var removed: [String] = []
        sweep(root, depth: 0, removed: &removed)
        return removed
    }

    private static func sweep(_ directory: String, depth: Int, removed: inout [String]) {
        guard depth <= 16, let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        var subdirectories: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let path = join(directory, name)
            if let owner = temporaryOwner(name) {
                if owner.host == FileSystemCalls.hostToken && kill(owner.pid, 0) != 0 && errno == ESRCH
                    && unlink(path) == 0
                {
                    removed.append(path)
                }
                continue
            }
            // Only partition directories: a dataset never nests anything else.
            if name.contains("=") && !name.hasPrefix(".") {
                var status = stat()
                if lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR { subdirectories.append(path) }
            }
        }
        for subdirectory in subdirectories { sweep(subdirectory, depth: depth + 1, removed: &removed) }
    }

    /// The host token and pid in a temporary file's name; nil for any other name. A name in
    /// the older `.parquet-<pid>-<random>` form has an empty host (its owner's host is unknown).
    static func temporaryOwner(_ name: String) -> (host: String, pid: pid_t)? {
        guard name.hasPrefix(".parquet-"), name.hasSuffix(".tmp") || name.hasSuffix(".spool") else { return nil }
        let parts = name.dropFirst(".parquet-".count).split(separator: "-", maxSplits: 2)
        if parts.count == 3, parts[0].count == 8, let pid = pid_t(parts[1]), pid > 0 {
            return (String(parts[0]), pid)
        }
        guard parts.count >= 2, let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return ("", pid)
    }

    /// A short random token in base 36: this run's part of file names.
    static func runToken() -> String {
        var random = SystemRandomNumberGenerator()
        var token = String(random.next() as UInt64, radix: 36)
        while token.count < 8 { token = "0" + token }
        return String(token.suffix(8))
    }

    static func errorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
