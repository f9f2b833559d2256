#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if os(Linux)
import CFileSystem
#endif

/// The system calls of the file layer (``FileSink``, ``ScratchFile``, ``DescriptorSink``) that
/// more than one of them makes, in one place: the retry on EINTR and short writes, errno turned
/// into text while it is still the failing call's, and the names of scratch files.
package enum FileSystemCalls {
    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and interrupted calls.
    /// - Parameters:
    ///   - bytes: What to write.
    ///   - descriptor: An open descriptor.
    /// - Returns: nil on success, else the failure's text (`strerror` of errno).
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errorText()
            }
            offset += written
        }
        return nil
    }

    /// fsyncs a directory so the entries created or renamed in it are durable (best effort: a
    /// directory that cannot be opened is skipped, as there is nothing more to do about it).
    /// - Parameter path: The directory.
    package static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The text of the current errno (read first, before anything else can change it).
    static func errorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// A fresh path for a scratch file: a short fixed-shape name, since one derived from the
    /// target could pass NAME_MAX. The leading dot keeps it out of globbing readers. The name is
    /// `.parquet-<host>-<pid>-<random>.<extension>`: the host and pid say whose it was, so that a
    /// later writer removes it only when it was left by a dead process of its own host (on a
    /// shared or network file system, a pid means nothing on another host).
    /// - Parameters:
    ///   - directoryPrefix: The directory with its trailing "/" ("" for the working directory).
    ///   - fileExtension: What the file is for (`tmp`, `spool`).
    /// - Returns: The path.
    package static func scratchPath(in directoryPrefix: String, extension fileExtension: String) -> String {
        var random = SystemRandomNumberGenerator()
        return directoryPrefix
            + ".parquet-\(hostToken)-\(getpid())-\(String(random.next() as UInt64, radix: 36)).\(fileExtension)"
    }

    /// This host's part of scratch names: 8 base-36 digits of a hash of the host name and
    /// `/etc/machine-id`. Both, because containers on one machine share its machine-id but
    /// not their host names (nor their pid numbering), and machines cloned from one image may
    /// share a host name but not a machine-id.
    package static let hostToken: String = {
        var identity = Array(hostName().utf8)
        identity.append(0)
        if let file = fopen("/etc/machine-id", "r") {
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = fread(&buffer, 1, buffer.count, file)
            fclose(file)
            identity += buffer[..<count]
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var token = String(hash % 2_821_109_907_456, radix: 36)  // 36^8: exactly 8 digits
        while token.count < 8 { token = "0" + token }
        return token
    }()

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The cores this process may use: its CPU affinity mask (narrowed by `taskset`, cpusets
    /// and container runtimes), else the online processors; at least 1. What `threads: "auto"`
    /// resolves to, as Rust's `available_parallelism` reads the mask.
    package static func availableCores() -> Int {
        #if os(Linux)
        let fromMask = Int(cfs_available_cpus())
        if fromMask > 0 { return fromMask }
        #endif
        return Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Where scratch files of outputs that are not files go: `TMPDIR` when it is set and not
    /// empty, else `/tmp` (what `mkstemp` users and POSIX's `P_tmpdir` agree on).
    package static func temporaryDirectory() -> String {
        if let value = getenv("TMPDIR") {
            let text = String(cString: value)
            if !text.isEmpty { return text }
        }
        return "/tmp"
    }

    /// Renames `from` to `to` unless `to` exists, in one atomic step: `renameat2` with
    /// `RENAME_NOREPLACE`, or where the file system does not take that flag, `link` then
    /// `unlink` (a hard link also fails when the name exists; files only).
    /// - Parameters:
    ///   - from: The existing path.
    ///   - to: The new path, which must not exist.
    /// - Returns: 0, or the errno of the failure (EEXIST when `to` exists).
    package static func renameWithoutReplacing(_ from: String, to: String) -> Int32 {
        #if os(Linux)
        if cfs_rename_noreplace(from, to) == 0 { return 0 }
        let code = errno
        guard code == EINVAL || code == ENOSYS else { return code }
        #endif
        guard link(from, to) == 0 else { return errno }
        unlink(from)
        return 0
    }

    /// Swaps two existing paths (directories, here) in one atomic step: `renameat2` with
    /// `RENAME_EXCHANGE`. There is no safe fallback: two renames would leave a moment with
    /// neither in place, so callers report the failure instead.
    /// - Parameters:
    ///   - first: One path.
    ///   - second: The other, on the same file system.
    /// - Returns: 0, or the errno of the failure (EINVAL or ENOSYS where unsupported).
    package static func exchange(_ first: String, _ second: String) -> Int32 {
        #if os(Linux)
        return cfs_rename_exchange(first, second) == 0 ? 0 : errno
        #else
        return ENOSYS
        #endif
    }

    /// The text of an errno value.
    package static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    #if os(Linux)
    /// Frees the blocks of `length` bytes at `offset` of `descriptor` without changing its
    /// size (`FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE`). Best effort: file systems without
    /// holes keep the blocks until the file is closed.
    static func punchHole(_ descriptor: Int32, offset: Int, length: Int) {
        guard length > 0 else { return }
        _ = cfs_punch_hole(descriptor, Int64(offset), Int64(length))
    }
    #endif

    /// Copies bytes of one file to the end of another inside the kernel (copy_file_range),
    /// so they are not read into the process and written back. Best effort: it stops at the
    /// first refusal (a kernel or file systems that cannot, an error), and the caller copies
    /// the rest itself, which reports any real error.
    /// - Parameters:
    ///   - source: The file read, at `range` (unchanged, its position too).
    ///   - range: The bytes of `source` to copy.
    ///   - target: The file written, at its position, which advances.
    /// - Returns: The bytes copied, from the start of `range`.
    static func copyInKernel(from source: Int32, range: Range<Int>, to target: Int32) -> Int {
        #if os(Linux)
        var copied = 0
        while copied < range.count {
            let done = cfs_copy_file_range(source, Int64(range.lowerBound + copied), target, Int64(range.count - copied))
            if done < 0 && errno == EINTR { continue }
            guard done > 0 else { break }
            copied += Int(done)
        }
        return copied
        #else
        return 0
        #endif
    }

    @inline(__always)
    private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, bytes, count)
        #elseif canImport(Musl)
        Musl.write(fd, bytes, count)
        #else
        Darwin.write(fd, bytes, count)
        #endif
    }
}
