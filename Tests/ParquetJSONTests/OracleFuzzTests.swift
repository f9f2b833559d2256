import Testing
@testable import Parquet
@testable import ParquetJSON

/// Mutated JSON values checked against the strict document parser (`JSONValue.parse`): the
/// batch decoder accepts exactly the values it accepts, stores json text verbatim, unescapes
/// strings to the same text, and reads numbers as the standard library does.
@Suite struct OracleFuzzTests {
    static let seeds = [
        #""plain""#, #""esc \" \\ \/ \b \f \n \r \t \u0041 \u00e9 \ud83d\ude00 end""#, #""héllo 日本 😀""#,
        "12345", "-0.5e-3", "1.7976931348623157e308", "0", "123456789012345678901234567890",
        #"{"a": [1, 2.5, {"b": null, "c": [true, false]}], "d": "x\ny"}"#, "[[[[[]]]], {}, [\"\"]]", "true", "null",
    ]

    @Test func mutatedValuesAgreeWithTheDocumentParser() throws {
        let alphabet = Array(#"{}[]",:\-+.eE019 tfnul"u/abcdefABCDEF"#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
        var random = SplitMix64(state: 42)
        let jsonSchema = single(.json)
        let stringSchema = single(.string)
        let doubleSchema = single(.float64)
        var agreements = 0
        for _ in 0..<6000 {
            var value = Array(Self.seeds.randomElement(using: &random)!.utf8)
            for _ in 0..<Int.random(in: 0...3, using: &random) where !value.isEmpty {
                let index = Int.random(in: 0..<value.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: value[index] = alphabet.randomElement(using: &random)!
                case 1: value.insert(alphabet.randomElement(using: &random)!, at: index)
                case 2: value.remove(at: index)
                default: value[index] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let oracle: JSONValue? = value.withUnsafeBytes { try? JSONValue.parse($0) }
            let record = Array(#"{"v": "#.utf8) + value + Array("}".utf8)

            var json = makeBuilders(jsonSchema)
            let stored: [UInt8]? = (try? decode(record, jsonSchema, into: &json)) != nil && json[0].rowCount == 1
                ? (json[0].definitionLevels == [0] ? Array("null".utf8) : byteValues(json[0]).first) : nil
            // The stored text is the value without the whitespace around it.
            let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            let trimmed = Array(value.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
            let exact = stored == trimmed
            if let oracle {
                #expect(exact, "json column lost \(String(decoding: value, as: UTF8.self))")
                agreements += 1
                if case .string(let text) = oracle {
                    var strings = makeBuilders(stringSchema)
                    try decode(record, stringSchema, into: &strings)
                    #expect(stringValues(strings[0]) == [text])
                }
                if case .number(let text) = oracle {
                    var doubles = makeBuilders(doubleSchema)
                    let expected = Double(text)!
                    if expected.isFinite {
                        try decode(record, doubleSchema, into: &doubles)
                        #expect(doubles[0].doubles.map(\.bitPattern) == [expected.bitPattern], "\(text)")
                    } else {
                        #expect(decodeError(record, doubleSchema)?.code == .valueOutOfRange)
                    }
                }
            } else {
                #expect(!exact, "accepted invalid \(String(decoding: value, as: UTF8.self))")
            }
        }
        #expect(agreements > 500)
    }
}
