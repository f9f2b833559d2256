import Testing
@testable import Parquet
@testable import ParquetJSON

/// The schema field's `"encoding"`: parsed on leaf fields (nested ones too), rendered back,
/// and refused where the type cannot take it.
@Suite struct SchemaEncodingJSONTests {
    @Test func parsesAndRendersEveryEncoding() throws {
        let parsed = try parseSchema(
            #"""
            {"name": "a", "type": "int64", "encoding": "delta_binary_packed"},
            {"name": "b", "type": "string", "encoding": "delta_length_byte_array"},
            {"name": "c", "type": "uuid", "encoding": "delta_byte_array"},
            {"name": "d", "type": "float64", "encoding": "byte_stream_split"},
            {"name": "e", "type": "boolean", "encoding": "plain"},
            {"name": "f", "type": "decimal", "precision": 30, "encoding": "dictionary"},
            {"name": "g", "type": "list", "items": {"type": "date", "encoding": "byte_stream_split"}},
            {"name": "h", "type": "string"}
            """#)
        #expect(parsed.fields.map(\.encoding) == [
            .deltaBinaryPacked, .deltaLengthByteArray, .deltaByteArray, .byteStreamSplit, .plain, .dictionary, nil, nil,
        ])
        #expect(parsed.columns.map(\.encoding) == [
            .deltaBinaryPacked, .deltaLengthByteArray, .deltaByteArray, .byteStreamSplit, .plain, .dictionary,
            .byteStreamSplit, nil,
        ])
        var json = JSONWriter()
        parsed.renderJSON(into: &json)
        #expect(json.text.contains(#""encoding":"delta_binary_packed""#))
        #expect(try Schema(json: JSONValue.parse(json.text)) == parsed)
    }

    /// (the field's type keys, the encoding).
    @Test(arguments: [
        (#""type": "string""#, "delta_binary_packed"), (#""type": "boolean""#, "byte_stream_split"),
        (#""type": "boolean""#, "dictionary"), (#""type": "int32""#, "delta_length_byte_array"),
        (#""type": "fixed_binary", "length": 4"#, "delta_length_byte_array"),
        (#""type": "float32""#, "delta_binary_packed"), (#""type": "binary""#, "byte_stream_split"),
        (#""type": "int64""#, "delta_byte_array"),
    ])
    func refusesEncodingsTheTypeCannotTake(type: String, encoding: String) throws {
        let failure = try #require(schemaError(#"{"name": "x", \#(type), "encoding": "\#(encoding)"}"#))
        #expect(failure.code == .invalidSchema)
        #expect(failure.column == "x")
        #expect(failure.message.contains("encoding '\(encoding)' does not apply"))
    }

    @Test func refusesUnknownEncodingsAndNestedFields() throws {
        let unknown = try #require(schemaError(#"{"name": "x", "type": "int64", "encoding": "rle"}"#))
        #expect(unknown.code == .invalidSchema)
        #expect(unknown.message.contains("unknown encoding 'rle'"))
        let nested = try #require(schemaError(#"{"name": "l", "type": "list", "encoding": "plain", "items": {"type": "int64"}}"#))
        #expect(nested.code == .invalidSchema)
        #expect(nested.column == "l")
        #expect(schemaError(#"{"name": "x", "type": "int64", "encoding": 5}"#)?.code == .invalidSchema)
    }
}
