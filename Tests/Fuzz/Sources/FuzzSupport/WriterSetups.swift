/// The writer configurations the C ABI target drives (chosen by an input's first byte) and
/// the footer target's seed files are written with.
///
/// Each setup is a fixed, valid configuration: the configuration parser has its own target,
/// so the C ABI target spends its inputs on batches and call sequences. Knobs (the input's
/// second and third bytes) vary codec, dictionary, page and row-group sizes, the column
/// buffer, threads, metadata and the policy for invalid records.
public struct WriterSetup: Sendable {
    /// A short name, for messages and seed file names.
    public var name: String
    /// Directory output (a dataset) rather than one file.
    public var isDataset: Bool
    /// No schema: it is inferred from the first batch.
    public var inferred: Bool
    /// Has `partition_by` (then `threads` stays 1).
    public var partitioned: Bool
    /// Configuration members besides the output and the knobs (JSON text, no braces).
    public var members: String
    /// A batch every state of the writer accepts whole: one record, written as one row.
    public var goodBatch: String
    /// Valid records exercising the setup's types (NDJSON), all written.
    public var sample: [String]
}

/// How a setup is varied, from two input bytes.
public struct WriterKnobs: Sendable, CustomStringConvertible {
    public var skipInvalid = false
    /// 0 snappy, 1 zstd (level 1), 2 gzip (level 1), 3 none.
    public var codec = 0
    public var noDictionary = false
    /// Two-row row groups and 64-byte pages: many row groups and pages from small batches.
    public var tinyGroups = false
    /// A 16-byte column buffer: pages go to the scratch spool file at once.
    public var tinyColumnBuffer = false
    /// `threads: 2` (where partitioning allows it).
    public var twoThreads = false
    /// Footer key-value metadata.
    public var metadata = false
    /// `write_partition_columns: true` (datasets).
    public var writePartitionColumns = false
    /// Batches through `write_batch` (NUL-terminated) instead of `write_batch_n`.
    public var nulTerminated = false
    /// 0 close, 1 commit_files then close, 2 abort, 3 commit_files then abort.
    public var ending = 0

    public init() {}

    /// Knobs from two bytes (missing bytes are 0).
    public init(_ first: UInt8, _ second: UInt8) {
        skipInvalid = first & 1 != 0
        codec = Int(first >> 1 & 3)
        noDictionary = first & 8 != 0
        tinyGroups = first & 16 != 0
        tinyColumnBuffer = first & 32 != 0
        twoThreads = first & 64 != 0
        metadata = first & 128 != 0
        ending = Int(second & 3)
        nulTerminated = second & 4 != 0
        writePartitionColumns = second & 8 != 0
    }

    /// The two bytes these knobs come from.
    public var bytes: [UInt8] {
        var first: UInt8 = (skipInvalid ? 1 : 0) | UInt8(codec & 3) << 1
        first |= (noDictionary ? 8 : 0) | (tinyGroups ? 16 : 0) | (tinyColumnBuffer ? 32 : 0)
        first |= (twoThreads ? 64 : 0) | (metadata ? 128 : 0)
        let second: UInt8 = UInt8(ending & 3) | (nulTerminated ? 4 : 0) | (writePartitionColumns ? 8 : 0)
        return [first, second]
    }

    public var description: String {
        var parts = [skipInvalid ? "skip" : "fail", ["snappy", "zstd", "gzip", "none"][codec]]
        if noDictionary { parts.append("no-dictionary") }
        if tinyGroups { parts.append("tiny-groups") }
        if tinyColumnBuffer { parts.append("tiny-buffer") }
        if twoThreads { parts.append("threads-2") }
        if metadata { parts.append("metadata") }
        if writePartitionColumns { parts.append("write-partition-columns") }
        if nulTerminated { parts.append("write_batch") }
        parts.append(["close", "commit+close", "abort", "commit+abort"][ending])
        return parts.joined(separator: " ")
    }
}

