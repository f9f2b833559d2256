import CLz4
import ParquetBytes

/// The `LZ4_RAW` codec: each page is one LZ4 block (the LZ4 block format, no frame, no
/// Hadoop size prefix), as the Parquet spec's `LZ4_RAW` requires.
///
/// Levels follow Arrow C++: 1 and 2 use LZ4's fast compressor at acceleration 1 (the
/// algorithm of `LZ4_compress_default`), 3...12 the LZ4HC compressor at that level. The
/// compressor's state (about 16 KiB fast, 256 KiB HC) is allocated once and handed to the
/// `_extState` entry points, which reset it at the start of every page: no per-page
/// allocation, and a page's bytes never depend on the pages before it. Not thread-safe:
/// use from one thread at a time.
public final class Lz4RawCompressor: PageCompressor {
    /// The LZ4_RAW level this compressor uses.
    public let compression: Compression

    private let level: Int32
    /// Whether `level` selects LZ4HC (`LZ4HC_CLEVEL_MIN` and up) rather than the fast compressor.
    private let highCompression: Bool
    /// `LZ4_sizeofState()` or `LZ4_sizeofStateHC()` bytes; lz4 requires pointer alignment.
    private let state: UnsafeMutableRawPointer

    /// Creates an LZ4_RAW compressor with its own state buffer.
    /// - Parameter level: Within ``Compression/lz4RawLevels``; defaults to ``Compression/defaultLz4RawLevel``.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:accepted:)`` for a bad level, or
    ///   ``CompressionError/initializationFailed(_:)`` if lz4 reports no state size.
    public init(level: Int32 = Compression.defaultLz4RawLevel) throws(CompressionError) {
        compression = try Compression.lz4Raw(validatingLevel: level)
        self.level = level
        highCompression = level >= Int32(LZ4HC_CLEVEL_MIN)
        let size = Int(highCompression ? LZ4_sizeofStateHC() : LZ4_sizeofState())
        guard size > 0 else {
            throw .initializationFailed("lz4 reported a state size of \(size)")
        }
        state = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<UInt64>.alignment)
    }

    deinit {
        state.deallocate()
    }

    /// Appends one LZ4 block holding `input` to `output`.
    /// - Parameters:
    ///   - input: The page body; may be empty (it becomes the one-byte empty block).
    ///   - output: The buffer to append to.
    /// - Throws: ``CompressionError/inputTooLarge(size:limit:)`` above
    ///   ``Compression/maximumPageSize`` or lz4's own `LZ4_MAX_INPUT_SIZE` (0x7E000000 bytes,
    ///   a little less), or ``CompressionError/compressionFailed(_:)`` if lz4 returns 0.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(CompressionError) {
        try checkPageSize(input.count)
        guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw .inputTooLarge(size: input.count, limit: Int(LZ4_MAX_INPUT_SIZE))
        }
        let inputSize = Int32(input.count)
        let bound = LZ4_compressBound(inputSize)
        var written: Int32 = 0
        // lz4 only reads the source when its size is positive, but a real pointer costs nothing.
        var empty: UInt8 = 0
        withUnsafePointer(to: &empty) { emptyPointer in
            let source = UnsafeRawPointer(input.baseAddress ?? UnsafeRawPointer(emptyPointer))
                .assumingMemoryBound(to: CChar.self)
            output.writeUnsafe(maxBytes: Int(bound)) { destination in
                let target = destination.bindMemory(to: CChar.self, capacity: Int(bound))
                // A capacity of LZ4_compressBound guarantees success, so 0 means a library fault.
                written = highCompression
                    ? LZ4_compress_HC_extStateHC(state, source, target, inputSize, bound, level)
                    : LZ4_compress_fast_extState(state, source, target, inputSize, bound, 1)
                return max(Int(written), 0)
            }
        }
        guard written > 0 else {
            throw .compressionFailed("lz4 compressed \(input.count) bytes to nothing (returned \(written))")
        }
    }
}
