import Parquet

/// Converting one JSON value to a column's type, straight into its builder.
extension _JSONBatchParser {
    /// Parses the value at `pos` for `field`, appends it (or a null), and moves past it.
    mutating func value(for field: Int) throws(ParquetError) {
        let plan = plans[field]
        let start = pos
        let first = byte(start)
        if first == UInt8(ascii: "n") {
            pos = try literalEnd(at: start)
            guard plan.nullable else {
                throw columnError(
                    .missingValue, "null given for the non-nullable column '\(names[field])'", field, at: start)
            }
            if plan.nested {
                stages[field].appendAbsent(
                    definition: plan.level &- 1, repetition: stages[field].pendingRepetitionLevel)
            } else {
                stages[field].appendNull()
            }
            return
        }
        switch plan.kind {
        case .int64:
            guard first == _JSON.minus || _JSON.isDigit(first) else { throw mismatch(field, "a number", at: start) }
            let number = try scanNumber(at: start)
            pos = number.end
            if number.plain && !number.truncated {
                if !number.negative && number.mantissa <= UInt64(Int64.max) {
                    append(Int64(number.mantissa), field, plan)
                    return
                }
                if number.negative && number.mantissa <= UInt64(Int64.max) + 1 {
                    append(Int64(bitPattern: 0 &- number.mantissa), field, plan)
                    return
                }
            }
            let value = try exactInteger(number, field)
            append(Int64(try checked(value, Int128(Int64.min), Int128(Int64.max), field, number)), field, plan)
        case .smallInteger:
            // int32, int16, int8 (common enough to stay here): a plain number in range, at once.
            guard first == _JSON.minus || _JSON.isDigit(first) else { throw mismatch(field, "a number", at: start) }
            let number = try scanNumber(at: start)
            pos = number.end
            if number.plain && !number.truncated && number.mantissa <= UInt64(UInt32.max) {
                let value = number.negative ? -Int64(number.mantissa) : Int64(number.mantissa)
                if value >= plan.low && value <= plan.high {
                    append(Int32(truncatingIfNeeded: value), field, plan)
                    return
                }
            }
            let value = try exactInteger(number, field)
            append(Int32(try checked(value, Int128(plan.low), Int128(plan.high), field, number)), field, plan)
        case .float64:
            let value: Double = try floatingPointValue(field, first: first, at: start)
            present(field, plan)
            stages[field].doubles.append(value)
        case .boolean:
            guard first == UInt8(ascii: "t") || first == UInt8(ascii: "f") else {
                throw mismatch(field, "true or false", at: start)
            }
            pos = try literalEnd(at: start)
            present(field, plan)
            stages[field].booleans.append(first == UInt8(ascii: "t"))
        case .string:
            guard first == _JSON.quote else { throw mismatch(field, "a string", at: start) }
            try appendString(field, plan, at: start)
        case .timestamp:
            if first == _JSON.quote {
                let text = try stringContent(field, at: start)
                let instant = _TemporalText.timestamp(
                    text, perSecond: plan.perSecond, nanosecondsPerUnit: plan.nanosecondsPerUnit)
                guard instant.failure == .none else { throw temporalError(instant.failure, text, field, at: start) }
                append(instant.value, field, plan)
            } else {
                guard first == _JSON.minus || _JSON.isDigit(first) else {
                    throw mismatch(field, "an RFC 3339 timestamp string or a number", at: start)
                }
                let number = try scanNumber(at: start)
                pos = number.end
                let value = try exactInteger(number, field)
                append(Int64(try checked(value, Int128(Int64.min), Int128(Int64.max), field, number)), field, plan)
            }
        default:
            try uncommonValue(for: field, plan, first: first, at: start)
        }
    }

