import ParquetBytes

/// PLAIN encoding of BOOLEAN values: one bit per value, least significant bit first, with
/// the final byte padded with zero bits.
///
/// Bits collect in a 64-bit word so that completed bits reach the buffer eight bytes at a
/// time rather than one byte per eight values.
public struct PlainBooleanEncoder: Sendable {
    @usableFromInline
    internal var _output: ByteBuffer

    /// Pending bits, the oldest in bit 0.
    @usableFromInline
    internal var _word: UInt64

    /// How many bits of ``_word`` are in use (0...63).
    @usableFromInline
    internal var _bitCount: Int

    @usableFromInline
    internal var _count: Int

    /// Creates an empty encoder.
    @inlinable
    public init() {
        _output = ByteBuffer()
        _word = 0
        _bitCount = 0
        _count = 0
    }

    /// The number of values appended since the last flush.
    @inlinable
    public var count: Int { _count }

    /// The exact encoded size of the values appended so far, in bytes.
    @inlinable
    public var estimatedByteSize: Int { _output.count &+ ((_bitCount &+ 7) &>> 3) }

    /// Appends one value.
    /// - Parameter value: The value to encode.
    @inlinable
    public mutating func append(_ value: Bool) {
        _word |= UInt64(value ? 1 : 0) &<< UInt64(truncatingIfNeeded: _bitCount)
        _bitCount &+= 1
        _count &+= 1
        if _bitCount == 64 {
            _output.appendLittleEndian(_word)
            _word = 0
            _bitCount = 0
        }
    }

    /// Appends the encoded values to `output` and resets the encoder, keeping its buffer.
    /// - Parameter output: The buffer to append to.
    @inlinable
    public mutating func flush(into output: inout ByteBuffer) {
        output.append(_output)
        var word = _word
        var remaining = _bitCount
        while remaining > 0 {
            output.append(UInt8(truncatingIfNeeded: word))
            word &>>= 8
            remaining &-= 8
        }
        _output.removeAll(keepingCapacity: true)
        _word = 0
        _bitCount = 0
        _count = 0
    }
}
