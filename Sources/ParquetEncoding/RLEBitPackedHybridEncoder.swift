import ParquetBytes

/// Encodes unsigned integers of a fixed bit width with the RLE / bit-packing hybrid
/// (parquet-format Encodings.md, "Run Length Encoding / Bit-Packing Hybrid (RLE = 3)").
///
/// Used for repetition and definition levels, dictionary indices and RLE booleans. The
/// output is a sequence of runs:
/// - RLE run: varint `runLength << 1`, then the value in `ceil(bitWidth / 8)` little-endian bytes.
/// - Bit-packed run: varint `(groupCount << 1) | 1`, then `groupCount` groups of 8 values,
///   each value `bitWidth` bits, packed least significant bit first.
///
/// Like parquet-mr and Arrow, values are buffered in groups of 8; a value repeated at least
/// 8 times from a group boundary becomes an RLE run and everything else is bit-packed.
/// Bit-packed runs hold at most 63 groups so their header is always one byte, which lets the
/// header be reserved before the run's length is known. The last group is padded with zeros;
/// readers know the true count from the page header.
public struct RLEBitPackedHybridEncoder: Sendable {
    /// Eight buffered values; a tuple keeps them inline with no heap allocation.
    @usableFromInline
    internal typealias _Group = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// Maximum groups per bit-packed run: `(63 << 1) | 1 == 127` still fits one varint byte.
    @usableFromInline
    internal static var _maxGroupsPerRun: Int { 63 }

    @usableFromInline
    internal let _bitWidth: Int

    /// Bytes used for the value of an RLE run: `ceil(bitWidth / 8)`.
    @usableFromInline
    internal let _byteWidth: Int

    /// Runs completed so far.
    @usableFromInline
    internal var _output: ByteBuffer

    /// Values since the last group boundary that are not yet packed.
    @usableFromInline
    internal var _pending: _Group

    @usableFromInline
    internal var _pendingCount: Int

    /// The most recent value.
    @usableFromInline
    internal var _previous: UInt32

    /// Consecutive copies of ``_previous`` since the later of its first occurrence and the
    /// last group boundary; 8 or more means an RLE run is open and the (at most 7) pending
    /// values are all copies belonging to that run.
    @usableFromInline
    internal var _repeatCount: Int

    /// Offset in ``_output`` of the reserved header byte of the open bit-packed run, or -1.
    @usableFromInline
    internal var _bitPackedHeaderOffset: Int

    @usableFromInline
    internal var _bitPackedGroupCount: Int

    @usableFromInline
    internal var _count: Int

    /// Creates an encoder for values of `bitWidth` bits.
    /// - Parameter bitWidth: Bits per value, 0...32. At 0 every value must be 0 and the
    ///   output is a single RLE run with no value bytes.
    @inlinable
    public init(bitWidth: Int) {
        precondition(bitWidth >= 0 && bitWidth <= 32, "RLE bit width must be in 0...32")
        _bitWidth = bitWidth
        _byteWidth = (bitWidth &+ 7) &>> 3
        _output = ByteBuffer()
        _pending = (0, 0, 0, 0, 0, 0, 0, 0)
        _pendingCount = 0
        _previous = 0
        _repeatCount = 0
        _bitPackedHeaderOffset = -1
        _bitPackedGroupCount = 0
        _count = 0
    }

    /// The bit width values are encoded with.
    @inlinable
    public var bitWidth: Int { _bitWidth }

    /// The number of values appended since the last flush.
    @inlinable
    public var count: Int { _count }

    /// An estimate of the encoded size so far, in bytes, for deciding page breaks.
    ///
    /// It is exact for completed runs and at least the final size for the open one (a
    /// trailing partial group is counted as a full bit-packed group).
    @inlinable
    public var estimatedByteSize: Int {
        var size = _output.count
        if _repeatCount >= 8 {
            size &+= ByteBuffer.varintSize(UInt64(_repeatCount) &<< 1) &+ _byteWidth
        } else if _pendingCount > 0 {
            size &+= _bitWidth &+ _newRunHeaderSize
        }
        return size
    }

    /// The smallest bit width that can hold `maxValue`.
    /// - Parameter maxValue: The largest value to encode (a maximum level, or the dictionary
    ///   size minus one).
    /// - Returns: 0 for 0, otherwise the position of the highest set bit plus one.
    @inlinable
    public static func bitWidth(forMaxValue maxValue: UInt64) -> Int {
        64 &- maxValue.leadingZeroBitCount
    }

    /// Appends one value.
    /// - Parameter value: The value; it must fit in ``bitWidth`` bits.
    @inlinable
    @inline(__always)
    public mutating func append(_ value: UInt32) {
        #if DEBUG
        precondition(_bitWidth == 32 || value &>> UInt32(_bitWidth) == 0, "value does not fit the RLE bit width")
        #endif
        _count &+= 1
        if value == _previous {
            _repeatCount &+= 1
            // The run is (or just became) RLE; its copies are counted, not buffered.
            if _repeatCount >= 8 { return }
        } else {
            if _repeatCount >= 8 { _writeRLERun() }
            _repeatCount = 1
            _previous = value
        }
        let index = _pendingCount
        withUnsafeMutableBytes(of: &_pending) { pending in
            pending.storeBytes(of: value, toByteOffset: index &<< 2, as: UInt32.self)
        }
        _pendingCount = index &+ 1
        if index == 7 { _packPendingGroup() }
    }

