#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ParquetThrift

/// Why a file's Parquet footer could not be read: each case names the file and prints as
/// one line, which is what the command line shows after "Error: ".
enum ParquetFooterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `open` failed (missing file, no permission, ...); `errno` says why.
    case cannotOpen(path: String, errno: Int32)
    /// The path is a directory.
    case isDirectory(path: String)
    /// The path is a FIFO, socket or device: it has no end to read a footer from.
    case notRegularFile(path: String)
    /// `fstat` or `pread` failed (errno), or the file ended early (0) while being read.
    case readFailed(path: String, errno: Int32)
    /// The file is shorter than the 12 bytes of the smallest conceivable Parquet file.
    case tooShort(path: String, size: Int64)
    /// The first four bytes are not "PAR1".
    case badLeadingMagic(path: String, found: [UInt8])
    /// The last four bytes are not "PAR1".
    case badTrailingMagic(path: String, found: [UInt8])
    /// The file ends with "PARE": its footer is encrypted, which this tool cannot read.
    case encryptedFooter(path: String)
    /// The footer length in the last 8 bytes is larger than the room between the magics.
    case footerLengthOutOfRange(path: String, length: UInt32, size: Int64)
    /// The footer bytes are not a valid Thrift compact `FileMetaData`.
    case undecodableFooter(path: String, length: Int, error: ThriftError)

    /// The file the error is about.
    var path: String {
        switch self {
        case .cannotOpen(let path, _), .isDirectory(let path), .notRegularFile(let path),
             .readFailed(let path, _), .tooShort(let path, _), .badLeadingMagic(let path, _),
             .badTrailingMagic(let path, _), .encryptedFooter(let path),
             .footerLengthOutOfRange(let path, _, _), .undecodableFooter(let path, _, _):
            path
        }
    }

    /// One line naming the file and the problem.
    var description: String {
        switch self {
        case .cannotOpen(let path, let code):
            "cannot open '\(path)': \(Self.systemMessage(code))"
        case .isDirectory(let path):
            "'\(path)' is a directory, not a Parquet file"
        case .notRegularFile(let path):
            "'\(path)' is not a regular file, so it has no Parquet footer to read"
        case .readFailed(let path, let code):
            code == 0
                ? "cannot read '\(path)': the file ended early (was it truncated while being read?)"
                : "cannot read '\(path)': \(Self.systemMessage(code))"
        case .tooShort(let path, let size):
            "'\(path)' is not a Parquet file: it is \(size) bytes long, shorter than the 12 bytes "
                + "of the smallest one (\"PAR1\", a 4-byte footer length, \"PAR1\")"
        case .badLeadingMagic(let path, let found):
            "'\(path)' is not a Parquet file: it starts with \(Self.describe(found)), not \"PAR1\""
        case .badTrailingMagic(let path, let found):
            "'\(path)' is not a Parquet file: it ends with \(Self.describe(found)), not \"PAR1\""
        case .encryptedFooter(let path):
            "'\(path)' has an encrypted footer (it ends with \"PARE\"), which inspect cannot read"
        case .footerLengthOutOfRange(let path, let length, let size):
            "'\(path)' is corrupt: its footer length \(length) does not fit in a file of \(size) bytes "
                + "(at most \(size - 12))"
        case .undecodableFooter(let path, let length, let error):
            "'\(path)' is corrupt: its \(length)-byte footer is not a valid FileMetaData "
                + "(\(Self.describe(error)))"
        }
    }

    /// `strerror` text, which is what users recognise ("No such file or directory").
    /// - Parameter code: An errno value.
    /// - Returns: The system's message for it.
    private static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    /// Magic bytes as text when printable (so "PAR2" reads as such), else as hex.
    /// - Parameter bytes: The four bytes found.
    /// - Returns: `"ABCD"` or `0x…`.
    private static func describe(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ (0x20...0x7E).contains($0) }) {
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        return InspectValueDecoder.hex(bytes)
    }

    /// A Thrift decoding failure in words; `ThriftError` itself has no description.
    /// - Parameter error: The decoder's error.
    /// - Returns: A short phrase.
    private static func describe(_ error: ThriftError) -> String {
        switch error {
        case .truncated: "it ends in the middle of a value"
        case .invalidVarint: "a varint is too long for its type"
        case .invalidType(let code): "type code \(code) is not a compact-protocol type"
        case .invalidLength(let length): "length or count \(length) is impossible here"
        case .invalidBool(let byte): "bool list element \(byte) is neither true nor false"
        case .valueOutOfRange: "a field id or i16 does not fit in 16 bits"
        case .depthLimitExceeded(let limit): "structures nest deeper than \(limit) levels"
        case .missingRequiredField(let type, let field): "\(type).\(field) is required but missing"
        case .unknownEnumValue(let type, let value): "\(type) value \(value) is not one this tool knows"
        case .invalidUnion(let type): "a \(type) union does not have exactly one member"
        case .unexpectedElementType(let expected, let found):
            "a list holds \(found) elements where \(expected) ones belong"
        }
    }
}
