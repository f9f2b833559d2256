import Testing
@testable import Parquet
@testable import ParquetJSON

/// ``JSONBatchDecoder/nullsInvalidValues``: a value that does not fit its nullable top-level
/// field is stored as a null and reported, the record kept; other invalid records follow the
/// policy as before.
@Suite struct NullingInvalidValueTests {
    let schema = try! Schema([
        Field("id", .int64, nullable: false), Field("age", .int32),
        Field("address", .struct(fields: [Field("city", .string), Field("zip", .int32)])),
        Field("tags", .list(.string)), Field("name", .string),
    ])

    func run(_ text: String, policy: InvalidRecordPolicy = .skip) throws(ParquetError) -> (JSONBatchOutcome, [ColumnBuilder]) {
        var decoder = JSONBatchDecoder(schema: schema)
        decoder.nullsInvalidValues = true
        var builders = makeBuilders(schema)
        let bytes = Array(text.utf8)
        let outcome = try bytes.withUnsafeBufferPointer { (buffer) throws(ParquetError) -> JSONBatchOutcome in
            try decoder.decode(UnsafeRawBufferPointer(buffer), into: &builders, policy: policy)
        }
        return (outcome, builders)
    }

    @Test func unfitValuesAreNulledWholeFieldsAtATime() throws {
        let (outcome, builders) = try run(
            """
            {"id": 1, "age": "old", "address": {"city": "Oslo", "zip": "x"}, "tags": ["a", 2], "name": "n1"}
            {"id": 2, "age": 3, "address": {"city": "Rome", "zip": 7}, "tags": ["b"], "name": "n2"}
            {"id": 3, "age": 99999999999, "name": 5}
            """)
        #expect(outcome.rowsAccepted == 3 && outcome.rejected.isEmpty)
        #expect(outcome.nulled.map { "\($0.row!):\($0.column!)" } == ["0:age", "0:address", "0:tags", "2:age", "2:name"])
        #expect(outcome.nulled.map(\.code) == [.typeMismatch, .typeMismatch, .typeMismatch, .valueOutOfRange, .typeMismatch])
        #expect(builders[0].int64s == [1, 2, 3])
        // age: null, 3, null.
        #expect(builders[1].definitionLevels == [0, 1, 0] && builders[1].int32s == [3])
        // address.city of record 0 was decoded before zip failed: rolled back with the struct.
        #expect(stringValues(builders[2]) == ["Rome"])
        #expect(builders[2].definitionLevels == [0, 2, 0])
        #expect(builders[3].int32s == [7])
        #expect(stringValues(builders[4]) == ["b"])
        #expect(stringValues(builders[5]) == ["n1", "n2"] && builders[5].definitionLevels == [1, 1, 0])
        for builder in builders { #expect(builder.rowCount == 3) }
    }

    @Test func recordsInvalidOtherwiseFollowThePolicy() throws {
        let text = """
            {"id": 1, "age": "old"}
            {"id": "one", "age": 2}
            [1]
            {"id": 4, "age": 4, "age": 5}
            {"id": 5, "age": "x", "name": 1}
            """
        let (outcome, builders) = try run(text)
        // The non-nullable id cannot be nulled; a non-object and a repeated key are not values.
        #expect(outcome.rejected.map { $0.row! } == [1, 2, 3])
        #expect(outcome.rowsAccepted == 2)
        #expect(outcome.nulled.map { "\($0.row!):\($0.column!)" } == ["0:age", "4:age", "4:name"])
        #expect(builders[0].int64s == [1, 5])
        let failure = try #require(throws: ParquetError.self) { try run(text, policy: .fail) }
        #expect(failure.row == 1 && failure.column == "id")
    }

    @Test func malformedJSONStillFailsTheBatch() {
        #expect(throws: ParquetError.self) { try run(#"{"id": 1, "age": [1, }"#) }
    }

    @Test func offByDefault() {
        let error = decodeError(#"{"id": 1, "age": "old"}"#, schema)
        #expect(error?.code == .typeMismatch && error?.column == "age")
    }
}
