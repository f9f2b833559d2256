import ParquetJSON

/// What `parquet-writer airbyte spec` prints: the destination's ConnectorSpecification, whose
/// `connectionSpecification` is the JSON Schema of ``AirbyteConfig`` (the platform draws its
/// form from it and validates configurations against it).
enum AirbyteSpecification {
    /// The JSON Schema of the configuration. Kept as readable text here and parsed once; the
    /// message is rendered compact, on one line, as the protocol wants.
    static let connectionSpecificationText = #"""
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "title": "Parquet Writer Destination Spec",
          "type": "object",
          "required": ["destination_path"],
          "additionalProperties": false,
          "properties": {
            "destination_path": {"type": "string", "title": "Destination path", "order": 0,
              "description": "The local directory the streams' datasets go in: <destination_path>/<stream>, or <destination_path>/<namespace>/<stream>.",
              "examples": ["/local/parquet"]},
            "compression": {"type": "string", "title": "Compression", "default": "snappy", "order": 1,
              "description": "A codec the writer's compression option takes (snappy, zstd, gzip, none, ...); check rejects others.",
              "examples": ["snappy", "zstd", "none"]},
            "compression_level": {"type": "integer", "title": "Compression level", "description": "zstd (default 3) or gzip (0-9, default 6).", "order": 2},
            "partition_by": {"type": "array", "title": "Partition by", "order": 3,
              "description": "Hive partition levels, outermost first: column, column:transform (year, month, day, hour) or name=column:transform, e.g. _airbyte_extracted_at:day.",
              "items": {"type": "string"}},
            "sort_by": {"type": "array", "title": "Sort by", "order": 4, "description": "Sort each file's rows: column, column:desc, column:asc:nulls_first.", "items": {"type": "string"}},
            "on_invalid": {"type": "string", "title": "Values that do not fit their column", "enum": ["null_field", "skip", "fail"], "default": "null_field", "order": 5,
              "description": "null_field: write a null and record the change in _airbyte_meta (records invalid otherwise are skipped); skip: leave the record out; fail: fail the sync."},
            "unknown_keys": {"type": "string", "title": "Keys not in the stream's schema", "enum": ["ignore", "fail", "collect"], "default": "ignore", "order": 6},
            "unknown_keys_column": {"type": "string", "title": "Column collecting unknown keys", "default": "_unknown", "order": 7},
            "file_prefix": {"type": "string", "title": "File name prefix", "default": "part", "order": 8},
            "max_rows_per_file": {"type": "integer", "minimum": 1, "title": "Rows per file at most", "order": 9},
            "max_bytes_per_file": {"type": "integer", "minimum": 1, "title": "Bytes per file at most", "order": 10},
            "row_group_rows": {"type": "integer", "minimum": 1, "title": "Rows per row group", "default": 1048576, "order": 11},
            "row_group_bytes": {"type": "integer", "minimum": 1, "title": "Encoded bytes per row group", "default": 134217728, "order": 12},
            "page_bytes": {"type": "integer", "minimum": 1, "title": "Bytes per data page", "default": 1048576, "order": 13},
            "column_buffer_bytes": {"type": "integer", "minimum": 1, "title": "Column buffer bytes", "order": 14},
            "dictionary": {"type": "boolean", "title": "Dictionary encoding", "default": true, "order": 15},
            "max_open_files": {"type": "integer", "minimum": 1, "title": "Open files at most", "default": 100, "order": 16},
            "memory_limit_bytes": {"type": "integer", "minimum": 4194304, "title": "Memory limit (bytes)", "default": 268435456, "order": 17},
            "write_partition_columns": {"type": "boolean", "title": "Keep identity partition columns in the files", "default": false, "order": 18},
            "infer_strings": {"type": "boolean", "title": "Type strings when inferring a schema", "default": true, "order": 19},
            "metadata": {"type": "object", "title": "Footer key-value metadata", "additionalProperties": {"type": "string"}, "order": 20},
            "on_malformed": {"type": "string", "title": "Lines that are not Airbyte messages", "enum": ["fail", "skip"], "default": "fail", "order": 21},
            "batch_rows": {"type": "integer", "minimum": 1, "title": "Records buffered per stream", "default": 10000, "order": 22},
            "batch_bytes": {"type": "integer", "minimum": 1, "title": "Bytes buffered per stream", "default": 8388608, "order": 23},
            "max_line_bytes": {"type": "integer", "minimum": 1, "title": "Longest message line", "default": 268435456, "order": 24}
          }
        }
        """#

    /// The SPEC message, one line.
    /// - Returns: `{"type":"SPEC","spec":{...}}`.
    static func message() -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("type")
        json.string("SPEC")
        json.key("spec")
        json.beginObject()
        json.key("connectionSpecification")
        // The text is a constant checked by the tests: it parses.
        AirbyteMessageText.render((try? JSONValue.parse(connectionSpecificationText)) ?? .object([]), into: &json)
        json.key("supportsIncremental")
        json.bool(true)
        json.key("supportsNormalization")
        json.bool(false)
        json.key("supportsDBT")
        json.bool(false)
        json.key("supported_destination_sync_modes")
        json.beginArray()
        for mode in AirbyteSyncModes.supported { json.string(mode) }
        json.endArray()
        json.endObject()
        json.endObject()
        return json.text
    }
}
