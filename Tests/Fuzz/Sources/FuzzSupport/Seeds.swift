#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetJSON

// The seed corpora, written by each target when PARQUET_FUZZ_WRITE_SEEDS=<dir> is set
// (`make fuzz-seeds` regenerates Tests/Fuzz/corpus/<target>). Seeds are small valid (and a few
// invalid) inputs that reach deep into the code at once; the fuzzer mutates from there.

/// Writes `bytes` as seed `name` into `directory` (created if missing).
public func writeSeed(_ directory: String, _ name: String, _ bytes: [UInt8]) {
    makeDirectories(directory)
    writeFile(directory + "/" + name, bytes)
}

/// Seeds of the C ABI target: [setup, knobs, knobs] + batches separated by NUL.
public func writeCABISeeds(into directory: String) {
    let knobVariants: [WriterKnobs] = {
        var plain = WriterKnobs()
        plain.ending = 0
        var skip = WriterKnobs()
        skip.skipInvalid = true
        skip.codec = 1
        skip.tinyGroups = true
        skip.ending = 1
        var threaded = WriterKnobs()
        threaded.twoThreads = true
        threaded.codec = 2
        threaded.noDictionary = true
        threaded.tinyColumnBuffer = true
        threaded.metadata = true
        threaded.nulTerminated = true
        var aborting = WriterKnobs()
        aborting.codec = 3
        aborting.ending = 3
        aborting.writePartitionColumns = true
        return [plain, skip, threaded, aborting]
    }()
    for (index, setup) in WriterSetup.all.enumerated() {
        let ndjson = setup.sample.joined(separator: "\n")
        let array = setup.sample.count == 1 && setup.sample[0].hasPrefix("[") ? setup.sample[0] : "[" + setup.sample.joined(separator: ", ") + "]"
        let invalid = #"{"id": "not a number", "k": 1}"#
        let batches: [(String, [String])] = [
            ("ndjson", [ndjson]),
            ("array-commit", [array, "", setup.goodBatch]),
            ("invalid-record", [setup.sample[0] + "\n" + invalid + "\n" + (setup.sample.last ?? "")]),
            ("malformed", ["[{\"id\": 1,", setup.goodBatch, "\n"]),
        ]
        for (variant, (label, pieces)) in batches.enumerated() {
            let knobs = knobVariants[(index + variant) % knobVariants.count]
            var bytes: [UInt8] = [UInt8(index)] + knobs.bytes
            for (position, piece) in pieces.enumerated() {
                if position > 0 { bytes.append(0) }
                bytes += Array(piece.utf8)
            }
            writeSeed(directory, "\(setup.name)-\(label)", bytes)
        }
    }
    // Edge cases reached by hand once (deep nesting, duplicate keys, long and odd partition
    // values, empty and whitespace batches, a schema inferred then contradicted, threads).
    let depth = 600
    let edges: [(String, Int, WriterKnobs, [String])] = [
        ("deep-inferred", 3, WriterKnobs(), [#"{"a": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"]),
        ("deep-json", 0, WriterKnobs(1, 0), [#"{"id": 1, "j": "# + String(repeating: #"{"a": "#, count: depth) + "1" + String(repeating: "}", count: depth) + "}"]),
        ("duplicate-keys", 0, WriterKnobs(1, 0), [#"{"id": 1, "id": 2}"# + "\n" + #"{"id": 3, "s": "x", "s": null}"#]),
        ("inferred-contradicted", 3, WriterKnobs(1, 1), [#"{"a": {"b": [1]}, "c": 1.5}"#, #"{"a": {"b": "x"}}"# + "\n" + #"{"a": [1]}"# + "\n" + #"{"a": {"d": 1}, "c": 2}"#]),
        ("partition-values", 4, WriterKnobs(1, 8), [#"{"id": 1, "cur": ""# + String(repeating: "x", count: 300) + #""}"# + "\n" + #"{"id": 2, "cur": "\u0000/..\\"}"# + "\n" + #"{"id": 3, "cur": ".."}"# + "\n" + #"{"id": 4, "cur": ""# + String(repeating: "é", count: 90) + #""}"#]),
        ("empty-batches", 6, WriterKnobs(0, 1), ["   \n  ", "[]", "[{}]", #"{"k": 1, "v": null}"#]),
        ("threads-reject", 7, WriterKnobs(64 | 16, 2), [#"{"id": 1, "tags": ["a"]}"#, #"{"id": "bad"}"#, #"{"id": 2, "matrix": [[1], [2, 3]]}"#]),
    ]
    for (name, index, knobs, pieces) in edges {
        var bytes: [UInt8] = [UInt8(index)] + knobs.bytes
        for (position, piece) in pieces.enumerated() {
            if position > 0 { bytes.append(0) }
            bytes += Array(piece.utf8)
        }
        writeSeed(directory, "edge-\(name)", bytes)
    }
}

/// Seeds of the configuration target: every setup's configuration, and invalid ones.
public func writeConfigSeeds(into directory: String) {
    var knobs = WriterKnobs()
    for setup in WriterSetup.all {
        writeSeed(directory, "\(setup.name)", Array(setup.configuration(output: setup.isDataset ? "ds" : "out.parquet", knobs: knobs).utf8))
    }
    knobs.skipInvalid = true
    knobs.codec = 1
    knobs.tinyGroups = true
    knobs.metadata = true
    knobs.tinyColumnBuffer = true
    knobs.writePartitionColumns = true
    for setup in WriterSetup.all where setup.isDataset || setup.name == "flat" {
        writeSeed(directory, "\(setup.name)-knobs", Array(setup.configuration(output: "a/b", knobs: knobs).utf8))
    }
    let others: [(String, String)] = [
        ("unknown-key", #"{"path": "x.parquet", "schema": {"fields": [{"name": "a", "type": "int64"}]}, "colour": 1}"#),
        ("unknown-type", #"{"path": "x.parquet", "schema": {"fields": [{"name": "a", "type": "int128"}]}}"#),
        ("both-schemas", #"{"path": "x", "schema": {"fields": [{"name": "a", "type": "string"}]}, "json_schema": {"properties": {}}}"#),
        ("both-outputs", #"{"path": "x", "directory": "y"}"#),
        ("dataset-key-on-file", #"{"path": "x", "max_rows_per_file": 5}"#),
        ("partition-bad", #"{"directory": "d", "schema": {"fields": [{"name": "f", "type": "float64"}]}, "partition_by": ["f", {"column": "f", "transform": "week"}]}"#),
        ("threads-partition", #"{"directory": "d", "partition_by": ["k"], "threads": 2}"#),
        ("levels", #"{"path": "p", "compression": "gzip", "compression_level": 10, "row_group_rows": 0, "page_bytes": 1073741825}"#),
        ("zstd-level", #"{"path": "p", "compression": "zstd", "compression_level": -5, "column_buffer_bytes": null, "dictionary": false, "threads": 2}"#),
        ("every-type", """
            {"path": "t.parquet", "schema": {"fields": [{"name": "a", "type": "boolean"}, {"name": "b", "type": "int8"}, {"name": "c", "type": "int16"},
             {"name": "d", "type": "int32"}, {"name": "e", "type": "uint8"}, {"name": "f", "type": "uint16"}, {"name": "g", "type": "uint32"},
             {"name": "h", "type": "uint64"}, {"name": "i", "type": "float32"}, {"name": "j", "type": "string", "nullable": false},
             {"name": "k", "type": "binary"}, {"name": "l", "type": "date"}, {"name": "m", "type": "uuid"}, {"name": "n", "type": "json"},
             {"name": "o", "type": "fixed_binary", "length": 16}, {"name": "p", "type": "time_ms"}, {"name": "q", "type": "time_ns"},
             {"name": "r", "type": "timestamp_us", "utc": false}, {"name": "s", "type": "decimal", "precision": 38, "scale": 38},
             {"name": "t", "type": "decimal", "precision": 9}]}}
            """),
        ("nested-deep", """
            {"path": "n.parquet", "schema": {"fields": [{"name": "m", "type": "map", "keys": {"type": "date"}, "values": {"type": "list",
             "items": {"type": "struct", "fields": [{"name": "x", "type": "list", "items": {"type": "list", "items": {"type": "uuid", "nullable": false}}}]}}}]}}
            """),
        ("json-schema-refs", ##"{"path": "j", "json_schema": {"type": "object", "properties": {"a": {"$ref": "#/definitions/x"}, "b": {"allOf": []}}}}"##),
        ("json-schema-types", """
            {"path": "j", "json_schema": {"type": "object", "properties": {"a": {"type": ["null", "object"], "properties": {"b": {"type": "array", "items": {"type": "number", "airbyte_type": "integer"}}}},
             "c": {"type": "string", "format": "time", "airbyte_type": "time_with_timezone"}, "d": {}, "e": {"oneOf": [{"type": "string"}, {"type": "null"}]}}}}
            """),
        ("dataset-all", """
            {"directory": "lake/tx", "file_prefix": "p", "max_rows_per_file": 1, "max_bytes_per_file": 1, "max_open_files": 4096, "write_partition_columns": false,
             "partition_by": [{"column": "t", "transform": "year", "name": "y"}, {"column": "t", "transform": "hour"}, "s", "b", "i", "d"],
             "schema": {"fields": [{"name": "t", "type": "timestamp_ns"}, {"name": "s", "type": "string"}, {"name": "b", "type": "boolean"}, {"name": "i", "type": "int16"}, {"name": "d", "type": "date"}]}}
            """),
        ("duplicate-key", #"{"path": "a", "path": "b"}"#),
        ("not-object", #"["path"]"#),
        ("deep", String(repeating: "[", count: 200)),
        ("escapes", #"{"pa\u0074h": "\ud83d\ude00.parquet", "metadata": {"\u0000": "\n"}}"#),
    ]
    for (name, text) in others { writeSeed(directory, name, Array(text.utf8)) }
}

/// Seeds of the Airbyte target: [reader parameters] + lines.
public func writeAirbyteSeeds(into directory: String) {
    let lines: [(String, String)] = [
        ("record", #"{"type": "RECORD", "record": {"stream": "users", "namespace": "public", "data": {"id": 1, "name": "a"}, "emitted_at": 1700000000000}}"#),
        ("record-no-namespace", #"{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1}}"#),
        ("record-null-namespace", #"{"record": {"data": {"nested": {"a": [1, 2, {"b": null}]}}, "namespace": null, "stream": "s"}, "type": "RECORD"}"#),
        ("record-escapes", #"{"t\u0079pe": "RECO\u0052D", "record": {"str\u0065am": "\u00e9\ud83d\ude00", "data": {"k": "\"\\\/\b\f\n\r\t"}}}"#),
        ("state", #"{"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "users"}, "stream_state": {"cursor": 5}}}}"#),
        ("log", #"{"type": "LOG", "log": {"level": "INFO", "message": "hello"}}"#),
        ("trace", #"{"type": "TRACE", "trace": {"type": "ERROR", "emitted_at": 1.5e12, "error": {"message": "x"}}}"#),
        ("control", #"{"type": "CONTROL", "control": {}}"#),
        ("other", #"{"type": "SPEC", "spec": {"connectionSpecification": {}}, "record": [1]}"#),
        ("errors", #"{"type": "RECORD", "record": {"stream": 1, "data": []}}"# + "\n" + #"{"type": "RECORD", "type": "STATE"}"# + "\n" + #"{"type": "RECORD"}"#),
        ("malformed", #"{"type": "RECORD", "record": {"stream": "s", "data": {"a": 01}}}"# + "\n" + "not json\n[1, 2]\n\"str\"\n{\"a\": tru}\n{} trailing"),
        ("numbers", #"{"type": "LOG", "n": [0, -0, 1.5e-10, -2E+3, 123456789012345678901234567890]}"#),
        ("many", (0..<6).map { #"{"type": "RECORD", "record": {"stream": "s\#($0 % 2)", "data": {"i": \#($0)}}}"# }.joined(separator: "\r\n") + "\n\n"),
        ("long-line", #"{"type": "RECORD", "record": {"stream": "s", "data": {"text": ""# + String(repeating: "x", count: 300) + #""}}}"#),
        ("deep", #"{"type": "RECORD", "record": {"stream": "s", "data": {"a": "# + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "}}}"),
    ]
    let parameters: [UInt8] = [0, 0x09, 0x12, 0x1B, 0x24, 0x2D, 0x36, 0x3F]
    for (index, (name, text)) in lines.enumerated() {
        writeSeed(directory, name, [parameters[index % parameters.count]] + Array(text.utf8))
    }
}

/// Seeds of the footer target: small Parquet files written by the writer in every setup,
/// with a few knob variations (codecs, dictionary off, tiny row groups and pages, metadata).
public func writeFooterSeeds(into directory: String) {
    let work = ScratchDirectory(target: "footer-seeds")
    var variants: [(String, WriterKnobs)] = [("default", WriterKnobs())]
    var small = WriterKnobs()
    small.codec = 1
    small.tinyGroups = true
    small.noDictionary = true
    variants.append(("zstd-tiny", small))
    var other = WriterKnobs()
    other.codec = 2
    other.metadata = true
    other.writePartitionColumns = true
    variants.append(("gzip-metadata", other))
    for setup in WriterSetup.all {
        for (label, knobs) in variants {
            let run = work.fresh()
            let output = run + (setup.isDataset ? "/dataset" : "/out.parquet")
            let text = setup.configuration(output: output, knobs: knobs)
            do throws(ParquetError) {
                let configuration = try WriterConfiguration(json: try JSONValue.parse(text))
                let writer = try ConfiguredJSONWriter(configuration: configuration)
                let result = try writer.write(setup.sample.joined(separator: "\n"))
                let expected = setup.sample.count == 1 && setup.sample[0].hasPrefix("[") ? -1 : setup.sample.count
                if !result.rejected.isEmpty || (expected >= 0 && result.rowsWritten != expected) {
                    Fuzz.fail("the \(setup.name) sample is not all valid: \(result.rejected)")
                }
                _ = try writer.close()
            } catch {
                Fuzz.fail("writing the \(setup.name) sample failed: \(error)")
            }
            for (number, path) in filesBelow(run).prefix(2).enumerated() {
                guard let bytes = readFile(path) else { Fuzz.fail("cannot read \(path)") }
                writeSeed(directory, "\(setup.name)-\(label)-\(number).pq", bytes)
            }
        }
    }
    work.clear()
}
