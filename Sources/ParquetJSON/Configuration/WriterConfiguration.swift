import Parquet
import ParquetDataset

/// Everything needed to open a writer, as the C ABI's `create_writer` (and the CLI) take it:
///
/// ```json
/// {"path": "out.parquet",
///  "schema": {"fields": [{"name": "id", "type": "int64", "nullable": false}]},
///  "compression": "zstd", "compression_level": 3,
///  "row_group_rows": 1048576, "row_group_bytes": 134217728, "column_buffer_bytes": 262144,
///  "page_bytes": 1048576,
///  "dictionary": true, "page_index": true, "on_invalid": "fail", "metadata": {"source": "api"}, "threads": 1,
///  "sort_by": ["country", {"column": "amount", "descending": true, "nulls_first": false}]}
/// ```
///
/// `sort_by` sorts the rows of each file (`WriterOptions/sortBy`); for a single file
/// `memory_limit_bytes` bounds that sort (`WriterOptions/sortMemoryBytes`).
///
/// For a dataset (a directory of files, see `DatasetWriter`), `directory` takes the place of
/// `path`, with `file_prefix`, `max_rows_per_file`, `max_bytes_per_file`, `partition_by`
/// (column names, or `{"column": ..., "transform": "identity|year|month|day|hour", "name": ...}`),
/// `max_open_files`, `memory_limit_bytes` and `write_partition_columns`.
///
/// `mode` says what happens to data already at the output (see `OutputMode`): `error`,
/// `overwrite`, `overwrite_partitions` (datasets) or `append` (datasets). Absent, a file is
/// replaced (`overwrite`) and a local dataset directory with visible entries is refused
/// (`error`), as DuckDB's `COPY` does; a dataset written through a caller's sink appends.
///
/// Keys outside the schema: `unknown_keys` (`ignore`, `fail` or `collect`, see
/// ``UnknownKeyPolicy``) and, with `collect` only, `unknown_keys_column` (default `_unknown`).
/// `infer_strings` (default true; only without a schema) lets inference type strings that are
/// all timestamps, dates or exact decimals (see ``SchemaInference``).
///
/// Exactly one of `path` and `directory` is required. The columns come from `schema` (the native schema, see
/// `Schema/init(json:)`) or `json_schema` (a JSON Schema, see `Schema/init(jsonSchema:)`);
/// giving both is an error; giving neither leaves ``schema`` nil: the writer infers the schema
/// from its first batch (``SchemaInference``). Defaults: compression snappy (levels: zstd 3,
/// gzip 6, lz4_raw 1, brotli 8), dictionary true, on_invalid fail, threads 1, and
/// `WriterOptions`' row-group and page limits. `compression_level` is only valid with zstd,
/// gzip, lz4_raw or brotli, within the codec's range (`Compression/levels`). Unknown, repeated
/// or mistyped keys are errors that name the key.
public struct WriterConfiguration: Sendable {
    /// Where the finished file appears, or the dataset's directory when ``dataset`` is set.
    public var path: String
    /// Set for directory output: how rows are spread over files and partitions.
    public var dataset: DatasetOptions?
    /// The columns; nil when neither `schema` nor `json_schema` was given and the schema is
    /// to be inferred from the first batch.
    public var schema: Schema!
    /// Codec, dictionary, row-group and page limits, footer metadata.
    public var options: WriterOptions
    /// What a batch does with an invalid record.
    public var onInvalid: InvalidRecordPolicy
    /// What happens to data already at the output; nil for the output's default (see
    /// `OutputMode/defaultMode(dataset:local:)`). For a dataset it is also ``dataset``'s mode.
    public var mode: OutputMode?
    /// What a record's keys outside the schema do.
    public var unknownKeys: UnknownKeyPolicy
    /// The collect column's name under ``UnknownKeyPolicy/collect``.
    public var unknownKeysColumn: String
    /// Whether schema inference types strings (timestamps, dates, decimals) or keeps them strings.
    public var inferStrings: Bool

    /// The top-level keys a configuration may have.
    public static let keys = [
        "path", "schema", "json_schema", "compression", "compression_level", "row_group_rows", "row_group_bytes",
        "column_buffer_bytes", "page_bytes", "dictionary", "page_index", "page_checksum", "data_page_version",
        "bloom_filter_columns",
        "bloom_filter_fpp", "on_invalid", "metadata", "threads",
        "directory", "file_prefix", "max_rows_per_file", "max_bytes_per_file", "partition_by", "max_open_files",
        "write_partition_columns", "memory_limit_bytes", "sort_by", "mode", "unknown_keys", "unknown_keys_column",
        "infer_strings",
    ]

