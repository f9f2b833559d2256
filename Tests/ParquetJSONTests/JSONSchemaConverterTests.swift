import Testing
@testable import Parquet
@testable import ParquetJSON

/// `Schema(jsonSchema:)`: one test per mapping rule.
@Suite struct JSONSchemaConverterTests {
    func convert(_ properties: String, required: String = "[]") throws(ParquetError) -> [Field] {
        try Schema(jsonSchema: try JSONValue.parse(
            #"{"type": "object", "required": \#(required), "properties": {\#(properties)}}"#)).fields
    }

    func field(_ schema: String, required: Bool = false) throws(ParquetError) -> Field {
        try convert(#""f": \#(schema)"#, required: required ? #"["f"]"# : "[]")[0]
    }

    func expectError(_ text: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Schema(jsonSchema: try JSONValue.parse(text))
            Issue.record("expected an error containing \(fragment)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == .invalidSchema, sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func primitiveTypes() throws {
        #expect(try field(#"{"type": "integer"}"#) == Field("f", .int64))
        #expect(try field(#"{"type": "number"}"#) == Field("f", .float64))
        #expect(try field(#"{"type": "boolean"}"#) == Field("f", .boolean))
        #expect(try field(#"{"type": "string"}"#) == Field("f", .string))
    }

    @Test func everyFieldIsNullableUnlessRequired() throws {
        #expect(try field(#"{"type": "integer"}"#).nullable)
        #expect(try field(#"{"type": "integer"}"#, required: true).nullable == false)
        #expect(try field(#"{"type": ["null", "integer"]}"#, required: true).nullable)
        #expect(try field(#"{"type": ["null", "string"]}"#) == Field("f", .string))
    }

    @Test func stringFormats() throws {
        #expect(try field(#"{"type": "string", "format": "date-time"}"#).type == .timestamp(.microseconds, utc: true))
        #expect(try field(#"{"type": ["null", "string"], "format": "date"}"#).type == .date)
        #expect(try field(#"{"type": "string", "format": "time"}"#).type == .time(.microseconds))
        #expect(try field(#"{"type": "string", "format": "email"}"#).type == .string)
    }

    @Test func airbyteTypes() throws {
        #expect(try field(#"{"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"}"#).type
            == .timestamp(.microseconds, utc: true))
        #expect(try field(#"{"type": "string", "airbyte_type": "timestamp_without_timezone"}"#).type
            == .timestamp(.microseconds, utc: false))
        #expect(try field(#"{"type": "number", "airbyte_type": "integer"}"#).type == .int64)
        #expect(try field(#"{"type": "string", "airbyte_type": "time_without_timezone"}"#).type == .time(.microseconds))
        #expect(try field(#"{"type": "string", "airbyte_type": "something_new"}"#).type == .string)
    }

    @Test func objects() throws {
        let nested = try field(#"{"type": ["null", "object"], "required": ["id"], "properties": {"id": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}}}"#)
        #expect(nested.type == .struct(fields: [Field("id", .int64, nullable: false), Field("tags", .list(.string))]))
        #expect(try field(#"{"type": "object"}"#).type == .json)
        #expect(try field(#"{"type": "object", "properties": {}}"#).type == .json)
        #expect(try field(#"{"type": "object", "additionalProperties": true}"#).type == .json)
    }

    @Test func arrays() throws {
        #expect(try field(#"{"type": "array", "items": {"type": "integer"}}"#).type == .list(.int64))
        #expect(try field(#"{"type": "array", "items": {"type": "array", "items": {"type": "number"}}}"#).type
            == .list(.list(.float64)))
        #expect(try field(#"{"type": "array", "items": {"type": "object"}}"#).type == .list(.json))
        #expect(try field(#"{"type": "array"}"#).type == .json)
        #expect(try field(#"{"type": "array", "items": [{"type": "string"}]}"#).type == .json)
    }

    @Test func unionsAndAlternatives() throws {
        #expect(try field(#"{"type": ["string", "integer"]}"#).type == .json)
        #expect(try field(#"{"type": ["null", "integer", "number"]}"#).type == .float64)
        #expect(try field(#"{"anyOf": [{"type": "null"}, {"type": "string", "format": "date"}]}"#) == Field("f", .date))
        #expect(try field(#"{"oneOf": [{"type": "string"}, {"type": "integer"}]}"#).type == .json)
        #expect(try field(#"{"anyOf": [{"type": "string"}, {"type": "object", "properties": {"a": {"type": "string"}}}]}"#).type == .json)
        #expect(try field(#"{"anyOf": [{"type": "integer"}, {"type": "integer"}]}"#).type == .int64)
        #expect(try field(#"{}"#).type == .json)
        #expect(try field(#"{"description": "anything"}"#).type == .json)
        #expect(try field(#"{"type": "null"}"#) == Field("f", .string))
    }

    @Test func everyPropertyBecomesAColumnInOrder() throws {
        let fields = try convert(#""z": {"type": "string"}, "a": {}, "m": {"type": "array"}"#)
        #expect(fields.map(\.name) == ["z", "a", "m"])
    }

    @Test func unsupportedKeywordsAreErrors() {
        expectError(##"{"properties": {"a": {"$ref": "#/definitions/x"}}}"##, "'$ref'")
        expectError(#"{"definitions": {}, "properties": {"a": {"type": "string"}}}"#, "'definitions'")
        expectError(#"{"properties": {"a": {"allOf": [{"type": "string"}]}}}"#, "'allOf'")
        expectError(#"{"properties": {"a": {"type": "widget"}}}"#, "unknown JSON Schema type 'widget'")
        expectError(#"{"properties": {"a": {"type": 5}}}"#, "'type' of property 'a'")
        expectError(#"{"properties": {"a": 3}}"#, "must be an object")
        expectError(#"{"type": "object"}"#, "'properties'")
        expectError(#"{"properties": {}}"#, "at least one property")
        expectError(#"[]"#, "must be a JSON object")
        expectError(#"{"properties": {"a": {"type": "object", "properties": {"b": {"$ref": "x"}}}}}"#, "property 'a.b'")
    }

    @Test func configurationTakesJSONSchema() throws {
        let configuration = try WriterConfiguration(json: try JSONValue.parse(
            #"{"path": "x.parquet", "json_schema": {"properties": {"id": {"type": "integer"}}}}"#))
        #expect(configuration.schema.fields == [Field("id", .int64)])
        let inferred = try WriterConfiguration(json: try JSONValue.parse(#"{"path": "x.parquet"}"#))
        #expect(inferred.schema == nil)
        #expect(throws: ParquetError.self) {
            _ = try WriterConfiguration(json: try JSONValue.parse(#"{"path": "x", "json_schema": {"properties": 1}}"#))
        }
    }
}