extension WriterSetup {
    /// The configuration JSON for output at `output` (a file path or a dataset directory).
    public func configuration(output: String, knobs: WriterKnobs) -> String {
        var text = "{" + (isDataset ? "\"directory\": " : "\"path\": ") + jsonString(output)
        if !members.isEmpty { text += ", " + members }
        text += ", \"on_invalid\": " + (knobs.skipInvalid ? "\"skip\"" : "\"fail\"")
        switch knobs.codec {
        case 1: text += ", \"compression\": \"zstd\", \"compression_level\": 1"
        case 2: text += ", \"compression\": \"gzip\", \"compression_level\": 1"
        case 3: text += ", \"compression\": \"none\""
        default: text += ", \"compression\": \"snappy\""
        }
        if knobs.noDictionary { text += ", \"dictionary\": false" }
        if knobs.tinyGroups { text += ", \"row_group_rows\": 2, \"page_bytes\": 64" }
        if knobs.tinyColumnBuffer { text += ", \"column_buffer_bytes\": 16" }
        if knobs.twoThreads && !partitioned { text += ", \"threads\": 2" }
        if knobs.metadata { text += ", \"metadata\": {\"source\": \"fuzz\", \"é\\u00e9\": \"\\\"quoted\\\"\"}" }
        if knobs.writePartitionColumns && partitioned { text += ", \"write_partition_columns\": true" }
        return text + "}"
    }

    /// The eight setups, indexed by the input's first byte modulo 8.
    public static let all: [WriterSetup] = [flat, nested, jsonSchema, inferredFile, partitioned, partitionedByParts, inferredDataset, rolling]

    static let flatFields = """
        [{"name": "id", "type": "int64", "nullable": false}, {"name": "s", "type": "string"},
         {"name": "f", "type": "float64"}, {"name": "b", "type": "boolean"},
         {"name": "ts", "type": "timestamp_ms"}, {"name": "tsn", "type": "timestamp_ns", "utc": false},
         {"name": "d", "type": "date"}, {"name": "dec", "type": "decimal", "precision": 12, "scale": 2},
         {"name": "big", "type": "decimal", "precision": 38, "scale": 10}, {"name": "small", "type": "decimal", "precision": 4, "scale": 1},
         {"name": "bin", "type": "binary"}, {"name": "fb", "type": "fixed_binary", "length": 4},
         {"name": "u", "type": "uuid"}, {"name": "t", "type": "time_us"}, {"name": "tms", "type": "time_ms"},
         {"name": "i8", "type": "int8"}, {"name": "u16", "type": "uint16"}, {"name": "u64", "type": "uint64"},
         {"name": "f32", "type": "float32"}, {"name": "j", "type": "json"}]
        """

    /// Every scalar type, one column each.
    public static let flat = WriterSetup(
        name: "flat", isDataset: false, inferred: false, partitioned: false,
        members: "\"schema\": {\"fields\": \(flatFields)}",
        goodBatch: #"[{"id": 1}]"#,
        sample: [
            #"{"id": 1, "s": "alpha", "f": 1.5, "b": true, "ts": "2024-03-09T17:00:00.123Z", "tsn": "2024-03-09T17:00:00.123456789Z", "d": "2024-03-09", "dec": "12.50", "big": "-1234567890.0123456789", "small": "-99.9", "bin": "AAEC", "fb": "AQIDBA==", "u": "123e4567-e89b-12d3-a456-426614174000", "t": "12:34:56.789012", "tms": "23:59:59.999", "i8": -128, "u16": 65535, "u64": 18446744073709551615, "f32": "NaN", "j": {"a": [1, 2.5, null]}}"#,
            #"{"id": -9223372036854775808, "s": "ç\u00e9\ud83d\ude00", "f": -0.0, "b": false, "ts": 1700000000000, "tsn": -1, "d": 19000, "dec": -0.01, "big": 0, "small": 0.5, "bin": "", "fb": "/////w==", "u": null, "t": 0, "tms": 86399999, "i8": 127, "u16": 0, "u64": 0, "f32": 3.4e38, "j": "text"}"#,
            #"{"id": 3, "f": "-Infinity", "dec": 1e2, "ts": "1969-12-31 23:59:59+01:00", "d": "0001-01-01", "j": [true, {}]}"#,
            #"{"id": 9223372036854775807}"#,
        ])

