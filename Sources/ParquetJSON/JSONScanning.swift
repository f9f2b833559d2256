#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parquet

/// JSON bytes and byte classes.
enum _JSON {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

    /// Whether a key `"<name>"` spells `name` as it is, with no escape (no `"`, `\` or control
    /// character in it), so a key can be matched against `name"` in the input unscanned.
    /// - Parameter name: A field's name, in UTF-8.
    /// - Returns: Whether it needs no escape.
    static func isWrittenAsIs(_ name: [UInt8]) -> Bool {
        !name.contains { $0 < 0x20 || $0 == quote || $0 == backslash }
    }

    /// Whether a JSON value can start with `byte`.
    static func startsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case openBrace, openBracket, quote, minus, zero...UInt8(ascii: "9"),
            UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            true
        default: false
        }
    }

    /// The kind of value starting with `byte`, for messages ("a string").
    static func describeValue(_ byte: UInt8) -> String {
        switch byte {
        case quote: "a string"
        case openBrace: "an object"
        case openBracket: "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case minus, zero...UInt8(ascii: "9"): "a number"
        default: describeByte(byte)
        }
    }

    /// A byte for messages: printable ASCII quoted, anything else in hex.
    static func describeByte(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }

    /// Exact powers of ten as Double (10^22 is the last exact one). Literals, so the table is
    /// static data: a computed one costs a lazy-initialization check on every use.
    static let doublePowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
    /// Exact powers of ten as Float (10^10 is the last exact one).
    static let floatPowers: [Float] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]
}

/// A float column's Swift type, with what the exact fast path of number conversion needs.
protocol _JSONFloatingPoint: BinaryFloatingPoint, LosslessStringConvertible {
    /// 10^0 up to the last power of ten the type holds exactly.
    static var exactPowersOfTen: [Self] { get }
    /// The largest mantissa every smaller one of which the type holds exactly (2^significand bits).
    static var exactMantissaLimit: UInt64 { get }
}

extension Double: _JSONFloatingPoint {
    static var exactPowersOfTen: [Double] { _JSON.doublePowers }
    static var exactMantissaLimit: UInt64 { 1 << 53 }
}

extension Float: _JSONFloatingPoint {
    static var exactPowersOfTen: [Float] { _JSON.floatPowers }
    static var exactMantissaLimit: UInt64 { 1 << 24 }
}

/// A scanned JSON number: its extent and, when it has at most 19 significant digits,
/// its exact value mantissa × 10^exponent.
struct _NumberScan {
    var start: Int
    var end: Int
    var negative: Bool
    var mantissa: UInt64
    var exponent: Int
    /// More than 19 significant digits: `mantissa` and `exponent` are not exact.
    var truncated: Bool
    /// No fraction and no exponent.
    var plain: Bool
}

extension _JSONBatchParser {
    /// The byte at `index`, or 0 past the end (0 is never valid outside strings).
    @inline(__always)
    func byte(_ index: Int) -> UInt8 { index < count ? input[index] : 0 }

    @inline(__always)
    mutating func skipWhitespace() {
        pos = whitespaceEnd(from: pos)
    }

    /// Moves past the `:` after an object key and the whitespace around it; `pos` is just
    /// after the key. A colon right after the key (the usual case) skips no whitespace scan.
    /// - Throws: `.malformedJSON` when no colon follows the key.
    @inline(__always)
    mutating func passColon() throws(ParquetError) {
        if byte(pos) != _JSON.colon {
            skipWhitespace()
            guard byte(pos) == _JSON.colon else { throw unexpected(at: pos, expected: "':' after the key") }
        }
        pos = whitespaceEnd(from: pos &+ 1)
    }

    @inline(__always)
    func whitespaceEnd(from start: Int) -> Int {
        var index = start
        while index < count {
            let byte = input[index]
            guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            index += 1
        }
        return index
    }

    @inline(__always)
    mutating func noteSoftIssue(_ issue: _SoftIssue, at offset: Int) {
        if softIssue == .none {
            softIssue = issue
            softOffset = offset
        }
    }

    // MARK: Strings

