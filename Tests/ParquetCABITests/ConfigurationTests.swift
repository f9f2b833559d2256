import Parquet
import ParquetJSON
import Testing

/// `WriterConfiguration(json:)` and `Schema(json:)`: every key, every default, every error.
@Suite struct ConfigurationTests {
    static let schemaJSON = #"{"fields": [{"name": "id", "type": "int64"}]}"#

    func parse(_ text: String) throws(ParquetError) -> WriterConfiguration {
        try WriterConfiguration(json: try JSONValue.parse(text))
    }

    /// `WriterConfiguration(jsonText:)` over raw bytes (a non-throwing closure: typed throws
    /// through `withUnsafeBytes` crashes the 6.3 compiler's IRGen).
    func parseBytes(_ bytes: [UInt8]) -> Result<WriterConfiguration, ParquetError> {
        bytes.withUnsafeBytes { raw in
            do throws(ParquetError) {
                return .success(try WriterConfiguration(jsonText: raw))
            } catch {
                return .failure(error)
            }
        }
    }

    /// A configuration with `extra` members added to a minimal valid one.
    func config(_ extra: String) -> String {
        #"{"path": "/tmp/x.parquet", "schema": \#(Self.schemaJSON)\#(extra.isEmpty ? "" : ", " + extra)}"#
    }

    /// A configuration whose only field is `field`.
    func fieldConfig(_ field: String) -> String {
        #"{"path": "/tmp/x.parquet", "schema": {"fields": [\#(field)]}}"#
    }

