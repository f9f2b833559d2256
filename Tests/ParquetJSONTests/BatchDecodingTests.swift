import Testing
@testable import Parquet
@testable import ParquetJSON

let pairSchema = try! Schema([Field("id", .int64, nullable: false), Field("name", .string)])

@Suite struct BatchShapeTests {
    @Test func emptyAndEscapedUnknownKeysAreLookedUp() throws {
        // Keys off the in-order fast path: empty, escaped, and each repeated.
        var builders = makeBuilders(pairSchema)
        let outcome = try decode(#"{"": 1, "id": 1, "n\u0061me": "a"} {"id": 2, "\u0069d2": 0}"#, pairSchema, into: &builders)
        #expect(outcome.rowsAccepted == 2)
        checkConsistent(builders, rows: 2)
        #expect(builders[1].offsets == [0, 1])
        for repeated in [#"{"id": 1, "": 1, "": 2}"#, #"{"id": 1, "\u0078": 1, "x": 2}"#, #"{"n\u0061me": "a", "id": 1, "name": "b"}"#] {
            #expect(decodeError(repeated, pairSchema)?.code == .invalidRecord, "\(repeated)")
        }
    }

    @Test func emptyInputsAreZeroRows() throws {
        for text in ["", "   \n\t \r\n", "[]", "[ ]", " [\n] \n", "\u{FEFF}", "\u{FEFF}[]"] {
            var builders = makeBuilders(pairSchema)
            let outcome = try decode(text, pairSchema, into: &builders)
            #expect(outcome.rowsAccepted == 0, "\(text)")
            checkConsistent(builders, rows: 0)
        }
    }

    @Test func ndjsonAndArrayAgree() throws {
        let records = [#"{"id": 1, "name": "a"}"#, #"{"name": "b", "id": 2}"#, #"{"id": 3}"#, #"{"id":4,"name":null}"#]
        var inputs: [String] = [records.joined(separator: "\n"), records.joined()]
        inputs.append(records.joined(separator: "\n") + "\n")
        inputs.append(records.joined(separator: "\r\n") + "\r\n")
        inputs.append("\n\n" + records.joined(separator: " \n\n ") + "\n\n")
        inputs.append("[" + records.joined(separator: ",") + "]")
        inputs.append(" [\n" + records.joined(separator: " ,\r\n ") + "\n] ")
        for input in inputs {
            var builders = makeBuilders(pairSchema)
            let outcome = try decode(input, pairSchema, into: &builders)
            #expect(outcome.rowsAccepted == 4)
            #expect(outcome.rejected.isEmpty)
            #expect(builders[0].int64s == [1, 2, 3, 4])
            #expect(builders[0].definitionLevels == [])
            #expect(stringValues(builders[1]) == ["a", "b"])
            #expect(builders[1].definitionLevels == [1, 1, 0, 0])
            checkConsistent(builders, rows: 4)
        }
    }

    @Test func decodingAppendsAcrossCalls() throws {
        var builders = makeBuilders(pairSchema)
        try decode(#"{"id": 1, "name": "a"}"#, pairSchema, into: &builders)
        try decode(#"[{"id": 2, "name": "b"}]"#, pairSchema, into: &builders)
        #expect(builders[0].int64s == [1, 2])
        #expect(stringValues(builders[1]) == ["a", "b"])
        checkConsistent(builders, rows: 2)
    }

    @Test func keysInAnyOrderAndEscapedKeys() throws {
        let names = (0..<40).map { "field_\($0)" }
        let schema = try Schema(names.map { Field($0, .int32) } + [Field("we\"ird\\name", .int32), Field("é", .int32)])
        var builders = makeBuilders(schema)
        let forward = names.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ",")
        let backward = names.enumerated().reversed().map { "\"\($1)\": \($0)" }.joined(separator: ",")
        try decode(
            """
            {\(forward), "we\\"ird\\\\name": 100, "\\u00e9": 101}
            {"\\u00e9": 101, \(backward), "we\\"ird\\\\name": 100, "unknown": [1, {"x": 2}]}
            {"\\u0066ield_0": 0}
            """, schema, into: &builders)
        for index in 0..<40 {
            #expect(builders[index].int32s == [Int32(index), Int32(index)] + (index == 0 ? [0] : []))
        }
        #expect(builders[40].int32s == [100, 100])
        #expect(builders[41].int32s == [101, 101])
        checkConsistent(builders, rows: 3)
    }

    @Test func unknownKeysAreSkippedAtAnyDepth() throws {
        let depth = 100_000
        let deepArray = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let deepObject = String(repeating: #"{"k": "#, count: depth) + "null" + String(repeating: "}", count: depth)
        var builders = makeBuilders(pairSchema)
        let outcome = try decode(
            """
            {"extra": \(deepArray), "id": 1, "more": \(deepObject), "name": "x"}
            {"s": "a\\"b", "n": -1.5e-3, "t": true, "f": false, "z": null, "o": {}, "a": [], "id": 2}
            """, pairSchema, into: &builders)
        #expect(outcome.rowsAccepted == 2)
        #expect(builders[0].int64s == [1, 2])
        checkConsistent(builders, rows: 2)
    }

    @Test func ignoredValuesAreValidated() {
        let utf8 = decodeError(Array(#"{"id": 1, "x": ""#.utf8) + [0xC3] + Array(#""}"#.utf8), pairSchema)
        #expect(utf8?.code == .invalidValue)
        #expect(utf8?.offset == 16)
        #expect(decodeError(#"{"id": 1, "x": "\udead"}"#, pairSchema)?.code == .invalidValue)
        #expect(decodeError(#"{"id": 1, "x": [1 2]}"#, pairSchema)?.code == .malformedJSON)
        let deep = decodeError(#"{"id": 1, "x": [[[]]]}"#, pairSchema, maximumDepth: 2)
        #expect(deep?.code == .limitExceeded)
        #expect(deep?.offset == 17)
        #expect(decodeError(#"{"id": 1, "x": [[]]}"#, pairSchema, maximumDepth: 2) == nil)
    }
}

@Suite struct RecordRuleTests {
    @Test func nonObjectElementsAreInvalidRecords() throws {
        var builders = makeBuilders(pairSchema)
        let outcome = try decode(#"[{"id": 1}, 5, "s", [{"id": 9}], null, true, {"id": 2}]"#, pairSchema, into: &builders, policy: .skip)
        #expect(outcome.rowsAccepted == 2)
        #expect(outcome.rejected.map(\.code) == Array(repeating: .invalidRecord, count: 5))
        #expect(outcome.rejected.map(\.row) == [1, 2, 3, 4, 5])
        #expect(outcome.rejected.map(\.offset) == [12, 15, 20, 33, 39])
        #expect(outcome.rejected[0].message == "expected a JSON object for the record, found a number")
        #expect(builders[0].int64s == [1, 2])
        checkConsistent(builders, rows: 2)

        var ndjson = makeBuilders(pairSchema)
        let lines = try decode("{\"id\": 1}\n12 \"x\"\n{\"id\": 2}\n", pairSchema, into: &ndjson, policy: .skip)
        #expect(lines.rowsAccepted == 2)
        #expect(lines.rejected.map(\.row) == [1, 2])
        #expect(decodeError("{\"id\": 1}\n[1]", pairSchema)?.code == .invalidRecord)
    }

    @Test func duplicateKeys() {
        let known = decodeError(#"{"id": 1, "name": "a", "id": 2}"#, pairSchema)
        #expect(known?.code == .invalidRecord)
        #expect(known?.column == "id")
        #expect(known?.offset == 23)
        #expect(known?.row == 0)
        #expect(decodeError(#"{"id": 1, "\u0069d": 2}"#, pairSchema)?.code == .invalidRecord)
        let unknown = decodeError(#"{"id": 1, "x": 1, "y": 2, "x": 3}"#, pairSchema)
        #expect(unknown?.code == .invalidRecord)
        #expect(unknown?.offset == 26)
        #expect(decodeError(#"{"id": 1, "x": 1, "\u0078": 3}"#, pairSchema)?.code == .invalidRecord)
        let many = (0..<100).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(decodeError("{\"id\": 1, \(many)}", pairSchema) == nil)
        #expect(decodeError("{\"id\": 1, \(many), \"k57\": 0}", pairSchema)?.code == .invalidRecord)
        // The same unknown key in different records is fine.
        #expect(decodeError(#"{"id": 1, "x": 1} {"id": 2, "x": 1}"#, pairSchema) == nil)
    }

    @Test func missingAndNullValues() throws {
        let missing = decodeError(#"{"name": "a"}"#, pairSchema)
        #expect(missing?.code == .missingValue)
        #expect(missing?.column == "id")
        #expect(missing?.offset == 12)
        #expect(missing?.message == "the record has no value for the non-nullable column 'id'")
        let null = decodeError(#"{"id": null}"#, pairSchema)
        #expect(null?.code == .missingValue)
        #expect(null?.offset == 7)
        #expect(decodeError("{}", pairSchema)?.code == .missingValue)

        var builders = makeBuilders(pairSchema)
        try decode(#"{"id": 1} {"id": 2, "name": null} {"id": 3, "name": "c"}"#, pairSchema, into: &builders)
        #expect(builders[1].definitionLevels == [0, 0, 1])
        #expect(stringValues(builders[1]) == ["c"])
    }
}

@Suite struct MalformedInputTests {
    static let cases: [(String, Int)] = [
        (#"{"id": 1, "name": "abc"#, 22),  // truncated mid-string
        (#"{"id": 12"#, 9),  // truncated after a number
        (#"{"id": -"#, 8),  // truncated mid-number
        (#"{"id": 1.}"#, 9),
        (#"{"id": 1e}"#, 9),
        (#"{"id": 01}"#, 8),
        (#"{"id": 1 "name": "a"}"#, 9),  // missing comma
        (#"{"id": 1,}"#, 9),  // trailing comma in a record
        (#"[{"id": 1},]"#, 11),  // trailing comma in the batch
        (#"[{"id": 1} {"id": 2}]"#, 11),  // missing comma in the batch
        (#"{"id": tru}"#, 10),
        (#"{"id": nul}"#, 10),
        ("hello", 0),  // bare word
        (#"{"id": hello}"#, 7),
        (#"{"id": 1}}"#, 9),  // unbalanced
        (#"[{"id": 1}"#, 10),
        (#"[{"id": 1}]]"#, 11),
        (#"{"id": 1, "x": [1, 2}"#, 20),
        (#"{"id": 1, "x": {"a": 1]}"#, 22),
        (#"{id: 1}"#, 1),
        (#"{"id" 1}"#, 6),
        (#"{"id": 1"#, 8),
        (#"{"id": 1, "name": "a"} , {"id": 2}"#, 23),
        (#"{"id": +1}"#, 7),
        (#"{"id": .5}"#, 7),
        (#"{"id": 1} x"#, 10),
        ("{\"id\": 1, \"name\": \"a\u{0}\"}", 20),
    ]

    @Test func offsetsPointAtTheProblem() {
        for (text, offset) in Self.cases {
            for policy in [InvalidRecordPolicy.fail, .skip] {
                let error = decodeError(text, pairSchema, policy: policy)
                #expect(error?.code == .malformedJSON, "\(text)")
                #expect(error?.offset == offset, "\(text): \(error?.description ?? "no error")")
            }
        }
        #expect(decodeError(#"{"id": 1, "name": "abc"#, pairSchema)?.message == "unterminated string")
        #expect(decodeError(#"{"id": 1 "name": "a"}"#, pairSchema)?.message == "expected ',' or '}' in the record, found '\"'")
    }

    @Test func malformedInputKeepsNothing() throws {
        for policy in [InvalidRecordPolicy.fail, .skip] {
            var builders = makeBuilders(pairSchema)
            try decode(#"{"id": 100, "name": "kept"}"#, pairSchema, into: &builders)
            let before = builders.map(\.rowCount)
            // Valid records, an invalid one, then broken structure.
            let text = #"{"id": 1, "name": "a"} {"id": "bad"} {"id": 2, "name": "b"} {"id": 3, "name": "c""#
            #expect(throws: ParquetError.self) { try decode(text, pairSchema, into: &builders, policy: policy) }
            let error = decodeError(text, pairSchema, policy: policy)
            #expect(error?.code == .malformedJSON)
            #expect(builders.map(\.rowCount) == before)
            #expect(builders[0].int64s == [100])
            #expect(stringValues(builders[1]) == ["kept"])
            checkConsistent(builders, rows: 1)
        }
    }

    @Test func invalidValueFollowedByBrokenRecordIsMalformed() {
        // The value error comes first in the record, but the record is not well-formed.
        #expect(decodeError(#"{"id": "x", "name": }"#, pairSchema, policy: .fail)?.code == .malformedJSON)
        #expect(decodeError(#"{"id": tru}"#, pairSchema, policy: .fail)?.code == .malformedJSON)
        #expect(decodeError(#"{"id": tru}"#, pairSchema, policy: .skip)?.code == .malformedJSON)
    }
}

@Suite struct PolicyTests {
    static let batch = """
        {"id": 1, "name": "one"}
        {"id": "two", "name": "two"}
        {"id": 3, "name": "three"}
        {"name": "four"}
        {"id": 5, "name": 5}
        {"id": 6, "name": "six", "id": 6}
        {"id": 7, "name": "seven"}
        """

    @Test func skipKeepsGoodRows() throws {
        var builders = makeBuilders(pairSchema)
        try decode(#"{"id": 0, "name": "zero"}"#, pairSchema, into: &builders)
        let outcome = try decode(Self.batch, pairSchema, into: &builders, policy: .skip)
        #expect(outcome.rowsAccepted == 3)
        #expect(outcome.rejected.map(\.code) == [.typeMismatch, .missingValue, .typeMismatch, .invalidRecord])
        #expect(outcome.rejected.map(\.row) == [1, 3, 4, 5])
        #expect(outcome.rejected.map(\.column) == ["id", "id", "name", "id"])
        #expect(outcome.rejected.map(\.offset) == [32, 96, 116, 144])
        #expect(builders[0].int64s == [0, 1, 3, 7])
        #expect(stringValues(builders[1]) == ["zero", "one", "three", "seven"])
        checkConsistent(builders, rows: 4)
    }

    @Test func failRollsBackEverything() throws {
        var builders = makeBuilders(pairSchema)
        try decode(#"{"id": 0, "name": "zero"}"#, pairSchema, into: &builders)
        do {
            try decode(Self.batch, pairSchema, into: &builders, policy: .fail)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.row == 1)
            #expect(error.column == "id")
            #expect(error.offset == 32)
            #expect(error.message == "expected a number for int64 column 'id', found a string")
        }
        #expect(builders[0].int64s == [0])
        #expect(stringValues(builders[1]) == ["zero"])
        checkConsistent(builders, rows: 1)
    }

    @Test func rollbackUndoesPartialRecords() throws {
        // The bad value is the last field: earlier columns of the record were already appended.
        let schema = try Schema([
            Field("a", .int32), Field("b", .string), Field("c", .binary), Field("d", .float64), Field("e", .int64, nullable: false),
        ])
        var builders = makeBuilders(schema)
        let outcome = try decode(
            #"{"a": 1, "b": "x", "c": "AA==", "d": 1.5, "e": 1} {"a": 2, "b": "y\n", "c": "AQ==", "d": 2.5, "e": "bad"} {"e": 3}"#,
            schema, into: &builders, policy: .skip)
        #expect(outcome.rowsAccepted == 2)
        #expect(builders[0].int32s == [1])
        #expect(stringValues(builders[1]) == ["x"])
        #expect(byteValues(builders[2]) == [[0]])
        #expect(builders[3].doubles == [1.5])
        #expect(builders[4].int64s == [1, 3])
        checkConsistent(builders, rows: 2)
    }
}

@Suite struct AllTypesTests {
    static let schema = try! Schema([
        Field("b", .boolean), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
        Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32), Field("u64", .uint64),
        Field("f32", .float32), Field("f64", .float64), Field("s", .string), Field("bin", .binary),
        Field("fb", .fixedBinary(length: 4)), Field("d", .date), Field("tms", .time(.milliseconds)),
        Field("tus", .time(.microseconds)), Field("tns", .time(.nanoseconds)), Field("tsms", .timestamp(.milliseconds)),
        Field("tsus", .timestamp(.microseconds)), Field("tsns", .timestamp(.nanoseconds)),
        Field("tsl", .timestamp(.microseconds, utc: false)), Field("dec9", .decimal(precision: 9, scale: 2)),
        Field("dec18", .decimal(precision: 18, scale: 4)), Field("dec38", .decimal(precision: 38, scale: 10)),
        Field("u", .uuid), Field("j", .json), Field("req", .int64, nullable: false),
    ])

    static let record = #"""
        {"b": true, "i8": -8, "i16": -16, "i32": -32, "i64": -64, "u8": 8, "u16": 16, "u32": 4294967295,
         "u64": 18446744073709551615, "f32": 1.5, "f64": -2.25, "s": "caf\u00e9 \"quoted\"", "bin": "AQID",
         "fb": "AAECAw==", "d": "2000-02-29", "tms": "01:02:03.004", "tus": "01:02:03.000004", "tns": "01:02:03.000000004",
         "tsms": "1970-01-01T00:00:01.5Z", "tsus": "1970-01-01T01:00:00+01:00", "tsns": "1970-01-01 00:00:00.000000001",
         "tsl": "2024-03-15T12:34:56", "dec9": "-12.5", "dec18": 3.1416, "dec38": "12345678901234567890.0123456789",
         "u": "00112233-4455-6677-8899-aabbccddeeff", "j": {"k": [1, "v"]}, "req": 7, "ignored": {"x": [true]}}
        """#

    @Test func everyTypeInOneRecord() throws {
        var builders = makeBuilders(Self.schema)
        let outcome = try decode(Self.record + "\n" + #"{"req": 8}"#, Self.schema, into: &builders)
        #expect(outcome.rowsAccepted == 2)
        checkConsistent(builders, rows: 2)
        func column(_ name: String) -> ColumnBuilder { builders[Self.schema.index(of: name)!] }
        #expect(column("b").booleans == [true])
        #expect(column("i8").int32s == [-8])
        #expect(column("i16").int32s == [-16])
        #expect(column("i32").int32s == [-32])
        #expect(column("i64").int64s == [-64])
        #expect(column("u8").int32s == [8])
        #expect(column("u16").int32s == [16])
        #expect(column("u32").int32s == [-1])
        #expect(column("u64").int64s == [-1])
        #expect(column("f32").floats == [1.5])
        #expect(column("f64").doubles == [-2.25])
        #expect(stringValues(column("s")) == ["café \"quoted\""])
        #expect(byteValues(column("bin")) == [[1, 2, 3]])
        #expect(byteValues(column("fb")) == [[0, 1, 2, 3]])
        #expect(column("d").int32s == [11016])
        #expect(column("tms").int32s == [3_723_004])
        #expect(column("tus").int64s == [3_723_000_004])
        #expect(column("tns").int64s == [3_723_000_000_004])
        #expect(column("tsms").int64s == [1500])
        #expect(column("tsus").int64s == [0])
        #expect(column("tsns").int64s == [1])
        #expect(column("tsl").int64s == [1_710_506_096_000_000])
        #expect(column("dec9").int32s == [-1250])
        #expect(column("dec18").int64s == [31416])
        let unscaled = Int128("123456789012345678900123456789")!
        #expect(byteValues(column("dec38")) == [(0..<16).map { UInt8(truncatingIfNeeded: unscaled >> (8 * (15 - $0))) }])
        #expect(byteValues(column("u")) == [[0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]])
        #expect(stringValues(column("j")) == [#"{"k": [1, "v"]}"#])
        #expect(column("req").int64s == [7, 8])
        for builder in builders where builder.descriptor.name != "req" {
            #expect(builder.definitionLevels == [1, 0], "\(builder.descriptor.name)")
        }
    }

    /// Random byte mutations never crash, and the builders always stay consistent.
    @Test func fuzzedBatchesNeverBreakTheBuilders() throws {
        let valid = Array((0..<4).map { _ in Self.record }.joined(separator: "\n").utf8)
        let alphabet = Array(#"{}[]",:\-+.eE0123456789 tfnul"aZ/="#.utf8) + [0x00, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xFF]
        var random = SplitMix64(state: 0x5EED_1234)
        var accepted = 0
        var malformed = 0
        for iteration in 0..<1500 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: bytes[index] = alphabet.randomElement(using: &random)!
                case 1: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 2: bytes.insert(alphabet.randomElement(using: &random)!, at: index)
                case 3: bytes.remove(at: index)
                default: bytes.removeSubrange(index...)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            let policy: InvalidRecordPolicy = iteration.isMultiple(of: 2) ? .skip : .fail
            var builders = makeBuilders(Self.schema)
            try decode(Self.record, Self.schema, into: &builders)
            do {
                let outcome = try decode(bytes, Self.schema, into: &builders, policy: policy)
                accepted += outcome.rowsAccepted
                checkConsistent(builders, rows: 1 + outcome.rowsAccepted)
                for rejected in outcome.rejected {
                    #expect(rejected.row != nil && rejected.offset != nil)
                    #expect(rejected.offset! <= bytes.count)
                }
            } catch {
                if error.code == .malformedJSON { malformed += 1 }
                #expect(error.offset != nil && error.offset! <= bytes.count, "\(error)")
                checkConsistent(builders, rows: 1)
            }
        }
        #expect(accepted > 0)
        #expect(malformed > 0)
    }
}

@Suite struct SkipUndoTests {
    static let values: [(String, String)] = [
        ("b", "true"), ("i8", "-8"), ("i16", "-16"), ("i32", "-32"), ("i64", "-64"), ("u8", "8"), ("u16", "16"),
        ("u32", "4294967295"), ("u64", "18446744073709551615"), ("f32", "1.5"), ("f64", "-2.25"),
        ("s", #""caf\u00e9 \"q\"""#), ("bin", #""AQID""#), ("fb", #""AAECAw==""#), ("d", #""2000-02-29""#),
        ("tms", #""01:02:03.004""#), ("tus", "5"), ("tns", #""01:02:03""#), ("tsms", #""1970-01-01T00:00:01.5Z""#),
        ("tsus", "7"), ("tsns", #""1970-01-01 00:00:00.000000001""#), ("tsl", #""2024-03-15T12:34:56""#),
        ("dec9", #""-12.5""#), ("dec18", "3.1416"), ("dec38", #""12345678901234567890.0123456789""#),
        ("u", #""00112233-4455-6677-8899-aabbccddeeff""#), ("j", #"{"k": [1, "v"]}"#), ("req", "7"),
    ]

    static func record(badField: String? = nil, nullField: String? = nil) -> String {
        var members = values.filter { $0.0 != badField }.map { name, value in
            "\"\(name)\": \(name == nullField ? "null" : value)"
        }
        if let badField {
            let bad = badField == "req" ? "null" : ["s", "j"].contains(badField) ? #""\udc00""# : "{}"
            members.append("\"\(badField)\": \(bad)")
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// A rejected record leaves the builders exactly as if it had not been in the batch.
    @Test func rejectedRecordsLeaveNoTrace() throws {
        let schema = AllTypesTests.schema
        for (badField, _) in Self.values {
            for nullField in ["s", "j", "b", "fb", "dec38"] {
                let good1 = Self.record()
                let good2 = Self.record(nullField: nullField)
                var expected = makeBuilders(schema)
                try decode(good1 + "\n" + good2, schema, into: &expected)
                var actual = makeBuilders(schema)
                let outcome = try decode(
                    [good1, Self.record(badField: badField, nullField: nullField), good2].joined(separator: "\n"), schema,
                    into: &actual, policy: .skip)
                #expect(outcome.rowsAccepted == 2)
                #expect(outcome.rejected.map(\.column) == [badField], "\(badField)")
                #expect(outcome.rejected.map(\.row) == [1])
                for (a, e) in zip(actual, expected) {
                    let name = a.descriptor.name
                    #expect(a.rowCount == e.rowCount, "\(badField) \(name)")
                    #expect(a.definitionLevels == e.definitionLevels, "\(badField) \(name)")
                    #expect(a.booleans == e.booleans && a.int32s == e.int32s && a.int64s == e.int64s, "\(badField) \(name)")
                    #expect(a.floats.map(\.bitPattern) == e.floats.map(\.bitPattern), "\(badField) \(name)")
                    #expect(a.doubles.map(\.bitPattern) == e.doubles.map(\.bitPattern), "\(badField) \(name)")
                    #expect(a.bytes.bytes == e.bytes.bytes && a.offsets == e.offsets, "\(badField) \(name)")
                }
            }
        }
    }

    @Test func deepNonObjectElementIsRejected() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        var builders = makeBuilders(pairSchema)
        let outcome = try decode("{\"id\": 1}\n\(deep)\n{\"id\": 2}", pairSchema, into: &builders, policy: .skip)
        #expect(outcome.rowsAccepted == 2)
        #expect(outcome.rejected.map(\.code) == [.invalidRecord])
        #expect(outcome.rejected.map(\.offset) == [10])
    }
}