    /// The column kinds `value(for:)` does not take inline, kept out of it so that its
    /// frame stays small for the common kinds.
    @inline(never)
    private mutating func uncommonValue(
        for field: Int, _ plan: _ColumnPlan, first: UInt8, at start: Int
    ) throws(ParquetError) {
        switch plan.kind {
        case .uint32:
            guard first == _JSON.minus || _JSON.isDigit(first) else { throw mismatch(field, "a number", at: start) }
            let number = try scanNumber(at: start)
            pos = number.end
            let value = try exactInteger(number, field)
            let wide = try checked(value, 0, Int128(UInt32.max), field, number)
            append(Int32(bitPattern: UInt32(wide)), field, plan)
        case .uint64:
            guard first == _JSON.minus || _JSON.isDigit(first) else { throw mismatch(field, "a number", at: start) }
            let number = try scanNumber(at: start)
            pos = number.end
            let value = try exactInteger(number, field)
            let wide = try checked(value, 0, Int128(UInt64.max), field, number)
            append(Int64(bitPattern: UInt64(wide)), field, plan)
        case .float32:
            let value: Float = try floatingPointValue(field, first: first, at: start)
            present(field, plan)
            stages[field].floats.append(value)
        case .json:
            softIssue = .none
            let end = try skipValue(from: start, depthLimit: maximumDepth)
            pos = end
            guard softIssue == .none else {
                throw columnError(
                    softIssue == .tooDeep ? .limitExceeded : .invalidValue,
                    "the value for json column '\(names[field])' \(softIssueDescription)", field, at: softOffset)
            }
            try appendBytes(UnsafeRawBufferPointer(start: input + start, count: end - start), field, plan, at: start)
        case .binary, .fixedBinary:
            guard first == _JSON.quote else { throw mismatch(field, "a base64 string", at: start) }
            let text = try stringContent(field, at: start)
            try appendBase64(text, field, plan, at: start)
        case .uuid:
            guard first == _JSON.quote else { throw mismatch(field, "a UUID string", at: start) }
            let text = try stringContent(field, at: start)
            guard let uuid = UUIDText.parse(text) else {
                throw columnError(
                    .invalidValue, "\(_quoted(text)) is not a UUID (8-4-4-4-12 hex digits) for uuid column '\(names[field])'",
                    field, at: start)
            }
            present(field, plan)
            withUnsafeBytes(of: uuid) { stages[field].bytes.append(bytes: $0) }
        case .date:
            if first == _JSON.quote {
                let text = try stringContent(field, at: start)
                let days = _TemporalText.date(text)
                guard days.failure == .none else { throw temporalError(days.failure, text, field, at: start) }
                append(Int32(days.value), field, plan)
            } else {
                guard first == _JSON.minus || _JSON.isDigit(first) else {
                    throw mismatch(field, "a date string (YYYY-MM-DD) or a number of days", at: start)
                }
                let number = try scanNumber(at: start)
                pos = number.end
                let value = try exactInteger(number, field)
                append(Int32(try checked(value, Int128(Int32.min), Int128(Int32.max), field, number)), field, plan)
            }
        case .time32, .time64:
            let value: Int64
            if first == _JSON.quote {
                let text = try stringContent(field, at: start)
                let time = _TemporalText.timeOfDay(text, nanosecondsPerUnit: plan.nanosecondsPerUnit)
                guard time.failure == .none else { throw temporalError(time.failure, text, field, at: start) }
                value = time.value
            } else {
                guard first == _JSON.minus || _JSON.isDigit(first) else {
                    throw mismatch(field, "a time string (HH:MM:SS[.fraction]) or a number", at: start)
                }
                let number = try scanNumber(at: start)
                pos = number.end
                let exact = try exactInteger(number, field)
                // A time of day: the type's range, [0, 86400 s) in the unit (DataType.integerRange).
                value = Int64(try checked(exact, Int128(plan.low), Int128(plan.high), field, number))
            }
            if plan.kind == .time32 { append(Int32(value), field, plan) } else { append(value, field, plan) }
        case .decimal:
            let text: UnsafeRawBufferPointer
            if first == _JSON.quote {
                text = try stringContent(field, at: start)
                if let (negative, mantissa, exponent) = _simpleDecimal(text),
                    let unscaled = Self.fastUnscaled(negative, mantissa, exponent, plan)
                {
                    appendDecimal(unscaled, field, plan)
                    return
                }
            } else {
                guard first == _JSON.minus || _JSON.isDigit(first) else {
                    throw mismatch(field, "a number or a decimal string", at: start)
                }
                let number = try scanNumber(at: start)
                pos = number.end
                if !number.truncated,
                    let unscaled = Self.fastUnscaled(number.negative, number.mantissa, number.exponent, plan)
                {
                    appendDecimal(unscaled, field, plan)
                    return
                }
                text = self.text(of: number)
            }
            guard let unscaled = DecimalText.parse(text, scale: plan.scale) else {
                throw decimalError(text, field, plan, at: start)
            }
            guard stages[field].appendUnscaledDecimal(unscaled, precision: plan.precision) else {
                throw columnError(
                    .valueOutOfRange,
                    "\(_quoted(text)) has more than \(plan.precision) digits for \(typeLabel(field)) column '\(names[field])'",
                    field, at: start)
            }
            present(field, plan)
        default:
            preconditionFailure("value(for:) takes the common kinds")
        }
    }

