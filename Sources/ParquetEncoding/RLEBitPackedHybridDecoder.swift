/// Decodes the RLE / bit-packing hybrid written by ``RLEBitPackedHybridEncoder``.
///
/// Meant for tests and a future reader rather than the write path, so it favours checks over
/// speed: every header is validated against the remaining input before its values are read,
/// and malformed input throws ``RLEDecodingError`` instead of trapping.
///
/// Bit-packed runs hold whole groups of 8, so the decoder may yield up to 7 padding zeros
/// after the real values; callers take the count they know from the page header.
public struct RLEBitPackedHybridDecoder: Sendable {
    @usableFromInline
    internal let _bytes: [UInt8]

    @usableFromInline
    internal let _bitWidth: Int

    /// Offset of the next run header.
    @usableFromInline
    internal var _position: Int

    @usableFromInline
    internal var _rleRemaining: Int

    @usableFromInline
    internal var _rleValue: UInt32

    @usableFromInline
    internal var _packedRemaining: Int

    /// Bit offset in ``_bytes`` of the next bit-packed value.
    @usableFromInline
    internal var _packedBitOffset: Int

    /// Creates a decoder over encoded runs with no length prefix.
    /// - Parameters:
    ///   - bytes: The encoded runs.
    ///   - bitWidth: Bits per value, 0...32.
    /// - Throws: ``RLEDecodingError/invalidBitWidth(_:)`` if `bitWidth` is out of range.
    public init(bytes: [UInt8], bitWidth: Int) throws {
        guard bitWidth >= 0 && bitWidth <= 32 else { throw RLEDecodingError.invalidBitWidth(bitWidth) }
        _bytes = bytes
        _bitWidth = bitWidth
        _position = 0
        _rleRemaining = 0
        _rleValue = 0
        _packedRemaining = 0
        _packedBitOffset = 0
    }

    /// Creates a decoder over a copy of encoded runs with no length prefix.
    /// - Parameters:
    ///   - bytes: The encoded runs.
    ///   - bitWidth: Bits per value, 0...32.
    /// - Throws: ``RLEDecodingError/invalidBitWidth(_:)`` if `bitWidth` is out of range.
    public init(bytes: UnsafeRawBufferPointer, bitWidth: Int) throws {
        try self.init(bytes: Array(bytes), bitWidth: bitWidth)
    }

    /// Creates a decoder over runs preceded by a 4-byte little-endian length, as in V1 data
    /// page levels; bytes after the announced length are ignored.
    /// - Parameters:
    ///   - bytes: The length prefix followed by at least that many bytes.
    ///   - bitWidth: Bits per value, 0...32.
    /// - Throws: ``RLEDecodingError/invalidLengthPrefix`` if the prefix is missing or too
    ///   large, ``RLEDecodingError/invalidBitWidth(_:)`` if `bitWidth` is out of range.
    public init(lengthPrefixed bytes: [UInt8], bitWidth: Int) throws {
        guard bytes.count >= 4 else { throw RLEDecodingError.invalidLengthPrefix }
        let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard length <= bytes.count - 4 else { throw RLEDecodingError.invalidLengthPrefix }
        try self.init(bytes: Array(bytes[4 ..< 4 + length]), bitWidth: bitWidth)
    }

    /// Decodes the next value.
    /// - Returns: The value, or `nil` once the input is exhausted.
    /// - Throws: ``RLEDecodingError`` if the next run header or its data is malformed.
    public mutating func next() throws -> UInt32? {
        while true {
            if _rleRemaining > 0 {
                _rleRemaining -= 1
                return _rleValue
            }
            if _packedRemaining > 0 {
                _packedRemaining -= 1
                return _readPacked()
            }
            if _position == _bytes.count { return nil }
            try _readRunHeader()
        }
    }

    /// Decodes exactly `count` values.
    /// - Parameter count: How many values to decode.
    /// - Returns: The values.
    /// - Throws: ``RLEDecodingError/notEnoughValues(requested:decoded:)`` if the input ends
    ///   first, or another ``RLEDecodingError`` for malformed input.
    public mutating func decode(count: Int) throws -> [UInt32] {
        var values: [UInt32] = []
        values.reserveCapacity(Swift.min(Swift.max(count, 0), 1 << 20))
        while values.count < count {
            guard let value = try next() else {
                throw RLEDecodingError.notEnoughValues(requested: count, decoded: values.count)
            }
            values.append(value)
        }
        return values
    }

    /// Reads a run header and, for an RLE run, its value, after checking the whole run fits.
    internal mutating func _readRunHeader() throws {
        let start = _position
        var header: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard _position < _bytes.count else { throw RLEDecodingError.malformedHeader(offset: start) }
            let byte = _bytes[_position]
            _position += 1
            // The tenth byte may only contribute the top bit of a 64-bit value.
            guard shift < 63 || byte <= 1 else { throw RLEDecodingError.malformedHeader(offset: start) }
            header |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        let length = header >> 1
        guard length > 0 else { throw RLEDecodingError.emptyRun(offset: start) }
        if header & 1 == 1 {
            // Compare in groups so that the byte count cannot overflow.
            let available = UInt64(_bytes.count - _position)
            guard length <= UInt64(Int.max / 8),
                  _bitWidth == 0 || length <= available / UInt64(_bitWidth)
            else { throw RLEDecodingError.truncatedRun(offset: start) }
            _packedRemaining = Int(length) * 8
            _packedBitOffset = _position * 8
            _position += Int(length) * _bitWidth
        } else {
            let byteWidth = (_bitWidth + 7) / 8
            guard _bytes.count - _position >= byteWidth else { throw RLEDecodingError.truncatedRun(offset: start) }
            var value: UInt64 = 0
            for index in 0..<byteWidth {
                value |= UInt64(_bytes[_position + index]) << (8 * UInt64(index))
            }
            guard value >> UInt64(_bitWidth) == 0 else { throw RLEDecodingError.valueExceedsBitWidth(offset: start) }
            _position += byteWidth
            _rleValue = UInt32(value)
            // `length` is a 64-bit header shifted right once, so it fits in Int.
            _rleRemaining = Int(length)
        }
    }

    /// Reads the next bit-packed value; the run header already checked it is in bounds.
    internal mutating func _readPacked() -> UInt32 {
        let width = _bitWidth
        guard width > 0 else { return 0 }
        let first = _packedBitOffset >> 3
        let last = (_packedBitOffset + width - 1) >> 3
        var window: UInt64 = 0
        for index in first...last {
            window |= UInt64(_bytes[index]) << (8 * UInt64(index - first))
        }
        let value = (window >> UInt64(_packedBitOffset & 7)) & ((1 << UInt64(width)) - 1)
        _packedBitOffset += width
        return UInt32(value)
    }
}
