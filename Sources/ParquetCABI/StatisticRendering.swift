import Parquet
import ParquetJSON

/// Min/max statistics in the JSON of a close summary, each in its column's natural form:
/// integers as numbers (uint64 exact), floats as numbers (float32 in its shortest form),
/// booleans, strings; decimals as exact text at the column's scale ("-123.45"); dates
/// "YYYY-MM-DD"; times "HH:MM:SS.fff" with the unit's digits; timestamps RFC 3339 in the unit
/// ("...Z" when UTC-adjusted, no offset when local); binary and fixed_binary as base64; UUIDs
/// in canonical text; json columns as their text.
enum StatisticRendering {
    /// Writes `value`, a statistic of a column of `type`, as one JSON value.
    static func write(_ value: StatisticValue, type: DataType, into json: inout JSONWriter) {
        switch value {
        case .boolean(let flag):
            json.bool(flag)
        case .int(let integer):
            switch type {
            case .date: json.string(date(days: integer))
            case .time(let unit): json.string(time(integer, unit: unit))
            case .timestamp(let unit, let utc): json.string(timestamp(integer, unit: unit, utc: utc))
            case .decimal(_, let scale): json.string(decimal(unscaled: Int128(integer), scale: scale))
            default: json.int(integer)
            }
        case .uint(let integer):
            json.int(integer)
        case .float(let number):
            if case .float32 = type, number.isFinite {
                // The shortest text that reads back as the same float32.
                json.raw(Float(number).description)
            } else {
                json.double(number)
            }
        case .string(let text):
            json.string(text)
        case .bytes(let bytes):
            switch type {
            case .uuid where bytes.count == 16: json.string(uuid(bytes))
            case .decimal(_, let scale) where (1...16).contains(bytes.count):
                json.string(decimal(unscaled: bigEndianTwosComplement(bytes), scale: scale))
            case .string, .json: json.string(String(decoding: bytes, as: UTF8.self))
            default: json.string(base64(bytes))
            }
        }
    }

    // MARK: Dates and times

    /// Floor division, so times before the epoch land on the right day.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// "YYYY-MM-DD" of the proleptic Gregorian calendar (years outside 0...9999 signed, ISO 8601
    /// expanded form).
    static func date(days: Int64) -> String {
        CivilDate(daysSinceEpoch: days).text
    }

    /// "HH:MM:SS.fraction" with 3, 6 or 9 fractional digits for ms, us, ns.
    static func time(_ value: Int64, unit: TimeUnit) -> String {
        let (seconds, fraction) = floorDivide(value, unit.perSecond)
        let sign = seconds < 0 ? "-" : ""
        let magnitude = seconds.magnitude
        return sign + "\(padded(magnitude / 3600, 2)):\(padded(magnitude / 60 % 60, 2)):\(padded(magnitude % 60, 2))"
            + "." + padded(fraction, digits(unit))
    }

    /// RFC 3339 ("YYYY-MM-DDTHH:MM:SS.fraction", then "Z" when UTC-adjusted).
    static func timestamp(_ value: Int64, unit: TimeUnit, utc: Bool) -> String {
        let (seconds, fraction) = floorDivide(value, unit.perSecond)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        return date(days: days) + "T"
            + "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
            + "." + padded(fraction, digits(unit)) + (utc ? "Z" : "")
    }

    private static func digits(_ unit: TimeUnit) -> Int {
        switch unit {
        case .milliseconds: 3
        case .microseconds: 6
        case .nanoseconds: 9
        }
    }

    private static func padded<T: BinaryInteger>(_ value: T, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    // MARK: Numbers and bytes

    /// Exact decimal text of unscaled × 10^-scale, with exactly `scale` fractional digits.
    static func decimal(unscaled: Int128, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        let sign = unscaled < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        if digits.count <= scale { digits = String(repeating: "0", count: scale + 1 - digits.count) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return sign + digits[..<point] + "." + digits[point...]
    }

    /// The value of 1...16 big-endian two's complement bytes.
    static func bigEndianTwosComplement(_ bytes: [UInt8]) -> Int128 {
        var value = Int128(Int8(bitPattern: bytes[0]))
        for byte in bytes.dropFirst() { value = value << 8 | Int128(byte) }
        return value
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Canonical lower-case UUID text (8-4-4-4-12).
    static func uuid(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 (RFC 4648) with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in stride(from: 18, through: 0, by: -6) {
                text.append(base64Alphabet[Int(group >> UInt32(shift) & 0x3F)])
            }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let group = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            text.append(base64Alphabet[Int(group >> 18 & 0x3F)])
            text.append(base64Alphabet[Int(group >> 12 & 0x3F)])
            text.append(rest == 2 ? base64Alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "="))
            text.append(UInt8(ascii: "="))
        }
        return String(decoding: text, as: UTF8.self)
    }
}
