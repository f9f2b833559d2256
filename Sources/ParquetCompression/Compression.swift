import CZstd

/// A page compression codec together with its level.
///
/// This is the writer-side choice; mapping it to the Thrift `CompressionCodec` written in
/// the file metadata is the job of the module that writes the metadata.
public enum Compression: Hashable, Sendable {
    /// Pages are stored as they are.
    case uncompressed
    /// Raw snappy (no framing format), as Parquet requires.
    case snappy
    /// Deflate with gzip framing (RFC 1952); `level` is 0...9, or -1 for zlib's default.
    case gzip(level: Int32)
    /// A single zstd frame per page; `level` is `ZSTD_minCLevel()...ZSTD_maxCLevel()`
    /// (0 means zstd's default).
    case zstd(level: Int32)

    /// The gzip level used by ``gzip``; zlib's own default, a good speed/size trade-off.
    public static let defaultGzipLevel: Int32 = 6

    /// The zstd level used by ``zstd``; zstd's own default.
    public static let defaultZstdLevel: Int32 = 3

    /// Gzip at ``defaultGzipLevel``.
    public static var gzip: Compression { .gzip(level: defaultGzipLevel) }

    /// Zstd at ``defaultZstdLevel``.
    public static var zstd: Compression { .zstd(level: defaultZstdLevel) }

    /// The largest buffer a compressor or ``decompress(_:compression:uncompressedSize:into:)``
    /// accepts: `Int32.max`.
    ///
    /// Parquet page headers store both sizes as `i32`, so a larger page could not be
    /// described anyway; the limit also keeps zlib's 32-bit `avail_in`/`avail_out` exact,
    /// so no codec needs a chunking loop.
    public static let maximumPageSize = Int(Int32.max)

    /// The gzip levels zlib accepts: 0 (stored) to 9, plus -1 for `Z_DEFAULT_COMPRESSION`.
    public static let gzipLevels: ClosedRange<Int32> = -1...9

    /// The zstd levels the linked libzstd accepts (negative levels are its fast modes).
    public static var zstdLevels: ClosedRange<Int32> { ZSTD_minCLevel()...ZSTD_maxCLevel() }

    /// Creates a gzip choice after checking the level.
    /// - Parameter level: 0...9, or -1 for zlib's default.
    /// - Returns: `.gzip(level: level)`.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:)`` if the level is out of range.
    public static func gzip(validatingLevel level: Int32) throws(CompressionError) -> Compression {
        try Compression.gzip(level: level).validated()
    }

    /// Creates a zstd choice after checking the level against the linked libzstd.
    /// - Parameter level: Within ``zstdLevels``.
    /// - Returns: `.zstd(level: level)`.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:)`` if the level is out of range.
    public static func zstd(validatingLevel level: Int32) throws(CompressionError) -> Compression {
        try Compression.zstd(level: level).validated()
    }

    /// Checks that the level, if any, is one the codec accepts.
    /// - Returns: `self`, unchanged.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:)`` if the level is out of range.
    @discardableResult
    public func validated() throws(CompressionError) -> Compression {
        switch self {
        case .uncompressed, .snappy:
            break
        case .gzip(let level):
            guard Compression.gzipLevels.contains(level) else {
                throw .invalidLevel(codec: "gzip", level: level)
            }
        case .zstd(let level):
            guard Compression.zstdLevels.contains(level) else {
                throw .invalidLevel(codec: "zstd", level: level)
            }
        }
        return self
    }
}
