import Testing
@testable import Parquet
@testable import ParquetJSON

@Suite struct StringDecodingTests {
    @Test func everyEscape() throws {
        let builder = try decodeOne(
            #""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u20AC\ud83d\ude00\u0000z""#, .string)
        #expect(stringValues(builder) == ["a\"b\\c/d\u{8}e\u{C}f\ng\rh\tiAé€😀\u{0}z"])
        #expect(builder.offsets == [0, builder.bytes.count])
    }

    @Test func rawUTF8AndEmpty() throws {
        let schema = single(.string)
        var builders = makeBuilders(schema)
        try decode(#"{"v": "héllo 日本語 😀 ü"} {"v": ""} {"v": null} {"v": "plain ascii text that is longer than eight bytes"}"#, schema, into: &builders)
        #expect(stringValues(builders[0]) == ["héllo 日本語 😀 ü", "", "plain ascii text that is longer than eight bytes"])
        #expect(builders[0].definitionLevels == [1, 1, 0, 1])
    }

    @Test func escapesAtEveryPosition() throws {
        // Exercises the 8-byte scanning at every alignment.
        let schema = single(.string)
        var builders = makeBuilders(schema)
        var json = ""
        var expected: [String] = []
        for length in 0..<40 {
            for position in 0...length {
                let prefix = String(repeating: "x", count: position)
                let suffix = String(repeating: "y", count: length - position)
                json += "{\"v\":\"\(prefix)\\n\(suffix)\"}\n"
                expected.append(prefix + "\n" + suffix)
                json += "{\"v\":\"\(prefix)é\(suffix)\"}\n"
                expected.append(prefix + "é" + suffix)
            }
        }
        try decode(json, schema, into: &builders)
        #expect(stringValues(builders[0]) == expected)
    }

    @Test func invalidUTF8NamesTheColumn() {
        let schema = single(.string)
        let cases: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xF0, 0x9F, 0x98]]
        for bad in cases {
            let bytes = Array(#"{"v": "ok"#.utf8) + bad + Array(#"tail"}"#.utf8)
            let error = decodeError(bytes, schema)
            #expect(error?.code == .invalidValue, "\(bad)")
            #expect(error?.column == "v")
            #expect(error?.offset == 9, "\(bad)")
            #expect(error?.row == 0)
        }
    }

    @Test func loneSurrogatesAreInvalid() {
        for text in [#""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""ab\udbff""#] {
            let error = oneError(text, .string)
            #expect(error?.code == .invalidValue, "\(text)")
            #expect(error?.column == "v")
        }
    }

    @Test func brokenStringsAreMalformed() {
        let schema = single(.string)
        let tab = decodeError("{\"v\": \"a\tb\"}", schema)
        #expect(tab?.code == .malformedJSON)
        #expect(tab?.offset == 8)
        let escape = decodeError(#"{"v": "a\xb"}"#, schema)
        #expect(escape?.code == .malformedJSON)
        #expect(escape?.offset == 8)
        #expect(decodeError(#"{"v": "a\u12"}"#, schema)?.code == .malformedJSON)
        #expect(decodeError(#"{"v": "a\u12g4"}"#, schema)?.code == .malformedJSON)
        let truncated = decodeError(#"{"v": "abc"#, schema)
        #expect(truncated?.code == .malformedJSON)
        #expect(truncated?.offset == 10)
        #expect(decodeError(#"{"v": "abc\"#, schema)?.offset == 11)
    }

    @Test func stringColumnTakesOnlyStrings() {
        let error = oneError("12", .string)
        #expect(error?.code == .typeMismatch)
        #expect(error?.message == "expected a string for string column 'v', found a number")
        #expect(oneError("{\"a\": 1}", .string)?.message.hasSuffix("found an object") == true)
    }
}

@Suite struct BinaryDecodingTests {
    @Test func base64() throws {
        let schema = single(.binary)
        var builders = makeBuilders(schema)
        try decode(#"{"v": "aGVsbG8="} {"v": ""} {"v": "AAEC"} {"v": "\/w=="} {"v": "+/+/"} {"v": "YQ=="}"#, schema, into: &builders)
        #expect(byteValues(builders[0]) == [Array("hello".utf8), [], [0, 1, 2], [0xFF], [0xFB, 0xFF, 0xBF], [0x61]])
        for bad in [#""aGVsbG8""#, #""aGVsbG8*""#, #""aGVs bG8=""#, #""aGVsbG9=""#, #""YR==""#, #""=AAA""#, #""A===""#, #""AA=A""#] {
            let error = oneError(bad, .binary)
            #expect(error?.code == .invalidValue, "\(bad)")
            #expect(error?.column == "v")
        }
        #expect(oneError("[1]", .binary)?.code == .typeMismatch)
    }

    @Test func fixedBinaryNeedsExactLength() throws {
        let builder = try decodeOne(#""AAECAw==""#, .fixedBinary(length: 4))
        #expect(byteValues(builder) == [[0, 1, 2, 3]])
        #expect(oneError(#""AAEC""#, .fixedBinary(length: 4))?.code == .invalidValue)
        #expect(oneError(#""AAECAwQ=""#, .fixedBinary(length: 4))?.code == .invalidValue)
    }

    @Test func uuid() throws {
        let schema = single(.uuid)
        var builders = makeBuilders(schema)
        try decode(#"{"v": "123e4567-e89b-12d3-a456-426614174000"} {"v": "123E4567-E89B-12D3-A456-426614174000"}"#, schema, into: &builders)
        let expected: [UInt8] = [0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00]
        #expect(byteValues(builders[0]) == [expected, expected])
        #expect(oneError(#""123e4567e89b12d3a456426614174000""#, .uuid)?.code == .invalidValue)
        #expect(oneError(#""123e4567-e89b-12d3-a456-42661417400g""#, .uuid)?.code == .invalidValue)
        #expect(oneError("5", .uuid)?.code == .typeMismatch)
    }
}

@Suite struct JSONColumnDecodingTests {
    @Test func storesTheExactText() throws {
        let schema = single(.json)
        var builders = makeBuilders(schema)
        try decode(
            """
            {"v": {"a": [1, 2, {"b": null}], "c": "x\\"y"}}
            {"v": "text"}
            {"v": 42}
            {"v": -1.5e3}
            {"v": []}
            {"v":true}
            {"v": null}
            {"v" : [ ] }
            """, schema, into: &builders)
        #expect(stringValues(builders[0]) == [#"{"a": [1, 2, {"b": null}], "c": "x\"y"}"#, #""text""#, "42", "-1.5e3", "[]", "true", "[ ]"])
        #expect(builders[0].definitionLevels == [1, 1, 1, 1, 1, 1, 0, 1])
    }

    @Test func deepNestingIsStoredWithoutRecursion() throws {
        let depth = 100_000
        let nested = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"a":"#, count: depth) + "0" + String(repeating: "}", count: depth)
        let schema = single(.json)
        var builders = makeBuilders(schema)
        try decode("{\"v\": \(nested)}\n{\"v\": \(objects)}", schema, into: &builders)
        #expect(stringValues(builders[0]) == [nested, objects])
    }

    @Test func depthLimitRejectsTheRecord() throws {
        let schema = single(.json)
        var builders = makeBuilders(schema)
        let outcome = try decode(#"{"v": [[[1]]]} {"v": [[[[1]]]]} {"v": {"a": {"b": {"c": {}}}}}"#, schema, into: &builders, policy: .skip, maximumDepth: 3)
        #expect(outcome.rowsAccepted == 1)
        #expect(outcome.rejected.map(\.code) == [.limitExceeded, .limitExceeded])
        #expect(outcome.rejected.map(\.row) == [1, 2])
        #expect(outcome.rejected[0].offset == 24)
        #expect(stringValues(builders[0]) == ["[[[1]]]"])
    }

    @Test func invalidContentIsRejected() {
        let schema = single(.json)
        let utf8 = decodeError(Array(#"{"v": {"a": ""#.utf8) + [0xFE] + Array(#""}}"#.utf8), schema)
        #expect(utf8?.code == .invalidValue)
        #expect(utf8?.column == "v")
        #expect(utf8?.offset == 13)
        #expect(oneError(#"["\udc00"]"#, .json)?.code == .invalidValue)
        #expect(oneError(#"[1, 2"#, .json)?.code == .malformedJSON)
        #expect(oneError(#"{"a" 1}"#, .json)?.code == .malformedJSON)
        #expect(oneError(#"[1,]"#, .json)?.code == .malformedJSON)
        #expect(oneError(#"{"a":1,}"#, .json)?.code == .malformedJSON)
        #expect(oneError(#"[01]"#, .json)?.code == .malformedJSON)
        #expect(oneError(#"nul"#, .json)?.code == .malformedJSON)
        #expect(oneError(#"[1 2]"#, .json)?.code == .malformedJSON)
        #expect(oneError(#"{"a":1]"#, .json)?.code == .malformedJSON)
    }
}
