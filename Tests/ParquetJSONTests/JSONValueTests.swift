import Testing
@testable import Parquet
@testable import ParquetJSON

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(value["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"] == .string("d"))
        #expect(value["e"] == .string(""))
        #expect(value["missing"] == nil)
    }

    @Test func numbersKeepTheirText() throws {
        #expect(try JSONValue.parse("18446744073709551615") == .number("18446744073709551615"))
        #expect(try JSONValue.parse("0.1000000000000000000001") == .number("0.1000000000000000000001"))
    }

    @Test func escapesAndSurrogatePairs() throws {
        let value = try JSONValue.parse(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00""#)
        #expect(value == .string("q\" b\\ s/ \u{8}\u{c}\n\r\t é 😀"))
    }

    @Test func duplicateKeysAreKeptInOrder() throws {
        guard case .object(let members) = try JSONValue.parse(#"{"k": 1, "k": 2}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["k", "k"])
    }

    @Test(arguments: [
        ("", 0), ("{", 1), ("[1,]", 3), ("{\"a\" 1}", 5), ("01", 1), ("1.", 2), ("-", 1), ("tru", 0),
        ("\"\\ud800\"", 7), ("\"\\udc00\"", 7), ("\"a\u{1}\"", 2), ("[1] x", 4), ("\"\\x\"", 3), ("{\"a\":1,}", 7),
    ])
    func malformedInputIsRejectedWithItsOffset(text: String, offset: Int) {
        #expect {
            _ = try JSONValue.parse(text)
        } throws: { error in
            guard let error = error as? ParquetError else { return false }
            return error.code == .malformedJSON && error.offset == offset
        }
    }

    @Test func invalidUTF8IsRejected() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: ParquetError.self) {
            try bytes.withUnsafeBytes { buffer in _ = try JSONValue.parse(buffer) }
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            _ = try JSONValue.parse(deep)
        } throws: { error in
            (error as? ParquetError)?.code == .limitExceeded
        }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { _ = try JSONValue.parse(fine) }
    }
}

@Suite struct JSONWriterTests {
    @Test func writesNestedStructureWithCommas() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("ok"); writer.bool(true)
        writer.key("n"); writer.int(UInt64.max)
        writer.key("list"); writer.beginArray(); writer.int(1); writer.null(); writer.string("x"); writer.endArray()
        writer.key("empty"); writer.beginObject(); writer.endObject()
        writer.key("raw"); writer.raw(#"{"a":1}"#)
        writer.endObject()
        #expect(writer.text == #"{"ok":true,"n":18446744073709551615,"list":[1,null,"x"],"empty":{},"raw":{"a":1}}"#)
    }

    @Test func escapesStrings() {
        var writer = JSONWriter()
        writer.string("a\"b\\c\nd\u{1}é😀")
        #expect(writer.text == #""a\"b\\c\nd\u0001é😀""#)
    }

    @Test func doublesRoundTripAndNonFiniteBecomeStrings() throws {
        var writer = JSONWriter()
        writer.beginArray()
        for value in [0.1, -0.0, 1e308, 5e-324, Double.nan, .infinity, -.infinity] { writer.double(value) }
        writer.endArray()
        #expect(writer.text == #"[0.1,-0.0,1e+308,5e-324,"NaN","Infinity","-Infinity"]"#)
        // What the writer produces, the parser reads back.
        guard case .array(let values) = try JSONValue.parse(writer.text) else {
            Issue.record("not an array")
            return
        }
        #expect(values.count == 7)
    }
}