    /// The keys only a dataset (`directory`) takes.
    public static let datasetKeys = [
        "file_prefix", "max_rows_per_file", "max_bytes_per_file", "partition_by", "max_open_files",
        "write_partition_columns",
    ]

    /// The compression names, as the configuration spells them.
    public static let compressionNames = ["snappy", "zstd", "gzip", "lz4_raw", "brotli", "none"]

    /// The codecs `compression_level` applies to, for error messages.
    static let leveledCompressionNames = "zstd, gzip, lz4_raw or brotli"

    /// Creates a configuration from its parts.
    public init(
        path: String, schema: Schema?, options: WriterOptions = WriterOptions(), onInvalid: InvalidRecordPolicy = .fail,
        dataset: DatasetOptions? = nil, mode: OutputMode? = nil, unknownKeys: UnknownKeyPolicy = .ignore,
        unknownKeysColumn: String = Schema.defaultUnknownKeysColumn, inferStrings: Bool = true
    ) {
        self.path = path
        self.dataset = dataset
        self.mode = mode ?? dataset?.mode
        self.dataset?.mode = self.mode
        self.schema = schema
        self.options = options
        self.onInvalid = onInvalid
        self.unknownKeys = unknownKeys
        self.unknownKeysColumn = unknownKeysColumn
        self.inferStrings = inferStrings
    }

    /// The schema the output is written with for `schema` (given or inferred): with the
    /// collect column appended under `unknown_keys: collect`.
    /// - Throws: `ParquetError` `.invalidOptions` when the collect column's name is a field's.
    public func outputSchema(for schema: Schema) throws(ParquetError) -> Schema {
        unknownKeys == .collect ? try schema.addingUnknownKeysColumn(named: unknownKeysColumn) : schema
    }

    /// Parses configuration JSON text.
    /// - Throws: `ParquetError` with code `.malformedJSON` (or `.limitExceeded` for absurd
    ///   nesting) when the text is not JSON, otherwise as ``init(json:)``.
    public init(jsonText bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        try self.init(json: try JSONValue.parse(bytes))
    }

