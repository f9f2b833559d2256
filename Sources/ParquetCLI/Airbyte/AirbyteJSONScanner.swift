#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A small validating JSON scanner over one line of bytes: it finds where values start and
/// end without building them.
///
/// The envelope of an Airbyte message is read with it so a RECORD's `data` object (which can
/// be large) is only walked once, to find its end, and then copied as bytes into the
/// stream's batch; the writer's decoder parses it into columns later. The scanner checks the
/// JSON grammar fully (structure, strings and their escapes, numbers, literals) so a broken
/// line is reported as that line, and never reaches a batch where it would reject the
/// records around it. UTF-8 inside strings is not checked here: the writer reports invalid
/// UTF-8 per record.
///
/// Nesting is walked without recursion, so any depth fits in the line's own memory.
struct AirbyteJSONScanner {
    /// The line.
    let bytes: UnsafeRawBufferPointer

    /// Creates a scanner over `bytes`, which must outlive it.
    /// - Parameter bytes: The line, without its newline.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The byte at `index`, or 0 past the end (0 is never valid JSON outside a string, so
    /// the end of the line needs no separate test in the grammar's switches).
    @inline(__always)
    func byte(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// The index of the first non-whitespace byte at or after `index`.
    /// - Parameter index: Where to start.
    /// - Returns: An index in `index...bytes.count`.
    @inline(__always)
    func whitespaceEnd(from index: Int) -> Int {
        var index = index
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return index
            }
        }
        return index
    }

    /// Scans a string.
    /// - Parameter start: The index of its opening quote.
    /// - Returns: The index after its closing quote, and whether it has escapes.
    /// - Throws: `AirbyteScanError` for an unterminated string, a raw control character or a
    ///   broken escape.
    func stringEnd(from start: Int) throws(AirbyteScanError) -> (end: Int, escaped: Bool) {
        var index = start + 1
        var escaped = false
        let base = bytes.baseAddress!
        let count = bytes.count
        while true {
            // Eight bytes a step while none is a quote, a backslash or a control character:
            // string content is most of a record's bytes.
            while index &+ 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let special = Self.specialBytes(word)
                if special != 0 {
                    index &+= special.trailingZeroBitCount &>> 3
                    break
                }
                index &+= 8
            }
            guard index < count else { throw AirbyteScanError(message: "unterminated string", offset: count) }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return (index + 1, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                index = try escapeEnd(at: index)
            case 0..<0x20:
                throw AirbyteScanError(message: "a control character must be escaped inside a string", offset: index)
            default:
                index += 1
            }
        }
    }

    /// The high bit of each byte of `word` that is a quote, a backslash or below 0x20. The
    /// lowest flag is exact (borrows only make false flags above a true one), which is all
    /// ``stringEnd(from:)`` uses.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl) & 0x8080_8080_8080_8080
    }

    /// Checks the escape whose backslash is at `index`.
    /// - Returns: The index after it.
    /// - Throws: `AirbyteScanError` for an unknown escape or a `\u` without four hex digits.
    private func escapeEnd(at index: Int) throws(AirbyteScanError) -> Int {
        switch byte(index + 1) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            for offset in 2..<6 where Self.hexValue(byte(index + offset)) == nil {
                throw AirbyteScanError(message: "a \\u escape needs four hex digits", offset: index + offset)
            }
            return index + 6
        case 0:
            throw AirbyteScanError(message: "unterminated string", offset: bytes.count)
        default:
            throw AirbyteScanError(message: "invalid escape in a string", offset: index)
        }
    }

    /// The value of a hex digit.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Scans a number by the JSON grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    /// - Parameter start: Its first byte (a minus or a digit).
    /// - Returns: The index after it.
    /// - Throws: `AirbyteScanError` where the grammar breaks.
    func numberEnd(from start: Int) throws(AirbyteScanError) -> Int {
        var index = start
        @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
        @inline(__always) func digits(_ what: String) throws(AirbyteScanError) {
            guard isDigit(byte(index)) else { throw AirbyteScanError(message: "expected \(what)", offset: index) }
            while isDigit(byte(index)) { index += 1 }
        }
        if byte(index) == UInt8(ascii: "-") { index += 1 }
        if byte(index) == UInt8(ascii: "0") {
            index += 1
            if isDigit(byte(index)) {
                throw AirbyteScanError(message: "a number must not have leading zeros", offset: index)
            }
        } else {
            try digits("a digit")
        }
        if byte(index) == UInt8(ascii: ".") {
            index += 1
            try digits("a digit after the decimal point")
        }
        if byte(index) == UInt8(ascii: "e") || byte(index) == UInt8(ascii: "E") {
            index += 1
            if byte(index) == UInt8(ascii: "+") || byte(index) == UInt8(ascii: "-") { index += 1 }
            try digits("a digit in the exponent")
        }
        return index
    }

    /// Checks the literal (`true`, `false`, `null`) at `start`.
    /// - Returns: The index after it.
    /// - Throws: `AirbyteScanError` when the bytes are not the literal their first byte starts.
    private func literalEnd(from start: Int) throws(AirbyteScanError) -> Int {
        let literal: StaticString =
            switch byte(start) {
            case UInt8(ascii: "t"): "true"
            case UInt8(ascii: "f"): "false"
            default: "null"
            }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for offset in 1..<expected.count where byte(start + offset) != expected[offset] {
            throw AirbyteScanError(message: "invalid literal, expected '\(literal)'", offset: start + offset)
        }
        return start + expected.count
    }

    /// Skips one value, checking it.
    /// - Parameter start: Its first byte (no leading whitespace).
    /// - Returns: The index after it.
    /// - Throws: `AirbyteScanError` at the first byte that breaks the grammar.
    func valueEnd(from start: Int) throws(AirbyteScanError) -> Int {
        var index = start
        // One bit per open container, set for an object: the first 64 levels in a register,
        // deeper ones in `deep` (an empty array does not allocate, so a record's usual few
        // levels cost no allocation). Walking with this stack instead of recursion keeps deep
        // nesting from exhausting the thread's stack.
        var kinds: UInt64 = 0
        var deep: [UInt64] = []
        var depth = 0
        @inline(__always) func isObject(_ level: Int) -> Bool {
            if level <= 64 { return kinds >> UInt64(level - 1) & 1 == 1 }
            let bit = level - 65
            return deep[bit >> 6] >> UInt64(bit & 63) & 1 == 1
        }
        @inline(__always) func push(object: Bool) {
            if depth < 64 {
                let bit: UInt64 = 1 << UInt64(depth)
                kinds = object ? kinds | bit : kinds & ~bit
            } else {
                let bit = depth - 64
                if bit >> 6 == deep.count { deep.append(0) }
                let mask: UInt64 = 1 << UInt64(bit & 63)
                deep[bit >> 6] = object ? deep[bit >> 6] | mask : deep[bit >> 6] & ~mask
            }
            depth += 1
        }
        /// `"key" :` at `index`; returns where the member's value starts.
        func memberValueStart(_ index: Int) throws(AirbyteScanError) -> Int {
            guard byte(index) == UInt8(ascii: "\"") else {
                throw AirbyteScanError(message: "expected a key string", offset: index)
            }
            let colon = whitespaceEnd(from: try stringEnd(from: index).end)
            guard byte(colon) == UInt8(ascii: ":") else {
                throw AirbyteScanError(message: "expected ':' after the key", offset: colon)
            }
            return whitespaceEnd(from: colon + 1)
        }

        valueLoop: while true {
            switch byte(index) {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let object = byte(index) == UInt8(ascii: "{")
                push(object: object)
                index = whitespaceEnd(from: index + 1)
                if byte(index) == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1
                    depth -= 1
                } else {
                    if object { index = try memberValueStart(index) }
                    continue valueLoop
                }
            case UInt8(ascii: "\""):
                index = try stringEnd(from: index).end
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                index = try literalEnd(from: index)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                index = try numberEnd(from: index)
            case 0 where index >= bytes.count:
                throw AirbyteScanError(message: "unexpected end of line, expected a value", offset: index)
            default:
                throw AirbyteScanError(message: "expected a JSON value", offset: index)
            }
            // After a value: the next element, or the end of containers.
            while depth > 0 {
                index = whitespaceEnd(from: index)
                let object = isObject(depth)
                let next = byte(index)
                if next == UInt8(ascii: ",") {
                    index = whitespaceEnd(from: index + 1)
                    if object { index = try memberValueStart(index) }
                    continue valueLoop
                }
                guard next == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw AirbyteScanError(
                        message: object ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array",
                        offset: index)
                }
                index += 1
                depth -= 1
            }
            return index
        }
    }

    /// Walks an object's members, checking its structure; each member's value is handed to
    /// `member`, which scans it and says where it ends.
    /// - Parameters:
    ///   - start: The index of the object's `{`.
    ///   - member: Called per member with its key (the quotes' span, and whether the key has
    ///     escapes) and the index where its value starts; returns the index after the value.
    /// - Returns: The index after the object's `}`.
    /// - Throws: `AirbyteScanError` from the structure or from `member`.
    func objectEnd(
        from start: Int, member: (_ key: Range<Int>, _ keyEscaped: Bool, _ valueStart: Int) throws(AirbyteScanError) -> Int
    ) throws(AirbyteScanError) -> Int {
        var index = whitespaceEnd(from: start + 1)
        if byte(index) == UInt8(ascii: "}") { return index + 1 }
        while true {
            guard byte(index) == UInt8(ascii: "\"") else {
                throw AirbyteScanError(message: "expected a key string", offset: index)
            }
            let key = try stringEnd(from: index)
            let colon = whitespaceEnd(from: key.end)
            guard byte(colon) == UInt8(ascii: ":") else {
                throw AirbyteScanError(message: "expected ':' after the key", offset: colon)
            }
            index = whitespaceEnd(from: try member(index..<key.end, key.escaped, whitespaceEnd(from: colon + 1)))
            switch byte(index) {
            case UInt8(ascii: ","): index = whitespaceEnd(from: index + 1)
            case UInt8(ascii: "}"): return index + 1
            default: throw AirbyteScanError(message: "expected ',' or '}' in an object", offset: index)
            }
        }
    }

    /// Decodes the content of a string scanned by ``stringEnd(from:)``.
    /// - Parameters:
    ///   - start: The index of its opening quote.
    ///   - end: The index after its closing quote.
    /// - Returns: The text; a lone surrogate escape becomes U+FFFD, invalid UTF-8 is
    ///   replaced the same way.
    func decodeString(from start: Int, to end: Int) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(end - start)
        var index = start + 1
        let stop = end - 1
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | (Self.hexValue(bytes[at + $1]) ?? 0) }
        }
        while index < stop {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let kind = bytes[index + 1]
            index += 2
            var scalar: UInt32
            switch kind {
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                scalar = hex4(index)
                index += 4
                // A high surrogate followed by an escaped low one is one scalar.
                if (0xD800...0xDBFF).contains(scalar), index + 6 <= stop, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
            default: scalar = UInt32(kind)  // '"', '\\', '/'
            }
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            output.append(contentsOf: String(character).utf8)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether the string scanned at `start..<end` (quotes included) has the content `text`.
    /// - Parameters:
    ///   - start: The index of its opening quote.
    ///   - end: The index after its closing quote.
    ///   - escaped: Whether it has escapes (then it is decoded first).
    ///   - text: The content to compare with, unescaped.
    /// - Returns: Whether they are equal.
    func string(from start: Int, to end: Int, escaped: Bool, equals text: StaticString) -> Bool {
        if escaped { return decodeString(from: start, to: end) == text.description }
        let count = end - start - 2
        return count == text.utf8CodeUnitCount && memcmp(bytes.baseAddress! + start + 1, text.utf8Start, count) == 0
    }
}
