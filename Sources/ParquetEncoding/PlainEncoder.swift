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

    /// Appends BYTE_ARRAY values, each as its length in 4 little-endian bytes and its bytes,
    /// through one reservation: no capacity or uniqueness check per value.
    /// - Parameters:
    ///   - entries: Which values, in order: value `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    ///   - bytes: The values' bytes, back to back.
    ///   - offsets: Where each value starts, and where the last ends.
    ///   - byteCount: The entries' bytes in all, lengths not included; each value at most
    ///     `UInt32.max` bytes.
    ///   - output: The buffer to append to.
    @inlinable
    public static func appendByteArrays<Entries: Collection<Int>>(
        _ entries: Entries, of bytes: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<Int>,
        byteCount: Int, into output: inout ByteBuffer
    ) {
        // Only a run of over 4 GiB can hold a value too long for its length field.
        if byteCount > Int(UInt32.max) {
            for entry in entries {
                precondition(offsets[entry &+ 1] &- offsets[entry] <= Int(UInt32.max), "BYTE_ARRAY value longer than 4 GiB")
            }
        }
        output.writeUnsafe(maxBytes: 4 &* entries.count &+ byteCount) { pointer in
            // Values with no bytes at all have no base address: then every copy is of 0
            // bytes, from anywhere.
            let base = bytes.baseAddress ?? UnsafeRawPointer(pointer)
            var written = 0
            for entry in entries {
                let start = offsets[entry]
                let length = offsets[entry &+ 1] &- start
                pointer.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: written, as: UInt32.self)
                (pointer + (written &+ 4)).copyMemory(from: base + start, byteCount: length)
                written &+= 4 &+ length
            }
            return written
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
