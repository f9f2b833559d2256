import Testing
@testable import Parquet

/// Exact decimal text to unscaled integers.
@Suite struct DecimalTextTests {
    func parse(_ text: String, scale: Int) -> Int128? {
        var text = text
        return text.withUTF8 { DecimalText.parse(UnsafeRawBufferPointer($0), scale: scale) }
    }

    static let valid: [(String, Int, Int128)] = [
        ("0", 0, 0), ("-0", 2, 0), ("+0.000", 0, 0), ("7", 0, 7), ("123", 2, 12_300), ("-123", 0, -123), ("+5", 1, 50),
        ("1.5", 2, 150), ("-1.05", 2, -105), (".5", 1, 5), ("-.25", 2, -25), ("5.", 0, 5), ("1.230", 2, 123), ("1.2300000", 2, 123),
        ("000123.4500", 2, 12_345), ("-000.010", 2, -1),
        ("1e3", 0, 1000), ("1E3", 1, 10_000), ("1.5e-1", 2, 15), ("12.3e1", 0, 123), ("-2.5E+2", 0, -250), ("500e-2", 0, 5),
        ("1e-2", 2, 1), ("0e999", 0, 0), ("0.0e-50", 3, 0),
        ("99999999999999999999999999999999999999", 0, DecimalText.powerOfTen(38) - 1),
        ("-9999999999999999999999999999.9999999999", 10, -(DecimalText.powerOfTen(38) - 1)),
        ("1e37", 0, DecimalText.powerOfTen(37)), ("0.00000000000000000000000000000000000001", 38, 1),
        (String(repeating: "0", count: 60) + "42", 0, 42),
    ]

    @Test func validText() {
        for (text, scale, expected) in Self.valid {
            #expect(parse(text, scale: scale) == expected, "\(text) at scale \(scale)")
        }
    }

    @Test func fractionalDigitsBeyondTheScaleAreRejectedNotRounded() {
        #expect(parse("1.234", scale: 2) == nil)
        #expect(parse("1.5", scale: 0) == nil)
        #expect(parse("-0.001", scale: 2) == nil)
        #expect(parse("1e-3", scale: 2) == nil)
        #expect(parse("12.345e1", scale: 1) == nil)
        #expect(parse("0.5", scale: 0) == nil)
    }

    @Test func thirtyEightDigitLimit() {
        #expect(parse("1" + String(repeating: "0", count: 38), scale: 0) == nil)  // 39 digits
        #expect(parse(String(repeating: "9", count: 38), scale: 1) == nil)  // 39 digits once scaled
        #expect(parse("1e38", scale: 0) == nil)
        #expect(parse("-1e38", scale: 0) == nil)
        #expect(parse("1e1000", scale: 0) == nil)
        #expect(parse("1e-1000", scale: 0) == nil)
        #expect(parse("123456789012345678901234567890123456789", scale: 0) == nil)
    }

    @Test func trailingFractionalZerosDoNotCountAsDigits() {
        // The value is exactly 1; the zeros only spell it out.
        let text = "1." + String(repeating: "0", count: 38)
        #expect(parse(text, scale: 0) == 1)
        #expect(parse("1" + String(repeating: "0", count: 38) + "e-38", scale: 0) == 1)
    }

    @Test func garbageIsRejected() {
        for text in ["", "-", "+", ".", "-.", "abc", "1a", "1.2.3", "1e", "1e+", "e5", "--1", "+-1", " 1", "1 ", "0x10",
                     "1,5", "NaN", "inf", "1_000", "١٢", "1e5.0", "1..2", "1.e", "１"] {
            #expect(parse(text, scale: 2) == nil, "\(text)")
        }
    }

    @Test func powersOfTen() {
        #expect(DecimalText.powerOfTen(0) == 1)
        #expect(DecimalText.powerOfTen(18) == 1_000_000_000_000_000_000)
        #expect(DecimalText.powerOfTen(38) == Int128(10_000_000_000_000_000_000) * Int128(10_000_000_000_000_000_000))
    }
}
