import Parquet

/// How a leaf's Arrow values become the target column's values: chosen once per column and
/// batch from the Arrow type and the column type, then applied per value through the column
/// builder's checked stores (`ColumnBuilder+Storing.swift`), the conversion layer every
/// producer shares.
enum _ArrowConversion {
    /// A null-type array: every slot is null.
    case nulls
    case boolean
    /// Any integer width into an integer, float, date, time or timestamp column (raw units),
    /// range-checked by the column.
    case integer
    case float16
    case floatingPoint
    /// UTF-8 text: string, json and binary as is; uuid from canonical text; decimal from exact text.
    case text
    /// Bytes (binary, fixed_size_binary): binary as is; string/json when UTF-8; fixed_binary
    /// and uuid of the column's width.
    case bytes
    /// decimal32/64/128/256 unscaled values (`bytes` wide), multiplied by `rescale` (10^(column
    /// scale - Arrow scale)) and range-checked against the column's precision.
    case decimal(bytes: Int, rescale: Int128)
    /// Integers in one unit into a temporal column in another: multiplied or exactly divided.
    case rescaled(multiplier: Int64, divisor: Int64)

    /// The conversion from `arrow` values to a `target` column, or a `.typeMismatch` error
    /// naming the column.
    /// - Parameters:
    ///   - arrow: The value type (a dictionary's value type for dictionary arrays).
    ///   - target: The column's type.
    ///   - path: The column's path, for the message.
    /// - Throws: `ParquetError` `.typeMismatch` when the types do not go together.
    init(from arrow: ArrowType, to target: DataType, path: String) throws(ParquetError) {
        func mismatch() -> ParquetError {
            ParquetError(
                .typeMismatch, "the Arrow type \(arrow.name) cannot be written to the \(target.name) column '\(path)'",
                column: path)
        }
        switch (arrow, target) {
        case (.null, _):
            self = .nulls
        case (.boolean, .boolean):
            self = .boolean
        case (.integer, .int8), (.integer, .int16), (.integer, .int32), (.integer, .int64),
            (.integer, .uint8), (.integer, .uint16), (.integer, .uint32), (.integer, .uint64),
            (.integer, .float32), (.integer, .float64), (.integer, .date), (.integer, .time), (.integer, .timestamp):
            self = .integer
        case (.float16, .float32), (.float16, .float64):
            self = .float16
        case (.float32, .float32), (.float32, .float64), (.float64, .float32), (.float64, .float64):
            self = .floatingPoint
        case (.utf8, .string), (.utf8, .json), (.utf8, .binary), (.utf8, .uuid), (.utf8, .decimal):
            self = .text
        case (.binary, .binary), (.binary, .string), (.binary, .json), (.binary, .fixedBinary), (.binary, .uuid),
            (.fixedSizeBinary, .binary), (.fixedSizeBinary, .fixedBinary), (.fixedSizeBinary, .uuid):
            self = .bytes
        case (.decimal(_, let scale, let bits), .decimal(_, let targetScale)):
            guard targetScale >= scale else {
                throw ParquetError(
                    .typeMismatch,
                    "the Arrow type \(arrow.name) has more fractional digits than the column '\(path)' (scale \(targetScale))",
                    column: path)
            }
            // A negative Arrow scale can ask for more than 10^38 (powerOfTen would wrap): no
            // value but zero could fit the column then.
            guard targetScale - scale <= 38 else {
                throw ParquetError(
                    .typeMismatch,
                    "the Arrow type \(arrow.name) has a scale \(targetScale - scale) digits away from the column '\(path)' (scale \(targetScale))",
                    column: path)
            }
            self = .decimal(bytes: bits / 8, rescale: DecimalText.powerOfTen(targetScale - scale))
        case (.date32, .date):
            self = .rescaled(multiplier: 1, divisor: 1)
        case (.date64, .date):
            self = .rescaled(multiplier: 1, divisor: 86_400_000)
        case (.time(let unit), .time(let targetUnit)):
            self = Self.rescaling(from: unit.perSecond, to: targetUnit.perSecond)
        case (.timestamp(let unit, _), .timestamp(let targetUnit, _)):
            self = Self.rescaling(from: unit.perSecond, to: targetUnit.perSecond)
        default:
            throw mismatch()
        }
    }

