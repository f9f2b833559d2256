import Parquet

/// Writes a dataset: a directory of Parquet files, rolled over at a row or size limit and
/// optionally partitioned into hive-style `key=value/` directories.
///
/// Every file is committed on its own and atomically, as ``ParquetWriter`` commits one:
/// written under a temporary name, fsynced, renamed to `<prefix>-<sequence>-<run>.parquet`,
/// and its directory fsynced. A crash (even SIGKILL) leaves the files finished before it,
/// complete and readable, and no partial file under a `.parquet` name; the temporary files
/// of a writer that died are removed by the next writer opened on the directory.
///
/// Given an ``OutputSinkFactory`` instead of a local directory, each file is a sink the factory
/// opens by its path inside the dataset (`country=DE/part-00000-1a2b3c4d.parquet`), and each
/// appears as that sink commits it (an object store upload completing, say).
///
/// Files are finished when they reach ``DatasetOptions/maxRowsPerFile`` or
/// ``DatasetOptions/maxBytesPerFile``, when more than ``DatasetOptions/maxOpenFiles``
/// partitions are open (the least recently written one is finished), by ``commitFiles()``,
/// and by ``close()``. Each of these returns the files it finished, with their statistics.
///
/// Memory is bounded by the row groups under construction in the open files (at most
/// ``DatasetOptions/maxOpenFiles``) plus one batch's copy when a batch is split.
///
/// Not thread-safe: one thread at a time.
public final class DatasetWriter {
    /// The dataset's root directory (for a factory's dataset, the name it was given).
    public let directory: String
    /// The schema of the records written.
    public let schema: Schema
    /// The schema of the files: ``schema`` without the identity partition columns, unless
    /// ``DatasetOptions/writePartitionColumns`` keeps them.
    public let fileSchema: Schema
    /// The options each file is written with.
    public let options: WriterOptions
    /// How rows are spread over files.
    public let dataset: DatasetOptions
    /// Rows written so far (in finished and open files).
    public private(set) var rowCount = 0

    private enum State { case open, closed, failed }
    private var state = State.open

    /// An open file: its writer, its partition directory and when it was last written.
    private final class OpenFile {
        let writer: ParquetWriter
        var lastUse: Int

        init(writer: ParquetWriter, lastUse: Int) {
            self.writer = writer
            self.lastUse = lastUse
        }
    }

    private var router: _PartitionRouter?
    /// Whether files encode in the background (`threads` 2).
    private var pipelined: Bool { options.threads == 2 }
    /// For each leaf of ``fileSchema``, the leaf of ``schema`` it comes from.
    private let sourceLeaves: [Int]
    /// Open files by partition directory ("" without partitioning).
    private var openFiles: [String: OpenFile] = [:]
    private var clock = 0
    private var sequence = 0
    private let runToken = DatasetDirectory.runToken()
    /// Opens each file by its path inside the dataset.
    private let sinks: any OutputSinkFactory
    /// Rows copied here when a batch is split between files or partitions.
    private var scratch: [ColumnBuilder]
    /// The writer last given ``scratch``: with a background thread it may still be reading it.
    private var scratchReader: ParquetWriter?

    /// Opens a dataset in the local directory `directory`, creating it if needed.
    /// - Parameters:
    ///   - directory: The root directory; files may already be there (new names never clash).
    ///   - schema: The columns of the records.
    ///   - options: Codec, row-group and page limits, metadata, for every file. `threads` 2
    ///     (one file open at a time: no partitioning) encodes each batch on the file's
    ///     background thread while the caller parses the next.
    ///   - dataset: Rolling, partitioning and open-file limits.
    /// - Throws: `ParquetError` `.invalidOptions` for bad options or partition columns, `.io`
    ///   when the directory cannot be created.
    public convenience init(
        directory: String, schema: Schema, options: WriterOptions = WriterOptions(),
        dataset: DatasetOptions = DatasetOptions()
    ) throws(ParquetError) {
        try self.init(directory: directory, sinks: nil, schema: schema, options: options, dataset: dataset)
    }

