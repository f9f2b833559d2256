import Parquet
import ParquetJSON
import Testing
@testable import ParquetCLI

/// The envelope scanner: finding `type`, `record.stream`, `record.namespace` and
/// `record.data` in a line without building it, and refusing what is not a message.
@Suite struct AirbyteEnvelopeTests {
    /// What the scanner found, decoded, for comparisons.
    struct Found: Equatable {
        var kind: AirbyteEnvelope.Kind
        var stream: String?
        var namespace: String?
        var data: String?
    }

    func found(_ line: String) throws -> Found {
        let envelope = try airbyteScan(line)
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { raw in
            let scanner = AirbyteJSONScanner(raw)
            func text(_ span: AirbyteEnvelope.StringSpan?) -> String? {
                span.map { scanner.decodeString(from: $0.range.lowerBound, to: $0.range.upperBound) }
            }
            return Found(
                kind: envelope.kind, stream: text(envelope.stream), namespace: text(envelope.namespace),
                data: envelope.data.map { String(decoding: bytes[$0], as: UTF8.self) })
        }
    }

    func error(_ line: String) -> AirbyteScanError? {
        do {
            _ = try airbyteScan(line)
            return nil
        } catch {
            return error
        }
    }

    @Test func plainRecord() throws {
        let line = #"{"type":"RECORD","record":{"stream":"users","namespace":null,"data":{"id":1},"emitted_at":1700000000000}}"#
        #expect(try found(line) == Found(kind: .record, stream: "users", data: #"{"id":1}"#))
    }

    @Test func keysInAnyOrder() throws {
        // `record` before `type`, `data` before `stream`, unknown keys around them.
        let line =
            #"{"record":{"emitted_at":1,"data":{"a":[1,2,{"b":null}]},"meta":{"x":"y"},"stream":"s","namespace":"ns"},"extra":[true,false],"type":"RECORD"}"#
        #expect(try found(line) == Found(kind: .record, stream: "s", namespace: "ns", data: #"{"a":[1,2,{"b":null}]}"#))
    }

    @Test func stringsThatLookLikeKeys() throws {
        // Quotes and "data" inside strings, escaped backslashes before a closing quote, and
        // keys named stream/data inside the data object must not be taken for the record's.
        let data = #"{"stream":"inner","note":"\"data\": {\"x\": 1}","path":"C:\\","data":{"stream":"deeper"}}"#
        let line =
            #"{"type":"RECORD","record":{"comment":"\"stream\":\"fake\", \"data\":{}","data":"# + data
            + #","stream":"real \"quoted\" name\\"}}"#
        #expect(try found(line) == Found(kind: .record, stream: #"real "quoted" name\"#, data: data))
    }

    @Test func whitespaceEverywhere() throws {
        let line = " \t{ \"type\" :\t\"RECORD\" ,\r\n \"record\" : { \"data\" : { \"a\" : 1 } , \"stream\" : \"s\" } } \r"
        #expect(try found(line) == Found(kind: .record, stream: "s", data: #"{ "a" : 1 }"#))
    }

    @Test func unicodeEscapesInNamesAndKeys() throws {
        // \u escapes in the stream name (a surrogate pair too), and in the keys themselves.
        let line = #"{"t\u0079pe":"REC\u004FRD","record":{"str\u0065am":"us\u00e9rs \ud83d\ude00","d\u0061ta":{}}}"#
        #expect(try found(line) == Found(kind: .record, stream: "usérs 😀", data: "{}"))
        // A lone surrogate decodes to U+FFFD rather than failing.
        #expect(try found(#"{"type":"RECORD","record":{"stream":"a\ud800b","data":{}}}"#).stream == "a\u{FFFD}b")
    }

    @Test func otherTypes() throws {
        #expect(try found(#"{"type":"STATE","state":{"data":{"cursor":1}}}"#).kind == .state)
        #expect(try found(#"{"type":"LOG","log":{"level":"INFO","message":"x"}}"#).kind == .log)
        #expect(try found(#"{"type":"TRACE","trace":{"type":"ERROR"}}"#).kind == .trace)
        #expect(try found(#"{"type":"CONTROL","control":{}}"#).kind == .control)
        #expect(try found(#"{"type":"SPEC"}"#).kind == .other("SPEC"))
        // A non-RECORD message may carry any `record` member: it is not looked at.
        #expect(try found(#"{"record":5,"type":"LOG"}"#).kind == .log)
    }

