import ArgumentParser
import Parquet
import ParquetJSON

/// Every writer option as a flag, shared by `convert` and `airbyte`.
///
/// The flags are turned into the same configuration object the C ABI takes (one flag per
/// configuration key) and read by ``WriterConfiguration``, so the command line, the C ABI
/// and the Python binding accept the same options with the same checks and messages.
struct WriterFlags: ParsableArguments {
    @Option(help: ArgumentHelp("A native schema file ({\"fields\": [...]}).", valueName: "file"))
    var schema: String?

    @Option(name: .customLong("json-schema"), help: ArgumentHelp("A JSON Schema file (as Airbyte catalogs publish).", valueName: "file"))
    var jsonSchema: String?

    @Option(help: "snappy, zstd, gzip, lz4_raw, brotli or none (default snappy).")
    var compression: String?

    @Option(
        name: .customLong("compression-level"),
        help: "zstd (default 3), gzip (0-9, default 6), lz4_raw (1-2 fast, 3-12 HC, default 1) or brotli (0-11, default 8) level.")
    var compressionLevel: Int?

    @Option(name: .customLong("row-group-rows"), help: "Rows per row group (default 1048576).")
    var rowGroupRows: Int?

    @Option(name: .customLong("row-group-bytes"), help: "Encoded bytes per row group (default 134217728).")
    var rowGroupBytes: Int?

    @Option(name: .customLong("page-bytes"), help: "Bytes per data page (default 1048576).")
    var pageBytes: Int?

    @Option(
        name: .customLong("column-buffer-bytes"),
        help: "Finished pages a column keeps in memory before spooling to a scratch file (default 262144).")
    var columnBufferBytes: Int?

    @Flag(name: .customLong("no-dictionary"), help: "Do not dictionary-encode.")
    var noDictionary = false

    @Flag(name: .customLong("no-page-index"), help: "Do not write the page index (ColumnIndex and OffsetIndex).")
    var noPageIndex = false

    @Flag(name: .customLong("page-checksum"), help: "Write a CRC-32 of every page in its header.")
    var pageChecksum = false

    @Option(
        name: .customLong("data-page-version"),
        help: "Data page format: 1 (default, every reader) or 2 (levels uncompressed, values compressed alone).")
    var dataPageVersion: Int?

    @Option(
        name: .customLong("bloom-filter"),
        help: ArgumentHelp("Write a bloom filter for this leaf column (repeatable; dotted path for nested: a.b).", valueName: "column"))
    var bloomFilterColumns: [String] = []

    @Option(name: .customLong("bloom-filter-fpp"), help: "False-positive probability the bloom filters are sized for (default 0.01).")
    var bloomFilterFPP: Double?

    @Option(name: .customLong("on-invalid"), help: "fail (reject the batch) or skip (leave the record out) for records that do not fit the schema.")
    var onInvalid: String?

    @Option(
        name: .customLong("unknown-keys"),
        help: "ignore (leave them out, reported), fail (reject the batch) or collect (keep them in a json column) for keys not in the schema.")
    var unknownKeys: String?

    @Option(name: .customLong("unknown-keys-column"), help: "With --unknown-keys collect: the json column's name (default _unknown).")
    var unknownKeysColumn: String?

    @Flag(name: .customLong("no-infer-strings"), help: "Inferred schemas keep strings as strings (no timestamp, date or decimal columns).")
    var noInferStrings = false

    @Option(help: ArgumentHelp("Footer key-value metadata (repeatable).", valueName: "key=value"))
    var metadata: [String] = []

    @Option(help: ArgumentHelp(
        "Threads that parse and encode (N, or auto for the cores available; the output is the same for any).",
        valueName: "n|auto"))
    var threads: String?

    @Option(name: .customLong("file-prefix"), help: "Dataset output: the start of each file name (default part).")
    var filePrefix: String?

    @Option(name: .customLong("max-rows-per-file"), help: "Dataset output: rows per file at most.")
    var maxRowsPerFile: Int?

