import Testing
@testable import Parquet
@testable import ParquetJSON

/// Keys outside the schema: counted under every policy, refused under `.fail`, kept in the
/// collect column under `.collect` (``JSONBatchDecoder``, ``_UnknownKeyTally``).
@Suite struct UnknownKeyTests {
    let schema = try! Schema([
        Field("id", .int64), Field("s", .struct(fields: [Field("x", .int64)])),
        Field("l", .list(.struct(fields: [Field("k", .string)]))),
    ])

    /// Decodes `text` with `decoder` into fresh builders; commits the unknown keys.
    func run(
        _ decoder: inout JSONBatchDecoder, _ text: String, policy: InvalidRecordPolicy = .fail
    ) throws(ParquetError) -> (JSONBatchOutcome, [ColumnBuilder]) {
        var builders = makeBuilders(decoder.schema)
        let bytes = Array(text.utf8)
        let outcome = try bytes.withUnsafeBufferPointer { (buffer) throws(ParquetError) -> JSONBatchOutcome in
            try decoder.decode(UnsafeRawBufferPointer(buffer), into: &builders, policy: policy)
        }
        decoder.commitUnknownKeys()
        return (outcome, builders)
    }

    func counts(_ list: [UnknownKeyCount]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0.records) })
    }

    @Test func ignoredKeysAreCountedOncePerRecordByPath() throws {
        var decoder = JSONBatchDecoder(schema: schema)
        let (outcome, builders) = try run(
            &decoder,
            """
            {"id": 1, "new": true, "s": {"x": 1, "y": 2}}
            {"id": 2, "l": [{"k": "a", "z": 1}, {"k": "b", "z": 2}], "new": null}
            {"id": 3}
            """)
        #expect(outcome.rowsAccepted == 3)
        #expect(outcome.unknownKeys == [
            UnknownKeyCount(name: "new", records: 2), UnknownKeyCount(name: "s.y", records: 1),
            UnknownKeyCount(name: "l.list.element.z", records: 1),
        ])
        #expect(builders[0].int64s == [1, 2, 3])
        let (second, _) = try run(&decoder, #"{"id": 4, "new": 1, "other": 2}"#)
        #expect(counts(second.unknownKeys) == ["new": 1, "other": 1])
        #expect(counts(decoder.unknownKeyTotals) == ["new": 3, "s.y": 1, "l.list.element.z": 1, "other": 1])
    }

    @Test func recordsLeftOutDoNotCount() throws {
        var decoder = JSONBatchDecoder(schema: schema)
        let (outcome, _) = try run(
            &decoder, #"{"id": "bad", "new": 1}"# + "\n" + #"{"id": 2, "new": 2}"#, policy: .skip)
        #expect(outcome.rejected.count == 1)
        #expect(outcome.unknownKeys == [UnknownKeyCount(name: "new", records: 1)])
    }

    @Test func aRefusedBatchCountsForNothing() throws {
        var decoder = JSONBatchDecoder(schema: schema)
        #expect(throws: ParquetError.self) { try run(&decoder, #"{"id": 1, "gone": 1} {"id": 2,"#) }
        #expect(decoder.unknownKeyTotals.isEmpty)
        // A batch decoded but refused by its writer (never committed) neither.
        var builders = makeBuilders(schema)
        _ = try Array(#"{"id": 1, "gone": 1}"#.utf8).withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            try decoder.decode(UnsafeRawBufferPointer(buffer), into: &builders, policy: .fail)
        }
        decoder.abandonUnknownKeys()
        #expect(decoder.unknownKeyTotals.isEmpty)
        let (outcome, _) = try run(&decoder, #"{"id": 1, "kept": 1}"#)
        #expect(outcome.unknownKeys == [UnknownKeyCount(name: "kept", records: 1)])
        #expect(decoder.unknownKeyTotals == [UnknownKeyCount(name: "kept", records: 1)])
    }

    @Test func namesPastTheLimitCountUnderTheOverflowName() throws {
        var decoder = JSONBatchDecoder(schema: schema)
        // Every record carries k0, and record i > 0 a new key ki as well.
        var text = "{\"k0\": 2}\n"
        for index in 1..<(UnknownKeyCount.maximumNames + 5) { text += "{\"k\(index)\": 1, \"k0\": 2}\n" }
        let (outcome, _) = try run(&decoder, text)
        let batch = counts(outcome.unknownKeys)
        #expect(batch.count == UnknownKeyCount.maximumNames + 1)
        #expect(batch["k0"] == UnknownKeyCount.maximumNames + 5)
        #expect(batch[UnknownKeyCount.overflowName] == 5)
        #expect(outcome.unknownKeys.last?.name == UnknownKeyCount.overflowName)
    }

    @Test func failRejectsTheBatchNamingKeyRecordAndOffset() throws {
        for policy in [InvalidRecordPolicy.fail, .skip] {
            var decoder = JSONBatchDecoder(schema: schema, unknownKeys: .fail)
            var builders = makeBuilders(schema)
            let text = "{\"id\": 1}\n{\"id\": 2, \"extra\": 1}\n"
            let error = #expect(throws: ParquetError.self) {
                try Array(text.utf8).withUnsafeBufferPointer { (buffer) throws(ParquetError) in
                    _ = try decoder.decode(UnsafeRawBufferPointer(buffer), into: &builders, policy: policy)
                }
            }
            #expect(error?.code == .invalidRecord)
            #expect(error?.column == "extra")
            #expect(error?.row == 1)
            #expect(error?.offset == 20)
            #expect(error?.message.contains("'extra' is not in the schema") == true)
            #expect(builders[0].rowCount == 0)
        }
        var decoder = JSONBatchDecoder(schema: schema, unknownKeys: .fail)
        let error = #expect(throws: ParquetError.self) { try run(&decoder, #"{"id": 1, "s": {"x": 1, "q": 2}}"#) }
        #expect(error?.column == "s.q")
        // Records without unknown keys pass.
        let (outcome, _) = try run(&decoder, #"{"id": 1, "s": {"x": 1}}"#)
        #expect(outcome.rowsAccepted == 1 && outcome.unknownKeys.isEmpty)
    }

    @Test func collectKeepsTheMembersTextAsWritten() throws {
        let collecting = try schema.addingUnknownKeysColumn(named: "_unknown")
        var decoder = JSONBatchDecoder(schema: collecting, unknownKeys: .collect)
        let (outcome, builders) = try run(
            &decoder,
            """
            {"id": 1}
            {"a\\u0041" : [1, {"b": 2.50}] ,"id": 2, "s": {"x": 1, "y": 2}, "z":null}
            {"_unknown": "x", "id": 3}
            """)
        #expect(outcome.rowsAccepted == 3)
        let column = builders[builders.count - 1]
        #expect(column.definitionLevels == [0, 1, 1])
        #expect(stringValues(column) == [#"{"a\u0041":[1, {"b": 2.50}],"z":null}"#, #"{"_unknown":"x"}"#])
        // Nested unknown keys are reported, not collected.
        #expect(counts(outcome.unknownKeys) == ["aA": 1, "s.y": 1, "z": 1, "_unknown": 1])
        #expect(builders[0].int64s == [1, 2, 3])
    }

    @Test func collectRollsBackWithARejectedRecord() throws {
        let flat = try Schema([Field("id", .int64)]).addingUnknownKeysColumn(named: "rest")
        var decoder = JSONBatchDecoder(schema: flat, unknownKeys: .collect)
        let (outcome, builders) = try run(
            &decoder, "{\"id\": 1, \"a\": 1}\n{\"b\": 2, \"id\": \"no\"}\n{\"id\": 3, \"c\": 3}\n", policy: .skip)
        #expect(outcome.rowsAccepted == 2)
        #expect(stringValues(builders[1]) == [#"{"a":1}"#, #"{"c":3}"#])
        #expect(counts(outcome.unknownKeys) == ["a": 1, "c": 1])
    }

    @Test func theCollectColumnMayNotShadowAField() {
        #expect(throws: ParquetError.self) { try schema.addingUnknownKeysColumn(named: "id") }
    }

    @Test func collectWithoutItsColumnIsRefused() {
        var decoder = JSONBatchDecoder(schema: schema, unknownKeys: .collect)
        let error = #expect(throws: ParquetError.self) { try run(&decoder, #"{"id": 1, "a": 2}"#) }
        #expect(error?.code == .invalidOptions)
    }
}
