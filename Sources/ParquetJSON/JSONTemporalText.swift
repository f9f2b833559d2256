/// Dates, times of day and RFC 3339 timestamps from text, with exact integer arithmetic and
/// no allocation.
enum _TemporalText {
    enum Failure {
        case none
        /// Not the expected shape.
        case syntax
        /// Month or day out of the calendar.
        case invalidDate
        /// Hour, minute or second out of range.
        case invalidTime
        case invalidOffset
        /// Non-zero fractional digits below the column's unit.
        case precision
        /// The result does not fit the column's physical type.
        case range
    }

    struct Parsed {
        var value: Int64
        var failure: Failure

        static func failed(_ failure: Failure) -> Parsed { Parsed(value: 0, failure: failure) }
    }

    /// `YYYY-MM-DD` (years 0000-9999, proleptic Gregorian) as days since 1970-01-01.
    static func date(_ text: UnsafeRawBufferPointer) -> Parsed {
        guard text.count == 10 else { return .failed(.syntax) }
        return date(text, at: 0)
    }

    /// `HH:MM:SS[.fraction]` in the unit, within `[00:00:00, 24:00:00)`.
    ///
    /// 24:00:00 (ISO 8601's end of the day) is refused: Parquet's TIME is a time of day in
    /// `[0, 86400 s)`, and readers disagree on the value (issue 11: pyarrow's validation fails and
    /// it reads 00:00, polars reads null, DuckDB 24:00:00).
    static func timeOfDay(_ text: UnsafeRawBufferPointer, nanosecondsPerUnit: Int64) -> Parsed {
        var index = 0
        let time = clock(text, at: &index)
        guard time.failure == .none else { return time }
        guard index == text.count else { return .failed(.syntax) }
        let seconds = time.value / 1_000_000_000
        let nanoseconds = time.value % 1_000_000_000
        guard nanoseconds % nanosecondsPerUnit == 0 else { return .failed(.precision) }
        let unitsPerSecond = 1_000_000_000 / nanosecondsPerUnit
        return Parsed(value: seconds * unitsPerSecond + nanoseconds / nanosecondsPerUnit, failure: .none)
    }

    /// `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction][Z|z|±HH:MM]` as units since the epoch; an offset
    /// is subtracted (the result is the UTC instant), no offset takes the text as is.
    static func timestamp(_ text: UnsafeRawBufferPointer, perSecond: Int64, nanosecondsPerUnit: Int64) -> Parsed {
        if let value = commonTimestamp(text, perSecond: perSecond, nanosecondsPerUnit: nanosecondsPerUnit) {
            return Parsed(value: value, failure: .none)
        }
        guard text.count >= 19 else { return .failed(.syntax) }
        let days = date(text, at: 0)
        guard days.failure == .none else { return days }
        let separator = text[10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return .failed(.syntax)
        }
        var index = 11
        let time = clock(text, at: &index)
        guard time.failure == .none else { return time }
        var offsetSeconds: Int64 = 0
        if index < text.count {
            let marker = text[index]
            if marker == UInt8(ascii: "Z") || marker == UInt8(ascii: "z") {
                index += 1
            } else if marker == UInt8(ascii: "+") || marker == UInt8(ascii: "-") {
                guard index + 6 == text.count, text[index + 3] == UInt8(ascii: ":"),
                    let hours = twoDigits(text, index + 1), let minutes = twoDigits(text, index + 4)
                else { return .failed(.syntax) }
                guard hours <= 23 && minutes <= 59 else { return .failed(.invalidOffset) }
                offsetSeconds = (hours * 60 + minutes) * 60
                if marker == UInt8(ascii: "-") { offsetSeconds = -offsetSeconds }
                index += 6
            }
            guard index == text.count else { return .failed(.syntax) }
        }
        let nanoseconds = time.value % 1_000_000_000
        guard nanoseconds % nanosecondsPerUnit == 0 else { return .failed(.precision) }
        // |seconds| < 2^39 for years 0...9999; the unit multiplication is checked.
        let seconds = days.value * 86_400 + time.value / 1_000_000_000 - offsetSeconds
        // Int128: near Int64.min the scaled seconds alone can overflow while the sum with the
        // (positive) fraction is still in range, e.g. 1677-09-21T00:12:43.145224192Z in ns.
        let wide = Int128(seconds) * Int128(perSecond) + Int128(nanoseconds / nanosecondsPerUnit)
        guard let value = Int64(exactly: wide) else { return .failed(.range) }
        return Parsed(value: value, failure: .none)
    }

    // MARK: The common shape

