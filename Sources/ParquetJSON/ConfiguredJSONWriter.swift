#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Parquet
import ParquetDataset

/// Everything a ``WriterConfiguration`` describes, as one writer: a file or a dataset,
/// with a given schema or one inferred from the first batch. This is what the C ABI and
/// the command-line tool drive; neither knows which kind of output it writes.
///
/// Not thread-safe: one thread at a time.
public final class ConfiguredJSONWriter {
    /// The configuration the writer was opened with.
    public let configuration: WriterConfiguration

    private enum Output {
        case file(JSONBatchWriter)
        case dataset(JSONDatasetWriter)
    }

    /// nil until the first batch fixes the schema when it is inferred.
    private var output: Output?
    /// The schema, once known (from the configuration, or inferred from the first batch).
    public private(set) var schema: Schema?
    /// The schema of the files written: ``schema``, less a dataset's partition columns.
    public var fileSchema: Schema? {
        switch output {
        case .dataset(let records): records.dataset.fileSchema
        case .file, nil: schema
        }
    }
    /// Reused by ``writeColumns(fill:)``, so its buffers keep their capacity (nil until the
    /// first call).
    private var columnBatch: ColumnBatch?
    /// Records written so far.
    public private(set) var rowsWritten = 0
    /// Records left out so far under `on_invalid: skip`.
    public private(set) var rowsRejected = 0
    /// Keys outside the schema in the JSON batches written so far, with the records that
    /// carried them (see ``UnknownKeyCount``).
    public var unknownKeyTotals: [UnknownKeyCount] {
        switch output {
        case .file(let records): records.unknownKeyTotals
        case .dataset(let records): records.unknownKeyTotals
        case nil: []
        }
    }
    /// Opens the outputs when they are not local paths (nil: `path` is a local file or directory).
    private let sinks: (any OutputSinkFactory)?
    /// A single file's sink, opened at creation and waiting for the schema when it is inferred.
    private var pendingSink: (any OutputSink)?

    /// Opens the output. Without a schema, the writer is created by the first batch; the
    /// output is checked now all the same (a probe file is opened and discarded beside a
    /// file's path; a dataset's directory is created).
    ///
    /// With `sinks`, the configuration's `path` (or `directory`) is only a name handed to the
    /// factory: a single file's sink is opened now, whether or not the schema is known yet (so
    /// an output that cannot be opened fails here, and nothing is written to it before the
    /// first batch), and a dataset's files are opened by their paths inside the dataset as
    /// they are started.
    /// - Parameters:
    ///   - configuration: What to write, and where.
    ///   - sinks: Opens the outputs instead of the local file system (nil: local paths).
    /// - Throws: `ParquetError`: `.io` when the output cannot be created (or a file's path is a
    ///   directory), `.invalidOptions` for options the output cannot take.
    public init(configuration: WriterConfiguration, sinks: (any OutputSinkFactory)? = nil) throws(ParquetError) {
        self.configuration = configuration
        self.sinks = sinks
        if let sinks {
            if let schema = configuration.schema {
                try open(schema)
            } else if let dataset = configuration.dataset {
                // Options are checked now; nothing is opened until the first file.
                var unpartitioned = dataset
                unpartitioned.partitionBy = []
                _ = try DatasetWriter(
                    directory: configuration.path, sinks: sinks, schema: try Schema([Field("probe", .boolean)]),
                    options: Self.probeOptions(configuration.options), dataset: unpartitioned)
            } else {
                try configuration.options.validate()
                try Self.checkSinkFileMode(configuration.mode)
                pendingSink = try sinks.makeSink(for: configuration.path)
            }
            return
        }
        if configuration.dataset == nil {
            var status = stat()
            if stat(configuration.path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
                throw ParquetError(.io, "the output path '\(configuration.path)' is a directory")
            }
        }
        if let schema = configuration.schema {
            try open(schema)
        } else if let dataset = configuration.dataset {
            // Options are checked and the directory made now; partition columns wait for the schema.
            var unpartitioned = dataset
            unpartitioned.partitionBy = []
            let probe = try DatasetWriter(
                directory: configuration.path, schema: try Schema([Field("probe", .boolean)]),
                options: Self.probeOptions(configuration.options), dataset: unpartitioned)
            probe.abort()
        } else {
            let probe = try ParquetWriter(
                path: configuration.path, schema: try Schema([Field("probe", .boolean)]),
                options: Self.probeOptions(configuration.options),
                mode: configuration.mode ?? .overwrite)
            probe.abort()
        }
    }