    /// Opens a dataset whose files a factory opens: an object store prefix, a C caller's
    /// callbacks. Nothing is created until the first file is.
    /// - Parameters:
    ///   - directory: The dataset's name, for ``directory`` (the factory decides what it means).
    ///   - sinks: Opens each file by its path inside the dataset.
    ///   - schema: The columns of the records.
    ///   - options: As ``init(directory:schema:options:dataset:)``.
    ///   - dataset: Rolling, partitioning and open-file limits.
    /// - Throws: `ParquetError` `.invalidOptions` for bad options or partition columns.
    public convenience init(
        directory: String, sinks: any OutputSinkFactory, schema: Schema, options: WriterOptions = WriterOptions(),
        dataset: DatasetOptions = DatasetOptions()
    ) throws(ParquetError) {
        try self.init(directory: directory, sinks: .some(sinks), schema: schema, options: options, dataset: dataset)
    }

    /// Checks everything, then opens the local directory when no factory is given (so bad
    /// options never create a directory).
    private init(
        directory: String, sinks: (any OutputSinkFactory)?, schema: Schema, options: WriterOptions,
        dataset: DatasetOptions
    ) throws(ParquetError) {
        try options.validate()
        try dataset.validate()
        guard options.threads == 1 || dataset.partitionBy.isEmpty else {
            throw ParquetError(.invalidOptions, "'threads' 2 is not supported with 'partition_by' yet; use 1")
        }
        guard !directory.isEmpty, !directory.utf8.contains(0) else {
            throw ParquetError(.invalidOptions, "the dataset directory must be a non-empty path")
        }
        let router = dataset.partitionBy.isEmpty ? nil : try _PartitionRouter(schema: schema, fields: dataset.partitionBy)
        var keptFields = schema.fields
        var sourceLeaves = Array(schema.leafColumns.indices)
        if let router, !dataset.writePartitionColumns {
            let dropped = Set(router.fields.filter { $0.field.transform == .identity }.map(\.leaf))
            keptFields = schema.fields.indices.filter { schema.leafIndex(ofField: $0).map { !dropped.contains($0) } ?? true }
                .map { schema.fields[$0] }
            sourceLeaves = sourceLeaves.filter { !dropped.contains($0) }
            guard !keptFields.isEmpty else {
                throw ParquetError(
                    .invalidOptions,
                    "every column is a partition column, so the files would have none; set write_partition_columns")
            }
        }
        self.directory = directory
        self.schema = schema
        self.fileSchema = try Schema(keptFields)
        self.options = options
        self.dataset = dataset
        self.router = router
        self.sourceLeaves = sourceLeaves
        self.scratch = fileSchema.leafColumns.map { ColumnBuilder(descriptor: $0) }
        if let sinks {
            self.sinks = sinks
        } else {
            self.sinks = try LocalDirectorySinks(root: directory)
        }
    }

    deinit {
        for file in openFiles.values { file.writer.abort() }
    }

    // MARK: Writing

    /// Writes a batch of rows.
    /// - Parameter batch: Columns of equal length following ``schema``.
    /// - Returns: The files finished by this call.
    /// - Throws: `ParquetError`; see ``write(builders:rowCount:)``.
    @discardableResult
    public func write(_ batch: ColumnBatch) throws(ParquetError) -> [WriteSummary] {
        guard batch.schema == schema else {
            throw ParquetError(.invalidSchema, "the batch was built for a different schema")
        }
        return try write(builders: batch.builders, rowCount: batch.rowCount)
    }

