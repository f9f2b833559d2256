import Testing
@testable import Parquet
@testable import ParquetJSON

/// The native schema JSON's nested types: list (`items`), struct (`fields`), map (`keys`, `values`).
@Suite struct NestedSchemaJSONTests {
    @Test func parsesNestedTypesAtAnyDepth() throws {
        let parsed = try parseSchema(
            #"""
            {"name": "tags", "type": "list", "items": {"type": "string", "nullable": true}},
            {"name": "addr", "type": "struct", "nullable": false, "fields": [
                {"name": "city", "type": "string"},
                {"name": "geo", "type": "list", "items": {"type": "list", "items": {"type": "float64", "nullable": false}}}]},
            {"name": "attrs", "type": "map", "keys": {"type": "string"}, "values": {"type": "int64", "nullable": true}},
            {"name": "deep", "type": "map", "keys": {"type": "int32", "nullable": false},
             "values": {"type": "struct", "fields": [{"name": "d", "type": "decimal", "precision": 9, "scale": 2}]}}
            """#)
        #expect(parsed.fields == [
            Field("tags", .list(.string)),
            Field("addr", .struct(fields: [
                Field("city", .string), Field("geo", .list(.list(.float64, nullableElements: false))),
            ]), nullable: false),
            Field("attrs", .map(.string, .int64)),
            Field("deep", .map(.int32, .struct(fields: [Field("d", .decimal(precision: 9, scale: 2))]))),
        ])
    }

    @Test func rejectsBadNestedFields() {
        let cases: [(String, String)] = [
            (#"{"name": "t", "type": "list"}"#, "missing required key 'items'"),
            (#"{"name": "t", "type": "list", "items": {"name": "x", "type": "int64"}}"#, "unknown key 'name'"),
            (#"{"name": "t", "type": "list", "items": {"type": "int64", "size": 3}}"#, "unknown key 'size'"),
            (#"{"name": "t", "type": "list", "items": {"type": "int64"}, "fields": []}"#, "unknown key 'fields'"),
            (#"{"name": "s", "type": "struct", "fields": []}"#, "'fields'"),
            (#"{"name": "s", "type": "struct", "fields": [{"name": "a", "type": "int64", "bogus": 1}]}"#, "unknown key 'bogus'"),
            (#"{"name": "m", "type": "map", "keys": {"type": "string", "nullable": true}, "values": {"type": "int64"}}"#, "nullable"),
            (#"{"name": "m", "type": "map", "keys": {"type": "string"}}"#, "missing required key 'values'"),
            (#"{"name": "m", "type": "map", "keys": {"type": "list", "items": {"type": "int64"}}, "values": {"type": "int64"}}"#, "primitive"),
            (#"{"name": "s", "type": "struct", "fields": [{"name": "a", "type": "int64"}, {"name": "a", "type": "int64"}]}"#, "duplicate"),
            (#"{"name": "t", "type": "list", "items": {"type": "nope"}}"#, "unknown type 'nope'"),
        ]
        for (fields, fragment) in cases {
            let error = schemaError(fields)
            #expect(error?.code == .invalidSchema, "\(fields)")
            #expect(error?.message.contains(fragment) == true, "\(fields): \(error?.message ?? "no error")")
        }
        #expect(schemaError(#"{"name": "s", "type": "struct", "fields": [{"name": "a", "type": "int64", "bogus": 1}]}"#)?.column == "s.a")
    }

    /// Iceberg's field ids: on any field object, written to the footer's schema elements
    /// (the list's and map's repeated groups have none, as pyarrow writes them), rendered
    /// back, and unique.
    @Test func fieldIDsReachTheFooter() throws {
        let parsed = try parseSchema(
            #"""
            {"name": "id", "type": "int64", "nullable": false, "field_id": 1},
            {"name": "tags", "type": "list", "field_id": 2, "items": {"type": "string", "field_id": 5}},
            {"name": "attrs", "type": "map", "field_id": 3, "keys": {"type": "string", "field_id": 6},
             "values": {"type": "struct", "field_id": 7, "fields": [{"name": "n", "type": "int32", "field_id": 8}]}},
            {"name": "plain", "type": "string"}
            """#)
        #expect(parsed.fields[0].fieldID == 1)
        #expect(parsed.fields[3].fieldID == nil)
        let ids = parsed.thriftElements.map { "\($0.name):\($0.fieldID.map(String.init) ?? "-")" }
        #expect(ids == [
            "schema:-", "id:1", "tags:2", "list:-", "element:5", "attrs:3", "key_value:-", "key:6", "value:7", "n:8",
            "plain:-",
        ])
        var json = JSONWriter()
        parsed.renderJSON(into: &json)
        #expect(try Schema(json: JSONValue.parse(json.text)) == parsed)
    }

    @Test func rejectsRepeatedOrNegativeFieldIDs() {
        let repeated = schemaError(
            #"{"name": "a", "type": "int64", "field_id": 4}, {"name": "s", "type": "struct", "fields": [{"name": "b", "type": "int64", "field_id": 4}]}"#)
        #expect(repeated?.message == "field id 4 is used by both 'a' and 's.b'")
        #expect(schemaError(#"{"name": "a", "type": "int64", "field_id": -1}"#)?.code == .invalidSchema)
        #expect(schemaError(#"{"name": "a", "type": "int64", "field_id": "1"}"#)?.code == .invalidSchema)
    }
}
