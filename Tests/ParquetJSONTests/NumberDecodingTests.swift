import Testing
@testable import Parquet
@testable import ParquetJSON

@Suite struct IntegerDecodingTests {
    @Test func int64Extremes() throws {
        let schema = single(.int64)
        var builders = makeBuilders(schema)
        try decode(
            """
            {"v": 9223372036854775807}
            {"v": -9223372036854775808}
            {"v": 0}
            {"v": -0}
            {"v": 1.0}
            {"v": 1e3}
            {"v": 12.50e1}
            {"v": 1E2}
            {"v": 0.0000e5}
            {"v": 9.223372036854775807e18}
            {"v": -42}
            """, schema, into: &builders)
        #expect(builders[0].int64s == [.max, .min, 0, 0, 1, 1000, 125, 100, 0, .max, -42])
        #expect(builders[0].definitionLevels == Array(repeating: 1, count: 11))
        checkConsistent(builders, rows: 11)
    }

    @Test func int64Rejections() {
        #expect(oneError("9223372036854775808", .int64)?.code == .valueOutOfRange)
        #expect(oneError("-9223372036854775809", .int64)?.code == .valueOutOfRange)
        #expect(oneError("1e19", .int64)?.code == .valueOutOfRange)
        #expect(oneError("1e400", .int64)?.code == .valueOutOfRange)
        #expect(oneError("123456789012345678901234567890123456789012", .int64)?.code == .valueOutOfRange)
        let fraction = oneError("1.5", .int64)
        #expect(fraction?.code == .invalidValue)
        #expect(fraction?.column == "v")
        #expect(fraction?.offset == 6)
        #expect(fraction?.row == 0)
        #expect(oneError("1e-400", .int64)?.code == .invalidValue)
        let text = oneError("\"1\"", .int64)
        #expect(text?.code == .typeMismatch)
        #expect(text?.message == "expected a number for int64 column 'v', found a string")
        #expect(text?.offset == 6)
        #expect(oneError("true", .int64)?.code == .typeMismatch)
        #expect(oneError("[1]", .int64)?.code == .typeMismatch)
        #expect(oneError("{}", .int64)?.code == .typeMismatch)
    }

    /// Zero with any exponent is exactly zero (issue 11, finding 5: "0e99999999" was "not a
    /// whole number"); other huge exponents are still out of range or not whole.
    @Test func zeroWithAHugeExponentIsZero() throws {
        let d9 = DataType.decimal(precision: 9, scale: 2)
        let d38 = DataType.decimal(precision: 38, scale: 10)
        for text in ["0e99999999", "-0e99999999", "0.000e+99999999999999999999", "0E-99999999", "0.0e1000"] {
            for type in [DataType.int64, .int32, .uint64, .int8, .time(.milliseconds), .timestamp(.microseconds)] {
                let builder = try decodeOne(text, type)
                #expect(builder.int64s + builder.int32s.map(Int64.init) == [0], "\(text) \(type)")
            }
            #expect(try decodeOne(text, d9).int32s == [0], "\(text)")
            #expect(try decodeOne("\"\(text)\"", d9).int32s == [0], "\(text)")
            #expect(try decodeOne(text, d38).bytes.bytes.allSatisfy { $0 == 0 }, "\(text)")
            #expect(try decodeOne(text, .float64).doubles == [0], "\(text)")
        }
        #expect(oneError("1e99999999", .int64)?.code == .valueOutOfRange)
        #expect(oneError("1e-99999999", .int64)?.code == .invalidValue)
        #expect(oneError("1e99999999999999999999", d9)?.code == .valueOutOfRange)
        #expect(oneError("1e-99999999999999999999", d9)?.code == .invalidValue)
        #expect(oneError("0e", .int64)?.code == .malformedJSON)
    }

    @Test func uint64IsExact() throws {
        let schema = single(.uint64)
        var builders = makeBuilders(schema)
        try decode(
            """
            {"v": 18446744073709551615}
            {"v": 18446744073709551614}
            {"v": 9223372036854775808}
            {"v": 1.8446744073709551615e19}
            {"v": 0}
            """, schema, into: &builders)
        #expect(builders[0].int64s.map { UInt64(bitPattern: $0) } == [.max, .max - 1, 1 << 63, .max, 0])
        #expect(oneError("18446744073709551616", .uint64)?.code == .valueOutOfRange)
        #expect(oneError("-1", .uint64)?.code == .valueOutOfRange)
    }

