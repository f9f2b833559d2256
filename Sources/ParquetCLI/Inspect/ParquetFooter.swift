#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ParquetThrift

/// A Parquet file's decoded footer, read without touching the data pages.
///
/// A Parquet file is `"PAR1" <column chunks> <FileMetaData> <4-byte LE length> "PAR1"`, so the
/// footer is found from the end: only the last 8 bytes, the first 4 and the footer itself are
/// read (`pread`), whatever the file's size. Every defect (short file, wrong magic, a length
/// that does not fit, bytes that do not decode) is a ``ParquetFooterError``, never a trap.
struct ParquetFooter: Sendable {
    /// The file as given.
    let path: String
    /// The file's size in bytes.
    let fileSize: Int64
    /// The footer's length in bytes, as the file's tail declares it.
    let footerLength: Int
    /// Bytes inside the declared footer after the end of `FileMetaData` (normally 0).
    let trailingFooterBytes: Int
    /// The decoded footer.
    let metadata: FileMetaData

    /// The magic at both ends of an unencrypted Parquet file.
    static let magic: [UInt8] = Array("PAR1".utf8)
    /// The trailing magic of a file whose footer is encrypted.
    static let encryptedMagic: [UInt8] = Array("PARE".utf8)

    /// Reads and decodes the footer of the file at `path`.
    /// - Parameter path: The Parquet file.
    /// - Throws: ``ParquetFooterError`` naming the file and what is wrong with it.
    init(path: String) throws(ParquetFooterError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(descriptor) }

        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .readFailed(path: path, errno: errno) }
        // Opening a directory read-only succeeds on Linux; only the mode tells it apart.
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .isDirectory(path: path)
        default: throw .notRegularFile(path: path)
        }
        let size = Int64(info.st_size)
        guard size >= 12 else { throw .tooShort(path: path, size: size) }

        let tail = try Self.read(descriptor, count: 8, at: size - 8, path: path)
        let trailingMagic = Array(tail[4..<8])
        if trailingMagic == Self.encryptedMagic { throw .encryptedFooter(path: path) }
        guard trailingMagic == Self.magic else { throw .badTrailingMagic(path: path, found: trailingMagic) }
        let leadingMagic = try Self.read(descriptor, count: 4, at: 0, path: path)
        guard leadingMagic == Self.magic else { throw .badLeadingMagic(path: path, found: leadingMagic) }

        let length = UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24
        // The footer must lie between the leading magic and the 8-byte tail.
        guard Int64(length) <= size - 12 else {
            throw .footerLengthOutOfRange(path: path, length: length, size: size)
        }
        let footer = try Self.read(descriptor, count: Int(length), at: size - 8 - Int64(length), path: path)
        let decoded: (value: FileMetaData, byteCount: Int)
        do {
            decoded = try footer.withUnsafeBytes { raw in
                Result { () throws(ThriftError) in try FileMetaData.decodePrefix(from: raw) }
            }.get()
        } catch {
            throw .undecodableFooter(path: path, length: Int(length), error: error)
        }
        self.path = path
        self.fileSize = size
        self.footerLength = Int(length)
        self.trailingFooterBytes = Int(length) - decoded.byteCount
        self.metadata = decoded.value
    }

    /// Reads exactly `count` bytes at `offset`, retrying short reads and interruptions.
    /// - Parameters:
    ///   - descriptor: An open file.
    ///   - count: Bytes to read.
    ///   - offset: Where to start.
    ///   - path: The file's path, for errors.
    /// - Returns: The bytes.
    /// - Throws: ``ParquetFooterError/readFailed(path:errno:)``, with errno 0 when the file
    ///   ends first (it shrank after `fstat`).
    private static func read(
        _ descriptor: Int32, count: Int, at offset: Int64, path: String
    ) throws(ParquetFooterError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + Int64(done)))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, errno: errno)
            }
            if result == 0 { throw .readFailed(path: path, errno: 0) }
            done += result
        }
        return bytes
    }
}