    /// Appends `count` copies of `value`.
    ///
    /// After at most 15 single appends the copies form an RLE run, and the rest only
    /// increases the run length, so long runs cost O(1).
    /// - Parameters:
    ///   - value: The value; it must fit in ``bitWidth`` bits.
    ///   - count: How many copies to append; 0 appends nothing.
    @inlinable
    public mutating func append(_ value: UInt32, count: Int) {
        precondition(count >= 0, "negative run length")
        var remaining = count
        while remaining > 0 {
            if _repeatCount >= 8 && value == _previous {
                _repeatCount &+= remaining
                _count &+= remaining
                return
            }
            append(value)
            remaining &-= 1
        }
    }

    /// Appends values from a buffer; the fastest way to encode many values.
    ///
    /// Produces the same bytes as appending the values one by one, but works a group at a
    /// time: at a group boundary it checks 8 input values at once and either bit-packs them
    /// straight from `values` or starts an RLE run, and inside an RLE run it only counts.
    /// - Parameter values: The values; each must fit in ``bitWidth`` bits.
    @inlinable
    public mutating func append(contentsOf values: UnsafeBufferPointer<UInt32>) {
        _append(contentsOf: values)
    }

    /// Appends byte-sized values (repetition and definition levels) from a buffer; the same
    /// bytes as appending each value with ``append(_:)``, a group at a time.
    /// - Parameter values: The values; each must fit in ``bitWidth`` bits.
    @inlinable
    public mutating func append(contentsOf values: UnsafeBufferPointer<UInt8>) {
        _append(contentsOf: values)
    }

    @inlinable
    @inline(__always)
    internal mutating func _append<Element: FixedWidthInteger & UnsignedInteger>(
        contentsOf values: UnsafeBufferPointer<Element>
    ) {
        guard let base = values.baseAddress else { return }
        let end = values.count
        var index = 0
        while index < end {
            if _repeatCount >= 8 {
                let value = _previous
                let start = index
                while index < end && UInt32(truncatingIfNeeded: base[index]) == value { index &+= 1 }
                _repeatCount &+= index &- start
                _count &+= index &- start
                if index < end {
                    // A different value: the single append writes the run out.
                    append(UInt32(truncatingIfNeeded: base[index]))
                    index &+= 1
                }
            } else if _pendingCount == 0 && end &- index >= 8 {
                // At a group boundary the repeat count restarts, so only 8 equal values
                // make an RLE run; anything else is exactly one packed group.
                let first = UInt32(truncatingIfNeeded: base[index])
                var differences: UInt32 = 0
                for offset in 1..<8 { differences |= UInt32(truncatingIfNeeded: base[index &+ offset]) ^ first }
                #if DEBUG
                for offset in 0..<8 {
                    precondition(_bitWidth == 32 || UInt32(truncatingIfNeeded: base[index &+ offset]) &>> UInt32(_bitWidth) == 0, "value does not fit the RLE bit width")
                }
                #endif
                if differences == 0 {
                    // Same state as 8 single appends: an open RLE run of 8, whose 7 buffered
                    // copies are never read.
                    _previous = first
                    _repeatCount = 8
                    _pendingCount = 7
                } else {
                    @inline(__always) func at(_ offset: Int) -> UInt32 {
                        UInt32(truncatingIfNeeded: base[index &+ offset])
                    }
                    _packGroup((first, at(1), at(2), at(3), at(4), at(5), at(6), at(7)))
                    _previous = UInt32(truncatingIfNeeded: base[index &+ 7])
                }
                _count &+= 8
                index &+= 8
            } else {
                append(UInt32(truncatingIfNeeded: base[index]))
                index &+= 1
            }
        }
    }

    /// Appends the encoded runs (no length prefix) to `output` and resets the encoder for the
    /// next page, keeping its buffer.
    /// - Parameter output: The buffer to append to.
    @inlinable
    public mutating func flush(into output: inout ByteBuffer) {
        _finish()
        output.append(_output)
        _reset()
    }

    /// Appends the encoded runs preceded by their byte length as 4 little-endian bytes (the
    /// layout of levels in V1 data pages and of RLE-encoded BOOLEAN pages), then resets the
    /// encoder, keeping its buffer.
    /// - Parameter output: The buffer to append to.
    @inlinable
    public mutating func flushWithLengthPrefix(into output: inout ByteBuffer) {
        _finish()
        output.appendLittleEndian(UInt32(truncatingIfNeeded: _output.count))
        output.append(_output)
        _reset()
    }
}
