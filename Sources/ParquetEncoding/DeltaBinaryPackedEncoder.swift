import ParquetBytes

/// DELTA_BINARY_PACKED for INT32 and INT64 (parquet-format Encodings.md, "Delta Encoding
/// (DELTA_BINARY_PACKED = 5)").
///
/// Layout: a header of four ULEB128 varints (block size, miniblocks per block, total value
/// count, first value zigzag-encoded), then one block per 128 deltas: the block's smallest
/// delta (zigzag varint), one bit-width byte per miniblock, and the miniblocks of 32 values,
/// each `delta - minDelta` bit-packed least significant bit first at its miniblock's width.
///
/// Blocks of 128 in 4 miniblocks of 32 are what arrow-rs and Arrow C++ write, so every reader
/// has been exercised on them. Deltas are computed in the column's own width with two's
/// complement wraparound (the spec allows it), so an INT32 miniblock never needs more than 32
/// bits, the limit Arrow C++ enforces for INT32, and `Int64.min - Int64.max` still encodes.
/// In the last block, miniblocks holding no value keep their (zero) width byte but have no
/// body; the last used miniblock is padded with zeros.
public enum DeltaBinaryPackedEncoder {
    /// Values per block.
    public static let blockSize = 128
    /// Miniblocks per block.
    public static let miniblocksPerBlock = 4
    /// Values per miniblock.
    public static let miniblockSize = blockSize / miniblocksPerBlock

    /// Appends `values` as one DELTA_BINARY_PACKED run (header and blocks).
    /// - Parameters:
    ///   - values: The INT32 values, possibly none.
    ///   - output: The buffer to append to.
    public static func encode(_ values: UnsafeBufferPointer<Int32>, into output: inout ByteBuffer) {
        _encode(count: values.count, into: &output) { values[$0] }
    }

    /// Appends `values` as one DELTA_BINARY_PACKED run (header and blocks).
    /// - Parameters:
    ///   - values: The INT64 values, possibly none.
    ///   - output: The buffer to append to.
    public static func encode(_ values: UnsafeBufferPointer<Int64>, into output: inout ByteBuffer) {
        _encode(count: values.count, into: &output) { values[$0] }
    }

    /// Appends INT32 values given in their PLAIN encoding (4 little-endian bytes each), as a
    /// column's page buffer holds them.
    /// - Parameters:
    ///   - plain: The PLAIN bytes; a multiple of 4 long.
    ///   - output: The buffer to append to.
    public static func encode(plainInt32 plain: UnsafeRawBufferPointer, into output: inout ByteBuffer) {
        precondition(plain.count % 4 == 0, "PLAIN INT32 bytes must be a multiple of 4 long")
        _encode(count: plain.count / 4, into: &output) {
            Int32(littleEndian: plain.loadUnaligned(fromByteOffset: $0 &* 4, as: Int32.self))
        }
    }

    /// Appends INT64 values given in their PLAIN encoding (8 little-endian bytes each).
    /// - Parameters:
    ///   - plain: The PLAIN bytes; a multiple of 8 long.
    ///   - output: The buffer to append to.
    public static func encode(plainInt64 plain: UnsafeRawBufferPointer, into output: inout ByteBuffer) {
        precondition(plain.count % 8 == 0, "PLAIN INT64 bytes must be a multiple of 8 long")
        _encode(count: plain.count / 8, into: &output) {
            Int64(littleEndian: plain.loadUnaligned(fromByteOffset: $0 &* 8, as: Int64.self))
        }
    }

    /// The most bytes `count` values of `T` can take: header, then per block the widest
    /// min delta varint, the width bytes and every miniblock at full width.
    static func maxEncodedBytes<T: FixedWidthInteger>(count: Int, of type: T.Type) -> Int {
        let blocks = (Swift.max(count - 1, 0) + blockSize - 1) / blockSize
        return 4 * 10 + blocks * (10 + miniblocksPerBlock + blockSize * T.bitWidth / 8)
    }

