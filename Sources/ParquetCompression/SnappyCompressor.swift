import CSnappy
import ParquetBytes

/// The `SNAPPY` codec: raw snappy blocks (a varint length, then literals and copies).
///
/// Snappy keeps no state between calls, so the class only exists to fit ``PageCompressor``.
/// Use it from one thread at a time.
public final class SnappyCompressor: PageCompressor {
    /// Always ``Compression/snappy``.
    public let compression: Compression = .snappy

    /// Creates a snappy compressor.
    public init() {}

    /// Appends the snappy compression of `input` to `output`.
    /// - Parameters:
    ///   - input: The page body; may be empty.
    ///   - output: The buffer to append to.
    /// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above
    ///   ``Compression/maximumPageSize``, or ``CompressionError/compressionFailed(_:)``.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError) {
        try checkPageSize(input.count)
        let bound = snappy_max_compressed_length(input.count)
        var status = SNAPPY_OK
        output.writeUnsafe(maxBytes: bound) { destination in
            var written = bound
            // snappy never dereferences the input when its length is 0, so a nil base is fine.
            status = snappy_compress(
                input.baseAddress?.assumingMemoryBound(to: CChar.self),
                input.count,
                destination.bindMemory(to: CChar.self, capacity: bound),
                &written
            )
            return status == SNAPPY_OK ? written : 0
        }
        guard status == SNAPPY_OK else {
            throw .compressionFailed("snappy_compress returned \(snappyStatusName(status))")
        }
    }
}

/// Names a snappy status code for error messages (snappy has no message API).
/// - Parameter status: A status returned by the snappy C API.
/// - Returns: The constant's name.
package func snappyStatusName(_ status: snappy_status) -> String {
    switch status {
    case SNAPPY_OK: return "SNAPPY_OK"
    case SNAPPY_INVALID_INPUT: return "SNAPPY_INVALID_INPUT"
    case SNAPPY_BUFFER_TOO_SMALL: return "SNAPPY_BUFFER_TOO_SMALL"
    default: return "snappy status \(status.rawValue)"
    }
}