    /// The options a writer opened only to check them (before an inferred schema is known,
    /// or for an empty dataset that never gets one)
    /// takes: without those that name columns (`bloom_filter_columns`, `sort_by`), which are
    /// checked against the schema once the first batch gives it.
    private static func probeOptions(_ options: WriterOptions) -> WriterOptions {
        var options = options
        options.bloomFilterColumns = []
        options.sortBy = []
        return options
    }

    /// A single file opened through a factory is replaced as the factory replaces it (an
    /// upload overwrites an object): the library cannot check for an existing one, so only
    /// `overwrite` (the default) is taken.
    private static func checkSinkFileMode(_ mode: OutputMode?) throws(ParquetError) {
        guard let mode, mode != .overwrite else { return }
        throw ParquetError(
            .invalidOptions,
            "mode '\(mode.rawValue)' needs a local file: this output cannot tell whether the file exists, so it takes only mode 'overwrite'")
    }

    /// Creates the output for `given` (the collect column added under `unknown_keys: collect`).
    private func open(_ given: Schema) throws(ParquetError) {
        let schema = try configuration.outputSchema(for: given)
        if let dataset = configuration.dataset {
            let writer = if let sinks {
                try DatasetWriter(
                    directory: configuration.path, sinks: sinks, schema: schema, options: configuration.options,
                    dataset: dataset)
            } else {
                try DatasetWriter(
                    directory: configuration.path, schema: schema, options: configuration.options, dataset: dataset)
            }
            output = .dataset(
                JSONDatasetWriter(dataset: writer, onInvalid: configuration.onInvalid, unknownKeys: configuration.unknownKeys))
        } else {
            let writer: ParquetWriter
            if let sinks {
                let sink: any OutputSink
                if let pending = pendingSink {
                    sink = pending
                    pendingSink = nil
                } else {
                    try Self.checkSinkFileMode(configuration.mode)
                    sink = try sinks.makeSink(for: configuration.path)
                }
                writer = try ParquetWriter(sink: sink, schema: schema, options: configuration.options)
            } else {
                writer = try ParquetWriter(
                    path: configuration.path, schema: schema, options: configuration.options,
                    mode: configuration.mode ?? .overwrite)
            }
            output = .file(
                JSONBatchWriter(writer: writer, onInvalid: configuration.onInvalid, unknownKeys: configuration.unknownKeys))
        }
        self.schema = schema
    }

    /// Writes a JSON array of objects, or NDJSON. Without a schema yet, the batch's records
    /// infer it first (a malformed or empty batch fixes nothing).
    /// - Parameter json: The batch's bytes (UTF-8).
    /// - Returns: Rows written, records left out, files finished during the call.
    /// - Throws: `ParquetError`, as ``JSONBatchWriter/write(_:)-(UnsafeRawBufferPointer)`` and
    ///   ``JSONDatasetWriter/write(_:)-(UnsafeRawBufferPointer)``.
    @discardableResult
    public func write(_ json: UnsafeRawBufferPointer) throws(ParquetError) -> JSONBatchResult {
        if output == nil {
            guard let inferred = try SchemaInference.infer(json, inferStrings: configuration.inferStrings) else {
                return JSONBatchResult(rowsWritten: 0, rejected: [])
            }
            try open(inferred)
        }
        let result: JSONBatchResult
        switch output {
        case .file(let records): result = try records.write(json)
        case .dataset(let records): result = try records.write(json)
        case nil: throw ParquetError(.internalError, "no output after opening one")
        }
        rowsWritten += result.rowsWritten
        rowsRejected += result.rejected.count
        return result
    }

    /// Opens the output with `schema` when no schema is fixed yet (Arrow input brings its
    /// own); does nothing otherwise.
    /// - Parameter schema: Called only when the output is not open.
    /// - Returns: The writer's schema.
    /// - Throws: `ParquetError` from `schema` or from opening the output.
    @discardableResult
    public func openIfNeeded(schema: () throws(ParquetError) -> Schema) throws(ParquetError) -> Schema {
        try refuseColumnsWhenCollecting()
        if output == nil { try open(try schema()) }
        guard let fixed = self.schema else { throw ParquetError(.internalError, "no schema after opening the output") }
        return fixed
    }