    // MARK: Decimals

    /// The unscaled value of ±mantissa × 10^exponent for a decimal column stored as INT32 or
    /// INT64, when it is exact and within the precision; nil sends the value to the general
    /// (and error-reporting) path.
    @inline(__always)
    private static func fastUnscaled(_ negative: Bool, _ mantissa: UInt64, _ exponent: Int, _ plan: _ColumnPlan) -> Int64? {
        guard plan.precision <= 18 else { return nil }
        let shift = exponent + plan.scale
        var magnitude: UInt64
        if shift >= 0 {
            guard shift <= 18 else { return mantissa == 0 ? 0 : nil }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: _unsignedPowers[shift])
            guard !overflow else { return nil }
            magnitude = product
        } else {
            guard -shift <= 19 else { return mantissa == 0 ? 0 : nil }
            let divisor = _unsignedPowers[-shift]
            guard mantissa % divisor == 0 else { return nil }
            magnitude = mantissa / divisor
        }
        guard magnitude < _unsignedPowers[plan.precision] else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    @inline(__always)
    private mutating func appendDecimal(_ unscaled: Int64, _ field: Int, _ plan: _ColumnPlan) {
        if plan.precision <= 9 {
            append(Int32(truncatingIfNeeded: unscaled), field, plan)
        } else {
            append(unscaled, field, plan)
        }
    }

    // MARK: Appending

    // The appenders are `mutating` though they only write through `stages`: called from
    // the mutating parse methods, a non-mutating call copied the whole parser first.

    @inline(__always)
    private mutating func present(_ field: Int, _ plan: _ColumnPlan) {
        if plan.nested {
            stages[field].appendPresent()
            return
        }
        if plan.nullable { stages[field].definitionLevels.append(plan.level) }
        stages[field].rowCount &+= 1
    }

    @inline(__always)
    private mutating func append(_ value: Int64, _ field: Int, _ plan: _ColumnPlan) {
        present(field, plan)
        stages[field].int64s.append(value)
    }

    @inline(__always)
    private mutating func append(_ value: Int32, _ field: Int, _ plan: _ColumnPlan) {
        present(field, plan)
        stages[field].int32s.append(value)
    }

    /// Appends a BYTE_ARRAY value.
    @inline(__always)
    private mutating func appendBytes(
        _ value: UnsafeRawBufferPointer, _ field: Int, _ plan: _ColumnPlan, at start: Int
    ) throws(ParquetError) {
        guard value.count <= ColumnBuilder.maximumValueBytes else { throw tooLarge(value.count, field, at: start) }
        present(field, plan)
        stages[field].bytes.append(bytes: value)
        stages[field].endByteArrayValue()
    }

    /// A string value unescaped straight into the column's bytes.
    @inline(__always)
    private mutating func appendString(_ field: Int, _ plan: _ColumnPlan, at start: Int) throws(ParquetError) {
        softIssue = .none
        var escaped = false
        let end = try scanString(from: start + 1, escaped: &escaped)
        pos = end + 1
        if softIssue != .none { throw stringIssue(field, at: softOffset) }
        let length = end - start - 1
        if !escaped {
            let words = (length + 7) & ~7
            guard length <= 128 && start + 1 + words <= count else {
                try appendBytes(UnsafeRawBufferPointer(start: input + start + 1, count: length), field, plan, at: start)
                return
            }
            // Short values: copy whole words (the input goes on past the value, and the
            // reservation covers the rounded-up length) instead of calling memmove.
            let source = UnsafeRawPointer(input + start + 1)
            let output = stages[field].bytes.reserve(words)
            var offset = 0
            while offset < length {
                let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                output.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
                offset &+= 8
            }
            stages[field].bytes.didAppend(length)
            stages[field].endByteArrayValue()
            present(field, plan)
            return
        }
        guard length <= ColumnBuilder.maximumValueBytes else { throw tooLarge(length, field, at: start) }
        let output = stages[field].bytes.reserve(length).assumingMemoryBound(to: UInt8.self)
        stages[field].bytes.didAppend(unescape(from: start + 1, to: end, into: output))
        stages[field].endByteArrayValue()
        present(field, plan)
    }

