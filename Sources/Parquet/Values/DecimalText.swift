/// Exact decimal text to unscaled integers, never through binary floating point.
package enum DecimalText {
    /// Where exponents saturate (2^40): far above any count of digits a text can hold, and
    /// far below where `exponent * 10 + 9` could overflow.
    static let exponentCeiling = 1 << 40

    /// 10^exponent for exponent 0...38.
    package static func powerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    /// Parses `[+-]digits[.digits][e[+-]digits]` into the unscaled integer at `scale`.
    ///
    /// Fractional digits beyond `scale` must be zeros: a value the column cannot hold exactly
    /// is rejected, not rounded.
    /// - Parameters:
    ///   - text: ASCII text.
    ///   - scale: The column's scale.
    /// - Returns: value × 10^scale, or nil when the text is not an exact decimal at that scale
    ///   or does not fit 38 digits.
    package static func parse(_ text: UnsafeRawBufferPointer, scale: Int) -> Int128? {
        var index = 0
        let count = text.count
        var negative = false
        if index < count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var digits: Int128 = 0
        var significant = 0
        // Zeros after the last non-zero digit: held back so "1.000…0" does not count them
        // toward the 38-digit limit; they only move the decimal point.
        var pendingZeros = 0
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while index < count {
            let byte = text[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                if sawPoint { fractionDigits += 1 }
                if byte == UInt8(ascii: "0") {
                    if digits != 0 { pendingZeros += 1 }
                } else {
                    // Past 38 significant digits no column fits.
                    guard significant + pendingZeros < 38 else { return nil }
                    digits = digits * powerOfTen(pendingZeros + 1) + Int128(byte - UInt8(ascii: "0"))
                    significant += pendingZeros + 1
                    pendingZeros = 0
                }
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if index < count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) {
            index += 1
            var exponentNegative = false
            if index < count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var sawExponentDigit = false
            while index < count, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
                // Saturates instead of giving up: zero times any power of ten is exactly zero
                // ("0e99999999"), and for other digits a saturated exponent still decides the
                // sign of the shift below (it exceeds any count of fraction digits).
                exponent = Swift.min(exponent * 10 + Int(text[index] - UInt8(ascii: "0")), Self.exponentCeiling)
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == count else { return nil }
        if digits == 0 { return 0 }
        // value = digits × 10^(pendingZeros + exponent - fractionDigits); unscaled = value × 10^scale.
        let shift = pendingZeros + exponent - fractionDigits + scale
        if shift >= 0 {
            guard shift <= 38 else { return nil }
            let (product, overflow) = digits.multipliedReportingOverflow(by: powerOfTen(shift))
            guard !overflow, product < powerOfTen(38) else { return nil }
            digits = product
        } else {
            guard -shift <= 38 else { return nil }
            let divisor = powerOfTen(-shift)
            guard digits % divisor == 0 else { return nil }
            digits /= divisor
        }
        return negative ? -digits : digits
    }
}
