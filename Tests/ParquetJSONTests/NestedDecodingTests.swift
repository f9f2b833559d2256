import Testing
@testable import Parquet
@testable import ParquetJSON

/// Decoding structs, lists and maps: exact Dremel levels and values per leaf.
@Suite struct NestedDecodingTests {
    /// (definition levels, repetition levels) of a builder.
    func levels(_ builder: ColumnBuilder) -> [[Int]] {
        [builder.definitionLevels.map(Int.init), builder.repetitionLevels.map(Int.init)]
    }

    func decoded(_ fields: [Field], _ text: String, policy: InvalidRecordPolicy = .fail) throws -> [ColumnBuilder] {
        let schema = try Schema(fields)
        var builders = makeBuilders(schema)
        try decode(text, schema, into: &builders, policy: policy)
        return builders
    }

    @Test func listOfIntegersWithNullsAndEmptyLists() throws {
        let builders = try decoded(
            [Field("v", .list(.int64))],
            """
            {"v": [1, null, 2]}
            {"v": []}
            {"v": null}
            {}
            {"v": [3]}
            """)
        #expect(levels(builders[0]) == [[3, 2, 3, 1, 0, 0, 3], [0, 1, 1, 0, 0, 0, 0]])
        #expect(builders[0].int64s == [1, 2, 3])
        #expect(builders[0].rowCount == 5)
    }

    @Test func listOfStructs() throws {
        let element = DataType.struct(fields: [Field("a", .int64), Field("b", .string)])
        let builders = try decoded(
            [Field("v", .list(element))],
            """
            {"v": [{"a": 1, "b": "x"}, {"a": 2}, null, {}]}
            {"v": [{"b": "y", "a": 3}]}
            """)
        #expect(levels(builders[0]) == [[4, 4, 2, 3, 4], [0, 1, 1, 1, 0]])
        #expect(levels(builders[1]) == [[4, 3, 2, 3, 4], [0, 1, 1, 1, 0]])
        #expect(builders[0].int64s == [1, 2, 3])
        #expect(stringValues(builders[1]) == ["x", "y"])
    }