    func expectError(
        _ text: String, _ code: ParquetError.Code, _ fragment: String, column: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try parse(text)
            Issue.record("expected \(code.rawValue) containing \"\(fragment)\" for \(text)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
            if let column { #expect(error.column == column, sourceLocation: sourceLocation) }
        }
    }

    // MARK: Keys and defaults

    @Test func minimalConfigurationGetsTheDefaults() throws {
        let configuration = try parse(config(""))
        #expect(configuration.path == "/tmp/x.parquet")
        #expect(configuration.schema.fields == [Field("id", .int64, nullable: true)])
        #expect(configuration.options == WriterOptions())
        #expect(configuration.options.compression == .snappy)
        #expect(configuration.options.dictionary)
        #expect(configuration.onInvalid == .fail)
    }

    @Test func everyKeyIsRead() throws {
        let configuration = try parse(config(
            #""compression": "zstd", "compression_level": 7, "row_group_rows": 10, "row_group_bytes": 2048, "page_bytes": 4096, "dictionary": false, "on_invalid": "skip", "metadata": {"b": "2", "a": "1", "": "empty"}"#))
        #expect(configuration.options.compression == .zstd(level: 7))
        #expect(configuration.options.rowGroupRows == 10)
        #expect(configuration.options.rowGroupBytes == 2048)
        #expect(configuration.options.pageBytes == 4096)
        #expect(configuration.options.dictionary == false)
        #expect(configuration.onInvalid == .skip)
        #expect(configuration.options.metadata.map(\.key) == ["b", "a", ""])
        #expect(configuration.options.metadata.map(\.value) == ["2", "1", "empty"])
    }

    @Test(arguments: [
        (#""compression": "snappy""#, Compression.snappy),
        (#""compression": "none""#, .uncompressed),
        (#""compression": "zstd""#, .zstd(level: 3)),
        (#""compression": "gzip""#, .gzip(level: 6)),
        (#""compression": "gzip", "compression_level": 9"#, .gzip(level: 9)),
        (#""compression": "gzip", "compression_level": -1"#, .gzip(level: -1)),
        (#""compression": "zstd", "compression_level": 0"#, .zstd(level: 0)),
        (#""compression": "zstd", "compression_level": -5"#, .zstd(level: -5)),
        (#""compression": "lz4_raw""#, .lz4Raw(level: 1)),
        (#""compression": "lz4_raw", "compression_level": 12"#, .lz4Raw(level: 12)),
        (#""compression": "brotli""#, .brotli(level: 8)),
        (#""compression": "brotli", "compression_level": 0"#, .brotli(level: 0)),
        (#""compression": "brotli", "compression_level": 11"#, .brotli(level: 11)),
    ])
    func compression(_ extra: String, _ expected: Compression) throws {
        #expect(try parse(config(extra)).options.compression == expected)
    }

    @Test(arguments: [
        ("boolean", DataType.boolean), ("int8", .int8), ("int16", .int16), ("int32", .int32), ("int64", .int64),
        ("uint8", .uint8), ("uint16", .uint16), ("uint32", .uint32), ("uint64", .uint64),
        ("float32", .float32), ("float64", .float64), ("string", .string), ("binary", .binary),
        ("date", .date), ("time_ms", .time(.milliseconds)), ("time_us", .time(.microseconds)),
        ("time_ns", .time(.nanoseconds)), ("timestamp_ms", .timestamp(.milliseconds, utc: true)),
        ("timestamp_us", .timestamp(.microseconds, utc: true)), ("timestamp_ns", .timestamp(.nanoseconds, utc: true)),
        ("uuid", .uuid), ("json", .json),
    ])
    func everyPlainTypeName(_ name: String, _ type: DataType) throws {
        let configuration = try parse(fieldConfig(#"{"name": "c", "type": "\#(name)"}"#))
        #expect(configuration.schema.fields == [Field("c", type)])
        #expect(type.name == name)
    }

    @Test func typeParameters() throws {
        let configuration = try parse(#"""
            {"path": "p", "schema": {"fields": [
              {"name": "f", "type": "fixed_binary", "length": 16, "nullable": false},
              {"name": "t", "type": "timestamp_ms", "utc": false},
              {"name": "u", "type": "timestamp_ns", "utc": true},
              {"name": "d", "type": "decimal", "precision": 38, "scale": 10},
              {"name": "e", "type": "decimal", "precision": 5},
              {"name": "n", "type": "int32", "nullable": true}]}}
            """#)
        #expect(configuration.schema.fields == [
            Field("f", .fixedBinary(length: 16), nullable: false),
            Field("t", .timestamp(.milliseconds, utc: false)),
            Field("u", .timestamp(.nanoseconds, utc: true)),
            Field("d", .decimal(precision: 38, scale: 10)),
            Field("e", .decimal(precision: 5, scale: 0)),
            Field("n", .int32, nullable: true),
        ])
    }

    @Test func textEntryPointParsesBytes() throws {
        let configuration = try parseBytes(Array(config(#""on_invalid": "skip""#).utf8)).get()
        #expect(configuration.onInvalid == .skip)
    }

    // MARK: Top-level errors

    @Test func modeIsReadForFilesAndDatasets() throws {
        #expect(try parse(config("")).mode == nil)
        #expect(try parse(config(#""mode": "error""#)).mode == .error)
        #expect(try parse(config(#""mode": "overwrite""#)).mode == .overwrite)
        let dataset = try parse(#"{"directory": "/tmp/ds", "schema": \#(Self.schemaJSON), "mode": "overwrite_partitions"}"#)
        #expect(dataset.mode == .overwritePartitions && dataset.dataset?.mode == .overwritePartitions)
        #expect(try parse(#"{"directory": "/tmp/ds", "schema": \#(Self.schemaJSON)}"#).dataset?.mode == nil)
        expectError(config(#""mode": "append""#), .invalidOptions, "mode 'append' is for directory output")
        expectError(config(#""mode": "overwrite_partitions""#), .invalidOptions, "is for directory output")
        expectError(
            config(#""mode": "Overwrite""#), .invalidOptions,
            "unknown mode 'Overwrite'; expected one of: error, overwrite, overwrite_partitions, append")
        expectError(config(#""mode": 1"#), .invalidOptions, "'mode' in the configuration must be a string")
    }

    @Test func topLevelErrors() {
        expectError("[]", .invalidOptions, "the configuration must be a JSON object, got array")
        expectError("\"path\"", .invalidOptions, "must be a JSON object, got string")
        expectError(config(#""colour": "red""#), .invalidOptions, "unknown key 'colour'")
        expectError(config(#""Path": "x""#), .invalidOptions, "unknown key 'Path'")
        expectError(config(#""path": "again""#), .invalidOptions, "duplicate key 'path'")
        expectError(#"{"schema": \#(Self.schemaJSON)}"#, .invalidOptions, "missing required key 'path'")
        expectError(#"{"path": 5, "schema": \#(Self.schemaJSON)}"#, .invalidOptions, "'path' in the configuration must be a string, got number")
        expectError(#"{"path": null, "schema": \#(Self.schemaJSON)}"#, .invalidOptions, "must be a string, got null")
        expectError(#"{"path": "", "schema": \#(Self.schemaJSON)}"#, .invalidOptions, "'path' must not be empty")
        expectError(#"{"path": "a\u0000b", "schema": \#(Self.schemaJSON)}"#, .invalidOptions, "NUL")
        expectError(#"{"path": "/tmp/", "schema": \#(Self.schemaJSON)}"#, .invalidOptions, "names a directory")
        // Neither schema nor json_schema means inference (SchemaSourceTests); both is an error.
        expectError(
            #"{"path": "x", "schema": \#(Self.schemaJSON), "json_schema": {"properties": {}}}"#, .invalidSchema,
            "both 'schema' and 'json_schema'")
    }

    @Test func compressionErrors() {
        expectError(config(#""compression": "lz4""#), .invalidOptions, "unknown compression 'lz4'")
        expectError(config(#""compression": "ZSTD""#), .invalidOptions, "unknown compression 'ZSTD'")
        expectError(config(#""compression": 1"#), .invalidOptions, "'compression' in the configuration must be a string, got number")
        // The deprecated Hadoop-framed LZ4 is not offered; the message lists lz4_raw.
        expectError(config(#""compression": "lz4""#), .invalidOptions, "expected one of: snappy, zstd, gzip, lz4_raw, brotli, none")
        expectError(config(#""compression_level": 3"#), .invalidOptions, "only valid with compression zstd, gzip, lz4_raw or brotli, not snappy")
        expectError(config(#""compression": "none", "compression_level": 3"#), .invalidOptions, "not none")
        expectError(config(#""compression": "gzip", "compression_level": 10"#), .invalidOptions, "outside gzip's -1...9")
        expectError(config(#""compression": "zstd", "compression_level": 1000"#), .invalidOptions, "outside zstd's")
        expectError(config(#""compression": "lz4_raw", "compression_level": 0"#), .invalidOptions, "'compression_level' 0 is outside lz4_raw's 1...12")
        expectError(config(#""compression": "lz4_raw", "compression_level": 13"#), .invalidOptions, "outside lz4_raw's 1...12")
        expectError(config(#""compression": "brotli", "compression_level": 12"#), .invalidOptions, "'compression_level' 12 is outside brotli's 0...11")
        expectError(config(#""compression": "brotli", "compression_level": -1"#), .invalidOptions, "outside brotli's 0...11")
        expectError(config(#""compression": "zstd", "compression_level": 1.5"#), .invalidOptions, "'compression_level' in the configuration must be an integer, got 1.5")
        expectError(config(#""compression": "zstd", "compression_level": "3""#), .invalidOptions, "must be an integer, got string")
        expectError(config(#""compression": "zstd", "compression_level": 99999999999"#), .invalidOptions, "must be in")
    }

    @Test func limitErrors() {
        for key in ["row_group_rows", "row_group_bytes", "page_bytes"] {
            expectError(config(#""\#(key)": 0"#), .invalidOptions, "'\(key)' in the configuration must be in 1...")
            expectError(config(#""\#(key)": -1"#), .invalidOptions, "'\(key)' in the configuration must be in 1...")
            expectError(config(#""\#(key)": "10""#), .invalidOptions, "'\(key)' in the configuration must be an integer, got string")
            expectError(config(#""\#(key)": 1e3"#), .invalidOptions, "'\(key)' in the configuration must be an integer, got 1e3")
            expectError(config(#""\#(key)": 10.0"#), .invalidOptions, "must be an integer, got 10.0")
            expectError(config(#""\#(key)": 99999999999999999999999"#), .invalidOptions, "must be in 1...")
            expectError(config(#""\#(key)": true"#), .invalidOptions, "must be an integer, got boolean")
        }
        expectError(config(#""page_bytes": 1073741825"#), .invalidOptions, "'page_bytes' in the configuration must be in 1...1073741824")
    }

    @Test func policyDictionaryAndMetadataErrors() {
        expectError(config(#""dictionary": "yes""#), .invalidOptions, "'dictionary' in the configuration must be true or false, got string")
        expectError(config(#""dictionary": 1"#), .invalidOptions, "must be true or false, got number")
        expectError(config(#""on_invalid": "ignore""#), .invalidOptions, "unknown on_invalid 'ignore'; expected one of: fail, skip")
        expectError(config(#""on_invalid": false"#), .invalidOptions, "'on_invalid' in the configuration must be a string, got boolean")
        expectError(config(#""metadata": ["a"]"#), .invalidOptions, "'metadata' must be a JSON object, got array")
        expectError(config(#""metadata": {"a": 1}"#), .invalidOptions, "metadata value of 'a' must be a string, got number")
        expectError(config(#""metadata": {"a": null}"#), .invalidOptions, "must be a string, got null")
        expectError(config(#""metadata": {"a": "1", "a": "2"}"#), .invalidOptions, "duplicate key 'a' in 'metadata'")
    }

    @Test func malformedAndTooDeepConfigurationText() {
        for text in ["", "{", #"{"path": "x",}"#, "{'path': 'x'}", #"{"path": "x"} trailing"#, "nul"] {
            if case .failure(let error) = parseBytes(Array(text.utf8)) {
                #expect(error.code == .malformedJSON, "\(text): \(error)")
            } else {
                Issue.record("\(text) accepted")
            }
            do {
                _ = try WriterConfiguration(json: try JSONValue.parse(text))
            } catch {
                #expect(error.code == .malformedJSON, "\(text): \(error)")
            }
        }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        do {
            _ = try parse(config(#""metadata": \#(deep)"#))
            Issue.record("deep nesting accepted")
        } catch {
            #expect(error.code == .limitExceeded)
        }
        let invalidUTF8: [UInt8] = Array(#"{"path": "x"#.utf8) + [0xFF, 0xFE] + Array(#"", "schema": \#(Self.schemaJSON)}"#.utf8)
        if case .failure(let error) = parseBytes(invalidUTF8) {
            #expect(error.code == .malformedJSON)
        } else {
            Issue.record("invalid UTF-8 accepted")
        }
    }

    // MARK: Schema errors

    @Test func schemaErrors() {
        expectError(#"{"path": "x", "schema": []}"#, .invalidSchema, "the schema must be a JSON object, got array")
        expectError(#"{"path": "x", "schema": {}}"#, .invalidSchema, "missing required key 'fields' in the schema")
        expectError(#"{"path": "x", "schema": {"fields": {}}}"#, .invalidSchema, "'fields' in the schema must be an array of field objects, got object")
        expectError(#"{"path": "x", "schema": {"fields": []}}"#, .invalidSchema, "at least one field")
        expectError(#"{"path": "x", "schema": {"fields": [], "name": "t"}}"#, .invalidSchema, "unknown key 'name' in the schema")
        expectError(fieldConfig("5"), .invalidSchema, "field 0 must be a JSON object, got number")
        expectError(fieldConfig(#"{"type": "int64"}"#), .invalidSchema, "missing required key 'name' in field 0")
        expectError(fieldConfig(#"{"name": 1, "type": "int64"}"#), .invalidSchema, "'name' in field 0 must be a string, got number")
        expectError(fieldConfig(#"{"name": "a"}"#), .invalidSchema, "missing required key 'type' in field 'a'", column: "a")
        expectError(fieldConfig(#"{"name": "a", "type": ["int64"]}"#), .invalidSchema, "'type' in field 'a' must be a string, got array")
        expectError(fieldConfig(#"{"name": "a", "type": "int128"}"#), .invalidSchema, "unknown type 'int128' in field 'a'", column: "a")
        expectError(fieldConfig(#"{"name": "a", "type": "Int64"}"#), .invalidSchema, "unknown type 'Int64'")
        expectError(fieldConfig(#"{"name": "a", "type": "timestamp"}"#), .invalidSchema, "unknown type 'timestamp'")
        expectError(fieldConfig(#"{"name": "a", "type": "int64", "nullable": "no"}"#), .invalidSchema, "'nullable' in field 'a' must be true or false, got string")
        expectError(fieldConfig(#"{"name": "a", "type": "int64", "colour": 1}"#), .invalidSchema, "unknown key 'colour' in field 'a'")
        expectError(fieldConfig(#"{"name": "a", "type": "int64", "type": "int32"}"#), .invalidSchema, "duplicate key 'type' in field 'a'")
        expectError(fieldConfig(#"{"name": "", "type": "int64"}"#), .invalidSchema, "field names must not be empty")
        expectError(
            #"{"path": "x", "schema": {"fields": [{"name": "a", "type": "int64"}, {"name": "a", "type": "string"}]}}"#,
            .invalidSchema, "duplicate field name 'a'", column: "a")
    }

    @Test func typeSpecificKeysOnTheWrongType() {
        expectError(fieldConfig(#"{"name": "a", "type": "int64", "length": 4}"#), .invalidSchema, "'length' is not valid for type int64", column: "a")
        expectError(fieldConfig(#"{"name": "a", "type": "binary", "length": 4}"#), .invalidSchema, "'length' is not valid for type binary")
        expectError(fieldConfig(#"{"name": "a", "type": "date", "utc": true}"#), .invalidSchema, "'utc' is not valid for type date")
        expectError(fieldConfig(#"{"name": "a", "type": "time_us", "utc": false}"#), .invalidSchema, "'utc' is not valid for type time_us")
        expectError(fieldConfig(#"{"name": "a", "type": "string", "precision": 4}"#), .invalidSchema, "'precision' is not valid for type string")
        expectError(fieldConfig(#"{"name": "a", "type": "int32", "scale": 2}"#), .invalidSchema, "'scale' is not valid for type int32")
        expectError(fieldConfig(#"{"name": "a", "type": "decimal", "precision": 4, "length": 2}"#), .invalidSchema, "'length' is not valid for type decimal")
        expectError(fieldConfig(#"{"name": "a", "type": "uuid", "length": 16}"#), .invalidSchema, "'length' is not valid for type uuid")
    }

    @Test func typeParameterErrors() {
        expectError(fieldConfig(#"{"name": "a", "type": "fixed_binary"}"#), .invalidSchema, "missing required key 'length' in field 'a' (type fixed_binary)")
        expectError(fieldConfig(#"{"name": "a", "type": "fixed_binary", "length": 0}"#), .invalidSchema, "'length' in field 'a' must be in 1...2147483647, got 0")
        expectError(fieldConfig(#"{"name": "a", "type": "fixed_binary", "length": "16"}"#), .invalidSchema, "'length' in field 'a' must be an integer, got string")
        expectError(fieldConfig(#"{"name": "a", "type": "fixed_binary", "length": 1.5}"#), .invalidSchema, "must be an integer, got 1.5")
        expectError(fieldConfig(#"{"name": "a", "type": "timestamp_us", "utc": "yes"}"#), .invalidSchema, "'utc' in field 'a' must be true or false, got string")
        expectError(fieldConfig(#"{"name": "a", "type": "decimal"}"#), .invalidSchema, "missing required key 'precision' in field 'a' (type decimal)")
        expectError(fieldConfig(#"{"name": "a", "type": "decimal", "precision": 0}"#), .invalidSchema, "'precision' in field 'a' must be in 1...38, got 0")
        expectError(fieldConfig(#"{"name": "a", "type": "decimal", "precision": 39}"#), .invalidSchema, "must be in 1...38, got 39")
        expectError(fieldConfig(#"{"name": "a", "type": "decimal", "precision": 5, "scale": 6}"#), .invalidSchema, "'scale' in field 'a' must be in 0...precision (5), got 6")
        expectError(fieldConfig(#"{"name": "a", "type": "decimal", "precision": 5, "scale": -1}"#), .invalidSchema, "'scale' in field 'a' must be in 0...38, got -1")
        expectError(fieldConfig(#"{"name": "a", "type": "decimal", "precision": "5"}"#), .invalidSchema, "'precision' in field 'a' must be an integer, got string")
    }

    @Test func nativeSchemaParserStandsAlone() throws {
        let schema = try Schema(json: try JSONValue.parse(#"{"fields": [{"name": "x", "type": "uuid", "nullable": false}]}"#))
        #expect(schema.fields == [Field("x", .uuid, nullable: false)])
        let field = try Field(json: try JSONValue.parse(#"{"name": "y", "type": "json"}"#), index: 0)
        #expect(field == Field("y", .json))
    }
}
