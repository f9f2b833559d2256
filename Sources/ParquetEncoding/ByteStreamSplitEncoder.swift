import ParquetBytes

/// BYTE_STREAM_SPLIT (parquet-format Encodings.md, "Byte Stream Split (BYTE_STREAM_SPLIT =
/// 9)"): for values `width` bytes wide, `width` streams, stream k holding byte k of every
/// value in order. FLOAT and DOUBLE since format 2.8; INT32, INT64 and FIXED_LEN_BYTE_ARRAY
/// since 2.11.
///
/// It does not shrink anything by itself: it lines up the slowly changing bytes (exponents,
/// high bytes) so the page codec finds runs in them.
public enum ByteStreamSplitEncoder {
    /// Appends `values`, given in their PLAIN encoding (little-endian numbers, raw fixed-length
    /// bytes), split into byte streams.
    /// - Parameters:
    ///   - values: The PLAIN bytes; a multiple of `width` long.
    ///   - width: Bytes per value (4, 8, or a FIXED_LEN_BYTE_ARRAY's length).
    ///   - output: The buffer to append to.
    public static func encode(_ values: UnsafeRawBufferPointer, width: Int, into output: inout ByteBuffer) {
        precondition(width > 0 && values.count % width == 0, "BYTE_STREAM_SPLIT input must be whole values")
        let count = values.count / width
        guard count > 0 else { return }
        output.writeUnsafe(maxBytes: values.count) { out in
            switch width {
            case 4: split(values, count: count, width: 4, into: out)
            case 8: split(values, count: count, width: 8, into: out)
            default: split(values, count: count, width: width, into: out)
            }
            return values.count
        }
    }

    /// The transposition; inlined per call site so the 4- and 8-byte loops get a constant width.
    @inline(__always)
    private static func split(_ values: UnsafeRawBufferPointer, count: Int, width: Int, into out: UnsafeMutableRawPointer) {
        let input = values.baseAddress!
        for index in 0..<count {
            let value = input + index &* width
            for stream in 0..<width {
                out.storeBytes(of: value.load(fromByteOffset: stream, as: UInt8.self),
                               toByteOffset: stream &* count &+ index, as: UInt8.self)
            }
        }
    }
}