    /// A valid timestamp of the usual shape, `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction][Z|z]`, in
    /// the unit; nil for anything else (an offset, a field out of range, a result needing the
    /// wide arithmetic), which the general parser then takes, errors included. Reads the
    /// fixed 19-byte head as three words instead of byte by byte: most batches hold
    /// timestamps in exactly this shape, and the general path costs ~5x more.
    @inline(__always)
    private static func commonTimestamp(
        _ text: UnsafeRawBufferPointer, perSecond: Int64, nanosecondsPerUnit: Int64
    ) -> Int64? {
        let count = text.count
        guard count >= 19, let base = text.baseAddress else { return nil }
        // "YYYY-MM-", "DD" (then the separator) and "HH:MM:SS", little-endian.
        let head = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let middle = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let tail = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 11, as: UInt64.self))
        let separator = base.load(fromByteOffset: 10, as: UInt8.self)
        guard head & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,  // '-' at 4 and 7
            tail & 0x0000_FF00_00FF_0000 == 0x0000_3A00_003A_0000,  // ':' at 2 and 5
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
            let date = digitPairs(head, digits: 0x00FF_FF00_FFFF_FFFF),
            let day = digitPairs(middle, digits: 0x0000_0000_0000_FFFF),
            let time = digitPairs(tail, digits: 0xFFFF_00FF_FF00_FFFF)
        else { return nil }
        let year = Int64(date & 0xFF) * 100 + Int64(date >> 16 & 0xFF)
        let month = Int64(date >> 40 & 0xFF)
        let dayOfMonth = Int64(day & 0xFF)
        let hours = Int64(time & 0xFF), minutes = Int64(time >> 24 & 0xFF), seconds = Int64(time >> 48 & 0xFF)
        guard month >= 1 && month <= 12 && dayOfMonth >= 1 && dayOfMonth <= daysInMonth(year, month),
            hours <= 23 && minutes <= 59 && seconds <= 59
        else { return nil }

        var index = 19
        var nanoseconds: Int64 = 0
        if index < count && text[index] == UInt8(ascii: ".") {
            index += 1
            let first = index
            while index < count && index - first < 9 {
                let digit = text[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                nanoseconds = nanoseconds &* 10 &+ Int64(digit)
                index += 1
            }
            let digits = index - first
            // No digit, or a tenth one (a precision error): the general path's to report.
            guard digits > 0, index == count || text[index] &- UInt8(ascii: "0") >= 10 else { return nil }
            nanoseconds &*= _nanosecondScales[digits]
        }
        if index < count {
            guard index + 1 == count, text[index] == UInt8(ascii: "Z") || text[index] == UInt8(ascii: "z") else {
                return nil
            }
        }
        guard nanoseconds % nanosecondsPerUnit == 0 else { return nil }
        let total = daysFromCivil(year, month, dayOfMonth) * 86_400 + (hours * 60 + minutes) * 60 + seconds
        let (scaled, overflow) = total.multipliedReportingOverflow(by: perSecond)
        let (value, carry) = scaled.addingReportingOverflow(nanoseconds / nanosecondsPerUnit)
        guard !overflow && !carry else { return nil }
        return value
    }

    /// For the ASCII digits at the byte positions set in `digits` (0xFF each): byte i of the
    /// result is 10 × digit[i] + digit[i+1], the two-digit number starting there (digit
    /// bytes only; others read as 0). Nil when one of those bytes is not a digit.
    @inline(__always)
    private static func digitPairs(_ word: UInt64, digits: UInt64) -> UInt64? {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let zeros: UInt64 = 0x3030_3030_3030_3030
        // A digit is 0x30...0x3F, and still so after adding 6 (which cannot carry out of a
        // byte that passed the first test).
        guard word & digits & highNibbles == zeros & digits,
            (word &+ (0x0606_0606_0606_0606 & digits)) & digits & highNibbles == zeros & digits
        else { return nil }
        let values = word & digits & 0x0F0F_0F0F_0F0F_0F0F
        // No carry between bytes: each stays at most 10 × 9 + 9.
        return values &* 10 &+ (values >> 8)
    }

    // MARK: Parts

    /// The date at `index` (10 bytes, checked by the caller) as days since the epoch.
    private static func date(_ text: UnsafeRawBufferPointer, at index: Int) -> Parsed {
        guard let high = twoDigits(text, index), let low = twoDigits(text, index + 2),
            text[index + 4] == UInt8(ascii: "-"), let month = twoDigits(text, index + 5),
            text[index + 7] == UInt8(ascii: "-"), let day = twoDigits(text, index + 8)
        else { return .failed(.syntax) }
        let year = high * 100 + low
        guard month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) else {
            return .failed(.invalidDate)
        }
        return Parsed(value: daysFromCivil(year, month, day), failure: .none)
    }

    /// `HH:MM:SS[.fraction]` at `index`, as nanoseconds since midnight; moves `index` past it.
    private static func clock(_ text: UnsafeRawBufferPointer, at index: inout Int) -> Parsed {
        guard index + 8 <= text.count, let hours = twoDigits(text, index), text[index + 2] == UInt8(ascii: ":"),
            let minutes = twoDigits(text, index + 3), text[index + 5] == UInt8(ascii: ":"),
            let seconds = twoDigits(text, index + 6)
        else { return .failed(.syntax) }
        index += 8
        var nanoseconds: Int64 = 0
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < text.count && text[index] &- UInt8(ascii: "0") < 10 {
                guard digits < 9 else { return .failed(.precision) }
                nanoseconds = nanoseconds * 10 + Int64(text[index] &- UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { return .failed(.syntax) }
            for _ in digits..<9 { nanoseconds *= 10 }
        }
        guard hours <= 23 && minutes <= 59 && seconds <= 59 else { return .failed(.invalidTime) }
        return Parsed(value: ((hours * 60 + minutes) * 60 + seconds) * 1_000_000_000 + nanoseconds, failure: .none)
    }

    @inline(__always)
    private static func twoDigits(_ text: UnsafeRawBufferPointer, _ index: Int) -> Int64? {
        let tens = text[index] &- UInt8(ascii: "0")
        let ones = text[index + 1] &- UInt8(ascii: "0")
        guard tens < 10 && ones < 10 else { return nil }
        return Int64(tens) * 10 + Int64(ones)
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date, year 0...9999 (H. Hinnant's
    /// days_from_civil). The March-based year is taken one 400-year era (146,097 days) later so
    /// that it is never negative: unsigned division by constants is a few instructions.
    @inline(__always)
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = UInt64(truncatingIfNeeded: year &+ (month <= 2 ? 399 : 400))
        let m = UInt64(truncatingIfNeeded: month)
        let era = y / 400
        let yearOfEra = y &- era &* 400
        let dayOfYear = (153 &* (m > 2 ? m &- 3 : m &+ 9) &+ 2) / 5 &+ UInt64(truncatingIfNeeded: day) &- 1
        let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
        return Int64(truncatingIfNeeded: era &* 146_097 &+ dayOfEra) &- (719_468 + 146_097)
    }
}

/// 10^(9 - digits): scales a fraction of `digits` digits (1...9) to nanoseconds.
let _nanosecondScales: [Int64] = [1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1]

/// Standard padded base64 (RFC 4648 section 4).
enum _Base64 {
    /// The decoded length of padded base64 text, or nil when its length is not a multiple of
    /// 4. Characters are checked by ``decode(_:into:)``.
    static func decodedLength(_ text: UnsafeRawBufferPointer) -> Int? {
        guard text.count % 4 == 0 else { return nil }
        guard text.count > 0 else { return 0 }
        var padding = 0
        if text[text.count - 1] == UInt8(ascii: "=") { padding = text[text.count - 2] == UInt8(ascii: "=") ? 2 : 1 }
        return text.count / 4 * 3 - padding
    }

    /// Decodes text whose length passed ``decodedLength(_:)`` into `output`. Returns false
    /// for a character outside the alphabet, misplaced padding, or non-zero padding bits.
    static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) -> Bool {
        let count = text.count
        guard count > 0 else { return true }
        var invalid: UInt32 = 0
        var written = 0
        var index = 0
        // Every quad but the last has no padding.
        while index + 4 < count {
            let a = sextet(text[index]), b = sextet(text[index + 1])
            let c = sextet(text[index + 2]), d = sextet(text[index + 3])
            invalid |= a | b | c | d
            let bits = a << 18 | b << 12 | c << 6 | d
            output[written] = UInt8(truncatingIfNeeded: bits >> 16)
            output[written + 1] = UInt8(truncatingIfNeeded: bits >> 8)
            output[written + 2] = UInt8(truncatingIfNeeded: bits)
            written += 3
            index += 4
        }
        let a = sextet(text[index]), b = sextet(text[index + 1])
        invalid |= a | b
        if text[index + 3] != UInt8(ascii: "=") {
            let c = sextet(text[index + 2]), d = sextet(text[index + 3])
            invalid |= c | d
            let bits = a << 18 | b << 12 | c << 6 | d
            output[written] = UInt8(truncatingIfNeeded: bits >> 16)
            output[written + 1] = UInt8(truncatingIfNeeded: bits >> 8)
            output[written + 2] = UInt8(truncatingIfNeeded: bits)
        } else if text[index + 2] != UInt8(ascii: "=") {
            let c = sextet(text[index + 2])
            invalid |= c
            guard c & 0x3 == 0 else { return false }
            let bits = a << 18 | b << 12 | c << 6
            output[written] = UInt8(truncatingIfNeeded: bits >> 16)
            output[written + 1] = UInt8(truncatingIfNeeded: bits >> 8)
        } else {
            guard b & 0xF == 0 else { return false }
            output[written] = UInt8(truncatingIfNeeded: (a << 18 | b << 12) >> 16)
        }
        return invalid & 0x100 == 0
    }

    /// A character's 6-bit value, or 0x100 for anything outside the alphabet (including '=').
    @inline(__always)
    static func sextet(_ byte: UInt8) -> UInt32 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: 0x100
        }
    }
}