    /// The encoder proper, over values read by `value(at:)` (a typed buffer or PLAIN bytes).
    ///
    /// Sizes the output once from the worst case and writes through a raw pointer; the deltas
    /// of one block sit in a 128-slot scratch buffer that lives for the call.
    @inline(__always)
    static func _encode<T: FixedWidthInteger & SignedInteger>(
        count: Int, into output: inout ByteBuffer, value: (Int) -> T
    ) {
        output.writeUnsafe(maxBytes: maxEncodedBytes(count: count, of: T.self)) { start in
            var out = start
            out += ByteBuffer.storeVarint(UInt64(blockSize), at: out)
            out += ByteBuffer.storeVarint(UInt64(miniblocksPerBlock), at: out)
            out += ByteBuffer.storeVarint(UInt64(count), at: out)
            var previous: T = count > 0 ? value(0) : 0
            out += ByteBuffer.storeVarint(ByteBuffer.zigZag(Int64(previous)), at: out)
            guard count > 1 else { return out - start }
            withUnsafeTemporaryAllocation(of: T.Magnitude.self, capacity: blockSize) { packed in
                var next = 1
                while next < count {
                    let used = Swift.min(blockSize, count &- next)
                    // Deltas wrap in T's width, and so does delta - minDelta: the true
                    // difference is below 2^bitWidth, so its low bits are exact.
                    var minDelta = T.max
                    for slot in 0..<used {
                        let current = value(next &+ slot)
                        let delta = current &- previous
                        previous = current
                        packed[slot] = T.Magnitude(truncatingIfNeeded: delta)
                        if delta < minDelta { minDelta = delta }
                    }
                    let minBits = T.Magnitude(truncatingIfNeeded: minDelta)
                    for slot in 0..<used { packed[slot] = packed[slot] &- minBits }
                    for slot in used..<blockSize { packed[slot] = 0 }
                    out += ByteBuffer.storeVarint(ByteBuffer.zigZag(Int64(minDelta)), at: out)
                    let widths = out
                    out += miniblocksPerBlock
                    for miniblock in 0..<miniblocksPerBlock {
                        let first = miniblock &* miniblockSize
                        guard first < used else {
                            widths.storeBytes(of: 0, toByteOffset: miniblock, as: UInt8.self)
                            continue
                        }
                        var bits: T.Magnitude = 0
                        for slot in first..<(first &+ miniblockSize) { bits |= packed[slot] }
                        let width = T.Magnitude.bitWidth &- bits.leadingZeroBitCount
                        widths.storeBytes(of: UInt8(truncatingIfNeeded: width), toByteOffset: miniblock, as: UInt8.self)
                        let miniblockValues = UnsafeBufferPointer(rebasing: packed[first..<(first &+ miniblockSize)])
                        out = packMiniblock(miniblockValues, width: width, at: out)
                    }
                    next &+= used
                }
            }
            return out - start
        }
    }

    /// Bit-packs the 32 values of one miniblock at `width` bits (0...64), least significant
    /// bit first; returns the end of what it wrote (`4 * width` bytes).
    @inline(__always)
    static func packMiniblock<U: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<U>, width: Int, at output: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        if width == 0 { return output }
        if width <= 32 {
            // The common case: the RLE encoder's packer, one group of 8 (width bytes) at a time.
            for group in 0..<(miniblockSize / 8) {
                var packer = _BitPacker(bitWidth: width, output: output + group &* width)
                for slot in (group &* 8)..<(group &* 8 &+ 8) { packer.put(UInt32(truncatingIfNeeded: values[slot])) }
                packer.finishGroup()
            }
            return output + miniblockSize / 8 * width
        }
        // Wider than 32 bits (INT64 only): a 64-bit accumulator flushed 8 bytes at a time.
        var out = output
        var accumulator: UInt64 = 0
        var filled = 0
        for value in values {
            let bits = UInt64(truncatingIfNeeded: value)
            accumulator |= bits &<< UInt64(filled)
            let total = filled &+ width
            if total >= 64 {
                out.storeBytes(of: accumulator.littleEndian, as: UInt64.self)
                out += 8
                accumulator = filled == 0 ? 0 : bits &>> UInt64(64 &- filled)
                filled = total &- 64
            } else {
                filled = total
            }
        }
        // 32 values of `width` bits end on a byte boundary: 0 or 32 bits remain.
        while filled > 0 {
            out.storeBytes(of: UInt8(truncatingIfNeeded: accumulator), as: UInt8.self)
            out += 1
            accumulator &>>= 8
            filled &-= 8
        }
        return out
    }
}
