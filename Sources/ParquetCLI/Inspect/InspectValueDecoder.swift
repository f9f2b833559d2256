import Parquet
import ParquetThrift

/// Turns the PLAIN-encoded bytes of a min/max statistic into an ``InspectValue`` by the
/// column's physical type and meaning.
///
/// Bytes that do not fit what the type promises (a 3-byte INT32, invalid UTF-8 in a string
/// column, a truncated UUID) are shown as hex rather than rejected: inspect must describe
/// corrupt files too.
enum InspectValueDecoder {
    /// The most decimal bytes converted to digits (the conversion is quadratic); wider
    /// values, which no decimal precision needs, are shown as hex.
    static let maximumDecimalBytes = 1024
    /// The largest decimal scale laid out with a decimal point; beyond it (a corrupt
    /// schema) the value is written as "<unscaled>E-<scale>" to stay exact without
    /// building a string of billions of zeros.
    static let maximumLaidOutScale = 1000

    /// Decodes a statistic.
    /// - Parameters:
    ///   - bytes: The PLAIN bytes (no length prefix for byte arrays).
    ///   - physical: The column's physical type.
    ///   - kind: What the values mean.
    /// - Returns: The value for display.
    static func decode(_ bytes: [UInt8], physical: PhysicalType, kind: InspectValueKind) -> InspectValue {
        switch physical {
        case .boolean:
            guard bytes.count == 1, bytes[0] <= 1 else { return .text(hex(bytes)) }
            return .boolean(bytes[0] == 1)
        case .int32:
            guard bytes.count == 4 else { return .text(hex(bytes)) }
            let value = Int32(bitPattern: UInt32(truncatingIfNeeded: littleEndian(bytes)))
            switch kind {
            case .unsigned: return .unsigned(UInt64(UInt32(bitPattern: value)))
            case .date: return .text(CivilDate(daysSinceEpoch: Int64(value)).text)
            case .time(let unit): return .text(time(Int64(value), unit: unit))
            case .decimal(let scale): return .text(decimal(negative: value < 0, magnitude: String(value.magnitude), scale: scale))
            default: return .integer(Int64(value))
            }
        case .int64:
            guard bytes.count == 8 else { return .text(hex(bytes)) }
            let value = Int64(bitPattern: littleEndian(bytes))
            switch kind {
            case .unsigned: return .unsigned(UInt64(bitPattern: value))
            case .time(let unit): return .text(time(value, unit: unit))
            case .timestamp(let unit, let utc): return .text(timestamp(value, unit: unit, utc: utc))
            case .decimal(let scale): return .text(decimal(negative: value < 0, magnitude: String(value.magnitude), scale: scale))
            default: return .integer(value)
            }
        case .float:
            guard bytes.count == 4 else { return .text(hex(bytes)) }
            return .float(Float(bitPattern: UInt32(truncatingIfNeeded: littleEndian(bytes))))
        case .double:
            guard bytes.count == 8 else { return .text(hex(bytes)) }
            return .double(Double(bitPattern: littleEndian(bytes)))
        case .byteArray, .fixedLenByteArray:
            switch kind {
            case .text:
                guard let text = String(validating: bytes, as: UTF8.self) else { return .text(hex(bytes)) }
                return .text(text)
            case .decimal(let scale):
                guard let text = decimal(bigEndian: bytes, scale: scale) else { return .text(hex(bytes)) }
                return .text(text)
            case .uuid where bytes.count == 16:
                return .text(uuid(bytes))
            case .float16 where bytes.count == 2:
                return .float(half(UInt16(bytes[0]) | UInt16(bytes[1]) << 8))
            default:
                return .text(hex(bytes))
            }
        case .int96:
            // INT96 has no defined sort order, so no writer should give it statistics; show raw.
            return .text(hex(bytes))
        }
    }

    // MARK: Bytes