    /// Writes rows staged in column builders, spreading them over partitions and files.
    ///
    /// A partition value that cannot be a directory name rejects the whole batch before any
    /// of it is written, and the writer stays usable. An I/O failure fails the dataset: the
    /// open files are discarded (the finished ones stay), and later calls report it.
    /// - Parameters:
    ///   - builders: One builder per leaf of ``schema``.
    ///   - rowCount: The rows staged in each.
    /// - Returns: The files finished by this call.
    /// - Throws: `ParquetError`.
    package func write(builders: [ColumnBuilder], rowCount: Int) throws(ParquetError) -> [WriteSummary] {
        try checkOpen()
        guard builders.count == schema.leafColumns.count else {
            throw ParquetError(.rowCountMismatch, "expected \(schema.leafColumns.count) columns, got \(builders.count)")
        }
        for builder in builders where builder.rowCount != rowCount {
            throw ParquetError(
                .rowCountMismatch, "column has \(builder.rowCount) rows, the batch has \(rowCount)",
                column: builder.descriptor.name)
        }
        guard rowCount > 0 else { return [] }
        let wholeBatch = [0..<rowCount]
        var finished: [WriteSummary] = []
        guard var router else {
            try guarded { () throws(ParquetError) in
                try emit(wholeBatch, of: builders, indexes: nil, to: "", finished: &finished)
            }
            self.rowCount += rowCount
            return finished
        }
        let indexes = builders.map { $0.rowIndex() }
        let (partitionOfRow, directories) = try router.route(builders: builders, indexes: indexes, rowCount: rowCount)
        self.router = router
        let runs = Self.runs(partitionOfRow, partitions: directories.count)
        try guarded { () throws(ParquetError) in
            for (partition, path) in directories.enumerated() {
                try emit(runs[partition], of: builders, indexes: indexes, to: path, finished: &finished)
            }
        }
        self.rowCount += rowCount
        return finished
    }

    /// Each partition's rows as runs of consecutive rows.
    private static func runs(_ partitionOfRow: [UInt32], partitions: Int) -> [[Range<Int>]] {
        var runs = [[Range<Int>]](repeating: [], count: partitions)
        var start = 0
        while start < partitionOfRow.count {
            let partition = partitionOfRow[start]
            var end = start + 1
            while end < partitionOfRow.count && partitionOfRow[end] == partition { end += 1 }
            runs[Int(partition)].append(start..<end)
            start = end
        }
        return runs
    }