    /// Decodes padded standard base64 into a binary or fixed_binary column.
    private mutating func appendBase64(
        _ text: UnsafeRawBufferPointer, _ field: Int, _ plan: _ColumnPlan, at start: Int
    ) throws(ParquetError) {
        guard let length = _Base64.decodedLength(text) else {
            throw columnError(
                .invalidValue,
                "\(_quoted(text)) is not base64 for \(typeLabel(field)) column '\(names[field])'"
                    + " (its length must be a multiple of 4, padded with '=')",
                field, at: start)
        }
        if plan.kind == .fixedBinary && length != plan.fixedLength {
            throw columnError(
                .invalidValue,
                "base64 text decodes to \(length) bytes; \(typeLabel(field)) column '\(names[field])'"
                    + " takes exactly \(plan.fixedLength)",
                field, at: start)
        }
        guard length <= ColumnBuilder.maximumValueBytes else { throw tooLarge(length, field, at: start) }
        let output = stages[field].bytes.reserve(length).assumingMemoryBound(to: UInt8.self)
        guard _Base64.decode(text, into: output) else {
            throw columnError(
                .invalidValue,
                "\(_quoted(text)) is not base64 for \(typeLabel(field)) column '\(names[field])'"
                    + " (standard alphabet A-Z a-z 0-9 + /, padded with '=')",
                field, at: start)
        }
        stages[field].bytes.didAppend(length)
        if plan.kind == .binary { stages[field].endByteArrayValue() }
        present(field, plan)
    }

    /// The decoded text of the string at `start`: the input itself, or scratch memory valid
    /// until the next string with escapes. Moves past the string.
    private mutating func stringContent(_ field: Int, at start: Int) throws(ParquetError) -> UnsafeRawBufferPointer {
        softIssue = .none
        var escaped = false
        let end = try scanString(from: start + 1, escaped: &escaped)
        pos = end + 1
        if softIssue != .none { throw stringIssue(field, at: softOffset) }
        if !escaped { return UnsafeRawBufferPointer(start: input + start + 1, count: end - start - 1) }
        let length = unescapeToScratch(from: start + 1, to: end)
        return UnsafeRawBufferPointer(start: scratch, count: length)
    }

    /// "NaN", "Infinity" or "-Infinity" for a float column.
    private mutating func nonFiniteFloat(_ field: Int, at start: Int) throws(ParquetError) -> Double {
        let text = try stringContent(field, at: start)
        if _equals(text, "NaN") { return .nan }
        if _equals(text, "Infinity") { return .infinity }
        if _equals(text, "-Infinity") { return -.infinity }
        throw columnError(
            .typeMismatch,
            "expected a number (or \"NaN\", \"Infinity\", \"-Infinity\") for \(typeLabel(field)) column"
                + " '\(names[field])', found the string \(_quoted(text))",
            field, at: start)
    }

    // MARK: Numbers

    /// The exact integer a number denotes: plain integers directly, others (fraction,
    /// exponent, 20+ digits) through exact decimal arithmetic. Never through Double.
    @inline(__always)
    private func exactInteger(_ number: _NumberScan, _ field: Int) throws(ParquetError) -> Int128 {
        if number.plain && !number.truncated {
            return number.negative ? -Int128(number.mantissa) : Int128(number.mantissa)
        }
        return try slowExactInteger(number, field)
    }

    private func slowExactInteger(_ number: _NumberScan, _ field: Int) throws(ParquetError) -> Int128 {
        let text = self.text(of: number)
        if let value = DecimalText.parse(text, scale: 0) { return value }
        // Not exact in 38 digits: either too large for any column or not a whole number.
        let approximate = Double(String(decoding: text, as: UTF8.self)) ?? .infinity
        if abs(approximate) >= 1e38 { throw outOfRange(number, field) }
        throw columnError(
            .invalidValue, "\(_quoted(text)) is not a whole number for \(typeLabel(field)) column '\(names[field])'",
            field, at: number.start)
    }

    @inline(__always)
    private func checked(
        _ value: Int128, _ low: Int128, _ high: Int128, _ field: Int, _ number: _NumberScan
    ) throws(ParquetError) -> Int128 {
        guard value >= low && value <= high else { throw outOfRange(number, field, low, high) }
        return value
    }