    /// Struct field names of 1, 6, 7, 8 and 15 bytes (a name and its quote in one word, in
    /// exactly one, and past it), keys that only start like a name or that a name only starts,
    /// keys out of order, and a struct whose last key ends the input, where fewer than 8 bytes
    /// are left to read after it.
    @Test func structFieldNamesAroundTheWordSize() throws {
        let type = DataType.struct(fields: [
            Field("a", .int64), Field("abcdef", .int64), Field("abcdefg", .int64), Field("abcdefgh", .int64),
            Field("abcdefghijklmno", .int64),
        ])
        let builders = try decoded(
            [Field("s", type)],
            """
            {"s": {"a": 1, "abcdef": 2, "abcdefg": 3, "abcdefgh": 4, "abcdefghijklmno": 5}}
            {"s": {"abcdefghijklmno": 15, "abcdefgh": 14, "abcdefg": 13, "abcdef": 12, "a": 11}}
            {"s": {"abcdefg": 23, "a": 21}}
            {"s":{"abcdefgh":34}}
            """ + "\n{\"s\":{\"a\":9}}")
        #expect(builders.map(\.int64s) == [[1, 11, 21, 9], [2, 12], [3, 13, 23], [4, 14, 34], [5, 15]])
        #expect(builders.map(\.rowCount) == [5, 5, 5, 5, 5])
        for (name, text) in [
            ("a longer key", #"{"s": {"ab": 1}}"#), ("a shorter key", #"{"s": {"abcde": 1}}"#),
            ("a key one byte past a name", #"{"s": {"abcdefgi": 1}}"#),
            ("a key one byte short at the end", #"{"s":{"abcdefghijklmn":1}}"#),
        ] {
            var builders = makeBuilders(try Schema([Field("s", type)]))
            let outcome = try decode(text, try Schema([Field("s", type)]), into: &builders, policy: .skip)
            #expect(outcome.rowsAccepted == 1 && outcome.rejected.isEmpty, "\(name)")
            #expect(builders.allSatisfy { $0.int64s.isEmpty }, "\(name): no field takes the value")
        }
    }

    /// A list of structs takes an object element straight to its fields; a null element and
    /// an element of another kind still take the general path (a null struct, or the struct's
    /// type error at the element).
    @Test func listOfStructsWithElementsThatAreNotObjects() throws {
        let element = DataType.struct(fields: [Field("a", .int64)])
        let builders = try decoded(
            [Field("v", .list(element))],
            #"{"v": [ {"a": 1} , null,{"a": 2}]}"#)
        #expect(levels(builders[0]) == [[4, 2, 4], [0, 1, 1]])
        #expect(builders[0].int64s == [1, 2])
        let schema = try Schema([Field("v", .list(element))])
        let error = decodeError(#"{"v": [{"a": 1}, 7]}"#, schema)
        #expect(error?.code == .typeMismatch)
        #expect(error?.message == "expected a JSON object for struct column 'v.list.element', found a number")
        #expect(error?.offset == 17)
    }

    /// Whitespace between a map's key and its colon, and none at all.
    @Test func mapKeysWithAndWithoutSpaceBeforeTheColon() throws {
        let builders = try decoded(
            [Field("m", .map(.string, .int64))],
            """
            {"m": {"x" : 1, "y":2,"z"	:3}}
            """)
        #expect(stringValues(builders[0]) == ["x", "y", "z"])
        #expect(builders[1].int64s == [1, 2, 3])
    }

    @Test func structOfLists() throws {
        let type = DataType.struct(fields: [
            Field("xs", .list(.int64)), Field("ys", .list(.string, nullableElements: false)),
        ])
        let builders = try decoded(
            [Field("id", .int32, nullable: false), Field("v", type)],
            """
            {"id": 1, "v": {"xs": [1, 2], "ys": ["a"]}}
            {"id": 2, "v": {"xs": [], "ys": null}}
            {"id": 3, "v": null}
            {"v": {"ys": ["b", "c"]}, "id": 4}
            """)
        #expect(builders[0].int32s == [1, 2, 3, 4])
        #expect(levels(builders[1]) == [[4, 4, 2, 0, 1], [0, 1, 0, 0, 0]])
        #expect(levels(builders[2]) == [[3, 1, 0, 3, 3], [0, 0, 0, 0, 1]])
        #expect(builders[1].int64s == [1, 2])
        #expect(stringValues(builders[2]) == ["a", "b", "c"])
        #expect(builders.map(\.rowCount) == [4, 4, 4])
    }

    @Test func mapWithNullValues() throws {
        let builders = try decoded(
            [Field("v", .map(.string, .int64))],
            """
            {"v": {"a": 1, "b": null}}
            {"v": {}}
            {"v": null}
            {"v": {"c": 7}}
            """)
        #expect(levels(builders[0]) == [[2, 2, 1, 0, 2], [0, 1, 0, 0, 0]])
        #expect(levels(builders[1]) == [[3, 2, 1, 0, 3], [0, 1, 0, 0, 0]])
        #expect(stringValues(builders[0]) == ["a", "b", "c"])
        #expect(builders[1].int64s == [1, 7])
    }

    /// Maps as Arrow hands them to Python (issue 12): `[[key, value], ...]` and
    /// `[{"key": key, "value": value}, ...]` decode to what the object form does.
    @Test func mapsAsArraysOfEntries() throws {
        let fields = [Field("v", .map(.string, .list(.int64))), Field("n", .map(.int32, .string))]
        let asObjects = try decoded(fields, """
            {"v": {"a": [1, 2], "b": null, "c": []}, "n": {"1": "x", "-5": null}}
            {"v": {}, "n": null}
            {"v": null, "n": {"7": "y"}}
            """)
        let asEntries = try decoded(fields, """
            {"v": [["a", [1, 2]], {"key": "b", "value": null}, {"value": [], "key": "c"}], "n": [[1, "x"], [-5, null]]}
            {"v": [], "n": null}
            {"v": null, "n": [{"key": 7, "value": "y"}]}
            """)
        #expect(asEntries.map(levels) == asObjects.map(levels))
        #expect(stringValues(asEntries[0]) == ["a", "b", "c"])
        #expect(asEntries[1].int64s == [1, 2])
        #expect(asEntries[2].int32s == [1, -5, 7])
        #expect(stringValues(asEntries[3]) == ["x", "y"])
        #expect(asEntries.map(\.rowCount) == [3, 3, 3, 3])

        // Entries are kept as given, repeated keys included (as an Arrow map keeps them).
        let repeated = try decoded([Field("m", .map(.string, .int64))], #"{"m": [["a", 1], ["a", 2]]}"#)
        #expect(stringValues(repeated[0]) == ["a", "a"])

        let schema = try Schema([Field("m", .map(.int32, .string))])
        for bad in [#"[[1]]"#, #"[[1, "x", 2]]"#, #"[1]"#, #"["a"]"#, #"[{"key": 1}]"#, #"[{"value": "x"}]"#,
                    #"[{"key": 1, "value": "x", "other": 2}]"#, #"[{"key": 1, "key": 2, "value": "x"}]"#, #"[{}]"#] {
            let error = decodeError(#"{"m": \#(bad)}"#, schema)
            #expect(error?.code == .typeMismatch, "\(bad)")
            #expect(error?.column == "m", "\(bad)")
        }
        #expect(decodeError(#"{"m": [["1", "x"]]}"#, schema)?.column == "m.key_value.key")
        #expect(decodeError(#"{"m": [[null, "x"]]}"#, schema)?.code == .missingValue)
        #expect(decodeError(#"{"m": [[1 "x"]]}"#, schema)?.code == .malformedJSON)

        // Under skip, a bad entry rejects its record only; the others are written whole.
        var builders = makeBuilders(schema)
        let outcome = try decode(
            #"{"m": [[1, "a"]]} {"m": [[2, "b"], [3]]} {"m": [{"key": 4, "value": "d"}]}"#, schema, into: &builders,
            policy: .skip)
        #expect(outcome.rejected.map(\.row) == [1])
        #expect(builders[0].int32s == [1, 4])
        #expect(stringValues(builders[1]) == ["a", "d"])
        #expect(builders.map(\.rowCount) == [2, 2])
    }

    @Test func mapKeysAreConvertedToTheKeyType() throws {
        let builders = try decoded(
            [Field("v", .map(.int32, .string)), Field("d", .map(.date, .boolean, nullableValues: false))],
            #"{"v": {"1": "x", "-5": "y"}, "d": {"2024-01-02": true}}"#)
        #expect(builders[0].int32s == [1, -5])
        #expect(stringValues(builders[1]) == ["x", "y"])
        #expect(builders[2].int32s == [19724])
        #expect(builders[3].booleans == [true])
        for key in ["x1", "1x", "", "1.5", "nul", "99999999999"] {
            let error = decodeError(#"{"v": {"\#(key)": "x"}}"#, try Schema([Field("v", .map(.int32, .string))]))
            #expect(error?.code == .invalidValue || error?.code == .valueOutOfRange, "\(key)")
            #expect(error?.column == "v.key_value.key")
        }
        let repeated = decodeError(#"{"v": {"a": 1, "a": 2}}"#, try Schema([Field("v", .map(.string, .int64))]))
        #expect(repeated?.code == .invalidRecord)
    }

    @Test func repeatedMapKeysAreFoundInLargeAndNestedMaps() throws {
        let schema = try Schema([Field("v", .map(.string, .map(.string, .int64)))])
        let entries = (0..<40).map { "\"k\($0)\": {\"k\($0)\": 1, \"x\": 2}" }.joined(separator: ", ")
        var builders = makeBuilders(schema)
        // Inner maps may reuse the outer map's keys, and each inner map its own.
        try decode("{\"v\": {\(entries)}}\n{\"v\": {\(entries)}}", schema, into: &builders)
        #expect(builders[0].valueCount == 80 && builders[1].valueCount == 160)
        #expect(builders.allSatisfy { $0.rowCount == 2 })
        for repeated in ["k0", "k17", "k39"] {
            let error = decodeError("{\"v\": {\(entries), \"\(repeated)\": {}}}", schema)
            #expect(error?.code == .invalidRecord && error?.column == "v", "\(repeated)")
        }
        let inner = decodeError(#"{"v": {"a": {"x": 1, "y": 2, "x": 3}}}"#, schema)
        #expect(inner?.code == .invalidRecord && inner?.column == "v.key_value.value")
        let escaped = decodeError(#"{"v": {"a": {}, "\u0061": {}}}"#, schema)
        #expect(escaped?.code == .invalidRecord)
    }

    @Test func nestedLists() throws {
        let builders = try decoded(
            [Field("v", .list(.list(.int64)))],
            """
            {"v": [[1, 2], [], null, [null, 3]]}
            {"v": []}
            {"v": [[4]]}
            """)
        #expect(levels(builders[0]) == [[5, 5, 3, 2, 4, 5, 1, 5], [0, 2, 1, 1, 1, 2, 0, 0]])
        #expect(builders[0].int64s == [1, 2, 3, 4])
        #expect(builders[0].rowCount == 3)
    }

    @Test func nullVersusEmptyAtEveryLevel() throws {
        // v: optional struct { l: optional list<optional struct { m: optional map<string, optional int64> }> }
        let inner = DataType.struct(fields: [Field("m", .map(.string, .int64))])
        let fields = [Field("v", .struct(fields: [Field("l", .list(inner))]))]
        let builders = try decoded(
            fields,
            """
            {}
            {"v": null}
            {"v": {}}
            {"v": {"l": null}}
            {"v": {"l": []}}
            {"v": {"l": [null]}}
            {"v": {"l": [{}]}}
            {"v": {"l": [{"m": null}]}}
            {"v": {"l": [{"m": {}}]}}
            {"v": {"l": [{"m": {"k": null}}]}}
            {"v": {"l": [{"m": {"k": 1}}]}}
            """)
        #expect(levels(builders[0]) == [[0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 6], Array(repeating: 0, count: 11)])
        #expect(levels(builders[1]) == [[0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7], Array(repeating: 0, count: 11)])
        #expect(stringValues(builders[0]) == ["k", "k"])
        #expect(builders[1].int64s == [1])
    }

    @Test func deepNesting() throws {
        let inner = DataType.struct(fields: [Field("b", .map(.string, .list(.int64)))])
        let builders = try decoded(
            [Field("v", .struct(fields: [Field("a", .list(inner))]))],
            """
            {"v": {"a": [{"b": {"k": [1, null], "e": []}}, {"b": null}, null]}}
            {"v": {"a": []}}
            {"v": {}}
            {"v": {"a": [{"b": {"z": [2, 3]}}]}}
            """)
        let key = builders[0]
        let value = builders[1]
        #expect(key.descriptor.maxDefinitionLevel == 6 && key.descriptor.maxRepetitionLevel == 2)
        #expect(value.descriptor.maxDefinitionLevel == 9 && value.descriptor.maxRepetitionLevel == 3)
        #expect(levels(key) == [[6, 6, 4, 3, 2, 1, 6], [0, 2, 1, 1, 0, 0, 0]])
        #expect(levels(value) == [[9, 8, 7, 4, 3, 2, 1, 9, 9], [0, 3, 2, 1, 1, 0, 0, 0, 3]])
        #expect(stringValues(key) == ["k", "e", "z"])
        #expect(value.int64s == [1, 2, 3])
    }

    /// A struct's keys are matched against the next field's name as written (`name"` in the
    /// input) before they are scanned; every other spelling of a key takes the scan and finds
    /// the same field, or none.
    @Test func structKeysAreFoundHoweverTheyAreWritten() throws {
        let type = DataType.struct(fields: [
            Field("a", .int64), Field("ab", .string), Field(#"q"uote"#, .int64), Field(#"back\slash"#, .int64),
            Field("long_field_name_over_8", .int64),
        ])
        let builders = try decoded(
            [Field("s", type)],
            #"""
            {"s": {"a": 1, "ab": "x", "q\"uote": 2, "back\\slash": 3, "long_field_name_over_8": 4}}
            {"s": {"ab": "y", "a": 5}}
            {"s": {"\u0061": 6, "a\u0062" : "z", "abc": 0, "long_field_name_over_8" :7}}
            {"s": {"long_field_name_over_": 0, "long_field_name_over_80": 0, "a"  :  8}}
            """#)
        #expect(builders[0].int64s == [1, 5, 6, 8])
        #expect(stringValues(builders[1]) == ["x", "y", "z"])
        #expect(builders[2].int64s == [2] && builders[3].int64s == [3] && builders[4].int64s == [4, 7])
        #expect(levels(builders[4]) == [[2, 1, 2, 1], []])
        // A one-byte name last in the schema: its word is read past the names' end (padded).
        let short = try decoded([Field("t", .struct(fields: [Field("z", .int64)]))], #"{"t": {"z": 9}}"#)
        #expect(short[0].int64s == [9])
        let schema = try Schema([Field("s", type)])
        // A key given twice, first as written and then escaped, or the other way round.
        for text in [#"{"s": {"a": 1, "\u0061": 2}}"#, #"{"s": {"\u0061": 1, "a": 2}}"#, #"{"s": {"ab": "x", "a": 1, "a": 2}}"#] {
            let error = decodeError(text, schema)
            #expect(error?.code == .invalidRecord && error?.message.contains("more than once") == true, "\(text)")
        }
    }

    @Test func requiredNodesAndTypeMismatches() throws {
        let schema = try Schema([
            Field("id", .int64, nullable: false),
            Field("s", .struct(fields: [Field("x", .int64, nullable: false), Field("l", .list(.int64, nullableElements: false))])),
            Field("r", .list(.string), nullable: false),
        ])
        func error(_ text: String) -> ParquetError? { decodeError(text, schema) }
        let missing = error(#"{"id": 1, "s": {"l": []}, "r": []}"#)
        #expect(missing?.code == .missingValue && missing?.column == "s.x")
        let nullElement = error(#"{"id": 1, "s": {"x": 1, "l": [null]}, "r": []}"#)
        #expect(nullElement?.code == .missingValue && nullElement?.column == "s.l.list.element")
        let missingList = error(#"{"id": 1, "s": null}"#)
        #expect(missingList?.code == .missingValue && missingList?.column == "r")
        let nullList = error(#"{"id": 1, "r": null}"#)
        #expect(nullList?.code == .missingValue && nullList?.column == "r")
        let notList = error(#"{"id": 1, "r": "abc"}"#)
        #expect(notList?.code == .typeMismatch && notList?.column == "r" && notList?.offset == 15)
        let notStruct = error(#"{"id": 1, "s": [1], "r": []}"#)
        #expect(notStruct?.code == .typeMismatch && notStruct?.column == "s")
        let badElement = error(#"{"id": 1, "r": ["a", 2]}"#)
        #expect(badElement?.code == .typeMismatch && badElement?.column == "r.list.element" && badElement?.offset == 21)
        let notMap = decodeError(#"{"m": [1]}"#, try Schema([Field("m", .map(.string, .int64))]))
        #expect(notMap?.code == .typeMismatch && notMap?.column == "m")
        let repeatedField = error(#"{"id": 1, "s": {"x": 1, "x": 2}, "r": []}"#)
        #expect(repeatedField?.code == .invalidRecord)
        let malformed = error(#"{"id": 1, "r": ["a" "b"]}"#)
        #expect(malformed?.code == .malformedJSON)
        // Unknown keys inside structs are validated and ignored.
        var builders = makeBuilders(schema)
        try decode(#"{"id": 1, "s": {"x": 1, "extra": {"deep": [1, 2]}}, "r": ["q"]}"#, schema, into: &builders)
        #expect(levels(builders[2]) == [[1], [0]])
        #expect(stringValues(builders[3]) == ["q"])
    }

    @Test func skipRollsBackRejectedRecordsInEveryColumn() throws {
        let schema = try Schema([
            Field("id", .int64, nullable: false),
            Field("v", .list(.struct(fields: [Field("a", .int64), Field("b", .list(.string))]))),
        ])
        var builders = makeBuilders(schema)
        let outcome = try decode(
            """
            {"id": 1, "v": [{"a": 1, "b": ["x", "y"]}]}
            {"id": 2, "v": [{"a": 2, "b": ["z"]}, {"a": "bad"}]}
            {"id": 3, "v": [{"a": 3, "b": ["w", 4]}]}
            {"id": 4, "v": [{"a": 4}, {"b": []}]}
            """, schema, into: &builders, policy: .skip)
        #expect(outcome.rowsAccepted == 2)
        #expect(outcome.rejected.map(\.row) == [1, 2])
        #expect(outcome.rejected.map(\.column) == ["v.list.element.a", "v.list.element.b.list.element"])
        #expect(builders[0].int64s == [1, 4])
        #expect(levels(builders[1]) == [[4, 4, 3], [0, 0, 1]])
        #expect(builders[1].int64s == [1, 4])
        #expect(levels(builders[2]) == [[6, 6, 3, 4], [0, 2, 0, 1]])
        #expect(stringValues(builders[2]) == ["x", "y"])
        #expect(builders.map(\.rowCount) == [2, 2, 2])

        // Under .fail nothing stays.
        var failed = makeBuilders(schema)
        #expect(throws: ParquetError.self) {
            try decode(#"{"id": 1, "v": [{"a": 1}]}{"id": 2, "v": 5}"#, schema, into: &failed)
        }
        #expect(failed.allSatisfy { $0.levelCount == 0 && $0.valueCount == 0 && $0.rowCount == 0 })
    }

    @Test func everyLeafTypeDecodesInsideALists() throws {
        let types: [DataType] = [
            .boolean, .int8, .uint64, .float32, .float64, .string, .binary, .fixedBinary(length: 2), .date,
            .time(.microseconds), .timestamp(.milliseconds), .decimal(precision: 5, scale: 2),
            .decimal(precision: 30, scale: 2), .uuid, .json,
        ]
        let values = [
            "true", "-3", "18446744073709551615", "1.5", "2.5", "\"s\"", "\"AAE=\"", "\"AAE=\"", "\"2024-01-02\"",
            "\"12:00:00\"", "\"2024-01-02T03:04:05Z\"", "\"1.25\"", "\"12345.67\"",
            "\"123e4567-e89b-12d3-a456-426614174000\"", "{\"a\": [1]}",
        ]
        let fields = types.enumerated().map { Field("c\($0.offset)", .list($0.element)) }
        let record = "{" + values.enumerated().map { "\"c\($0.offset)\": [\($0.element), null]" }.joined(separator: ", ") + "}"
        let builders = try decoded(fields, record)
        for builder in builders {
            #expect(levels(builder) == [[3, 2], [0, 1]], "\(builder.descriptor.path)")
            #expect(builder.valueCount == 1)
        }
        #expect(stringValues(builders[14]) == ["{\"a\": [1]}"])
    }
}