    /// Reads a parsed configuration.
    /// - Throws: `ParquetError` with code `.invalidOptions` (top-level keys) or
    ///   `.invalidSchema` (the schema and its fields), naming the key at fault.
    public init(json: JSONValue) throws(ParquetError) {
        let object = try ConfigurationObject(json, context: "the configuration", code: .invalidOptions)
        try object.rejectUnknownKeys(allowed: Self.keys)

        let path: String
        var dataset: DatasetOptions?
        switch (try object.string("path"), try object.string("directory")) {
        case (let file?, nil):
            path = file
            guard !path.isEmpty else { throw object.error("'path' must not be empty") }
            guard !path.utf8.contains(0) else { throw object.error("'path' must not contain NUL characters") }
            guard !path.hasSuffix("/") else { throw object.error("'path' names a directory, not a file: '\(path)'") }
            if let key = Self.datasetKeys.first(where: { object[$0] != nil }) {
                throw object.error("'\(key)' is for directory output; give 'directory' instead of 'path'")
            }
        case (nil, let directory?):
            path = directory
            guard !path.isEmpty else { throw object.error("'directory' must not be empty") }
            guard !path.utf8.contains(0) else { throw object.error("'directory' must not contain NUL characters") }
            dataset = try Self.datasetOptions(object)
        case (nil, nil):
            throw object.error("missing required key 'path' (a file) or 'directory' (a dataset) in the configuration")
        case (_?, _?):
            throw object.error("the configuration has both 'path' and 'directory'; give one")
        }

        var mode: OutputMode?
        if let name = try object.string("mode") {
            guard let parsed = OutputMode(rawValue: name) else {
                throw object.error("unknown mode '\(name)'; expected one of: \(OutputMode.names)")
            }
            if dataset == nil && (parsed == .append || parsed == .overwritePartitions) {
                throw object.error(
                    "mode '\(name)' is for directory output (a Parquet file cannot be appended to); a file takes 'overwrite' or 'error'")
            }
            mode = parsed
        }

        let schema: Schema?
        switch (object["schema"], object["json_schema"]) {
        case (let native?, nil): schema = try Schema(json: native)
        case (nil, let jsonSchema?): schema = try Schema(jsonSchema: jsonSchema)
        case (nil, nil): schema = nil
        case (_?, _?):
            throw ParquetError(
                .invalidSchema, "the configuration has both 'schema' and 'json_schema'; give one (or neither, to infer it)")
        }

        var options = WriterOptions()
        let level = try object.integer("compression_level", in: Int(Int32.min)...Int(Int32.max)).map { Int32($0) }
        let codecName = try object.string("compression") ?? "snappy"
        switch codecName {
        case "snappy": options.compression = .snappy
        case "none": options.compression = .uncompressed
        case "zstd": options.compression = .zstd(level: level ?? Compression.defaultZstdLevel)
        case "gzip": options.compression = .gzip(level: level ?? Compression.defaultGzipLevel)
        case "lz4_raw": options.compression = .lz4Raw(level: level ?? Compression.defaultLz4RawLevel)
        case "brotli": options.compression = .brotli(level: level ?? Compression.defaultBrotliLevel)
        case let other:
            throw object.error(
                "unknown compression '\(other)'; expected one of: \(Self.compressionNames.joined(separator: ", "))")
        }
        if let level {
            guard let levels = options.compression.levels else {
                throw object.error(
                    "'compression_level' is only valid with compression \(Self.leveledCompressionNames), not \(codecName)")
            }
            guard levels.contains(level) else {
                throw object.error(
                    "'compression_level' \(level) is outside \(codecName)'s \(levels.lowerBound)...\(levels.upperBound)")
            }
        }

        if let rows = try object.integer("row_group_rows", in: 1...Int.max) { options.rowGroupRows = rows }
        if let bytes = try object.integer("row_group_bytes", in: 1...Int.max) { options.rowGroupBytes = bytes }
        // null keeps each row group's pages in memory instead of a scratch file.
        if case .null? = object["column_buffer_bytes"] {
            options.columnBufferBytes = nil
        } else if let bytes = try object.integer("column_buffer_bytes", in: 1...Int.max) {
            options.columnBufferBytes = bytes
        }
        // Pages are sized by i32 fields in the page header.
        if let bytes = try object.integer("page_bytes", in: 1...(1 << 30)) { options.pageBytes = bytes }
        if let dictionary = try object.bool("dictionary") { options.dictionary = dictionary }
        if let pageIndex = try object.bool("page_index") { options.pageIndex = pageIndex }
        if let checksum = try object.bool("page_checksum") { options.pageChecksum = checksum }
        if let version = try object.integer("data_page_version", in: 1...2) { options.dataPageVersion = version }
        if let columns = try object.strings("bloom_filter_columns") { options.bloomFilterColumns = columns }
        if let fpp = try object.double("bloom_filter_fpp") { options.bloomFilterFPP = fpp }

        var policy = InvalidRecordPolicy.fail
        if let name = try object.string("on_invalid") {
            guard let parsed = InvalidRecordPolicy(rawValue: name) else {
                throw object.error("unknown on_invalid '\(name)'; expected one of: fail, skip")
            }
            policy = parsed
        }

        if let metadataValue = object["metadata"] {
            let metadata = try ConfigurationObject(metadataValue, context: "'metadata'", code: .invalidOptions)
            var pairs: [(key: String, value: String)] = []
            for member in metadata.members {
                guard case .string(let text) = member.value else {
                    throw metadata.error("metadata value of '\(member.key)' must be a string, got \(member.value.typeName)")
                }
                pairs.append((member.key, text))
            }
            options.metadata = pairs
        }

        // N threads parse each batch and encode its columns; "auto": the cores the process may use.
        if case .string(let text)? = object["threads"] {
            guard text == "auto" else {
                throw object.error("'threads' must be an integer from 1 to \(ThreadCount.maximum) or \"auto\", got \"\(text)\"")
            }
            options.threads = .auto
        } else if let threads = try object.integer("threads", in: 1...ThreadCount.maximum) {
            options.threads = ThreadCount(threads)
        }

        if let value = object["sort_by"] { options.sortBy = try Self.sortKeys(value, in: object) }
        if dataset == nil,
           let bytes = try object.integer("memory_limit_bytes", in: WriterOptions.minimumSortMemoryBytes...Int.max)
        {
            options.sortMemoryBytes = bytes
        }

        let unknownKeys: UnknownKeyPolicy = try object.choice("unknown_keys") ?? .ignore
        var unknownKeysColumn = Schema.defaultUnknownKeysColumn
        if let name = try object.string("unknown_keys_column") {
            guard unknownKeys == .collect else {
                throw object.error("'unknown_keys_column' is only valid with unknown_keys collect, not \(unknownKeys.rawValue)")
            }
            guard !name.isEmpty else { throw object.error("'unknown_keys_column' must not be empty") }
            unknownKeysColumn = name
        }
        let inferStrings = try object.bool("infer_strings")
        if inferStrings != nil && schema != nil {
            throw object.error("'infer_strings' is only valid when the schema is inferred (no 'schema' or 'json_schema')")
        }

        self.init(
            path: path, schema: schema, options: options, onInvalid: policy, dataset: dataset, mode: mode,
            unknownKeys: unknownKeys, unknownKeysColumn: unknownKeysColumn, inferStrings: inferStrings ?? true)
        // A collect column that collides with a given field is refused now, not at the first batch.
        if let schema { _ = try outputSchema(for: schema) }
    }