    /// The value of a float32/float64 column at `start`: a finite number, or the strings
    /// "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
    @inline(__always)
    private mutating func floatingPointValue<F: _JSONFloatingPoint>(
        _ field: Int, first: UInt8, at start: Int
    ) throws(ParquetError) -> F {
        if first == _JSON.quote { return F(try nonFiniteFloat(field, at: start)) }
        guard first == _JSON.minus || _JSON.isDigit(first) else { throw mismatch(field, "a number", at: start) }
        let number = try scanNumber(at: start)
        pos = number.end
        let value: F = correctlyRounded(number)
        guard value.isFinite else { throw outOfRange(number, field) }
        return value
    }

    /// The correctly rounded value of a number in `F`, converted straight from the text (a
    /// Float is not rounded through a Double: no double rounding): exact fast path (Clinger)
    /// when the mantissa and the power of ten are both exact in `F`, else the standard
    /// library's correctly rounded parser.
    @inline(__always)
    private func correctlyRounded<F: _JSONFloatingPoint>(_ number: _NumberScan) -> F {
        if !number.truncated {
            if number.mantissa == 0 { return number.negative ? -0.0 : 0.0 }
            let powers = F.exactPowersOfTen
            if number.mantissa <= F.exactMantissaLimit && number.exponent > -powers.count && number.exponent < powers.count {
                var value = F(number.mantissa)
                value = number.exponent < 0 ? value / powers[-number.exponent] : value * powers[number.exponent]
                return number.negative ? -value : value
            }
        }
        return F(String(decoding: text(of: number), as: UTF8.self)) ?? .nan
    }

    // MARK: Errors

    func columnError(_ code: ParquetError.Code, _ message: String, _ field: Int, at offset: Int) -> ParquetError {
        ParquetError(code, message, column: names[field], row: row, offset: offset)
    }

    /// The column's type as messages show it: `int64`, `decimal(10,2)`, `fixed_binary(16)`.
    func typeLabel(_ field: Int) -> String {
        switch types[field] {
        case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
        case .fixedBinary(let length): "fixed_binary(\(length))"
        case .timestamp(let unit, let utc): "timestamp_\(unit.rawValue)\(utc ? "" : " (local)")"
        default: types[field].name
        }
    }

    private func mismatch(_ field: Int, _ expected: String, at offset: Int) -> ParquetError {
        let first = byte(offset)
        guard _JSON.startsValue(first) else { return unexpected(at: offset, expected: "a JSON value") }
        return columnError(
            .typeMismatch,
            "expected \(expected) for \(typeLabel(field)) column '\(names[field])', found \(_JSON.describeValue(first))",
            field, at: offset)
    }

    private func outOfRange(_ number: _NumberScan, _ field: Int, _ low: Int128? = nil, _ high: Int128? = nil) -> ParquetError {
        let range = low.map { " (\($0)...\(high!))" } ?? ""
        return columnError(
            .valueOutOfRange,
            "\(_quoted(text(of: number))) is out of range for \(typeLabel(field)) column '\(names[field])'\(range)",
            field, at: number.start)
    }

    private func tooLarge(_ length: Int, _ field: Int, at offset: Int) -> ParquetError {
        columnError(
            .limitExceeded,
            "a value of \(length) bytes for column '\(names[field])' exceeds the \(ColumnBuilder.maximumValueBytes)-byte limit",
            field, at: offset)
    }

    private func stringIssue(_ field: Int, at offset: Int) -> ParquetError {
        columnError(
            .invalidValue,
            softIssue == .invalidUTF8
                ? "the string for \(typeLabel(field)) column '\(names[field])' holds bytes that are not valid UTF-8"
                : "the string for \(typeLabel(field)) column '\(names[field])' has a \\u escape of a lone UTF-16 surrogate",
            field, at: offset)
    }

