/// Writes values of a fixed bit width back to back, least significant bit first, through a
/// raw pointer with no bounds checks (the caller reserved the space).
///
/// Bits gather in a 64-bit accumulator and leave it 32 at a time. A width of at most 32 and
/// fewer than 32 bits left over keep every shift inside the accumulator.
@usableFromInline
internal struct _BitPacker {
    @usableFromInline var _accumulator: UInt64
    @usableFromInline var _bits: UInt64
    @usableFromInline let _width: UInt64
    @usableFromInline var _output: UnsafeMutableRawPointer

    #if DEBUG
    @usableFromInline let _start: UnsafeMutableRawPointer
    #endif

    /// Starts packing at `output`.
    /// - Parameters:
    ///   - bitWidth: Bits per value, 0...32.
    ///   - output: Where the first byte goes.
    @inlinable
    @inline(__always)
    init(bitWidth: Int, output: UnsafeMutableRawPointer) {
        _accumulator = 0
        _bits = 0
        _width = UInt64(truncatingIfNeeded: bitWidth)
        _output = output
        #if DEBUG
        _start = output
        #endif
    }

    /// Adds one value.
    /// - Parameter value: The value; bits above the width must be zero.
    @inlinable
    @inline(__always)
    mutating func put(_ value: UInt32) {
        _accumulator |= UInt64(value) &<< _bits
        _bits &+= _width
        if _bits >= 32 {
            _output.storeBytes(of: UInt32(truncatingIfNeeded: _accumulator).littleEndian, as: UInt32.self)
            _output += 4
            _accumulator &>>= 32
            _bits &-= 32
        }
    }

    /// Writes out the remaining whole bytes after a group of 8 values (8 × width bits is
    /// always a whole number of bytes, so nothing is left over).
    @inlinable
    @inline(__always)
    mutating func finishGroup() {
        while _bits > 0 {
            _output.storeBytes(of: UInt8(truncatingIfNeeded: _accumulator), as: UInt8.self)
            _output += 1
            _accumulator &>>= 8
            _bits &-= 8
        }
        #if DEBUG
        precondition(_output - _start == Int(_width), "bit-packed group size mismatch")
        #endif
    }
}