    @Test func narrowIntegerRanges() throws {
        let cases: [(DataType, Int64, Int64)] = [
            (.int8, -128, 127), (.int16, -32768, 32767), (.int32, Int64(Int32.min), Int64(Int32.max)),
            (.uint8, 0, 255), (.uint16, 0, 65535), (.uint32, 0, Int64(UInt32.max)),
        ]
        for (type, low, high) in cases {
            let schema = single(type)
            var builders = makeBuilders(schema)
            try decode("{\"v\": \(low)}\n{\"v\": \(high)}\n{\"v\": \(high).0}", schema, into: &builders)
            let expected = [low, high, high].map { Int32(truncatingIfNeeded: $0) }
            #expect(builders[0].int32s == expected, "\(type)")
            #expect(oneError("\(high + 1)", type)?.code == .valueOutOfRange, "\(type)")
            #expect(oneError("\(low - 1)", type)?.code == .valueOutOfRange, "\(type)")
            let message = oneError("\(high + 1)", type)?.message ?? ""
            #expect(message.contains("out of range for \(type.name) column 'v'"), "\(message)")
        }
    }
}

@Suite struct FloatDecodingTests {
    static let tricky = [
        "0", "1", "-1", "1.5", "0.1", "0.2", "0.30000000000000004", "123.456", "123.456e-2", "2.5e-5", "1e22",
        "1e23", "1E22", "9007199254740993", "9007199254740992", "18446744073709551615",
        "123456789012345678901234567890", "1e308", "1.7976931348623157e308", "2.2250738585072014e-308",
        "2.2250738585072011e-308", "4.9e-324", "5e-324", "2.4703282292062328e-324", "1e-400", "3.14159265358979323846",
        "0.000001", "1234567.891", "-0.5e-10", "7.0e-10", "1.00000000000000011102230246251565404236316680908203125",
        "89255.0e-22", "8.589973e9",
    ]

