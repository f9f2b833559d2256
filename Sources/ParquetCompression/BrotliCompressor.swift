import CBrotli
import ParquetBytes

/// The `BROTLI` codec: each page is one brotli stream (RFC 7932), generic mode, window
/// 2^22 bytes (`BROTLI_DEFAULT_WINDOW`, what Arrow C++ and arrow-rs write).
///
/// libbrotli has no way to reset a finished encoder, so there is no state to carry from
/// one page to the next: each page goes through `BrotliEncoderCompress`, which sets up and
/// frees its own encoder. What is reused is the output: the page is compressed straight into
/// `output`, reserved once at `BrotliEncoderMaxCompressedSize`, a bound within which the
/// one-shot call always succeeds (falling back to stored blocks when the data does not
/// shrink). Not thread-safe in principle, like every ``PageCompressor``.
public final class BrotliCompressor: PageCompressor {
    /// The brotli quality this compressor uses.
    public let compression: Compression

    private let quality: Int32

    /// Creates a brotli compressor.
    /// - Parameter level: The quality, within ``Compression/brotliLevels``; defaults to
    ///   ``Compression/defaultBrotliLevel``.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` for a bad level.
    public init(level: Int32 = Compression.defaultBrotliLevel) throws(CompressionError) {
        compression = try Compression.brotli(validatingLevel: level)
        quality = level
    }

    /// Appends one brotli stream holding `input` to `output`.
    /// - Parameters:
    ///   - input: The page body; may be empty (it still becomes a valid one-byte stream).
    ///   - output: The buffer to append to.
    /// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above
    ///   ``Compression/maximumPageSize``, or ``CompressionError/compressionFailed(_:)`` if
    ///   brotli fails (in practice only when it cannot allocate its encoder).
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError) {
        try checkPageSize(input.count)
        let bound = BrotliEncoderMaxCompressedSize(input.count)
        guard bound > 0 else {
            throw .inputTooLarge(size: input.count, limit: Compression.maximumPageSize)
        }
        var succeeded = false
        var empty: UInt8 = 0
        withUnsafePointer(to: &empty) { emptyPointer in
            let source = UnsafeRawPointer(input.baseAddress ?? UnsafeRawPointer(emptyPointer))
                .assumingMemoryBound(to: UInt8.self)
            output.writeUnsafe(maxBytes: bound) { destination in
                var written = bound
                succeeded = BrotliEncoderCompress(
                    quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.count, source,
                    &written, destination.bindMemory(to: UInt8.self, capacity: bound)
                ) == BROTLI_TRUE
                return succeeded ? written : 0
            }
        }
        guard succeeded else {
            throw .compressionFailed("BrotliEncoderCompress failed at quality \(quality) for \(input.count) bytes")
        }
    }
}