    /// The keys of `sort_by`: column names (ascending, nulls last) or
    /// `{"column": ..., "descending": bool, "nulls_first": bool}`.
    private static func sortKeys(_ value: JSONValue, in object: ConfigurationObject) throws(ParquetError) -> [SortKey] {
        guard case .array(let items) = value, !items.isEmpty else {
            throw object.error("'sort_by' must be a non-empty array of column names or objects, got \(value.typeName)")
        }
        var keys: [SortKey] = []
        for item in items {
            switch item {
            case .string(let column):
                keys.append(SortKey(column))
            case .object:
                let spec = try ConfigurationObject(item, context: "a 'sort_by' entry", code: .invalidOptions)
                try spec.rejectUnknownKeys(allowed: ["column", "descending", "nulls_first"])
                guard let column = try spec.string("column") else {
                    throw spec.error("missing required key 'column' in a 'sort_by' entry")
                }
                keys.append(SortKey(
                    column, descending: try spec.bool("descending") ?? false, nullsFirst: try spec.bool("nulls_first") ?? false))
            default:
                throw object.error("'sort_by' entries must be column names or objects, got \(item.typeName)")
            }
        }
        return keys
    }

    /// The dataset keys of a configuration with `directory`.
    private static func datasetOptions(_ object: ConfigurationObject) throws(ParquetError) -> DatasetOptions {
        var dataset = DatasetOptions()
        if let prefix = try object.string("file_prefix") { dataset.filePrefix = prefix }
        dataset.maxRowsPerFile = try object.integer("max_rows_per_file", in: 1...Int.max)
        dataset.maxBytesPerFile = try object.integer("max_bytes_per_file", in: 1...Int.max)
        if let files = try object.integer("max_open_files", in: 1...4096) { dataset.maxOpenFiles = files }
        if let bytes = try object.integer("memory_limit_bytes", in: DatasetOptions.minimumMemoryLimitBytes...Int.max) {
            dataset.memoryLimitBytes = bytes
        }
        if let write = try object.bool("write_partition_columns") { dataset.writePartitionColumns = write }
        if let value = object["partition_by"] {
            guard case .array(let items) = value else {
                throw object.error("'partition_by' must be an array of column names or objects, got \(value.typeName)")
            }
            for item in items {
                switch item {
                case .string(let column):
                    dataset.partitionBy.append(PartitionField(column: column))
                case .object:
                    let spec = try ConfigurationObject(item, context: "a 'partition_by' entry", code: .invalidOptions)
                    try spec.rejectUnknownKeys(allowed: ["column", "transform", "name"])
                    guard let column = try spec.string("column") else {
                        throw spec.error("missing required key 'column' in a 'partition_by' entry")
                    }
                    var transform = PartitionTransform.identity
                    if let name = try spec.string("transform") {
                        guard let parsed = PartitionTransform(rawValue: name) else {
                            throw spec.error(
                                "unknown transform '\(name)' for '\(column)'; expected one of: "
                                    + PartitionTransform.allCases.map(\.rawValue).joined(separator: ", "))
                        }
                        transform = parsed
                    }
                    dataset.partitionBy.append(PartitionField(column: column, transform: transform, name: try spec.string("name")))
                default:
                    throw object.error("'partition_by' entries must be column names or objects, got \(item.typeName)")
                }
            }
        }
        try dataset.validate()
        return dataset
    }
}
