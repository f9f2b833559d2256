import Testing
@testable import Parquet
@testable import ParquetJSON

/// The decoder stages values per column and copies them into the builders every few hundred
/// records (`_ColumnStage`, `_ByteCursor`). Whatever the flush boundaries and rejections, a
/// batch must leave the builders exactly as decoding its accepted records one by one would,
/// and a rejected batch must leave them as they were.
@Suite struct StagedAppendTests {
    static let flatFields = [
        Field("id", .int64, nullable: false),
        Field("name", .string),
        Field("u", .uuid),
        Field("money", .decimal(precision: 30, scale: 2)),
        Field("score", .float64),
        Field("ok", .boolean),
    ]
    /// Flat schemas undo a rejected record row by row, nested ones by marks: both are covered.
    static let schemas = [
        try! Schema(flatFields),
        try! Schema(flatFields + [Field("tags", .list(.struct(fields: [Field("k", .string), Field("n", .int32)])))]),
    ]

    /// Record `i`; every 13th is invalid after its id and name were stored (a bad uuid, so
    /// those values must be taken back), every 7th has nulls and an empty list.
    static func record(_ i: Int) -> String {
        if i % 13 == 5 { return #"{"id": \#(i), "name": "partial \#(i)", "u": "bad uuid"}"# }
        if i % 7 == 0 { return #"{"id": \#(i), "name": null, "tags": []}"# }
        let hex = String(i, radix: 16)
        let uuid = "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - hex.count) + hex
        return #"{"id": \#(i), "name": "name \#(i) \#(String(repeating: "é", count: i % 5))", "u": "\#(uuid)", "#
            + #""money": "\#(i).\#(i % 100)", "score": \#(Double(i) / 8), "ok": \#(i % 2 == 0), "#
            + #""tags": [{"k": "a\#(i)", "n": \#(i % 1000)}, {"k": null, "n": null}]}"#
    }

    static func same(_ a: [ColumnBuilder], _ b: [ColumnBuilder]) -> Bool {
        zip(a, b).allSatisfy { x, y in
            x.rowCount == y.rowCount && x.definitionLevels == y.definitionLevels
                && x.repetitionLevels == y.repetitionLevels && x.int32s == y.int32s && x.int64s == y.int64s
                && x.doubles == y.doubles && x.booleans == y.booleans && x.bytes == y.bytes && x.offsets == y.offsets
        }
    }

    @Test(arguments: [0, 1])
    func aBatchEqualsItsRecordsOneByOne(schemaIndex: Int) throws {
        let schema = Self.schemas[schemaIndex]
        let records = (0..<1_500).map(Self.record)
        var batch = makeBuilders(schema)
        let outcome = try decode(records.joined(separator: "\n"), schema, into: &batch, policy: .skip)
        #expect(outcome.rejected.count == (0..<1_500).filter { $0 % 13 == 5 }.count)
        var single = makeBuilders(schema)
        for record in records where !record.contains("bad uuid") {
            try decode(record, schema, into: &single)
        }
        let equal = Self.same(batch, single)  // a bare Bool: a failure would print every builder
        #expect(equal)
    }

    @Test(arguments: [0, 1])
    func rejectedBatchesLeaveTheBuildersAsTheyWere(schemaIndex: Int) throws {
        let schema = Self.schemas[schemaIndex]
        var builders = makeBuilders(schema)
        try decode((0..<300).map(Self.record).joined(separator: "\n"), schema, into: &builders, policy: .skip)
        let before = builders
        // .fail: the invalid record 5 rejects the batch, after 400 more records were staged.
        #expect(throws: ParquetError.self) {
            try decode((0..<700).map(Self.record).joined(separator: "\n"), schema, into: &builders, policy: .fail)
        }
        let unchangedByFail = Self.same(builders, before)
        #expect(unchangedByFail)
        // Malformed JSON near the end rejects the batch under .skip too.
        let malformed = (0..<700).map(Self.record).joined(separator: "\n") + "\n{\"id\": 1,"
        #expect(throws: ParquetError.self) { try decode(malformed, schema, into: &builders, policy: .skip) }
        let unchangedByMalformed = Self.same(builders, before)
        #expect(unchangedByMalformed)
    }
}
