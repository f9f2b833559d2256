import ParquetBytes

/// DELTA_LENGTH_BYTE_ARRAY for BYTE_ARRAY (parquet-format Encodings.md, "Delta-length byte
/// array (DELTA_LENGTH_BYTE_ARRAY = 6)"): every value's length as one DELTA_BINARY_PACKED
/// run, then all the values' bytes back to back.
///
/// Lengths and bytes apart let a general-purpose codec see the text without a 4-byte length
/// between every two values, and the lengths pack to a few bits each.
public enum DeltaLengthByteArrayEncoder {
    /// Appends the values as lengths, then bytes.
    /// - Parameters:
    ///   - lengths: Each value's length in bytes.
    ///   - bytes: The values' bytes, concatenated in order (the sum of `lengths` long).
    ///   - output: The buffer to append to.
    public static func encode(
        lengths: UnsafeBufferPointer<Int32>, bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer
    ) {
        DeltaBinaryPackedEncoder.encode(lengths, into: &output)
        output.append(contentsOf: bytes)
    }
}