    @Option(name: .customLong("max-bytes-per-file"), help: "Dataset output: finish a file once it reaches this size.")
    var maxBytesPerFile: Int?

    @Option(
        name: .customLong("partition-by"),
        help: ArgumentHelp(
            "Dataset output: a hive partition level (repeatable, outermost first): column, column:transform (year, month, day, hour) or name=column:transform.",
            valueName: "spec"))
    var partitionBy: [String] = []

    @Option(name: .customLong("max-open-files"), help: "Dataset output: open files at most (default 100); a partition without one waits, its rows still go to one file.")
    var maxOpenFiles: Int?

    @Option(
        name: .customLong("memory-limit-bytes"),
        help: "Memory held across all partitions of a partitioned dataset, or by a file's --sort-by (default 268435456); rows over it are written out or spilled.")
    var memoryLimitBytes: Int?

    @Option(
        name: .customLong("sort-by"),
        help: ArgumentHelp(
            "Sort each file's rows by this column (repeatable, first key first): column, column:desc, column:asc:nulls_first.",
            valueName: "spec"))
    var sortBy: [String] = []

    @Flag(name: .customLong("write-partition-columns"), help: "Dataset output: keep identity partition columns in the files too.")
    var writePartitionColumns = false

    @Option(
        help: ArgumentHelp(
            "What to do with an existing output: error, overwrite, overwrite_partitions (datasets) or append (datasets). Default: overwrite for a file, error for a non-empty dataset directory.",
            valueName: "mode"))
    var mode: String?

    /// Whether no flag was given (every option at its default): the Airbyte destination's
    /// `--config` form refuses flags beside the file.
    var isEmpty: Bool {
        schema == nil && jsonSchema == nil && compression == nil && compressionLevel == nil && rowGroupRows == nil
            && rowGroupBytes == nil && pageBytes == nil && columnBufferBytes == nil && !noDictionary && onInvalid == nil
            && unknownKeys == nil && unknownKeysColumn == nil && !noInferStrings && metadata.isEmpty && threads == nil
            && filePrefix == nil && maxRowsPerFile == nil && maxBytesPerFile == nil && partitionBy.isEmpty
            && maxOpenFiles == nil && memoryLimitBytes == nil && sortBy.isEmpty && !writePartitionColumns && mode == nil
    }