    /// Lower-case hex with a "0x" prefix ("0x" alone for no bytes).
    /// - Parameter bytes: Any bytes.
    /// - Returns: The text.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("0x".utf8)
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The little-endian integer in up to 8 bytes.
    /// - Parameter bytes: 0...8 bytes, least significant first.
    /// - Returns: Their value.
    private static func littleEndian(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for byte in bytes.reversed() { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Canonical lower-case UUID text (8-4-4-4-12).
    /// - Parameter bytes: 16 bytes.
    /// - Returns: The text.
    private static func uuid(_ bytes: [UInt8]) -> String {
        let digits = hex(bytes).dropFirst(2)
        var text = ""
        for (index, character) in digits.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
            text.append(character)
        }
        return text
    }

    /// An IEEE 754 binary16 value widened to Float (exact: every half is a float). Done by
    /// hand because `Float16` is not available on every platform Swift targets.
    /// - Parameter bits: The half's bit pattern.
    /// - Returns: The same value as a Float.
    private static func half(_ bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits >> 15) << 31
        let exponent = UInt32(bits >> 10 & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Subnormal (or zero): mantissa × 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | mantissa << 13)
        }
    }

    // MARK: Decimals

    /// Exact decimal text of a big-endian two's complement unscaled value.
    /// - Parameters:
    ///   - bytes: 1...``maximumDecimalBytes`` bytes.
    ///   - scale: Fractional digits.
    /// - Returns: The text, or `nil` for no bytes or too many.
    static func decimal(bigEndian bytes: [UInt8], scale: Int) -> String? {
        guard !bytes.isEmpty, bytes.count <= maximumDecimalBytes else { return nil }
        let negative = bytes[0] & 0x80 != 0
        var magnitude = bytes
        if negative {
            // Two's complement negation: invert, then add one from the least significant byte.
            var carry = true
            for index in magnitude.indices.reversed() {
                magnitude[index] = ~magnitude[index]
                if carry {
                    magnitude[index] &+= 1
                    carry = magnitude[index] == 0
                }
            }
        }
        // Base 10^9 limbs, least significant first: limbs = limbs × 256 + byte.
        var limbs: [UInt64] = [0]
        for byte in magnitude {
            var carry = UInt64(byte)
            for index in limbs.indices {
                let value = limbs[index] * 256 + carry
                limbs[index] = value % 1_000_000_000
                carry = value / 1_000_000_000
            }
            while carry > 0 {
                limbs.append(carry % 1_000_000_000)
                carry /= 1_000_000_000
            }
        }
        var digits = String(limbs[limbs.count - 1])
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            digits += String(repeating: "0", count: 9 - part.count) + part
        }
        return decimal(negative: negative, magnitude: digits, scale: scale)
    }

    /// Places the decimal point `scale` digits from the right of `magnitude`.
    /// - Parameters:
    ///   - negative: Whether to prefix "-".
    ///   - magnitude: The unscaled value's decimal digits, no sign.
    ///   - scale: Fractional digits; negative scales append zeros.
    /// - Returns: "-123.45", "0.05", "1200", ...
    static func decimal(negative: Bool, magnitude: String, scale: Int) -> String {
        let sign = negative ? "-" : ""
        guard abs(scale) <= maximumLaidOutScale else { return sign + magnitude + "E" + String(-scale) }
        if scale <= 0 {
            return sign + magnitude + (magnitude == "0" ? "" : String(repeating: "0", count: -scale))
        }
        var digits = magnitude
        if digits.count <= scale { digits = String(repeating: "0", count: scale + 1 - digits.count) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return sign + digits[..<point] + "." + digits[point...]
    }

    // MARK: Dates and times

    /// Units per second.
    /// - Parameter unit: A time unit.
    /// - Returns: 10^3, 10^6 or 10^9.
    private static func perSecond(_ unit: ParquetThrift.TimeUnit) -> Int64 {
        switch unit {
        case .millis: 1_000
        case .micros: 1_000_000
        case .nanos: 1_000_000_000
        }
    }

    /// Floor division, so instants before the epoch land on the right day and second.
    /// - Parameters:
    ///   - value: The dividend.
    ///   - divisor: A positive divisor.
    /// - Returns: The quotient rounded down and the non-negative remainder.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// "HH:MM:SS" of a second count (hours not wrapped, so odd values stay visible).
    /// - Parameter seconds: Seconds since midnight.
    /// - Returns: The text.
    private static func clock(_ seconds: Int64) -> String {
        let magnitude = seconds.magnitude
        return (seconds < 0 ? "-" : "")
            + "\(CivilDate.padded(magnitude / 3600, 2)):\(CivilDate.padded(magnitude / 60 % 60, 2)):"
            + CivilDate.padded(magnitude % 60, 2)
    }

    /// The fraction of a second with the unit's 3, 6 or 9 digits.
    /// - Parameters:
    ///   - value: Units past the second, 0 ..< units per second.
    ///   - unit: The unit.
    /// - Returns: ".fff", ".ffffff" or ".fffffffff".
    private static func fraction(_ value: Int64, unit: ParquetThrift.TimeUnit) -> String {
        let width = unit == .millis ? 3 : unit == .micros ? 6 : 9
        return "." + CivilDate.padded(UInt64(value), width)
    }

    /// A time of day, "HH:MM:SS.fff" (3, 6 or 9 fractional digits by unit).
    /// - Parameters:
    ///   - value: Units since midnight.
    ///   - unit: The unit.
    /// - Returns: The text.
    static func time(_ value: Int64, unit: ParquetThrift.TimeUnit) -> String {
        let (seconds, rest) = floorDivide(value, perSecond(unit))
        return clock(seconds) + fraction(rest, unit: unit)
    }

    /// An RFC 3339 date-time, "YYYY-MM-DDTHH:MM:SS.fff" with the unit's digits and a "Z"
    /// when the timestamp is UTC-adjusted (a local one has no offset to print).
    /// - Parameters:
    ///   - value: Units since the epoch.
    ///   - unit: The unit.
    ///   - utc: Whether the value is an instant.
    /// - Returns: The text.
    static func timestamp(_ value: Int64, unit: ParquetThrift.TimeUnit, utc: Bool) -> String {
        let (seconds, rest) = floorDivide(value, perSecond(unit))
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        return CivilDate(daysSinceEpoch: days).text + "T" + clock(secondOfDay) + fraction(rest, unit: unit)
            + (utc ? "Z" : "")
    }
}
