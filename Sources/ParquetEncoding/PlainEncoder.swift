import ParquetBytes

/// PLAIN encoding (parquet-format Encodings.md, "Plain: (PLAIN = 0)").
///
/// INT32/INT64/FLOAT/DOUBLE are their little-endian bits back to back, BYTE_ARRAY is a
/// 4-byte little-endian length followed by the bytes, FIXED_LEN_BYTE_ARRAY is the raw
/// bytes. BOOLEAN is bit-packed and needs state across calls, so it lives in
/// ``PlainBooleanEncoder``.
public enum PlainEncoder {
    /// Appends one fixed-width value as its little-endian bits.
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - output: The buffer to append to.
    @inlinable
    public static func append<T: FixedWidthPhysicalValue>(_ value: T, into output: inout ByteBuffer) {
        output.appendLittleEndian(value.physicalBitPattern)
    }

    /// Appends fixed-width values as their little-endian bits.
    ///
    /// On little-endian hosts the in-memory layout already is the PLAIN layout, so this is a
    /// single copy.
    /// - Parameters:
    ///   - values: The values to encode.
    ///   - output: The buffer to append to.
    @inlinable
    public static func append<T: FixedWidthPhysicalValue>(
        contentsOf values: UnsafeBufferPointer<T>,
        into output: inout ByteBuffer
    ) {
        #if _endian(little)
        output.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        let size = MemoryLayout<T.BitPattern>.size
        output.writeUnsafe(maxBytes: values.count &* size) { pointer in
            var offset = 0
            for value in values {
                pointer.storeBytes(of: value.physicalBitPattern.littleEndian, toByteOffset: offset, as: T.BitPattern.self)
                offset &+= size
            }
            return offset
        }
        #endif
    }

    /// Appends one BYTE_ARRAY value: its length as 4 little-endian bytes, then the bytes.
    /// - Parameters:
    ///   - bytes: The value; at most `UInt32.max` bytes.
    ///   - output: The buffer to append to.
    @inlinable
    public static func appendByteArray(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) {
        let length = bytes.count
        precondition(length <= Int(UInt32.max), "BYTE_ARRAY value longer than 4 GiB")
        output.writeUnsafe(maxBytes: 4 &+ length) { pointer in
            pointer.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, as: UInt32.self)
            if length > 0 {
                (pointer + 4).copyMemory(from: bytes.baseAddress!, byteCount: length)
            }
            return 4 &+ length
        }
    }

    /// Appends one FIXED_LEN_BYTE_ARRAY value: the raw bytes, with no length.
    /// - Parameters:
    ///   - bytes: The value; the caller ensures it has the column's fixed length.
    ///   - output: The buffer to append to.
    @inlinable
    public static func appendFixedLengthByteArray(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) {
        output.append(contentsOf: bytes)
    }
}
