#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ParquetBytes

/// Writes a file under a temporary name beside its target and renames it into place only on
/// ``commit()``, so the target path never holds a partial file: a reader sees the old file
/// (or none) until the new one is complete and durable.
///
/// Not replacing (mode `error`), the target is checked when the sink is created and the
/// rename is one that fails rather than replace a file created meanwhile.
package final class FileSink: OutputSink {
    /// The output's name in summaries and messages: ``target`` unless the creator names it
    /// otherwise (a dataset's staged file reports where it will end up).
    package let path: String
    /// Where the file appears on commit.
    let target: String
    /// Where the bytes go until then.
    let temporaryPath: String
    /// The directory of both, as `open` takes it ("." for a bare name, "/" for the root).
    let directory: String
    /// Whether commit may replace a file at ``target``.
    let replacing: Bool
    /// The open descriptor, -1 once committed or aborted.
    private var descriptor: Int32
    /// Where ``commit()`` hands the fsyncs and the rename, to overlap them with other work;
    /// nil: commit does them itself.
    package var durability: CommitQueue?
    /// Bytes written so far: the offset the next write lands at.
    private(set) var position = 0

    /// Creates the temporary file.
    /// - Parameters:
    ///   - path: The final path; its directory must exist and be writable.
    ///   - replacing: Whether an existing file at `path` is replaced (mode `overwrite`) or
    ///     refused, now and at commit (mode `error`).
    ///   - reportedPath: The name summaries and messages give; nil for `path`.
    /// - Throws: `ParquetError` with code `.io` saying why the file could not be created, or
    ///   that `path` exists when not replacing.
    package init(path: String, replacing: Bool = true, reportedPath: String? = nil) throws(ParquetError) {
        self.path = reportedPath ?? path
        target = path
        self.replacing = replacing
        let slash = path.lastIndex(of: "/")
        // `path` up to and including its last "/" ("" for a bare name): where sibling files go.
        let directoryPrefix = slash.map { String(path[...$0]) } ?? ""
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        self.directory = directory
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = FileSystemCalls.scratchPath(in: directoryPrefix, extension: "tmp")
        descriptor = -1
        guard !name.isEmpty else { throw ParquetError(.io, "the output path '\(path)' does not name a file") }
        if !replacing && access(path, F_OK) == 0 {
            throw Self.existsError(path)
        }
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot create a file in '\(directory)' for '\(path)': \(FileSystemCalls.errorText())")
        }
    }

    private static func existsError(_ path: String) -> ParquetError {
        ParquetError(.io, "the output '\(path)' already exists and mode 'error' does not replace it; give mode 'overwrite' to replace it")
    }

    /// The page spool goes beside the file: the same filesystem, so its pages are copied
    /// within one device, and a directory the writer is known to be able to write.
    package var scratchDirectory: String? { directory }

    /// Appends raw bytes, retrying short writes and interrupted calls.
    /// - Throws: `ParquetError` with code `.io`.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard descriptor >= 0 else { throw ParquetError(.io, "the file '\(path)' is already finished") }
        if let failure = FileSystemCalls.writeAll(bytes, to: descriptor) {
            throw ParquetError(.io, "cannot write '\(path)': \(failure)")
        }
        position += bytes.count
    }

    /// Appends bytes of another file, copied inside the kernel where it can (see
    /// `FileSystemCalls.copyInKernel`).
    /// - Parameters:
    ///   - source: An open file.
    ///   - range: Its bytes to append.
    /// - Returns: How many bytes, from the start of `range`, were appended; the caller writes
    ///   the rest with ``write(_:)``.
    package func appendInKernel(from source: Int32, range: Range<Int>) -> Int {
        guard descriptor >= 0 else { return 0 }
        let copied = FileSystemCalls.copyInKernel(from: source, range: range, to: descriptor)
        position += copied
        return copied
    }

    /// Makes the file durable and moves it to its final path: here, or handed to
    /// ``durability`` (the caller then learns the outcome from its `wait()`).
    /// - Throws: `ParquetError` with code `.io`; the temporary file is removed on failure.
    package func commit() throws(ParquetError) {
        let fd = descriptor
        guard fd >= 0 else { throw ParquetError(.io, "the file '\(target)' was already finished") }
        descriptor = -1
        let (temporary, target, directory, replacing) = (temporaryPath, self.target, self.directory, self.replacing)
        if let durability {
            durability.submit {
                // The directory's fsync waits for the queue's wait(), once for all the files
                // renamed into it by then.
                Self.makeDurable(
                    fd, temporary: temporary, target: target, directory: directory, replacing: replacing,
                    syncDirectory: durability.syncBeforeWait)
            }
            return
        }
        if let failure = Self.makeDurable(fd, temporary: temporary, target: target, directory: directory, replacing: replacing) {
            throw failure
        }
    }

    /// fsyncs and closes the temporary file, renames it to `target` and has the directory
    /// fsynced.
    /// - Parameter syncDirectory: Makes the directory durable: at once by default, or before
    ///   the commit queue's wait returns.
    /// - Returns: The failure, after which the temporary file is gone; nil on success.
    private static func makeDurable(
        _ fd: Int32, temporary: String, target: String, directory: String, replacing: Bool,
        syncDirectory: (String) -> Void = FileSystemCalls.syncDirectory
    ) -> ParquetError? {
        if fsync(fd) != 0 {
            let message = FileSystemCalls.errorText()
            close(fd)
            unlink(temporary)
            return ParquetError(.io, "cannot flush '\(target)' to disk: \(message)")
        }
        if close(fd) != 0 {
            let message = FileSystemCalls.errorText()
            unlink(temporary)
            return ParquetError(.io, "cannot close '\(target)': \(message)")
        }
        if replacing {
            if rename(temporary, target) != 0 {
                let message = FileSystemCalls.errorText()
                unlink(temporary)
                return ParquetError(.io, "cannot move the finished file to '\(target)': \(message)")
            }
        } else {
            // A file created at the target since init is kept, not replaced.
            let code = FileSystemCalls.renameWithoutReplacing(temporary, to: target)
            if code != 0 {
                unlink(temporary)
                if code == EEXIST { return existsError(target) }
                return ParquetError(
                    .io, "cannot move the finished file to '\(target)': \(FileSystemCalls.errorText(code))")
            }
        }
        // The rename is durable only once the directory entry is.
        syncDirectory(directory)
        return nil
    }

    /// Drops the temporary file; nothing appears at the final path.
    package func abort() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    deinit {
        // Neither commit nor abort ran: leave nothing behind.
        abort()
    }
}
