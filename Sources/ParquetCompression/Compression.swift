import CBrotli
import CLz4
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
    /// The `LZ4_RAW` codec: one LZ4 block per page, with no frame and no Hadoop size prefix
    /// (not the deprecated `LZ4` codec). `level` is 1...12 as Arrow C++ (pyarrow's
    /// `compression_level`) reads it: 1 and 2 are LZ4's fast compressor (what
    /// `LZ4_compress_default` does), 3...12 are LZ4HC levels, slower to write and smaller.
    /// Every level decodes with the same LZ4 block decoder at the same speed.
    case lz4Raw(level: Int32)
    /// The `BROTLI` codec: one brotli stream (RFC 7932) per page, window 2^22 bytes;
    /// `level` is brotli's quality, 0...11.
    case brotli(level: Int32)

    /// The gzip level used by ``gzip``; zlib's own default, a good speed/size trade-off.
    public static let defaultGzipLevel: Int32 = 6

    /// The zstd level used by ``zstd``; zstd's own default.
    public static let defaultZstdLevel: Int32 = 3

    /// The LZ4_RAW level used by ``lz4Raw``: 1, LZ4's fast compressor, which is also what
    /// Arrow C++ and pyarrow write by default (arrow-rs has no LZ4 levels and writes the same
    /// fast block format).
    public static let defaultLz4RawLevel: Int32 = 1

    /// The brotli quality used by ``brotli``: 8, Arrow C++'s (so pyarrow's) default, so a file
    /// written here with brotli is what pyarrow would write by default. Brotli's own default,
    /// 11, is its slowest setting (the optimal parser); arrow-rs's 1 is a fast mode that gives
    /// up much of the ratio brotli is chosen for.
    public static let defaultBrotliLevel: Int32 = 8

    /// Gzip at ``defaultGzipLevel``.
    public static var gzip: Compression { .gzip(level: defaultGzipLevel) }

    /// Zstd at ``defaultZstdLevel``.
    public static var zstd: Compression { .zstd(level: defaultZstdLevel) }

    /// LZ4_RAW at ``defaultLz4RawLevel``.
    public static var lz4Raw: Compression { .lz4Raw(level: defaultLz4RawLevel) }

    /// Brotli at ``defaultBrotliLevel``.
    public static var brotli: Compression { .brotli(level: defaultBrotliLevel) }

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

    /// The LZ4_RAW levels: 1...2 fast, `LZ4HC_CLEVEL_MIN` (3) up to `LZ4HC_CLEVEL_MAX` (12) HC,
    /// the range Arrow C++ accepts for the same codec.
    public static let lz4RawLevels: ClosedRange<Int32> = 1...Int32(LZ4HC_CLEVEL_MAX)

    /// The brotli qualities: `BROTLI_MIN_QUALITY` (0) to `BROTLI_MAX_QUALITY` (11).
    public static let brotliLevels: ClosedRange<Int32> = Int32(BROTLI_MIN_QUALITY)...Int32(BROTLI_MAX_QUALITY)

    /// The codec's name as the configuration, the CLI and the Python binding spell it:
    /// "none", "snappy", "gzip", "zstd", "lz4_raw" or "brotli".
    public var name: String {
        switch self {
        case .uncompressed: "none"
        case .snappy: "snappy"
        case .gzip: "gzip"
        case .zstd: "zstd"
        case .lz4Raw: "lz4_raw"
        case .brotli: "brotli"
        }
    }

    /// The level this choice carries, or nil for a codec without levels.
    public var level: Int32? {
        switch self {
        case .uncompressed, .snappy: nil
        case .gzip(let level), .zstd(let level), .lz4Raw(let level), .brotli(let level): level
        }
    }

    /// The levels the codec accepts, or nil for a codec without levels.
    public var levels: ClosedRange<Int32>? {
        switch self {
        case .uncompressed, .snappy: nil
        case .gzip: Compression.gzipLevels
        case .zstd: Compression.zstdLevels
        case .lz4Raw: Compression.lz4RawLevels
        case .brotli: Compression.brotliLevels
        }
    }

    /// Creates a gzip choice after checking the level.
    /// - Parameter level: 0...9, or -1 for zlib's default.
    /// - Returns: `.gzip(level: level)`.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` if the level is out of range.
    public static func gzip(validatingLevel level: Int32) throws(CompressionError) -> Compression {
        try Compression.gzip(level: level).validated()
    }

    /// Creates a zstd choice after checking the level against the linked libzstd.
    /// - Parameter level: Within ``zstdLevels``.
    /// - Returns: `.zstd(level: level)`.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` if the level is out of range.
    public static func zstd(validatingLevel level: Int32) throws(CompressionError) -> Compression {
        try Compression.zstd(level: level).validated()
    }

    /// Creates an LZ4_RAW choice after checking the level.
    /// - Parameter level: Within ``lz4RawLevels`` (1...12).
    /// - Returns: `.lz4Raw(level: level)`.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` if the level is out of range.
    public static func lz4Raw(validatingLevel level: Int32) throws(CompressionError) -> Compression {
        try Compression.lz4Raw(level: level).validated()
    }

    /// Creates a brotli choice after checking the quality.
    /// - Parameter level: Within ``brotliLevels`` (0...11).
    /// - Returns: `.brotli(level: level)`.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` if the level is out of range.
    public static func brotli(validatingLevel level: Int32) throws(CompressionError) -> Compression {
        try Compression.brotli(level: level).validated()
    }

    /// Checks that the level, if any, is one the codec accepts.
    /// - Returns: `self`, unchanged.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` if the level is out
    ///   of range, naming the codec and the levels it accepts.
    @discardableResult
    public func validated() throws(CompressionError) -> Compression {
        if let level, let levels, !levels.contains(level) {
            throw .invalidLevel(codec: name, level: level, accepted: levels)
        }
        return self
    }
}
