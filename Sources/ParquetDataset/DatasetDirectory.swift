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
///
/// Package-visible where another module of this package publishes directories the same way
/// (the Airbyte destination's generations), so the atomic exchange and its messages live once.
package enum DatasetDirectory {
    /// Creates `path` and any missing parents, each made durable by an fsync of its parent
    /// (a file renamed into a directory that is itself not yet durable could vanish on a crash).
    /// - Parameters:
    ///   - path: The directory.
    ///   - syncParent: Makes a parent durable: at once by default, or later (a dataset hands
    ///     it to its commit queue, and reports no file in it before the queue is done).
    /// - Throws: `ParquetError` `.io` naming the directory that could not be created.
    package static func create(_ path: String, syncParent: (String) -> Void = syncDirectory) throws(ParquetError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw ParquetError(.io, "'\(path)' exists and is not a directory")
            }
            return
        }
        let parent = parentOf(path)
        if parent != path { try create(parent, syncParent: syncParent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw ParquetError(.io, "cannot create the directory '\(path)': \(errorText())")
        }
        syncParent(parent)
    }

    /// fsyncs a directory so the entries created in it are durable.
    package static func syncDirectory(_ path: String) {
        FileSystemCalls.syncDirectory(path)
    }

    /// The directory holding `path` ("." for a bare name, "/" for the root).
    package static func parentOf(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The last component of `path`, trailing slashes ignored.
    package static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.lastIndex(of: "/").map { String(trimmed[trimmed.index(after: $0)...]) } ?? String(trimmed)
    }

    /// `a/b` joined, without doubling the slash.
    package static func join(_ directory: String, _ name: String) -> String {
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
            let name = entryName(entry)
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

    /// Whether `path` holds a visible entry: a name not starting with `.` or `_`, which
    /// readers (Arrow, Spark, DuckDB) take as part of a dataset. A missing directory holds none.
    /// - Throws: `ParquetError` `.io` when `path` exists but cannot be read as a directory.
    static func hasVisibleEntries(_ path: String) throws(ParquetError) -> Bool {
        guard let stream = opendir(path) else {
            if errno == ENOENT { return false }
            throw ParquetError(.io, "cannot read the directory '\(path)': \(errorText())")
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = entryName(entry)
            if !name.hasPrefix(".") && !name.hasPrefix("_") { return true }
        }
        return false
    }

    /// What `path` is, without following a final symbolic link.
    package enum Kind { case missing, directory, symbolicLink, other }

    /// The kind of `path` (`lstat`).
    package static func kind(_ path: String) -> Kind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Removes `path` and everything under it, best effort (what cannot be removed stays);
    /// symbolic links are removed, never followed.
    package static func removeTree(_ path: String) {
        if kind(path) == .directory, let stream = opendir(path) {
            var names: [String] = []
            while let entry = readdir(stream) {
                let name = entryName(entry)
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(stream)
            for name in names { removeTree(join(path, name)) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Creates a directory (its parent must exist), failing if it exists.
    /// - Throws: `ParquetError` `.io` naming it.
    static func createFresh(_ path: String) throws(ParquetError) {
        guard mkdir(path, 0o755) == 0 else {
            throw ParquetError(.io, "cannot create the directory '\(path)': \(errorText())")
        }
    }

    /// Renames `from` to `to` (directories: `to` must be missing or an empty directory).
    /// - Throws: `ParquetError` `.io` naming `to`.
    package static func move(_ from: String, to: String) throws(ParquetError) {
        guard rename(from, to) == 0 else {
            throw ParquetError(.io, "cannot move the new data to '\(to)': \(errorText())")
        }
    }

    /// Swaps the directories `staged` and `target` in one atomic step.
    /// - Throws: `ParquetError` `.io`; where the file system cannot exchange (EINVAL, ENOSYS)
    ///   it says so, since there is no safe fallback (two renames leave a moment with neither).
    package static func exchange(_ staged: String, _ target: String) throws(ParquetError) {
        let code = FileSystemCalls.exchange(staged, target)
        if code == EINVAL || code == ENOSYS {
            throw ParquetError(
                .io,
                "cannot replace '\(target)' atomically: the file system does not support renameat2(RENAME_EXCHANGE) "
                    + "(\(FileSystemCalls.errorText(code))); mode overwrite needs it, so the old data is kept")
        }
        guard code == 0 else {
            throw ParquetError(.io, "cannot swap the new data into '\(target)': \(FileSystemCalls.errorText(code))")
        }
    }

    /// The start of the names of `root`'s staging directories, up to the owner's part:
    /// `.<name>.staging-`, the name cut to 100 bytes so the whole stays under NAME_MAX.
    static func stagingPrefix(forRootNamed name: String) -> String {
        var cut = ""
        for scalar in name.unicodeScalars {
            guard cut.utf8.count + String(scalar).utf8.count <= 100 else { break }
            cut.unicodeScalars.append(scalar)
        }
        return ".\(cut).staging-"
    }

    /// A fresh name for a staging directory of the root named `name`:
    /// `.<name>.staging-<host>-<pid>-<random>`. Hidden (readers skip it), and carrying its
    /// owner like a temporary file's name so only a dead writer of this host's is swept.
    static func stagingName(forRootNamed name: String) -> String {
        var random = SystemRandomNumberGenerator()
        return stagingPrefix(forRootNamed: name)
            + "\(FileSystemCalls.hostToken)-\(getpid())-\(String(random.next() as UInt64, radix: 36))"
    }

    /// Removes the staging directories that writers of this host left beside `root` when
    /// their process died (a crash before the exchange leaves the new data there, after it
    /// the old: either way it is garbage). Others' are left alone, as with temporary files.
    /// - Parameters:
    ///   - parent: The directory holding the root.
    ///   - rootName: The root's name in it.
    /// - Returns: The paths removed.
    @discardableResult
    static func removeAbandonedStaging(in parent: String, rootName: String) -> [String] {
        let prefix = stagingPrefix(forRootNamed: rootName)
        guard let stream = opendir(parent) else { return [] }
        var abandoned: [String] = []
        while let entry = readdir(stream) {
            let name = entryName(entry)
            guard name.hasPrefix(prefix) else { continue }
            let parts = name.dropFirst(prefix.count).split(separator: "-", maxSplits: 2)
            guard parts.count == 3, parts[0] == FileSystemCalls.hostToken, let pid = pid_t(parts[1]), pid > 0 else {
                continue
            }
            if kill(pid, 0) != 0 && errno == ESRCH { abandoned.append(join(parent, name)) }
        }
        closedir(stream)
        for path in abandoned { removeTree(path) }
        return abandoned
    }

    /// The names in `directory` (`.` and `..` left out); empty when it cannot be read.
    package static func names(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = entryName(entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
    }

    /// A short random token in base 36: this run's part of file names.
    static func runToken() -> String {
        var random = SystemRandomNumberGenerator()
        var token = String(random.next() as UInt64, radix: 36)
        while token.count < 8 { token = "0" + token }
        return String(token.suffix(8))
    }

    package static func errorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