    /// Writes rows `runs` of `builders` to the partition `path`, finishing files that reach a limit.
    private func emit(
        _ runs: [Range<Int>], of builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex]?,
        to path: String, finished: inout [WriteSummary]
    ) throws(ParquetError) {
        var remaining = runs.reduce(0) { $0 + $1.count }
        var runIndex = 0
        var runOffset = 0
        var indexes = indexes
        while remaining > 0 {
            var file = try openFile(path, finished: &finished)
            if pipelined, let limit = dataset.maxBytesPerFile, file.writer.rowCount > 0,
               file.writer.estimatedBytes >= limit {
                // With a background thread the size is known once the previous batch is
                // encoded, which is now (this batch is already parsed): the check moves here.
                finished.append(try finish(path))
                file = try openFile(path, finished: &finished)
            }
            let room = dataset.maxRowsPerFile.map { $0 - file.writer.rowCount } ?? Int.max
            let take = Swift.min(remaining, room)
            if take == builders[0].rowCount && sourceLeaves.count == builders.count {
                // The whole batch into one file, all columns: no copy.
                try file.writer.write(builders: builders, rowCount: take)
            } else {
                if indexes == nil { indexes = builders.map { $0.rowIndex() } }
                scratchReader?.waitForBackground()
                for index in scratch.indices { scratch[index].removeAll() }
                var taken = 0
                while taken < take {
                    let run = runs[runIndex]
                    let count = Swift.min(run.count - runOffset, take - taken)
                    let rows = (run.lowerBound + runOffset)..<(run.lowerBound + runOffset + count)
                    for (target, source) in sourceLeaves.enumerated() {
                        scratch[target].appendRows(rows, of: builders[source], index: indexes![source])
                    }
                    taken += count
                    runOffset += count
                    if runOffset == run.count {
                        runIndex += 1
                        runOffset = 0
                    }
                }
                try file.writer.write(builders: scratch, rowCount: take)
                scratchReader = file.writer
            }
            remaining -= take
            let full = dataset.maxRowsPerFile.map { file.writer.rowCount >= $0 } ?? false
            if full || (!pipelined && dataset.maxBytesPerFile.map({ file.writer.estimatedBytes >= $0 }) == true) {
                finished.append(try finish(path))
            }
        }
    }

    /// The open file of partition `path`, opening one (and finishing the least recently
    /// written file when ``DatasetOptions/maxOpenFiles`` are open).
    private func openFile(_ path: String, finished: inout [WriteSummary]) throws(ParquetError) -> OpenFile {
        clock += 1
        if let file = openFiles[path] {
            file.lastUse = clock
            return file
        }
        if openFiles.count >= dataset.maxOpenFiles,
           let oldest = openFiles.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            finished.append(try finish(oldest))
        }
        let name = "\(dataset.filePrefix)-\(Self.padded(sequence))-\(runToken).parquet"
        sequence += 1
        let sink = try sinks.makeSink(for: path.isEmpty ? name : DatasetDirectory.join(path, name))
        let writer = try ParquetWriter(sink: sink, schema: fileSchema, options: options)
        let file = OpenFile(writer: writer, lastUse: clock)
        openFiles[path] = file
        return file
    }

    private static func padded(_ value: Int) -> String {
        let digits = String(value)
        return digits.count >= 5 ? digits : String(repeating: "0", count: 5 - digits.count) + digits
    }

    /// Finishes (commits) the open file of partition `path`.
    private func finish(_ path: String) throws(ParquetError) -> WriteSummary {
        guard let file = openFiles.removeValue(forKey: path) else {
            throw ParquetError(.internalError, "no open file for partition '\(path)'")
        }
        return try file.writer.close()
    }

    /// Runs `body`; a failure in it fails the dataset (open files discarded) and is rethrown.
    private func guarded(_ body: () throws(ParquetError) -> Void) throws(ParquetError) {
        do {
            try body()
        } catch {
            fail()
            throw error
        }
    }

    // MARK: Finishing

    /// Finishes every open file now, so every row written so far is durable in a committed
    /// file: what a pipeline does before it acknowledges a checkpoint. Writing may go on;
    /// later rows go to new files.
    /// - Returns: The files finished.
    /// - Throws: `ParquetError` on I/O failure; the dataset is then failed.
    @discardableResult
    public func commitFiles() throws(ParquetError) -> [WriteSummary] {
        try checkOpen()
        var finished: [WriteSummary] = []
        // Oldest first, so files are committed in the order they were last written.
        let paths = openFiles.sorted { $0.value.lastUse < $1.value.lastUse }.map(\.key)
        try guarded { () throws(ParquetError) in
            for path in paths { finished.append(try finish(path)) }
        }
        return finished
    }

    /// Finishes every open file and closes the dataset.
    /// - Returns: The files finished by this call.
    /// - Throws: `ParquetError`; the files not yet finished are then discarded.
    @discardableResult
    public func close() throws(ParquetError) -> [WriteSummary] {
        let finished = try commitFiles()
        state = .closed
        return finished
    }

    /// Discards the open files (the finished ones stay). Safe in any state.
    public func abort() {
        for file in openFiles.values { file.writer.abort() }
        openFiles.removeAll()
        if state == .open { state = .closed }
    }

    private func fail() {
        for file in openFiles.values { file.writer.abort() }
        openFiles.removeAll()
        state = .failed
    }

    private func checkOpen() throws(ParquetError) {
        switch state {
        case .open: return
        case .closed: throw ParquetError(.writerClosed, "the dataset writer is closed")
        case .failed:
            throw ParquetError(.writerClosed, "the dataset writer failed earlier and its open files were discarded")
        }
    }
}
