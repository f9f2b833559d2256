import CZlib
import ParquetBytes

/// The `GZIP` codec: deflate with gzip framing (RFC 1952), as the Parquet spec requires.
///
/// One `z_stream` is initialised up front and `deflateReset` between pages, which keeps
/// zlib's window and hash tables allocated. Not thread-safe: use from one thread at a time.
public final class GzipCompressor: PageCompressor {
    /// The gzip level this compressor uses.
    public let compression: Compression

    // zlib keeps a back-pointer to the z_stream and checks it on every call, so the
    // struct must live at a fixed address rather than in a Swift stored property.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Creates a gzip compressor with its own deflate state.
    /// - Parameter level: 0...9, or -1 for zlib's default; defaults to ``Compression/defaultGzipLevel``.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` for a bad level, or
    ///   ``CompressionError/initializationFailed(_:)`` if `deflateInit2` fails.
    public init(level: Int32 = Compression.defaultGzipLevel) throws(CompressionError) {
        compression = try Compression.gzip(validatingLevel: level)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16 asks for the gzip header and CRC-32 trailer instead of zlib's;
        // memLevel 8 is what deflateInit would pick.
        let status = czlib_deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            let message = zlibMessage(stream, status)
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .initializationFailed("deflateInit2: \(message)")
        }
        // Stored last: a throw before this point leaves self partly initialised, so deinit
        // (which would call deflateEnd) does not run.
        self.stream = stream
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Appends one gzip member holding `input` to `output`.
    /// - Parameters:
    ///   - input: The page body; may be empty (it still becomes a valid member).
    ///   - output: The buffer to append to.
    /// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above
    ///   ``Compression/maximumPageSize`` (zlib counts in 32 bits), or
    ///   ``CompressionError/compressionFailed(_:)`` with zlib's message.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError) {
        try checkPageSize(input.count)
        // Resetting before (not after) each page also recovers from a page that failed midway.
        let resetStatus = deflateReset(stream)
        guard resetStatus == Z_OK else {
            throw .compressionFailed("deflateReset: \(zlibMessage(stream, resetStatus))")
        }
        // The bound accounts for the gzip header/trailer and stored blocks at level 0, so
        // a single Z_FINISH call always completes.
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var status = Z_OK
        output.writeUnsafe(maxBytes: bound) { destination in
            let stream = self.stream
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self)
            )
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = destination.bindMemory(to: Bytef.self, capacity: bound)
            stream.pointee.avail_out = uInt(bound)
            status = deflate(stream, Z_FINISH)
            let written = bound - Int(stream.pointee.avail_out)
            // Leave no pointers into buffers that are about to go away.
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
            return status == Z_STREAM_END ? written : 0
        }
        guard status == Z_STREAM_END else {
            throw .compressionFailed("deflate: \(zlibMessage(stream, status))")
        }
    }
}

/// zlib's description of a failure: the stream's `msg` when zlib set one, else the code's name.
/// - Parameters:
///   - stream: The stream the failing call used.
///   - status: The call's return code.
/// - Returns: A message for a ``CompressionError``.
package func zlibMessage(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> String {
    if let message = stream.pointee.msg {
        return "\(String(cString: message)) (\(zlibStatusName(status)))"
    }
    return zlibStatusName(status)
}

/// Names a zlib return code.
/// - Parameter status: A zlib return code.
/// - Returns: The constant's name, or the number if it is not a known code.
internal func zlibStatusName(_ status: Int32) -> String {
    switch status {
    case Z_OK: return "Z_OK"
    case Z_STREAM_END: return "Z_STREAM_END"
    case Z_NEED_DICT: return "Z_NEED_DICT"
    case Z_ERRNO: return "Z_ERRNO"
    case Z_STREAM_ERROR: return "Z_STREAM_ERROR"
    case Z_DATA_ERROR: return "Z_DATA_ERROR"
    case Z_MEM_ERROR: return "Z_MEM_ERROR"
    case Z_BUF_ERROR: return "Z_BUF_ERROR"
    case Z_VERSION_ERROR: return "Z_VERSION_ERROR"
    default: return "zlib status \(status)"
    }
}
