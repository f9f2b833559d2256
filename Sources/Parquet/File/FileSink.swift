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
final class FileSink {
    /// Where the file appears on commit.
    let path: String
    /// Where the bytes go until then.
    let temporaryPath: String
    /// The directory of both, as `open` takes it ("." for a bare name, "/" for the root).
    let directory: String
    /// `path` up to and including its last "/" ("" for a bare name): where sibling files go.
    private let directoryPrefix: String
    /// The open descriptor, -1 once committed or aborted.
    private var descriptor: Int32
    /// Bytes written so far: the offset the next write lands at.
    private(set) var position = 0

    /// Creates the temporary file.
    /// - Parameter path: The final path; its directory must exist and be writable.
    /// - Throws: `ParquetError` with code `.io` saying why the file could not be created.
    init(path: String) throws(ParquetError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        directoryPrefix = slash.map { String(path[...$0]) } ?? ""
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        self.directory = directory
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = FileSink.scratchPath(in: directoryPrefix, extension: "tmp")
        descriptor = name.isEmpty ? -1 : open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard !name.isEmpty else { throw ParquetError(.io, "the output path '\(path)' does not name a file") }
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot create a file in '\(directory)' for '\(path)': \(FileSink.errorText())")
        }
    }

    /// A fresh path for a scratch file beside the target.
    /// - Parameter fileExtension: What the file is for (`tmp`, `spool`).
    /// - Returns: A path in the target's directory.
    func scratchPath(extension fileExtension: String) -> String {
        FileSink.scratchPath(in: directoryPrefix, extension: fileExtension)
    }

    /// A short fixed-shape name: a name derived from the target could pass NAME_MAX. The
    /// leading dot keeps it out of globbing readers; the pid and random part keep writers apart.
    private static func scratchPath(in directoryPrefix: String, extension fileExtension: String) -> String {
        var random = SystemRandomNumberGenerator()
        return directoryPrefix + ".parquet-\(getpid())-\(String(random.next() as UInt64, radix: 36)).\(fileExtension)"
    }

    /// Appends the bytes of `buffer`.
    func write(_ buffer: ByteBuffer) throws(ParquetError) {
        try buffer.withUnsafeReadableBytes { bytes throws(ParquetError) in try write(bytes) }
    }

    /// Appends raw bytes, retrying short writes and interrupted calls.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var offset = 0
        while offset < bytes.count {
            guard descriptor >= 0 else { throw ParquetError(.io, "the file '\(path)' is already finished") }
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "cannot write '\(path)': \(FileSink.errorText())")
            }
            offset += written
        }
        position += bytes.count
    }

    /// Makes the file durable and moves it to its final path.
    /// - Throws: `ParquetError` with code `.io`; the temporary file is removed on failure.
    func commit() throws(ParquetError) {
        let fd = descriptor
        let temporary = temporaryPath
        let target = path
        guard fd >= 0 else { throw ParquetError(.io, "the file '\(target)' was already finished") }
        descriptor = -1
        if fsync(fd) != 0 {
            let message = FileSink.errorText()
            close(fd)
            unlink(temporary)
            throw ParquetError(.io, "cannot flush '\(target)' to disk: \(message)")
        }
        if close(fd) != 0 {
            let message = FileSink.errorText()
            unlink(temporary)
            throw ParquetError(.io, "cannot close '\(target)': \(message)")
        }
        if rename(temporary, target) != 0 {
            let message = FileSink.errorText()
            unlink(temporary)
            throw ParquetError(.io, "cannot move the finished file to '\(target)': \(message)")
        }
        // The rename is durable only once the directory entry is.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Drops the temporary file; nothing appears at the final path.
    func abort() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    deinit {
        // Neither commit nor abort ran: leave nothing behind.
        abort()
    }

    @inline(__always)
    private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, bytes, count)
        #elseif canImport(Musl)
        Musl.write(fd, bytes, count)
        #else
        Darwin.write(fd, bytes, count)
        #endif
    }

    private static func errorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
