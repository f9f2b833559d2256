/// Why compressing or decompressing a page failed.
///
/// Library failures carry the library's own message (zlib's `msg`, zstd's error name,
/// snappy's status) so that a corrupt file can be diagnosed from the error alone.
public enum CompressionError: Error, Equatable, Sendable {
    /// The level is outside the range the codec accepts; `codec` is the codec's
    /// ``Compression/name`` and `accepted` the levels it takes.
    case invalidLevel(codec: String, level: Int32, accepted: ClosedRange<Int32>)
    /// A buffer is larger than a Parquet page can be (see ``Compression/maximumPageSize``).
    case inputTooLarge(size: Int, limit: Int)
    /// The library could not set up its state (usually out of memory).
    case initializationFailed(String)
    /// The library rejected the input or ran out of the space it promised to need.
    case compressionFailed(String)
    /// The compressed input is corrupt, truncated, or not in the codec's format.
    case decompressionFailed(String)
    /// The data decompressed cleanly but not to the size the page header declared.
    case sizeMismatch(expected: Int, actual: Int)
}

extension CompressionError: CustomStringConvertible {
    /// A one-line, human-readable account of the failure.
    public var description: String {
        switch self {
        case .invalidLevel(let codec, let level, let accepted):
            return "invalid \(codec) compression level \(level) (accepted: \(accepted.lowerBound)...\(accepted.upperBound))"
        case .inputTooLarge(let size, let limit):
            return "buffer of \(size) bytes exceeds the page limit of \(limit) bytes"
        case .initializationFailed(let message):
            return "compressor initialization failed: \(message)"
        case .compressionFailed(let message):
            return "compression failed: \(message)"
        case .decompressionFailed(let message):
            return "decompression failed: \(message)"
        case .sizeMismatch(let expected, let actual):
            return "decompressed to \(actual) bytes, expected \(expected)"
        }
    }
}
