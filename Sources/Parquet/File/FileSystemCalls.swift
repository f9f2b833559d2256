#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls of the file layer (``FileSink``, ``PageSpool``, ``DescriptorSink``) that
/// more than one of them makes, in one place: the retry on EINTR and short writes, errno turned
/// into text while it is still the failing call's, and the names of scratch files.
enum FileSystemCalls {
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

    /// The text of the current errno (read first, before anything else can change it).
    static func errorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// A fresh path for a scratch file: a short fixed-shape name, since one derived from the
    /// target could pass NAME_MAX. The leading dot keeps it out of globbing readers; the pid
    /// and random part keep writers apart (and let a later writer tell whose it was).
    /// - Parameters:
    ///   - directoryPrefix: The directory with its trailing "/" ("" for the working directory).
    ///   - fileExtension: What the file is for (`tmp`, `spool`).
    /// - Returns: The path.
    static func scratchPath(in directoryPrefix: String, extension fileExtension: String) -> String {
        var random = SystemRandomNumberGenerator()
        return directoryPrefix + ".parquet-\(getpid())-\(String(random.next() as UInt64, radix: 36)).\(fileExtension)"
    }

    /// Where scratch files of outputs that are not files go: `TMPDIR` when it is set and not
    /// empty, else `/tmp` (what `mkstemp` users and POSIX's `P_tmpdir` agree on).
    static func temporaryDirectory() -> String {
        if let value = getenv("TMPDIR") {
            let text = String(cString: value)
            if !text.isEmpty { return text }
        }
        return "/tmp"
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