    @Test func doublesAreCorrectlyRounded() throws {
        let schema = single(.float64)
        var builders = makeBuilders(schema)
        try decode(Self.tricky.map { "{\"v\": \($0)}" }.joined(separator: "\n"), schema, into: &builders)
        #expect(builders[0].doubles.count == Self.tricky.count)
        for (index, text) in Self.tricky.enumerated() {
            #expect(builders[0].doubles[index].bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    @Test func floatsAreCorrectlyRounded() throws {
        let schema = single(.float32)
        var builders = makeBuilders(schema)
        let texts = Self.tricky.filter { Float($0)!.isFinite } + ["3.4028235e38", "1.17549435e-38", "1e-45", "16777217"]
        try decode(texts.map { "{\"v\": \($0)}" }.joined(separator: "\n"), schema, into: &builders)
        for (index, text) in texts.enumerated() {
            #expect(builders[0].floats[index].bitPattern == Float(text)!.bitPattern, "\(text)")
        }
        #expect(oneError("1e39", .float32)?.code == .valueOutOfRange)
    }

    @Test func negativeZeroAndSpecialStrings() throws {
        let schema = single(.float64)
        var builders = makeBuilders(schema)
        try decode(
            #"[{"v": -0.0}, {"v": -0}, {"v": "NaN"}, {"v": "Infinity"}, {"v": "-Infinity"}, {"v": 1e308}, {"v": null}]"#,
            schema, into: &builders)
        let values = builders[0].doubles
        #expect(values.count == 6)
        #expect(values[0] == 0 && values[0].sign == .minus)
        #expect(values[1] == 0 && values[1].sign == .minus)
        #expect(values[2].isNaN)
        #expect(values[3] == .infinity)
        #expect(values[4] == -.infinity)
        #expect(values[5] == 1e308)
        #expect(builders[0].definitionLevels == [1, 1, 1, 1, 1, 1, 0])

        let float = try decodeOne(#""-Infinity""#, .float32)
        #expect(float.floats == [-.infinity])
        #expect(oneError("1e309", .float64)?.code == .valueOutOfRange)
        #expect(oneError("-1e309", .float64)?.code == .valueOutOfRange)
        #expect(oneError(#""nan""#, .float64)?.code == .typeMismatch)
        #expect(oneError(#""1.5""#, .float64)?.code == .typeMismatch)
        #expect(oneError("true", .float64)?.code == .typeMismatch)
    }
}

@Suite struct BooleanAndDecimalDecodingTests {
    @Test func booleans() throws {
        let schema = single(.boolean)
        var builders = makeBuilders(schema)
        try decode(#"{"v":true}{"v":false}{"v":null}{}"#, schema, into: &builders)
        #expect(builders[0].booleans == [true, false])
        #expect(builders[0].definitionLevels == [1, 1, 0, 0])
        #expect(oneError("1", .boolean)?.code == .typeMismatch)
        #expect(oneError(#""true""#, .boolean)?.code == .typeMismatch)
        #expect(oneError("tru", .boolean)?.code == .malformedJSON)
        #expect(oneError("True", .boolean)?.code == .malformedJSON)
        // Literals are compared a word at a time where 5 bytes are readable from their start,
        // else byte by byte (a literal cut short by the end of the input): the same values
        // and the same errors, at the same offsets, either way.
        #expect(oneError("trux", .boolean)?.code == .malformedJSON)
        #expect(oneError("fals ", .boolean)?.offset == 10)
        #expect(oneError("falsy", .boolean)?.offset == 10)
        #expect(oneError("nulL", .boolean)?.offset == 9)
        for (text, value) in [("true", true), ("false", false)] {
            var tail = makeBuilders(schema)
            try decode(#"{"v":\#(text)}"#, schema, into: &tail)  // only "}" after the literal
            #expect(tail[0].booleans == [value])
            var bare = makeBuilders(schema)
            try decode("[{\"v\": \(text)} ]", schema, into: &bare)
            #expect(bare[0].booleans == [value])
        }
        var nulls = makeBuilders(schema)
        try decode(#"{"v":null}"#, schema, into: &nulls)
        #expect(nulls[0].definitionLevels == [0])
    }

    @Test func decimalsAreExact() throws {
        #expect(try decodeOne("0.1", .decimal(precision: 10, scale: 1)).int64s == [1])
        #expect(try decodeOne(#""0.1""#, .decimal(precision: 9, scale: 1)).int32s == [1])
        #expect(try decodeOne("1e2", .decimal(precision: 9, scale: 1)).int32s == [1000])
        #expect(try decodeOne("-1.5", .decimal(precision: 9, scale: 2)).int32s == [-150])
        #expect(try decodeOne("12.340", .decimal(precision: 9, scale: 2)).int32s == [1234])
        #expect(try decodeOne(#""1e-2""#, .decimal(precision: 9, scale: 2)).int32s == [1])
        #expect(try decodeOne("123456789012.3456", .decimal(precision: 18, scale: 4)).int64s == [1_234_567_890_123_456])
        let wide = try decodeOne(#""99999999999999999999999999999999999999""#, .decimal(precision: 38, scale: 0))
        #expect(byteValues(wide) == [[0x4B, 0x3B, 0x4C, 0xA8, 0x5A, 0x86, 0xC4, 0x7A, 0x09, 0x8A, 0x22, 0x3F, 0xFF, 0xFF, 0xFF, 0xFF]])
        let twenty = try decodeOne("-1.00", .decimal(precision: 20, scale: 2))
        #expect(byteValues(twenty) == [[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x9C]])

        let lossy = oneError(#""12.345""#, .decimal(precision: 9, scale: 2))
        #expect(lossy?.code == .invalidValue)
        #expect(lossy?.column == "v")
        #expect(lossy?.message.contains("would lose precision") == true)
        #expect(oneError("12.345", .decimal(precision: 9, scale: 2))?.code == .invalidValue)
        #expect(oneError("1234.5", .decimal(precision: 5, scale: 2))?.code == .valueOutOfRange)
        #expect(oneError("1e40", .decimal(precision: 38, scale: 0))?.code == .valueOutOfRange)
        #expect(oneError(#""abc""#, .decimal(precision: 9, scale: 2))?.code == .invalidValue)
        #expect(oneError("true", .decimal(precision: 9, scale: 2))?.code == .typeMismatch)
    }

    @Test func decimalLimitsOnTheFastPath() throws {
        let d18 = DataType.decimal(precision: 18, scale: 4)
        #expect(try decodeOne("99999999999999.9999", d18).int64s == [999_999_999_999_999_999])
        #expect(try decodeOne(#""-99999999999999.9999""#, d18).int64s == [-999_999_999_999_999_999])
        #expect(oneError("100000000000000", d18)?.code == .valueOutOfRange)
        #expect(oneError(#""100000000000000.0000""#, d18)?.code == .valueOutOfRange)
        #expect(oneError("1234567890123456789", .decimal(precision: 18, scale: 0))?.code == .valueOutOfRange)
        let d9 = DataType.decimal(precision: 9, scale: 2)
        #expect(try decodeOne("9999999.99", d9).int32s == [999_999_999])
        #expect(try decodeOne("-9999999.99", d9).int32s == [-999_999_999])
        #expect(oneError("10000000", d9)?.code == .valueOutOfRange)
        #expect(oneError("1.005", d9)?.code == .invalidValue)
        #expect(oneError(#""1.005""#, d9)?.code == .invalidValue)
        #expect(try decodeOne("-0.00", d9).int32s == [0])
        #expect(try decodeOne("0e-500", d9).int32s == [0])
        #expect(try decodeOne("1.50", .decimal(precision: 5, scale: 1)).int32s == [15])
        #expect(try decodeOne("1.5e1", .decimal(precision: 5, scale: 0)).int32s == [15])
        #expect(oneError("15e-1", .decimal(precision: 5, scale: 0))?.code == .invalidValue)
        #expect(try decodeOne(#""1.000000000000000000000000""#, d9).int32s == [100])
        #expect(try decodeOne(#""+1.5""#, d9).int32s == [150])
        #expect(try decodeOne(#"".5""#, d9).int32s == [50])
        #expect(try decodeOne(#""2E1""#, d9).int32s == [2000])
        #expect(oneError(#""-""#, d9)?.code == .invalidValue)
        #expect(oneError(#""""#, d9)?.code == .invalidValue)
        #expect(oneError(#""1.2.3""#, d9)?.code == .invalidValue)
    }
}
