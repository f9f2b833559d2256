import ParquetBytes

/// Compresses page bodies with one codec, reusing its library state across pages.
///
/// Implementations hold native library state and are not thread-safe: use one compressor
/// from one thread (or task) at a time, typically one per column writer. They are
/// deliberately not `Sendable`; a freshly made compressor can still be handed to another
/// task because nothing else references it.
public protocol PageCompressor: AnyObject {
    /// The codec and level this compressor produces.
    var compression: Compression { get }

    /// Appends the compressed form of `input` to `output`.
    ///
    /// Existing bytes in `output` are kept, so a page header and body can share a buffer.
    /// The output is reserved once at the codec's worst-case bound and written in place.
    /// Compressing the same input always gives the same bytes, whatever was compressed before.
    /// - Parameters:
    ///   - input: The uncompressed page body; may be empty.
    ///   - output: The buffer to append to.
    /// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above
    ///   ``Compression/maximumPageSize``, or ``CompressionError/compressionFailed(_:)``.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError)
}

/// Makes a compressor for a codec, validating its level.
/// - Parameter compression: The codec and level.
/// - Returns: A new compressor owning fresh library state.
/// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` for a bad level, or
///   ``CompressionError/initializationFailed(_:)`` if the library cannot allocate its state.
public func makeCompressor(_ compression: Compression) throws(CompressionError) -> any PageCompressor {
    switch try compression.validated() {
    case .uncompressed:
        return UncompressedCompressor()
    case .snappy:
        return SnappyCompressor()
    case .gzip(let level):
        return try GzipCompressor(level: level)
    case .zstd(let level):
        return try ZstdCompressor(level: level)
    case .lz4Raw(let level):
        return try Lz4RawCompressor(level: level)
    case .brotli(let level):
        return try BrotliCompressor(level: level)
    }
}

/// Rejects buffers no Parquet page can hold, before any codec sees them.
/// - Parameter size: The buffer size in bytes.
/// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above ``Compression/maximumPageSize``.
@inline(__always)
package func checkPageSize(_ size: Int) throws(CompressionError) {
    guard size <= Compression.maximumPageSize else {
        throw .inputTooLarge(size: size, limit: Compression.maximumPageSize)
    }
}