    /// Writes rows that a producer of columns (Arrow input) appends to a batch for the
    /// schema; the output must be open (``openIfNeeded(schema:)``).
    ///
    /// One batch is kept and refilled: the writer is done with it when its call returns.
    /// - Parameter fill: Appends rows to the (empty) batch and returns how many, with the
    ///   rows it left out; when it throws, nothing is written.
    /// - Returns: Rows written, rows left out, files finished during the call.
    /// - Throws: `ParquetError` from `fill` or the output.
    @discardableResult
    public func writeColumns(
        fill: (inout ColumnBatch) throws(ParquetError) -> (rows: Int, rejected: [ParquetError])
    ) throws(ParquetError) -> JSONBatchResult {
        try refuseColumnsWhenCollecting()
        guard let schema else { throw ParquetError(.internalError, "writeColumns before the output is open") }
        // Taken out while it is filled, so its buffers are uniquely held (appended in place).
        var batch = columnBatch ?? ColumnBatch(schema: schema)
        columnBatch = nil
        batch.removeAll()
        defer { columnBatch = batch }
        let (rows, rejected) = try fill(&batch)
        var files: [WriteSummary] = []
        switch output {
        case .file(let records): try records.writer.write(batch)
        case .dataset(let records): files = try records.dataset.write(batch)
        case nil: throw ParquetError(.internalError, "no output after opening one")
        }
        rowsWritten += rows
        rowsRejected += rejected.count
        return JSONBatchResult(rowsWritten: rows, rejected: rejected, files: files)
    }

    /// Column input (Arrow) has no keys outside its schema to collect, and would have to
    /// bring the collect column itself: refused rather than guessed.
    /// - Throws: `ParquetError` `.invalidOptions` under `unknown_keys: collect`.
    private func refuseColumnsWhenCollecting() throws(ParquetError) {
        guard configuration.unknownKeys == .collect else { return }
        throw ParquetError(
            .invalidOptions, "unknown_keys collect applies to JSON batches; Arrow input cannot be written with it")
    }

    /// Writes a JSON array of objects, or NDJSON, held in a string.
    @discardableResult
    public func write(_ json: String) throws(ParquetError) -> JSONBatchResult {
        try json._withJSONBytes { bytes throws(ParquetError) in try write(bytes) }
    }

    /// Commits every row written so far: a dataset finishes its open files (writing goes on
    /// into new ones). A single file is committed only by ``close()``.
    /// - Returns: The files finished.
    /// - Throws: `ParquetError` `.invalidOptions` for a single file, `.io` on failure.
    @discardableResult
    public func commitFiles() throws(ParquetError) -> [WriteSummary] {
        switch output {
        case .dataset(let records): return try records.dataset.commitFiles()
        case nil where configuration.dataset != nil: return []
        default:
            throw ParquetError(.invalidOptions, "a single file is committed only when it is closed; use directory output")
        }
    }

    /// Finishes the output: the file, or the dataset's open files.
    /// - Returns: The files finished by this call.
    /// - Throws: `ParquetError`; on failure the unfinished files are discarded. A file
    ///   writer that never saw a record to infer its schema from fails with `.invalidSchema`.
    public func close() throws(ParquetError) -> [WriteSummary] {
        switch output {
        case .file(let records):
            do {
                return [try records.writer.close()]
            } catch {
                records.writer.abort()
                throw error
            }
        case .dataset(let records):
            do {
                return try records.dataset.close()
            } catch {
                records.dataset.abort()
                throw error
            }
        case nil:
            // An empty dataset is an empty directory; an empty file has no schema to write.
            if var dataset = configuration.dataset {
                // Overwriting with nothing still replaces the old data: an empty dataset.
                if sinks == nil && dataset.mode == .overwrite {
                    dataset.partitionBy = []
                    return try DatasetWriter(
                        directory: configuration.path, schema: try Schema([Field("probe", .boolean)]),
                        options: Self.probeOptions(configuration.options), dataset: dataset
                    ).close()
                }
                return []
            }
            pendingSink?.abort()
            pendingSink = nil
            throw ParquetError(.invalidSchema, "no schema: nothing was written to infer one from")
        }
    }

    /// Discards what is not finished: the file, or the dataset's open files.
    public func abort() {
        switch output {
        case .file(let records): records.writer.abort()
        case .dataset(let records): records.dataset.abort()
        case nil:
            pendingSink?.abort()
            pendingSink = nil
        }
    }
}