    /// Bytes of a word that end a fast run in a string: '"', '\\', controls, non-ASCII. The
    /// lowest flagged byte is exact (borrows only produce false flags above a true one).
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = word &- (ones &* 0x20)
        return (hasQuote | hasBackslash | hasControl | word) & highs
    }

    /// The end of the run of plain string bytes from `start`: the first '"', '\\', control or
    /// non-ASCII byte, or a point less than 8 bytes before the end of the input (the caller
    /// goes on byte by byte). Tests two words a step: the loop overhead is then shared.
    /// (SIMD16 compares were tried: Swift scalarizes them, 5x slower.)
    @inline(__always)
    func plainRunEnd(from start: Int) -> Int {
        let base = UnsafeRawPointer(input)
        let end = count
        var index = start
        @inline(__always) func word(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        while index &+ 16 <= end {
            let low = Self.specialBytes(word(index))
            let high = Self.specialBytes(word(index &+ 8))
            if low | high != 0 {
                if low != 0 { return index &+ low.trailingZeroBitCount &>> 3 }
                return index &+ 8 &+ high.trailingZeroBitCount &>> 3
            }
            index &+= 16
        }
        while index &+ 8 <= end {
            let special = Self.specialBytes(word(index))
            if special != 0 { return index &+ special.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        return index
    }

    /// Scans the content of a string from `start` (just past its opening quote) and returns
    /// the index of its closing quote. Validates escapes and UTF-8; raw control characters and
    /// broken escapes are malformed JSON, invalid UTF-8 and lone surrogates are soft issues.
    @inline(__always)
    mutating func scanString(from start: Int, escaped: inout Bool) throws(ParquetError) -> Int {
        var index = start
        while true {
            index = plainRunEnd(from: index)
            guard index < count else { throw malformed("unterminated string", at: count) }
            let byte = input[index]
            if byte == _JSON.quote { return index }
            if byte == _JSON.backslash {
                escaped = true
                index = try scanEscape(at: index)
            } else if byte >= 0x80 {
                let length = utf8SequenceLength(at: index)
                if length == 0 {
                    noteSoftIssue(.invalidUTF8, at: index)
                    index += 1
                } else {
                    index += length
                }
            } else if byte < 0x20 {
                throw malformed(
                    "control character \(_JSON.describeByte(byte)) must be escaped inside a string", at: index)
            } else {
                index += 1
            }
        }
    }

    /// The length of the valid UTF-8 sequence of 2...4 bytes at `index`, or 0.
    @inline(__always)
    func utf8SequenceLength(at index: Int) -> Int {
        let lead = input[index]
        @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            let at = index + offset
            return at < count && input[at] >= low && input[at] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xE1...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Validates the escape at `index` (its backslash) and returns the index after it.
    private mutating func scanEscape(at index: Int) throws(ParquetError) -> Int {
        let kind = byte(index + 1)
        switch kind {
        case _JSON.quote, _JSON.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: index + 2)
            if unit >= 0xD800 && unit <= 0xDBFF {
                if byte(index + 6) == _JSON.backslash && byte(index + 7) == UInt8(ascii: "u") {
                    let low = try hex4(at: index + 8)
                    if low >= 0xDC00 && low <= 0xDFFF { return index + 12 }
                }
                noteSoftIssue(.loneSurrogate, at: index)
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                noteSoftIssue(.loneSurrogate, at: index)
            }
            return index + 6
        default:
            if index + 1 >= count { throw malformed("unterminated string", at: count) }
            throw malformed("invalid escape '\\\(Character(Unicode.Scalar(kind)))' in a string", at: index)
        }
    }

    private func hex4(at index: Int) throws(ParquetError) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let digit = _hexValue(byte(index + offset))
            guard digit < 16 else {
                if index + offset >= count { throw malformed("unterminated string", at: count) }
                throw malformed("a \\u escape needs four hex digits", at: index + offset)
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Decodes validated string content `start..<end` into `output`; returns the byte count,
    /// which is at most `end - start`. Lone surrogates (reported before) become U+FFFD.
    func unescape(from start: Int, to end: Int, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var index = start
        var written = 0
        while index < end {
            let run: Int
            if let found = memchr(input + index, Int32(_JSON.backslash), end - index) {
                run = UnsafeRawPointer(found) - UnsafeRawPointer(input + index)
            } else {
                run = end - index
            }
            (output + written).update(from: input + index, count: run)
            written += run
            index += run
            guard index < end else { break }
            let kind = input[index + 1]
            index += 2
            var scalar: UInt32
            switch kind {
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                scalar = hex4Unchecked(at: index)
                index += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF && index + 6 <= end && input[index] == _JSON.backslash
                    && input[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4Unchecked(at: index + 2)
                    if low >= 0xDC00 && low <= 0xDFFF {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                if scalar >= 0xD800 && scalar <= 0xDFFF { scalar = 0xFFFD }
            default: scalar = UInt32(kind)  // '"', '\\', '/'
            }
            written += _encodeUTF8(scalar, into: output + written)
        }
        return written
    }

    @inline(__always)
    private func hex4Unchecked(at index: Int) -> UInt32 {
        _hexValue(input[index]) << 12 | _hexValue(input[index + 1]) << 8 | _hexValue(input[index + 2]) << 4
            | _hexValue(input[index + 3])
    }

    /// Decodes validated string content into the scratch buffer; returns the byte count.
    mutating func unescapeToScratch(from start: Int, to end: Int) -> Int {
        if end - start > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(end - start, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        return unescape(from: start, to: end, into: scratch)
    }

    /// Scans the object key at `keyStart` (its opening quote), leaving `pos` after it.
    /// - Returns: Its decoded text (in the input, or scratch memory valid until the next
    ///   escaped string) and whether it had escapes.
    /// - Throws: `.invalidValue` for a key that is not valid UTF-8 or has a lone surrogate,
    ///   `.malformedJSON` for one that is not a string.
    mutating func objectKey(at keyStart: Int) throws(ParquetError) -> (text: UnsafeRawBufferPointer, escaped: Bool) {
        softIssue = .none
        var escaped = false
        let end = try scanString(from: keyStart + 1, escaped: &escaped)
        pos = end + 1
        if softIssue != .none {
            throw ParquetError(
                .invalidValue,
                softIssue == .invalidUTF8 ? "an object key is not valid UTF-8" : "an object key has a lone surrogate escape",
                row: row, offset: softOffset)
        }
        if escaped {
            let length = unescapeToScratch(from: keyStart + 1, to: end)
            return (UnsafeRawBufferPointer(start: scratch, count: length), true)
        }
        return (UnsafeRawBufferPointer(start: input + keyStart + 1, count: end - keyStart - 1), false)
    }

    // MARK: Numbers and literals

    /// Scans a number at `start` (a '-' or a digit) by the JSON grammar.
    /// `mutating` though it changes nothing: called from the mutating parse methods, a
    /// non-mutating call copied the whole parser (392 bytes) first.
    @inline(__always)
    mutating func scanNumber(at start: Int) throws(ParquetError) -> _NumberScan {
        var index = start
        let negative = input[index] == _JSON.minus
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var truncated = false
        var exponent = 0
        let first = byte(index)
        if first == _JSON.zero {
            index += 1
            if _JSON.isDigit(byte(index)) { throw malformed("a number must not have leading zeros", at: index) }
        } else if _JSON.isDigit(first) {
            // Eight digits a step while they cannot pass 19; the rest one by one.
            while digits < 16 && index &+ 8 <= count {
                let chunk = leadingDigits(at: index)
                mantissa = mantissa &* _unsignedPowers[chunk.count] &+ chunk.value
                digits &+= chunk.count
                index &+= chunk.count
                if chunk.count < 8 { break }
            }
            while index < count {
                let digit = input[index] &- _JSON.zero
                guard digit < 10 else { break }
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    digits += 1
                } else {
                    truncated = true
                }
                index += 1
            }
        } else {
            throw unexpected(at: index, expected: "a digit")
        }
        var plain = true
        if byte(index) == UInt8(ascii: ".") {
            plain = false
            index += 1
            guard _JSON.isDigit(byte(index)) else {
                throw unexpected(at: index, expected: "a digit after the decimal point")
            }
            while index < count {
                let digit = input[index] &- _JSON.zero
                guard digit < 10 else { break }
                if mantissa == 0 && digit == 0 {
                    exponent -= 1
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    digits += 1
                    exponent -= 1
                } else {
                    truncated = true
                }
                index += 1
            }
        }
        let marker = byte(index)
        if marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            plain = false
            index += 1
            var exponentNegative = false
            let sign = byte(index)
            if sign == UInt8(ascii: "+") || sign == _JSON.minus {
                exponentNegative = sign == _JSON.minus
                index += 1
            }
            guard _JSON.isDigit(byte(index)) else { throw unexpected(at: index, expected: "a digit in the exponent") }
            var explicit = 0
            while index < count {
                let digit = input[index] &- _JSON.zero
                guard digit < 10 else { break }
                if explicit < 100_000_000 { explicit = explicit * 10 + Int(digit) }
                index += 1
            }
            exponent += exponentNegative ? -explicit : explicit
        }
        return _NumberScan(
            start: start, end: index, negative: negative, mantissa: mantissa, exponent: exponent,
            truncated: truncated, plain: plain)
    }

    /// The ASCII digits that start the 8 readable bytes at `index`: how many (0...8) and
    /// their value, found with a few word operations instead of a loop.
    @inline(__always)
    func leadingDigits(at index: Int) -> (count: Int, value: UInt64) {
        let word = UInt64(littleEndian: UnsafeRawPointer(input + index).loadUnaligned(as: UInt64.self))
        let values = word &- 0x3030_3030_3030_3030
        // A non-digit byte is ≥ 10 after the subtraction (or wrapped): flag its high bit.
        // Borrows and carries only run upward from a non-digit, so the lowest flag is exact.
        let flags = (values | (values &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080
        let count = flags.trailingZeroBitCount &>> 3
        guard count > 0 else { return (0, 0) }
        // Move the digits to the top (the zero bytes shifted in are leading zeros), then add
        // neighbours up: pairs, quads, then all eight.
        var digits = values &<< UInt64(64 &- 8 &* count)
        digits = (digits &* 10 &+ digits &>> 8) & 0x00FF_00FF_00FF_00FF
        digits = (digits &* 100 &+ digits &>> 16) & 0x0000_FFFF_0000_FFFF
        digits = (digits &* 10_000 &+ digits &>> 32) & 0xFFFF_FFFF
        return (count, digits)
    }

    /// The text of a scanned number.
    @inline(__always)
    func text(of number: _NumberScan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: input + number.start, count: number.end - number.start)
    }

    /// Checks the literal `true`, `false` or `null` at `start` and returns the index after it.
    /// `mutating` though it changes nothing: called from the mutating parse methods, a
    /// non-mutating call copied the whole parser (392 bytes) first.
    @inline(__always)
    mutating func literalEnd(at start: Int) throws(ParquetError) -> Int {
        // The usual case, a whole literal, compared as one word (`true` and `null`; `false`
        // as its last four bytes): a byte at a time this was about 25 instructions a value.
        if start &+ 5 <= count {
            let word = UInt32(littleEndian: UnsafeRawPointer(input + start).loadUnaligned(as: UInt32.self))
            if word == 0x6575_7274 || word == 0x6C6C_756E { return start &+ 4 }  // "true", "null"
            if word & 0xFF == 0x66 && UInt32(littleEndian: UnsafeRawPointer(input + (start &+ 1)).loadUnaligned(as: UInt32.self)) == 0x6573_6C61 {
                return start &+ 5  // "f" + "alse"
            }
        }
        let first = input[start]
        let literal: StaticString = first == UInt8(ascii: "t") ? "true" : first == UInt8(ascii: "f") ? "false" : "null"
        let length = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        for offset in 1..<length where byte(start + offset) != bytes[offset] {
            throw malformed("invalid literal, expected '\(literal)'", at: start + offset)
        }
        return start + length
    }

    // MARK: Skipping values

    /// Skips and validates one JSON value at `start` (no leading whitespace) without
    /// recursion; returns the index after it. Structural errors throw `.malformedJSON`;
    /// invalid UTF-8, lone surrogates and nesting deeper than `depthLimit` are soft issues.
    mutating func skipValue(from start: Int, depthLimit: Int) throws(ParquetError) -> Int {
        var index = start
        var depth = 0
        // Bit d-1 set: the container at depth d is an object. Levels past 64 spill to deepKinds.
        var kinds: UInt64 = 0

        @inline(__always) func isObject(_ depth: Int, _ kinds: UInt64, _ deep: [UInt64]) -> Bool {
            if depth <= 64 { return kinds >> UInt64(depth - 1) & 1 == 1 }
            let bit = depth - 65
            return deep[bit >> 6] >> UInt64(bit & 63) & 1 == 1
        }

        valueLoop: while true {
            let first = byte(index)
            switch first {
            case _JSON.openBrace, _JSON.openBracket:
                let object = first == _JSON.openBrace
                depth += 1
                if depth > depthLimit { noteSoftIssue(.tooDeep, at: index) }
                if depth <= 64 {
                    let bit: UInt64 = 1 << UInt64(depth - 1)
                    kinds = object ? kinds | bit : kinds & ~bit
                } else {
                    let bit = depth - 65
                    if bit >> 6 >= deepKinds.count { deepKinds.append(0) }
                    let mask: UInt64 = 1 << UInt64(bit & 63)
                    deepKinds[bit >> 6] = object ? deepKinds[bit >> 6] | mask : deepKinds[bit >> 6] & ~mask
                }
                index = whitespaceEnd(from: index + 1)
                if byte(index) == (object ? _JSON.closeBrace : _JSON.closeBracket) {
                    index += 1
                    depth -= 1
                } else {
                    if object { index = try memberValueStart(keyAt: index) }
                    continue valueLoop
                }
            case _JSON.quote:
                var escaped = false
                index = try scanString(from: index + 1, escaped: &escaped) + 1
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                index = try literalEnd(at: index)
            case _JSON.minus, _JSON.zero...UInt8(ascii: "9"):
                index = try scanNumber(at: index).end
            default:
                throw unexpected(at: index, expected: "a JSON value")
            }
            // After a value: close containers or move to the next element.
            while depth > 0 {
                index = whitespaceEnd(from: index)
                let object = isObject(depth, kinds, deepKinds)
                let next = byte(index)
                if next == _JSON.comma {
                    index = whitespaceEnd(from: index + 1)
                    if object { index = try memberValueStart(keyAt: index) }
                    continue valueLoop
                }
                guard next == (object ? _JSON.closeBrace : _JSON.closeBracket) else {
                    throw unexpected(at: index, expected: object ? "',' or '}' in an object" : "',' or ']' in an array")
                }
                index += 1
                depth -= 1
            }
            return index
        }
    }

    /// Scans `"key" :` at `index` and returns where the member's value starts.
    private mutating func memberValueStart(keyAt index: Int) throws(ParquetError) -> Int {
        guard byte(index) == _JSON.quote else { throw unexpected(at: index, expected: "a key string") }
        var escaped = false
        var next = whitespaceEnd(from: try scanString(from: index + 1, escaped: &escaped) + 1)
        guard byte(next) == _JSON.colon else { throw unexpected(at: next, expected: "':' after the key") }
        next = whitespaceEnd(from: next + 1)
        return next
    }
}

/// The value of a hex digit, or 16 and more for any other byte.
@inline(__always)
func _hexValue(_ byte: UInt8) -> UInt32 {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: 255
    }
}

/// Writes a scalar (not a surrogate) as UTF-8; returns the byte count.
@inline(__always)
func _encodeUTF8(_ scalar: UInt32, into output: UnsafeMutablePointer<UInt8>) -> Int {
    if scalar < 0x80 {
        output[0] = UInt8(scalar)
        return 1
    }
    if scalar < 0x800 {
        output[0] = UInt8(0xC0 | scalar >> 6)
        output[1] = UInt8(0x80 | scalar & 0x3F)
        return 2
    }
    if scalar < 0x10000 {
        output[0] = UInt8(0xE0 | scalar >> 12)
        output[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
        output[2] = UInt8(0x80 | scalar & 0x3F)
        return 3
    }
    output[0] = UInt8(0xF0 | scalar >> 18)
    output[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
    output[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
    output[3] = UInt8(0x80 | scalar & 0x3F)
    return 4
}
