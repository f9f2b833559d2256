import ParquetBytes

/// Typed, checked appends: each converts a value to the column's physical representation or
/// throws without appending anything.
extension ColumnBuilder {
    /// Appends a boolean to a boolean column.
    /// - Throws: `.typeMismatch` for another column type.
    @inline(__always)
    package mutating func storeBoolean(_ value: Bool) throws(ParquetError) {
        guard case .boolean = descriptor.type else { throw mismatch("Bool") }
        appendPresent()
        booleans.append(value)
    }

    /// Appends an integer to an integer, date, time, timestamp, decimal (unscaled) or float column.
    /// - Throws: `.valueOutOfRange` when the column's type cannot hold the value exactly
    ///   (``DataType/integerRange``), `.typeMismatch` for a column that does not take integers.
    package mutating func storeInteger<T: BinaryInteger>(_ value: T) throws(ParquetError) {
        guard let wide = Int128(exactly: value) else {
            throw ParquetError(.valueOutOfRange, "\(value) is out of range for \(descriptor.type.name)")
        }
        if let range = descriptor.type.integerRange {
            guard range.contains(wide) else {
                throw ParquetError(
                    .valueOutOfRange,
                    "\(wide) is outside \(range.lowerBound)...\(range.upperBound), the range of \(descriptor.type.name)")
            }
            appendPresent()
            // Unsigned types keep their bit pattern in the signed physical type.
            if descriptor.storage == .int32 {
                int32s.append(Int32(truncatingIfNeeded: wide))
            } else {
                int64s.append(Int64(truncatingIfNeeded: wide))
            }
            return
        }
        switch descriptor.type {
        case .decimal(let precision, _):
            try storeUnscaledDecimal(wide, precision: precision)
        case .float32:
            guard let float = Float(exactly: wide) else {
                throw ParquetError(.valueOutOfRange, "\(value) has no exact float32 representation")
            }
            appendPresent()
            floats.append(float)
        case .float64:
            guard let double = Double(exactly: wide) else {
                throw ParquetError(.valueOutOfRange, "\(value) has no exact float64 representation")
            }
            appendPresent()
            doubles.append(double)
        default:
            throw mismatch("integer")
        }
    }

    /// Appends the unscaled value of a decimal in the column's physical representation.
    /// - Throws: `.valueOutOfRange` when the value has more digits than the precision.
    package mutating func storeUnscaledDecimal(_ value: Int128, precision: Int) throws(ParquetError) {
        let limit = DecimalText.powerOfTen(precision)
        guard value > -limit && value < limit else {
            throw ParquetError(
                .valueOutOfRange, "unscaled value \(value) has more than \(precision) digits")
        }
        appendPresent()
        switch descriptor.storage {
        case .int32: int32s.append(Int32(truncatingIfNeeded: value))
        case .int64: int64s.append(Int64(truncatingIfNeeded: value))
        case .fixedLenByteArray(let length):
            // Big-endian two's complement, sign-extended to the column's width.
            bytes.writeUnsafe(maxBytes: length) { pointer in
                for index in 0..<length {
                    let shift = 8 * (length - 1 - index)
                    pointer.storeBytes(of: UInt8(truncatingIfNeeded: value >> shift), toByteOffset: index, as: UInt8.self)
                }
                return length
            }
        default:
            preconditionFailure("decimal columns are INT32, INT64 or FIXED_LEN_BYTE_ARRAY")
        }
    }

    /// Appends a floating-point value to a float32 or float64 column (float32 rounds to nearest).
    package mutating func storeFloatingPoint(_ value: Double) throws(ParquetError) {
        switch descriptor.type {
        case .float32:
            appendPresent()
            floats.append(Float(value))
        case .float64:
            appendPresent()
            doubles.append(value)
        default:
            throw mismatch("floating-point")
        }
    }

    /// Appends text: to string and json columns as is, to binary as its UTF-8 bytes, to uuid
    /// columns from canonical text, to decimal columns from exact decimal text.
    package mutating func storeText(_ text: UnsafeRawBufferPointer) throws(ParquetError) {
        switch descriptor.type {
        case .string, .json, .binary:
            try storeByteArray(text)
        case .uuid:
            guard let uuid = UUIDText.parse(text) else {
                throw ParquetError(.invalidValue, "'\(String(decoding: text, as: UTF8.self))' is not a UUID")
            }
            appendPresent()
            withUnsafeBytes(of: uuid) { bytes.append(contentsOf: $0) }
        case .decimal(let precision, let scale):
            guard let unscaled = DecimalText.parse(text, scale: scale) else {
                throw ParquetError(
                    .invalidValue,
                    "'\(String(decoding: text, as: UTF8.self))' is not a decimal with at most \(scale) fractional digits")
            }
            try storeUnscaledDecimal(unscaled, precision: precision)
        default:
            throw mismatch("text")
        }
    }

    /// ``storeText(_:)`` for a Swift string (its UTF-8 bytes, made contiguous if they are not).
    package mutating func storeText(_ text: String) throws(ParquetError) {
        var text = text
        var failure: ParquetError?
        // withUTF8 is rethrows, so the typed error is carried out by hand.
        text.withUTF8 { bytes in
            do throws(ParquetError) { try storeText(UnsafeRawBufferPointer(bytes)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Appends raw bytes to a binary, fixed_binary or uuid column, or validated UTF-8 to a
    /// string or json column.
    package mutating func storeBytes(_ value: UnsafeRawBufferPointer) throws(ParquetError) {
        switch descriptor.type {
        case .binary:
            try storeByteArray(value)
        case .string, .json:
            try Self.checkUTF8(value)
            try storeByteArray(value)
        case .fixedBinary, .uuid, .decimal:
            // Raw bytes of the column's fixed width (decimals: big-endian two's complement).
            guard case .fixedLenByteArray(let length) = descriptor.storage else { throw mismatch("byte") }
            guard value.count == length else {
                throw ParquetError(.invalidValue, "\(value.count) bytes given for a \(length)-byte column")
            }
            if case .decimal(let precision, _) = descriptor.type {
                // The bytes must still be a number of at most `precision` digits.
                try storeUnscaledDecimal(Self.bigEndianTwosComplement(value), precision: precision)
                return
            }
            appendPresent()
            bytes.append(contentsOf: value)
        default:
            throw mismatch("byte")
        }
    }

    /// The value of 1...16 big-endian two's complement bytes.
    private static func bigEndianTwosComplement(_ bytes: UnsafeRawBufferPointer) -> Int128 {
        var value: Int128 = Int128(Int8(bitPattern: bytes[0]))  // sign-extends
        for byte in bytes.dropFirst() { value = value << 8 | Int128(byte) }
        return value
    }

    /// Appends one BYTE_ARRAY value with its level.
    package mutating func storeByteArray(_ value: UnsafeRawBufferPointer) throws(ParquetError) {
        guard value.count <= ColumnBuilder.maximumValueBytes else { throw Self.valueTooLarge(value.count) }
        appendPresent()
        appendByteArrayValue(value)
    }
}