    private func temporalError(
        _ failure: _TemporalText.Failure, _ text: UnsafeRawBufferPointer, _ field: Int, at offset: Int
    ) -> ParquetError {
        let form: String
        switch types[field] {
        case .date: form = "a date YYYY-MM-DD"
        case .time: form = "a time of day HH:MM:SS[.fraction]"
        default: form = "an RFC 3339 timestamp YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]"
        }
        let subject = "\(_quoted(text)) for \(typeLabel(field)) column '\(names[field])'"
        switch failure {
        case .none, .syntax:
            return columnError(.invalidValue, "\(subject) is not \(form)", field, at: offset)
        case .invalidDate:
            return columnError(.invalidValue, "\(subject) is not a valid calendar date", field, at: offset)
        case .invalidTime:
            return columnError(.invalidValue, "\(subject) is not a valid time of day", field, at: offset)
        case .invalidOffset:
            return columnError(.invalidValue, "\(subject) has an invalid UTC offset", field, at: offset)
        case .precision:
            return columnError(
                .invalidValue, "\(subject) has more fractional digits than the column's unit holds; it would lose precision",
                field, at: offset)
        case .range:
            return columnError(.valueOutOfRange, "\(subject) is out of the column's range", field, at: offset)
        }
    }

    private func decimalError(
        _ text: UnsafeRawBufferPointer, _ field: Int, _ plan: _ColumnPlan, at offset: Int
    ) -> ParquetError {
        let subject = "\(_quoted(text)) for \(typeLabel(field)) column '\(names[field])'"
        // DecimalText refuses text that is not a number, has more fractional digits than the
        // scale, or needs more than 38 digits.
        guard _looksNumeric(text) else {
            return columnError(.invalidValue, "\(subject) is not a decimal number", field, at: offset)
        }
        if let approximate = Double(String(decoding: text, as: UTF8.self)),
            abs(approximate) * _pow10(plan.scale) >= 1e38
        {
            return columnError(.valueOutOfRange, "\(subject) has more than \(plan.precision) digits", field, at: offset)
        }
        return columnError(
            .invalidValue, "\(subject) has more than \(plan.scale) fractional digits; it would lose precision",
            field, at: offset)
    }
}

/// 10^0 ... 10^19. Literals, so the table is static data (no lazy-initialization check).
let _unsignedPowers: [UInt64] = [
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
    1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000,
    1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
]

/// `-?digits[.digits]` with at most 19 significant digits as ±mantissa × 10^exponent; nil for
/// anything else (left to `DecimalText`).
@inline(__always)
func _simpleDecimal(_ text: UnsafeRawBufferPointer) -> (Bool, UInt64, Int)? {
    var index = 0
    let count = text.count
    let negative = count > 0 && text[0] == _JSON.minus
    if negative { index = 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    var point = false
    var sawDigit = false
    while index < count {
        let byte = text[index]
        let digit = byte &- _JSON.zero
        if digit < 10 {
            sawDigit = true
            if mantissa != 0 || digit != 0 {
                guard digits < 19 else { return nil }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits += 1
            }
            if point { exponent -= 1 }
        } else if byte == UInt8(ascii: ".") && !point {
            point = true
        } else {
            return nil
        }
        index += 1
    }
    return sawDigit ? (negative, mantissa, exponent) : nil
}

/// Whether `text` is `[+-]digits[.digits][e[+-]digits]` (some digit present).
func _looksNumeric(_ text: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    if index < text.count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) { index += 1 }
    var digits = 0
    var point = false
    while index < text.count {
        let byte = text[index]
        if _JSON.isDigit(byte) {
            digits += 1
        } else if byte == UInt8(ascii: ".") && !point {
            point = true
        } else {
            break
        }
        index += 1
    }
    guard digits > 0 else { return false }
    if index < text.count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) {
        index += 1
        if index < text.count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) { index += 1 }
        var exponentDigits = 0
        while index < text.count && _JSON.isDigit(text[index]) {
            exponentDigits += 1
            index += 1
        }
        guard exponentDigits > 0 else { return false }
    }
    return index == text.count
}

func _pow10(_ exponent: Int) -> Double {
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
}

/// Whether the bytes are the ASCII text `literal`.
@inline(__always)
func _equals(_ text: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    guard text.count == literal.utf8CodeUnitCount else { return false }
    let bytes = literal.utf8Start
    for index in 0..<text.count where text[index] != bytes[index] { return false }
    return true
}

/// Text for messages, quoted and shortened to 64 bytes.
func _quoted(_ text: UnsafeRawBufferPointer) -> String {
    let shown = text.count > 64 ? UnsafeRawBufferPointer(rebasing: text[0..<64]) : text
    return "\"\(String(decoding: shown, as: UTF8.self))\(text.count > 64 ? "…" : "")\""
}