    @Test func malformedMessages() {
        let cases: [(String, String)] = [
            ("hello", "expected a JSON value"),
            ("not json", "invalid literal"),
            ("[1,2]", "JSON but not an object"),
            (#""text""#, "JSON but not an object"),
            (#"{"type":"LOG"} x"#, "unexpected bytes after the message"),
            (#"{"type":"LOG"}{"type":"LOG"}"#, "unexpected bytes after the message"),
            (#"{"log":{}}"#, "no 'type'"),
            (#"{"type":5}"#, "'type' must be a string"),
            (#"{"type":"LOG","type":"STATE"}"#, "'type' is repeated"),
            (#"{"type":"RECORD"}"#, "needs a 'record' object"),
            (#"{"type":"RECORD","record":[1]}"#, "needs a 'record' object"),
            (#"{"type":"RECORD","record":{"data":{}}}"#, "no 'stream'"),
            (#"{"type":"RECORD","record":{"stream":"s"}}"#, "no 'data'"),
            (#"{"type":"RECORD","record":{"stream":1,"data":{}}}"#, "'record.stream' must be a string"),
            (#"{"type":"RECORD","record":{"stream":"s","data":[1]}}"#, "'record.data' must be an object"),
            (#"{"type":"RECORD","record":{"stream":"s","data":"x"}}"#, "'record.data' must be an object"),
            (#"{"type":"RECORD","record":{"stream":"s","namespace":1,"data":{}}}"#, "must be a string or null"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{},"data":{}}}"#, "'record.data' is repeated"),
            (#"{"type":"RECORD","record":{"stream":"s","stream":"t","data":{}}}"#, "'record.stream' is repeated"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":1,}}}"#, "expected a key string"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":[1,]}}}"#, "expected a JSON value"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a" 1}}}"#, "expected ':'"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":1 "b":2}}}"#, "expected ',' or '}'"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":[1 2]}}}"#, "expected ',' or ']'"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":01}}}"#, "leading zeros"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":1.}}}"#, "after the decimal point"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":1e}}}"#, "in the exponent"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":-}}}"#, "expected a digit"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":tru}}}"#, "expected 'true'"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":"\x"}}}"#, "invalid escape"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":"\u12"}}}"#, "four hex digits"),
            ("{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"a\":\"tab\there\"}}}", "control character"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":"open"#, "unterminated string"),
            (#"{"type":"RECORD","record":{"stream":"s","data":{"a":{"b":1}"#, "expected ',' or '}'"),
            ("{", "expected a key string"),
        ]
        for (line, expected) in cases {
            let failure = error(line)
            #expect(failure?.message.contains(expected) == true, "\(line): \(failure.map { "\($0)" } ?? "accepted")")
        }
    }

    @Test func errorOffsetsPointAtTheFault() {
        #expect(error(#"{"type":"LOG","log":{"a":01}}"#)?.offset == 26)
        #expect(error(#"{"type":"LOG"} x"#)?.offset == 15)
    }

    @Test func deepNestingIsWalkedWithoutRecursion() throws {
        let depth = 100_000
        let data = #"{"a":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let line = #"{"type":"RECORD","record":{"stream":"s","data":"# + data + "}}"
        #expect(try found(line).data?.count == data.count)
        let unbalanced = #"{"type":"RECORD","record":{"stream":"s","data":{"a":"# + String(repeating: "[{\"k\":", count: 5000) + "}}}"
        #expect(error(unbalanced) != nil)
        // Objects and arrays alternating past the 64 levels kept in a register: each closer
        // must match its own opener.
        let mixed = String(repeating: "[{\"k\":", count: 200) + "1" + String(repeating: "}]", count: 200)
        #expect(try found(#"{"type":"RECORD","record":{"stream":"s","data":{"a":"# + mixed + "}}}").data?.count == mixed.count + 6)
        var swapped = Array(mixed)
        swapped[swapped.count - 300] = "]"  // a `}` closing an object some 300 levels deep
        let broken = #"{"type":"RECORD","record":{"stream":"s","data":{"a":"# + String(swapped) + "}}}"
        #expect(error(broken)?.message.contains("expected ',' or '}'") == true)
    }

    /// The scanner and the library's own JSON parser agree on what is JSON, over many small
    /// random mutations of valid documents (ASCII only, shallow: the two differ by design only
    /// on UTF-8 checking and depth limits).
    @Test func agreesWithTheJSONParserOnMutations() throws {
        let seeds = [
            #"{"a":[1,-2.5e3,true,false,null,"x\"y\\z\/\n\u0041"],"b":{"c":{}},"d":[],"e":0.25,"f":"long string of plain text"}"#,
            #"[{"k":"v"},[[]],"",-0,1E+2,3e-4]"#,
            #"{"stream":"s","data":{"n":123456789012345678901234567890,"t":"\t\b\f\r"}}"#,
        ]
        let alphabet = Array(#"{}[]":,\ 0123456789aeEfnlrstu.-+"#.utf8) + [0x09, 0x0A, 0x01]
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for seed in seeds {
            for _ in 0..<4000 {
                var bytes = Array(seed.utf8)
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let position = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[position] = alphabet.randomElement(using: &generator)!
                    case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                    default: if bytes.count > 1 { bytes.remove(at: position) }
                    }
                }
                let ours: Bool = bytes.withUnsafeBytes { raw in
                    let scanner = AirbyteJSONScanner(raw)
                    let start = scanner.whitespaceEnd(from: 0)
                    guard let end = try? scanner.valueEnd(from: start) else { return false }
                    return scanner.whitespaceEnd(from: end) == raw.count
                }
                let theirs = bytes.withUnsafeBytes { raw in (try? JSONValue.parse(raw)) != nil }
                #expect(ours == theirs, "\(String(decoding: bytes, as: UTF8.self))")
                if ours { accepted += 1 }
            }
        }
        // Both outcomes were exercised.
        #expect(accepted > 100 && accepted < 11_900)
    }

    @Test func stringScanningFindsTheQuoteAtEveryAlignment() throws {
        // The eight-byte steps must stop at a quote, backslash or control byte wherever it is.
        for length in 0..<40 {
            for special in [#"\""#, #"\\"#, "\\u00e9"] {
                let text = String(repeating: "a", count: length) + special + String(repeating: "b", count: length % 9)
                let line = #"{"type":"RECORD","record":{"stream":""# + text + #"","data":{}}}"#
                let decoded = try found(line).stream
                let expected = String(repeating: "a", count: length)
                    + (special == #"\""# ? "\"" : special == #"\\"# ? "\\" : "é") + String(repeating: "b", count: length % 9)
                #expect(decoded == expected)
            }
            let control = #"{"type":"LOG","x":""# + String(repeating: "a", count: length) + "\u{01}\"}"
            #expect(error(control)?.message.contains("control character") == true)
        }
    }
}