    static let nestedFields = """
        [{"name": "id", "type": "int64", "nullable": false},
         {"name": "tags", "type": "list", "items": {"type": "string", "nullable": true}},
         {"name": "addr", "type": "struct", "fields": [{"name": "city", "type": "string"}, {"name": "zip", "type": "int32", "nullable": false},
           {"name": "geo", "type": "list", "items": {"type": "float64", "nullable": false}}]},
         {"name": "attrs", "type": "map", "keys": {"type": "string"}, "values": {"type": "int64", "nullable": true}},
         {"name": "matrix", "type": "list", "items": {"type": "list", "items": {"type": "int64"}}},
         {"name": "people", "type": "list", "items": {"type": "struct", "fields": [{"name": "name", "type": "string"},
           {"name": "scores", "type": "list", "items": {"type": "int32"}}]}},
         {"name": "deep", "type": "struct", "fields": [{"name": "a", "type": "list", "items": {"type": "struct", "fields": [
           {"name": "b", "type": "map", "keys": {"type": "int32"}, "values": {"type": "list", "items": {"type": "int64"}}}]}}]}]
        """

    static let nestedSample = [
        #"{"id": 1, "tags": ["a", null, "ccc"], "addr": {"city": "Oslo", "zip": 1234, "geo": [1.5, -2.25]}, "attrs": {"x": 1, "y": null}, "matrix": [[1, 2], [], null, [3]], "people": [{"name": "ann", "scores": [1, 2]}, {"name": null, "scores": []}], "deep": {"a": [{"b": {"1": [10, 20], "2": null}}]}}"#,
        #"{"id": 2, "tags": [], "addr": null, "attrs": {}, "matrix": [], "people": null, "deep": {"a": []}}"#,
        #"{"id": 3, "addr": {"zip": -1}, "people": [{}], "deep": null}"#,
    ]

    /// Struct, list of structs, map, list of lists, and deeper combinations.
    public static let nested = WriterSetup(
        name: "nested", isDataset: false, inferred: false, partitioned: false,
        members: "\"schema\": {\"fields\": \(nestedFields)}",
        goodBatch: #"{"id": 1}"#,
        sample: nestedSample)

    /// An Airbyte-style JSON Schema.
    public static let jsonSchema = WriterSetup(
        name: "json-schema", isDataset: false, inferred: false, partitioned: false,
        members: """
            "json_schema": {"type": "object", "required": ["id"], "properties": {
              "id": {"type": "integer"}, "name": {"type": ["null", "string"]}, "amount": {"type": "number"},
              "active": {"type": "boolean"},
              "created_at": {"type": "string", "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
              "local": {"type": "string", "airbyte_type": "timestamp_without_timezone"},
              "day": {"type": "string", "format": "date"}, "clock": {"type": "string", "format": "time"},
              "count": {"type": "number", "airbyte_type": "integer"},
              "address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "integer"}}},
              "tags": {"type": "array", "items": {"type": "string"}}, "blob": {"type": "object"},
              "any": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "mixed": {"type": ["string", "integer"]},
              "nums": {"type": ["integer", "number"]}, "opt": {"oneOf": [{"type": "null"}, {"type": "string", "format": "date"}]},
              "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}}}}}}
            """,
        goodBatch: #"{"id": 1}"#,
        sample: [
            #"{"id": 1, "name": "x", "amount": 2.5, "active": true, "created_at": "2024-01-01T00:00:00Z", "local": "2024-01-01T00:00:00", "day": "2024-01-01", "clock": "12:00:00", "count": 5, "address": {"city": "Rome", "zip": 100}, "tags": ["a", "b"], "blob": {"k": [1, {"z": null}]}, "any": "s", "mixed": 3, "nums": 1.5, "opt": "2024-02-29", "items": [{"sku": "A1", "qty": 2}]}"#,
            #"{"id": 2, "name": null, "tags": null, "items": [], "blob": [1, 2], "any": 7, "mixed": "t"}"#,
        ])

