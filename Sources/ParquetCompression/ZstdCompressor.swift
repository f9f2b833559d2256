import CZstd
import ParquetBytes

/// The `ZSTD` codec: one zstd frame per page, with the content size in the frame header.
///
/// One `ZSTD_CCtx` is created up front and reused, which avoids re-allocating zstd's
/// match-finder tables for every page. Not thread-safe: use from one thread at a time.
public final class ZstdCompressor: PageCompressor {
    /// The zstd level this compressor uses.
    public let compression: Compression

    private let level: Int32
    private let context: OpaquePointer

    /// Creates a zstd compressor with its own compression context.
    /// - Parameter level: Within ``Compression/zstdLevels``; defaults to ``Compression/defaultZstdLevel``.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` for a bad level, or
    ///   ``CompressionError/initializationFailed(_:)`` if zstd cannot allocate its context.
    public init(level: Int32 = Compression.defaultZstdLevel) throws(CompressionError) {
        compression = try Compression.zstd(validatingLevel: level)
        self.level = level
        guard let context = ZSTD_createCCtx() else {
            throw .initializationFailed("ZSTD_createCCtx returned NULL")
        }
        self.context = context
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    /// Appends one zstd frame holding `input` to `output`.
    /// - Parameters:
    ///   - input: The page body; may be empty (it still becomes a valid frame).
    ///   - output: The buffer to append to.
    /// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above
    ///   ``Compression/maximumPageSize``, or ``CompressionError/compressionFailed(_:)``
    ///   with zstd's error name.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError) {
        try checkPageSize(input.count)
        let bound = ZSTD_compressBound(input.count)
        var result = 0
        output.writeUnsafe(maxBytes: bound) { destination in
            // ZSTD_compressCCtx resets all parameters to `level`, so earlier pages cannot
            // change this page's bytes.
            result = ZSTD_compressCCtx(context, destination, bound, input.baseAddress, input.count, level)
            return ZSTD_isError(result) == 0 ? result : 0
        }
        guard ZSTD_isError(result) == 0 else {
            throw .compressionFailed(zstdErrorName(result))
        }
    }
}

/// zstd's description of an error code.
/// - Parameter code: A return value for which `ZSTD_isError` is true.
/// - Returns: The library's error name.
package func zstdErrorName(_ code: Int) -> String {
    String(cString: ZSTD_getErrorName(code))
}
