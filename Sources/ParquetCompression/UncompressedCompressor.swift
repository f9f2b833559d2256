import ParquetBytes

/// The `UNCOMPRESSED` codec: appends the page body unchanged.
///
/// It exists so that column writers can treat every codec alike. Not thread-safe in
/// principle like every ``PageCompressor``, though it holds no state.
public final class UncompressedCompressor: PageCompressor {
    /// Always ``Compression/uncompressed``.
    public let compression: Compression = .uncompressed

    /// Creates the pass-through compressor.
    public init() {}

    /// Appends `input` to `output` unchanged.
    /// - Parameters:
    ///   - input: The page body; may be empty.
    ///   - output: The buffer to append to.
    /// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above ``Compression/maximumPageSize``.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError) {
        try checkPageSize(input.count)
        output.append(contentsOf: input)
    }
}