    /// No schema: the first batch fixes it.
    public static let inferredFile = WriterSetup(
        name: "inferred", isDataset: false, inferred: true, partitioned: false,
        members: "",
        // Null fits any column of an inferred schema (all nullable); before one is fixed it
        // infers a string column; once one is, an unknown key is ignored.
        goodBatch: #"{"fuzz_good": null}"#,
        sample: [
            #"[{"a": 1, "b": "x", "c": {"d": [1, 2.5]}, "e": null, "f": true}, {"a": 2.5, "b": "y", "c": {"g": "h"}, "e": null, "x": [{"y": 1}]}, {"a": null, "mix": 1}, {"mix": "s"}]"#,
        ])

    static let partitionedFields = """
        [{"name": "id", "type": "int64", "nullable": false}, {"name": "cur", "type": "string"},
         {"name": "ts", "type": "timestamp_ms"}, {"name": "d", "type": "date"}, {"name": "n", "type": "int32"},
         {"name": "flag", "type": "boolean"}, {"name": "s", "type": "string"}, {"name": "amount", "type": "decimal", "precision": 10, "scale": 2}]
        """

    static let partitionedSample = [
        #"{"id": 1, "cur": "EUR", "ts": "2024-03-09T17:00:00Z", "d": "2024-03-09", "n": 5, "flag": true, "s": "a", "amount": "1.25"}"#,
        #"{"id": 2, "cur": "USD", "ts": 1700000000000, "d": 19000, "n": -1, "flag": false, "s": "b", "amount": 2}"#,
        #"{"id": 3, "cur": "a/b c%=ü", "ts": null, "d": null, "n": null, "flag": null, "s": null, "amount": null}"#,
        #"{"id": 4, "cur": "", "ts": "1969-12-31T23:59:59.999Z", "d": "1970-01-01", "n": 2147483647}"#,
        #"{"id": 5, "cur": "EUR", "ts": "2024-03-09T18:00:00Z", "d": "2024-03-10", "n": 5, "flag": true}"#,
    ]

    /// Hive partitions by a string's value and a timestamp's day; small files, two open.
    public static let partitioned = WriterSetup(
        name: "partitioned", isDataset: true, inferred: false, partitioned: true,
        members: """
            "schema": {"fields": \(partitionedFields)}, "partition_by": ["cur", {"column": "ts", "transform": "day"}],
            "max_rows_per_file": 3, "max_open_files": 2, "file_prefix": "part"
            """,
        goodBatch: #"{"id": 1}"#,
        sample: partitionedSample)

    /// Partitions by a date's month (renamed), an integer and a boolean; rolled by bytes.
    public static let partitionedByParts = WriterSetup(
        name: "partitioned-parts", isDataset: true, inferred: false, partitioned: true,
        members: """
            "schema": {"fields": \(partitionedFields)}, "partition_by": [{"column": "d", "transform": "month", "name": "m"}, "n",
            {"column": "flag"}, {"column": "ts", "transform": "hour", "name": "h"}], "max_bytes_per_file": 600, "max_open_files": 3
            """,
        goodBatch: #"{"id": 1}"#,
        sample: partitionedSample)

    /// A dataset with no schema, partitioned by an inferred column.
    public static let inferredDataset = WriterSetup(
        name: "inferred-dataset", isDataset: true, inferred: true, partitioned: true,
        members: #""partition_by": ["k"], "max_rows_per_file": 2"#,
        goodBatch: #"{"k": null, "fuzz_good": null}"#,
        sample: [#"{"k": "x", "v": 1}"#, #"{"k": "y", "v": 2}"#, #"{"k": "x", "v": 3.5, "w": [1]}"#, #"{"k": null, "v": 4}"#])

    /// Nested columns into files rolled every 4 rows or ~2 KB, no partitions.
    public static let rolling = WriterSetup(
        name: "rolling", isDataset: true, inferred: false, partitioned: false,
        members: "\"schema\": {\"fields\": \(nestedFields)}, \"max_rows_per_file\": 4, \"max_bytes_per_file\": 2000",
        goodBatch: #"{"id": 1}"#,
        sample: nestedSample)
}

/// `text` as a JSON string literal.
public func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = Array("0123456789abcdef")
            out += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 15)])
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