    /// The configuration these flags describe.
    /// - Parameters:
    ///   - output: The file path, or the directory when `dataset` is true.
    ///   - dataset: Whether the output is a directory of files.
    ///   - schemaOverride: A JSON Schema to use when neither `--schema` nor `--json-schema` is
    ///     given (the Airbyte catalog's).
    ///   - modeOverride: The mode to use instead of `--mode` (an Airbyte stream's sync mode).
    /// - Returns: The configuration, checked as the C ABI checks it.
    /// - Throws: `ParquetError` for bad values, `CLIError` for unreadable files.
    func configuration(
        output: String, dataset: Bool, schemaOverride: JSONValue? = nil, modeOverride: String? = nil
    ) throws -> WriterConfiguration {
        var members: [(key: String, value: JSONValue)] = [(dataset ? "directory" : "path", .string(output))]
        if let schema { members.append(("schema", try CLIFiles.readJSON(schema, what: "schema"))) }
        if let jsonSchema { members.append(("json_schema", try CLIFiles.readJSON(jsonSchema, what: "JSON Schema"))) }
        if schema == nil && jsonSchema == nil, let schemaOverride { members.append(("json_schema", schemaOverride)) }
        func add(_ key: String, _ value: Int?) {
            if let value { members.append((key, .number(String(value)))) }
        }
        if let compression { members.append(("compression", .string(compression))) }
        add("compression_level", compressionLevel)
        add("row_group_rows", rowGroupRows)
        add("row_group_bytes", rowGroupBytes)
        add("page_bytes", pageBytes)
        add("column_buffer_bytes", columnBufferBytes)
        if noDictionary { members.append(("dictionary", .bool(false))) }
        if noPageIndex { members.append(("page_index", .bool(false))) }
        if pageChecksum { members.append(("page_checksum", .bool(true))) }
        add("data_page_version", dataPageVersion)
        if !bloomFilterColumns.isEmpty {
            members.append(("bloom_filter_columns", .array(bloomFilterColumns.map { .string($0) })))
        }
        if let bloomFilterFPP { members.append(("bloom_filter_fpp", .number(String(bloomFilterFPP)))) }
        if let onInvalid { members.append(("on_invalid", .string(onInvalid))) }
        if let unknownKeys { members.append(("unknown_keys", .string(unknownKeys))) }
        if let unknownKeysColumn { members.append(("unknown_keys_column", .string(unknownKeysColumn))) }
        // Only when the schema is inferred: the configuration refuses infer_strings beside a schema.
        if noInferStrings { members.append(("infer_strings", .bool(false))) }
        if !metadata.isEmpty {
            var pairs: [(key: String, value: JSONValue)] = []
            for item in metadata {
                guard let equals = item.firstIndex(of: "=") else {
                    throw ValidationError("--metadata takes key=value, got '\(item)'")
                }
                pairs.append((String(item[..<equals]), .string(String(item[item.index(after: equals)...]))))
            }
            members.append(("metadata", .object(pairs)))
        }
        if let threads {
            if threads == "auto" {
                members.append(("threads", .string("auto")))
            } else if let count = Int(threads) {
                add("threads", count)
            } else {
                throw ValidationError("--threads takes a number or auto, got '\(threads)'")
            }
        }
        if let filePrefix { members.append(("file_prefix", .string(filePrefix))) }
        add("max_rows_per_file", maxRowsPerFile)
        add("max_bytes_per_file", maxBytesPerFile)
        if !partitionBy.isEmpty { members.append(("partition_by", .array(try partitionBy.map(Self.partition)))) }
        add("max_open_files", maxOpenFiles)
        add("memory_limit_bytes", memoryLimitBytes)
        if writePartitionColumns { members.append(("write_partition_columns", .bool(true))) }
        if !sortBy.isEmpty { members.append(("sort_by", .array(try sortBy.map(Self.sortKey)))) }
        if let mode = modeOverride ?? mode { members.append(("mode", .string(mode))) }
        return try WriterConfiguration(json: .object(members))
    }

    /// `column[:asc|desc][:nulls_first|nulls_last]` as a `sort_by` entry.
    static func sortKey(_ spec: String) throws -> JSONValue {
        var parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let column = parts.first, !column.isEmpty else { throw ValidationError("--sort-by '\(spec)' names no column") }
        parts.removeFirst()
        var members: [(key: String, value: JSONValue)] = [("column", .string(column))]
        for part in parts {
            switch part {
            case "asc": members.append(("descending", .bool(false)))
            case "desc": members.append(("descending", .bool(true)))
            case "nulls_first": members.append(("nulls_first", .bool(true)))
            case "nulls_last": members.append(("nulls_first", .bool(false)))
            default:
                throw ValidationError("--sort-by '\(spec)': '\(part)' is not asc, desc, nulls_first or nulls_last")
            }
        }
        return .object(members)
    }

    /// `column`, `column:transform` or `name=column:transform` as a `partition_by` entry.
    static func partition(_ spec: String) throws -> JSONValue {
        var rest = Substring(spec)
        var members: [(key: String, value: JSONValue)] = []
        if let equals = rest.firstIndex(of: "=") {
            members.append(("name", .string(String(rest[..<equals]))))
            rest = rest[rest.index(after: equals)...]
        }
        if let colon = rest.lastIndex(of: ":") {
            members.insert(("transform", .string(String(rest[rest.index(after: colon)...]))), at: 0)
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { throw ValidationError("--partition-by '\(spec)' names no column") }
        members.insert(("column", .string(String(rest))), at: 0)
        return .object(members)
    }
}