    private static func rescaling(from source: Int64, to target: Int64) -> _ArrowConversion {
        source <= target ? .rescaled(multiplier: target / source, divisor: 1) : .rescaled(multiplier: 1, divisor: source / target)
    }

    /// Stores the value at `position` of `view` (a present slot; levels are the builder's).
    /// - Throws: `ParquetError` from the column's checks, or for a value a rescaling would change.
    @inline(__always)
    func store(_ view: ArrowArrayView, at position: Int, into builder: inout ColumnBuilder) throws(ParquetError) {
        switch self {
        case .nulls:
            preconditionFailure("a null-type slot has no value")
        case .boolean:
            try builder.storeBoolean(view.boolean(at: position))
        case .integer:
            try builder.storeInteger(view.integer(at: position))
        case .float16:
            let bits = view.buffers[0].unsafelyUnwrapped.loadUnaligned(fromByteOffset: 2 * position, as: UInt16.self)
            try builder.storeFloatingPoint(Double(Self.float(halfBits: bits)))
        case .floatingPoint:
            let base = view.buffers[0].unsafelyUnwrapped
            if case .float32 = view.type {
                try builder.storeFloatingPoint(Double(base.loadUnaligned(fromByteOffset: 4 * position, as: Float.self)))
            } else {
                try builder.storeFloatingPoint(base.loadUnaligned(fromByteOffset: 8 * position, as: Double.self))
            }
        case .text:
            try builder.storeText(view.bytes(at: position))
        case .bytes:
            try builder.storeBytes(view.bytes(at: position))
        case .decimal(let width, let rescale):
            let base = view.buffers[0].unsafelyUnwrapped + width * position
            // decimal32 and decimal64 hold 4 and 8 bytes: read no more than that.
            let low: UInt64
            let high: Int64
            switch width {
            case 4:
                let value = Int64(base.loadUnaligned(as: Int32.self))
                (low, high) = (UInt64(bitPattern: value), value < 0 ? -1 : 0)
            case 8:
                let value = base.loadUnaligned(as: Int64.self)
                (low, high) = (UInt64(bitPattern: value), value < 0 ? -1 : 0)
            default:
                (low, high) = (base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: 8, as: Int64.self))
            }
            if width == 32 {
                // decimal256: the value must fit in 128 bits (its upper half is the sign).
                let sign: Int64 = high < 0 ? -1 : 0
                for word in 2..<4 where base.loadUnaligned(fromByteOffset: 8 * word, as: Int64.self) != sign {
                    throw ParquetError(.valueOutOfRange, "a decimal256 value has more than 38 digits")
                }
            }
            let unscaled = Int128(high) << 64 | Int128(low)
            let (value, overflow) = unscaled.multipliedReportingOverflow(by: rescale)
            guard !overflow, case .decimal(let precision, _) = builder.descriptor.type else {
                throw ParquetError(.valueOutOfRange, "a decimal value is out of range for \(builder.descriptor.type.name)")
            }
            try builder.storeUnscaledDecimal(value, precision: precision)
        case .rescaled(let multiplier, let divisor):
            let raw = view.integer(at: position)
            if divisor != 1 {
                guard raw % Int128(divisor) == 0 else {
                    throw ParquetError(
                        .valueOutOfRange,
                        "\(raw) would lose precision in a \(builder.descriptor.type.name) column")
                }
                try builder.storeInteger(raw / Int128(divisor))
            } else {
                try builder.storeInteger(raw * Int128(multiplier))
            }
        }
    }

    /// An IEEE 754 half-precision value.
    static func float(halfBits bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: fraction * 2^-24.
            let magnitude = Float(fraction) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
    }
}
