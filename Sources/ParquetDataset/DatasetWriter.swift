import Parquet
import ParquetBytes

/// Writes a dataset: a directory of Parquet files, rolled over at a row or size limit and
/// optionally partitioned into hive-style `key=value/` directories.
///
/// Every file is committed on its own and atomically, as ``ParquetWriter`` commits one:
/// written under a temporary name, fsynced, renamed to `<prefix>-<sequence>-<run>.parquet`,
/// and its directory fsynced. A crash (even SIGKILL) leaves the files finished before it,
/// complete and readable, and no partial file under a `.parquet` name; the temporary files
/// of a writer that died are removed by the next writer opened on the directory.
///
/// What happens to data already in a local directory is ``DatasetOptions/mode``: by default
/// (`.error`) a directory with visible entries is refused; `.append` adds files beside the old
/// ones; `.overwrite` writes into a hidden sibling directory and swaps it with the root in one
/// atomic step (`renameat2(RENAME_EXCHANGE)`) at the first ``commitFiles()`` or ``close()``,
/// then removes the old tree, so a crash leaves either the old dataset or the new one, never a
/// mix; `.overwritePartitions` swaps only the leaf partition directories this run wrote, each
/// atomically (the set of them is not replaced in one step, as in Spark). Files finished after
/// that first commit are added to the new data. ``abort()`` or a failure removes the staged
/// files and leaves the root as it was.
///
/// Given an ``OutputSinkFactory`` instead of a local directory, each file is a sink the factory
/// opens by its path inside the dataset (`country=DE/part-00000-1a2b3c4d.parquet`), and each
/// appears as that sink commits it (an object store upload completing, say).
///
/// Files are finished when they reach ``DatasetOptions/maxRowsPerFile`` or
/// ``DatasetOptions/maxBytesPerFile``, by ``commitFiles()``, and by ``close()``; never for
/// any other reason, so the files written do not depend on the order rows arrive in: each
/// partition gets `ceil(rows / max_rows_per_file)` files (and the size limit's), in any order.
/// Each of these calls returns the files it finished, with their statistics.
///
/// Partitioned, rows fan out (see ``DatasetOptions/memoryLimitBytes``): each partition's rows
/// are staged in its own column builders, a few thousand at a time, then encoded into its
/// file's open row group (a *step*: dictionary indices and compressed pages take a fraction of
/// the staged size), which is closed when it is full. Row groups stay open across batches, so
/// they are full whatever the order rows arrive in. When staged rows and open row groups pass
/// half the budget, the partition holding the most is written out if it has rows enough for a
/// useful row group; else its open pages are compressed; else its staged rows are spilled to
/// a nameless scratch file and read back into its row group later. At most
/// ``DatasetOptions/maxOpenFiles`` files are open; a partition without one keeps its rows
/// staged or spilled until a file is finished.
///
/// Memory: partitioned, ``DatasetOptions/memoryLimitBytes`` (plus the batch being written;
/// open row groups are counted at twice their encoded size, as the buffers behind them grow
/// by doubling);
/// unpartitioned, the one open file's row group under construction (its pages beyond
/// ``WriterOptions/columnBufferBytes`` wait on disk) plus one batch's copy when a batch is split.
///
/// Not thread-safe: one thread at a time. With ``WriterOptions/threads`` above 1 the files
/// share one set of threads, on which each row group's columns are encoded.
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
    /// What happens to data already at the output (``DatasetOptions/mode``, or the default).
    public let mode: OutputMode
    /// Rows written so far (in finished and open files).
    public private(set) var rowCount = 0

    private enum State { case open, closed, failed }
    private var state = State.open

    /// An open file: its writer, when it was last written, and the memory its open row group
    /// holds.
    private final class OpenFile {
        let writer: ParquetWriter
        var lastUse: Int
        /// The open row group's memory as last counted (``DatasetWriter/measureOpenRowGroup(_:)``).
        var rowGroupBytes = 0
        /// Whether the open row group's pages were closed to free memory, with no rows since:
        /// closing them again would free nothing.
        var pagesClosed = false

        init(writer: ParquetWriter, lastUse: Int) {
            self.writer = writer
            self.lastUse = lastUse
        }
    }

    private var router: _PartitionRouter?
    /// For each leaf of ``fileSchema``, the leaf of ``schema`` it comes from.
    private let sourceLeaves: [Int]
    /// Each leaf of ``fileSchema`` itself: the mapping for rows already in the file's shape.
    private let fileLeaves: [Int]
    /// Open files by partition directory ("" without partitioning).
    private var openFiles: [String: OpenFile] = [:]
    private var clock = 0
    private var sequence = 0
    private let runToken = DatasetDirectory.runToken()
    /// Where a local dataset's files are made durable (fsyncs, renames), overlapping the
    /// encoding of the next; waited for before files are reported. nil for a factory's files.
    private let durability: CommitQueue?
    /// Opens each file by its path inside the dataset.
    private let sinks: any OutputSinkFactory
    /// The staging directory of modes `overwrite` and `overwrite_partitions`.
    private let staging: _DatasetStaging?
    /// Rows copied here when a batch is split between files.
    private var scratch: [ColumnBuilder]
    /// The threads, codec contexts, page buffers and page spool of every file (made with the
    /// first file): files take turns on them, or are written one per task on their pool, each
    /// on its worker's view (``workerViews()``).
    private var threads: EncodingThreads?
    /// ``threads``' worker views, made with the first use.
    private var _workerViews: [EncodingThreads]?

    // Fan-out (partitioned) state.
    private let budget: _FanOutBudget
    /// Rows waiting for their partition's file, by partition directory.
    private var buffers: [String: _PartitionBuffer] = [:]
    /// Memory held by every buffer's staged rows.
    private var stagedBytes = 0
    /// Memory held by the open row groups of partition files, as last counted.
    private var openRowGroupBytes = 0
    /// What counts against the staging half of the budget: staged rows and open row groups.
    private var heldBytes: Int { stagedBytes + openRowGroupBytes }
    /// Files the batch's due steps will open (``step(_:finished:)``), counted against
    /// ``DatasetOptions/maxOpenFiles`` before they are.
    private var pendingOpens = 0
    /// Steps taken and open row groups' pages closed to keep the budget, for the tests.
    private(set) var counts = (steps: 0, pagesClosed: 0)
    /// Where partitions' rows are spilled, made on the first spill.
    private var rowSpill: ScratchFile?
    /// A run being spilled, serialized; kept from spill to spill while it is no larger than
    /// a typical run (as ``readBack``).
    private var spillBuffer = ByteBuffer()
    /// A spilled run read back, and its rows.
    private var readBack = ByteBuffer()
    private var readBackBuilders: [ColumnBuilder]

    // Sorted (`sort_by`) state.
    /// ``WriterOptions/sortBy`` resolved against the files' columns; nil: rows stay in order.
    private let rowOrder: RowOrder?
    /// Each partition's rows for its next file, by partition directory, when sorting: a file
    /// is written whole, in order, once its rows are all known (at its row limit, on commit
    /// or close), so sorted files are never open between calls.
    private var sorters: [String: RowSorter] = [:]

    /// Opens a dataset in the local directory `directory`, creating it if needed.
    /// - Parameters:
    ///   - directory: The root directory; files may already be there (new names never clash).
    ///   - schema: The columns of the records.
    ///   - options: Codec, row-group and page limits, metadata, threads, for every file.
    ///   - dataset: Rolling, partitioning and open-file limits, and the mode.
    /// - Throws: `ParquetError` `.invalidOptions` for bad options or partition columns, `.io`
    ///   when the directory cannot be created, or holds visible entries under mode `.error`.
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
    ///   - dataset: Rolling, partitioning and open-file limits. The factory cannot list or
    ///     rename what is at the output, so the mode must be nil or `.append`.
    /// - Throws: `ParquetError` `.invalidOptions` for bad options, partition columns or mode.
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
        self.fileLeaves = Array(fileSchema.leafColumns.indices)
        if options.sortBy.isEmpty {
            self.rowOrder = nil
        } else {
            for key in options.sortBy where fileSchema.index(of: key.column) == nil && schema.index(of: key.column) != nil {
                throw ParquetError(
                    .invalidOptions,
                    "'sort_by' column '\(key.column)' is a partition column, so each file holds one value of it")
            }
            self.rowOrder = try RowOrder(options.sortBy, columns: fileSchema.leafColumns)
        }
        try options.validateBloomFilterColumns(fileSchema.leafColumns)
        self.scratch = fileSchema.leafColumns.map { ColumnBuilder(descriptor: $0) }
        self.readBackBuilders = scratch
        self.budget = _FanOutBudget(memoryLimitBytes: dataset.memoryLimitBytes, options: options)
        let mode = dataset.mode ?? OutputMode.defaultMode(dataset: true, local: sinks == nil)
        self.mode = mode
        if let sinks {
            guard mode == .append else {
                throw ParquetError(
                    .invalidOptions,
                    "mode '\(mode.rawValue)' needs a local directory: this output cannot list or rename files, so it takes only mode 'append'")
            }
            self.sinks = sinks
            staging = nil
            durability = nil
        } else {
            let queue = CommitQueue()
            durability = queue
            let opened: (sinks: any OutputSinkFactory, staging: _DatasetStaging?)
            do {
                opened = try Self.openLocal(directory, mode: mode, durability: queue)
            } catch {
                queue.stop()
                throw error
            }
            self.sinks = opened.sinks
            staging = opened.staging
        }
    }

    /// The files' threads, for a producer that parses on them too (the JSON writers); nil
    /// when they cannot be started (the producer then parses on its own thread).
    package var workerPool: WorkerPool? {
        if threads == nil { threads = try? EncodingThreads(options: options, scratchDirectory: scratchDirectory) }
        return threads?.pool
    }

    /// Opens a local directory for `mode`: checks it under `.error`, stages the files under the
    /// overwrite modes, and sweeps the staging directories that dead writers left beside it.
    /// - Returns: What opens the files, and the staging directory when there is one.
    /// - Throws: `ParquetError` `.io` for a directory that cannot be made, or that holds
    ///   visible entries under `.error`; `.invalidOptions` for a root the overwrite modes cannot swap.
    private static func openLocal(
        _ directory: String, mode: OutputMode, durability: CommitQueue
    ) throws(ParquetError) -> (sinks: any OutputSinkFactory, staging: _DatasetStaging?) {
        switch mode {
        case .overwrite, .overwritePartitions:
            // Sweeps the abandoned staging directories itself, before making its own.
            let staging = try _DatasetStaging(
                root: directory, byPartition: mode == .overwritePartitions, durability: durability)
            return (staging, staging)
        case .error:
            if try DatasetDirectory.hasVisibleEntries(directory) {
                throw ParquetError(
                    .io,
                    "the dataset directory '\(directory)' is not empty and mode 'error' refuses to write into it; "
                        + "give mode 'append' to add files, 'overwrite' to replace it, or 'overwrite_partitions' to replace the partitions written")
            }
        case .append:
            break
        }
        let sinks = try LocalDirectorySinks(root: directory, durability: durability)
        DatasetDirectory.removeAbandonedStaging(
            in: DatasetDirectory.parentOf(directory), rootName: DatasetDirectory.lastComponent(directory))
        return (sinks, nil)
    }

    deinit {
        for file in openFiles.values { file.writer.abort() }
        openFiles.removeAll()
        threads?.stop()
        // Files already handed to the commit queue land first, so nothing renames into a
        // staging directory being removed.
        _ = try? completeCommits()
        durability?.stop()
        // Dropped without close: as abort, the staged files go and the root stays.
        staging?.discard()
    }

    /// Waits until every file finished so far is durable and in place (their fsyncs and
    /// renames run on the local directory's commit queue); called before files are reported.
    /// - Throws: `ParquetError` `.io` for a file that could not be made durable.
    private func completeCommits() throws(ParquetError) {
        try durability?.wait()
    }

    /// Where scratch files go: the dataset's own directory (its file system), or the
    /// temporary directory for a factory's dataset.
    private var scratchDirectory: String {
        staging?.scratchDirectory ?? (sinks as? LocalDirectorySinks)?.root ?? FileSystemCalls.temporaryDirectory()
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
        let finished = try writeRows(builders: builders, rowCount: rowCount)
        if !finished.isEmpty {
            try guarded { () throws(ParquetError) in try completeCommits() }
        }
        return finished
    }

    /// ``write(builders:rowCount:)`` up to the files' durability.
    private func writeRows(builders: [ColumnBuilder], rowCount: Int) throws(ParquetError) -> [WriteSummary] {
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
        var finished: [WriteSummary] = []
        if rowOrder != nil && router == nil {
            guard rowCount <= Int(Int32.max) else {
                throw ParquetError(.invalidOptions, "a sorted batch holds at most \(Int32.max) rows, got \(rowCount)")
            }
            let indexes = builders.map { $0.rowIndex() }
            let rows = (0..<Int32(rowCount)).map { $0 }
            try guarded { () throws(ParquetError) in
                try rows.withUnsafeBufferPointer { all throws(ParquetError) in
                    try stageSorted(all, of: builders, indexes: indexes, to: "", finished: &finished)
                }
                try keepSortBudget()
            }
            self.rowCount += rowCount
            return finished
        }
        guard var router else {
            try guarded { () throws(ParquetError) in
                try emit([0..<rowCount], of: builders, columns: sourceLeaves, to: "", finished: &finished)
            }
            self.rowCount += rowCount
            return finished
        }
        guard rowCount <= Int(Int32.max) else {
            throw ParquetError(.invalidOptions, "a partitioned batch holds at most \(Int32.max) rows, got \(rowCount)")
        }
        let indexes = builders.map { $0.rowIndex() }
        let (partitionOfRow, directories) = try router.route(builders: builders, indexes: indexes, rowCount: rowCount)
        self.router = router
        let (starts, rows) = Self.rowLists(partitionOfRow, partitions: directories.count)
        if rowOrder != nil {
            try guarded { () throws(ParquetError) in
                for (partition, path) in directories.enumerated() {
                    try rows.withUnsafeBufferPointer { all throws(ParquetError) in
                        try stageSorted(
                            UnsafeBufferPointer(rebasing: all[starts[partition]..<starts[partition + 1]]),
                            of: builders, indexes: indexes, to: path, finished: &finished)
                    }
                }
                try keepSortBudget()
            }
            self.rowCount += rowCount
            return finished
        }
        try guarded { () throws(ParquetError) in
            let partitionBuffers = directories.map { self.buffer(for: $0) }
            Self.stage(
                rows, starts: starts, into: partitionBuffers, of: builders, indexes: indexes,
                sourceLeaves: sourceLeaves, pool: workerPool)
            // Served in the order staged before, one partition after another, so the files
            // and their row groups are those of one thread.
            var due: [_PartitionBuffer] = []
            var projected = 0
            pendingOpens = 0
            for buffer in partitionBuffers {
                stagedBytes += buffer.measure()
                if try serve(buffer, projected: &projected, finished: &finished) { due.append(buffer) }
            }
            try step(due, finished: &finished)
            try keepBudget(finished: &finished)
        }
        self.rowCount += rowCount
        return finished
    }

    /// Appends each partition's rows of a batch to its staged builders: one task per column
    /// on the pool (a column's staging touches only that column's builders), every partition
    /// in turn within a task.
    /// - Parameters:
    ///   - rows: The batch's rows by partition (``rowLists(_:partitions:)``).
    ///   - starts: Where each partition's rows start in `rows`.
    ///   - buffers: The partitions' buffers, in the order of `starts`.
    ///   - builders: The batch, one builder per leaf of the dataset's schema.
    ///   - indexes: Their row indexes.
    ///   - sourceLeaves: For each staged column, the batch column it comes from.
    ///   - pool: The writer's threads, or nil to stage on the caller's.
    private static func stage(
        _ rows: [Int32], starts: [Int], into buffers: [_PartitionBuffer], of builders: [ColumnBuilder],
        indexes: [ColumnBuilder.RowIndex], sourceLeaves: [Int], pool: WorkerPool?
    ) {
        rows.withUnsafeBufferPointer { all in
            builders.withUnsafeBufferPointer { builders in
                indexes.withUnsafeBufferPointer { indexes in
                    let stageColumn = { (column: Int, _: Int) in
                        // Loaded once per column: passing `builders[...]` to each partition's
                        // call copied the builder and its index (a retain and release per
                        // buffer) for every partition.
                        let source = builders[sourceLeaves[column]]
                        let index = indexes[sourceLeaves[column]]
                        for (partition, buffer) in buffers.enumerated() {
                            buffer.stageColumn(
                                column, rows: UnsafeBufferPointer(rebasing: all[starts[partition]..<starts[partition + 1]]),
                                of: source, index: index)
                        }
                    }
                    if let pool {
                        pool.forEach(sourceLeaves.count, stageColumn)
                    } else {
                        for column in sourceLeaves.indices { stageColumn(column, 0) }
                    }
                }
            }
        }
    }

    /// Each partition's rows, listed: partition `p`'s are `rows[starts[p]..<starts[p + 1]]`,
    /// in batch order (a counting sort, two passes over the rows).
    private static func rowLists(_ partitionOfRow: [UInt32], partitions: Int) -> (starts: [Int], rows: [Int32]) {
        var starts = [Int](repeating: 0, count: partitions + 1)
        for partition in partitionOfRow { starts[Int(partition) + 1] += 1 }
        for partition in 0..<partitions { starts[partition + 1] += starts[partition] }
        var next = starts
        var rows = [Int32](repeating: 0, count: partitionOfRow.count)
        for (row, partition) in partitionOfRow.enumerated() {
            rows[next[Int(partition)]] = Int32(truncatingIfNeeded: row)
            next[Int(partition)] += 1
        }
        return (starts, rows)
    }

    // MARK: Fan-out

    /// The buffer of partition `path`, made on its first rows.
    private func buffer(for path: String) -> _PartitionBuffer {
        if let buffer = buffers[path] { return buffer }
        let buffer = _PartitionBuffer(path: path, columns: fileSchema.leafColumns)
        buffers[path] = buffer
        return buffer
    }

    /// Whether partition `path` may write now: its file is open, or another may be opened.
    private func canWrite(_ path: String) -> Bool {
        openFiles[path] != nil || openFiles.count + pendingOpens < dataset.maxOpenFiles
    }

    /// The rows that complete partition `path`'s open (or next) row group: a full row group
    /// less the rows already in it, or what is left of its file's row limit.
    private func rowGroupTarget(_ path: String) -> Int {
        let writer = openFiles[path]?.writer
        let room = dataset.maxRowsPerFile.map { $0 - (writer?.rowCount ?? 0) } ?? Int.max
        return Swift.min(budget.rowGroupRows - (writer?.rowsInOpenRowGroup ?? 0), room)
    }

    /// Rows of partition `path` already in its file's open row group.
    private func openRows(_ path: String) -> Int {
        openFiles[path]?.writer.rowsInOpenRowGroup ?? 0
    }

    /// Memory partition `path`'s open row group holds, as last counted.
    private func openBytes(_ path: String) -> Int {
        openFiles[path]?.rowGroupBytes ?? 0
    }

    /// Recounts the memory partition `path`'s open row group holds: twice its encoded size,
    /// because the buffers behind it (the open pages, the pages kept in memory, a dictionary's
    /// values and its hash table) grow by doubling and are larger than what they hold.
    private func measureOpenRowGroup(_ path: String) {
        guard let file = openFiles[path] else { return }
        let held = 2 * file.writer.openRowGroupBytes
        openRowGroupBytes += held - file.rowGroupBytes
        file.rowGroupBytes = held
    }

    /// Writes a partition's rows out while they fill a row group (by rows or by bytes); a
    /// partition that cannot open a file spills its staged rows in runs of bounded size.
    /// - Returns: Whether the partition's staged rows are due to go into its file's open row
    ///   group now (a step: ``step(_:finished:)``, for the batch's partitions together).
    /// - Parameter projected: The memory the batch's steps so far will add, counted with the
    ///   budget; raised by this one's when it is due.
    private func serve(
        _ buffer: _PartitionBuffer, projected: inout Int, finished: inout [WriteSummary]
    ) throws(ParquetError) -> Bool {
        let path = buffer.path
        guard canWrite(path) else {
            if buffer.stagedRowBytes >= budget.runBytes { try spill(buffer) }
            return false
        }
        while true {
            let target = rowGroupTarget(path)
            if buffer.rows >= target {
                try flush(buffer, rows: target, finished: &finished)
            } else if buffer.rows + openRows(path) > 0 && buffer.bytes + openBytes(path) >= budget.rowGroupBytes {
                try flush(buffer, rows: buffer.rows, finished: &finished)
            } else {
                break
            }
        }
        // Encoded, the rows take at most their staged size (counted twice over, as open row
        // groups are), while their staging keeps its capacity for the next rows.
        let growth = 2 * buffer.stagedRowBytes
        guard buffer.runs.isEmpty, buffer.stagedRows > 0,
            buffer.stagedRows >= budget.stepRows || buffer.stagedRowBytes >= budget.runBytes,
            heldBytes + projected + growth <= budget.stagingBytes
        else { return false }
        projected += growth
        if openFiles[path] == nil { pendingOpens += 1 }
        return true
    }

    /// Encodes the staged rows of each partition in `due` into its file's open row group
    /// (pages compressed as they fill, the large open ones closed after: a fraction of the
    /// rows' staged size, and no copy left to make at the close), then starts their staging
    /// again, keeping its capacity.
    ///
    /// Files are opened here in order; with threads, the partitions are encoded one per task
    /// on the pool (each on its worker's view of the dataset's threads: a partition's rows
    /// are few, and encoding its columns in parallel would leave threads waiting on its
    /// largest one), else in order on this thread. Each file gets the same calls either way,
    /// so the same bytes. Only partitions with no spilled runs waiting are due, so rows reach
    /// the file in the order they arrived.
    /// - Parameters:
    ///   - due: Partitions ``serve(_:projected:finished:)`` found due, in order.
    ///   - finished: Gets the files finished (by ``DatasetOptions/maxBytesPerFile``).
    /// - Throws: `ParquetError` from the first partition in order that failed.
    private func step(_ due: [_PartitionBuffer], finished: inout [WriteSummary]) throws(ParquetError) {
        defer { pendingOpens = 0 }
        guard !due.isEmpty else { return }
        let writers = try due.map { buffer throws(ParquetError) in try openFile(buffer.path).writer }
        let staged = due.map(\.staged)
        let pageBytes = budget.stepPageBytes
        // Local files only: a factory's sinks (a caller's callbacks) are written from one
        // thread at a time, and a step may close a row group that fills.
        if let pool = workerPool, pool.width > 1, due.count > 1, durability != nil {
            let views = try workerViews()
            var failures = [ParquetError?](repeating: nil, count: due.count)
            failures.withUnsafeMutableBufferPointer { failures in
                pool.forEach(due.count) { index, worker in
                    do throws(ParquetError) {
                        try writers[index].writeStep(
                            builders: staged[index], rowCount: staged[index][0].rowCount, closingPagesOf: pageBytes,
                            on: views[worker])
                    } catch {
                        failures[index] = error
                    }
                }
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        } else {
            for (index, writer) in writers.enumerated() {
                try writer.writeStep(
                    builders: staged[index], rowCount: staged[index][0].rowCount, closingPagesOf: pageBytes,
                    on: threads!)
            }
        }
        counts.steps += due.count
        for buffer in due {
            buffer.clearStaged()
            guard let file = openFiles[buffer.path] else { continue }
            file.pagesClosed = false
            measureOpenRowGroup(buffer.path)
            if dataset.maxBytesPerFile.map({ file.writer.estimatedBytes >= $0 }) == true {
                finished.append(try finish(buffer.path))
            }
        }
    }

    /// One view per worker of the dataset's threads (``EncodingThreads/worker(_:)``), made
    /// with the first use: where a task on the pool writes a file by itself.
    private func workerViews() throws(ParquetError) -> [EncodingThreads] {
        if let views = _workerViews { return views }
        guard let threads else { throw ParquetError(.internalError, "no threads before the first file") }
        var views: [EncodingThreads] = []
        for worker in 0..<threads.pool.width { views.append(try threads.worker(worker)) }
        _workerViews = views
        return views
    }

    /// Brings staged rows and open row groups back under the budget once they pass it, until
    /// they are under the low-water mark. The partition holding the most is written out (its
    /// open row group closed) when it has rows enough for a useful row group and may open a
    /// file; otherwise the open pages of its open row group are closed (its values then wait
    /// compressed, and in the spool past each column's buffer), or else its staged rows are
    /// spilled, or, with none staged, the capacity its staging kept from its last step is
    /// freed. An open row group below the floor is never ended early; it grows only while
    /// the budget has room (``serve(_:projected:finished:)``). Each action takes a reason to pick the
    /// partition again away, so the loop ends.
    private func keepBudget(finished: inout [WriteSummary]) throws(ParquetError) {
        guard heldBytes > budget.stagingBytes else { return }
        while heldBytes > budget.stagingLowWater {
            var largest: _PartitionBuffer?
            var largestHeld = 0
            for buffer in buffers.values where buffer.stagedBytes > 0 || closesPages(buffer) || writesOut(buffer) {
                let held = buffer.stagedBytes + openBytes(buffer.path)
                // Ties (sizes are often equal) go to the first path: a dictionary's order
                // differs from one writer to the next, and the files must not.
                if largest == nil || held > largestHeld || (held == largestHeld && buffer.path < largest!.path) {
                    largest = buffer
                    largestHeld = held
                }
            }
            guard let largest else { return }
            if writesOut(largest) {
                repeat {
                    try flush(largest, rows: Swift.min(largest.rows, rowGroupTarget(largest.path)), finished: &finished)
                } while largest.rows > 0
            } else if closesPages(largest), let file = openFiles[largest.path] {
                try file.writer.closeOpenPages()
                file.pagesClosed = true
                counts.pagesClosed += 1
                measureOpenRowGroup(largest.path)
            } else if largest.stagedRows > 0 {
                try spill(largest)
            } else {
                stagedBytes -= largest.releaseStaged()
            }
        }
    }

    /// Whether closing the open pages of a partition's open row group may free memory: it has
    /// one, and rows went into it since its pages were last closed.
    private func closesPages(_ buffer: _PartitionBuffer) -> Bool {
        guard let file = openFiles[buffer.path] else { return false }
        return file.rowGroupBytes > 0 && !file.pagesClosed
    }

    /// Whether a partition's waiting rows and open row group make a useful row group (the
    /// budget's floor) that may be written now.
    private func writesOut(_ buffer: _PartitionBuffer) -> Bool {
        canWrite(buffer.path) && buffer.rows + openRows(buffer.path) > 0
            && (buffer.rows + openRows(buffer.path) >= budget.floorRows
                || buffer.bytes + openBytes(buffer.path) >= budget.floorBytes)
    }

    /// Spills a partition's staged rows.
    private func spill(_ buffer: _PartitionBuffer) throws(ParquetError) {
        if rowSpill == nil { rowSpill = try ScratchFile(directory: scratchDirectory) }
        let held = buffer.stagedBytes
        try buffer.spill(to: rowSpill!, using: &spillBuffer)
        // Kept for the next spill only at a typical run's size, as the read-back buffer.
        if spillBuffer.capacity > 2 * budget.runBytes { spillBuffer = ByteBuffer() }
        stagedBytes -= held
    }

    /// Writes the first `count` waiting rows of a partition to its file (spilled runs first,
    /// then staged rows) and closes the row group after them (with `count` 0, the open row
    /// group alone).
    private func flush(_ buffer: _PartitionBuffer, rows count: Int, finished: inout [WriteSummary]) throws(ParquetError) {
        if count == 0, let file = openFiles[buffer.path] {
            try file.writer.closeRowGroup()
            measureOpenRowGroup(buffer.path)
        }
        var remaining = count
        while remaining > 0 {
            if let run = buffer.runs.first {
                try readRun(run)
                let take = Swift.min(run.rows - run.taken, remaining)
                remaining -= take
                try emit(
                    [run.taken..<(run.taken + take)], of: readBackBuilders, columns: fileLeaves, to: buffer.path,
                    closingRowGroup: remaining == 0, finished: &finished)
                buffer.spilledRows -= take
                if run.taken + take == run.rows {
                    buffer.runs.removeFirst()
                    buffer.spilledBytes -= run.extent.count
                    rowSpill!.discard(run.extent)
                } else {
                    buffer.runs[0].taken += take
                }
            } else {
                let take = Swift.min(buffer.stagedRows, remaining)
                remaining -= take
                let held = buffer.stagedBytes
                if take == buffer.stagedRows {
                    let builders = buffer.takeStaged()
                    stagedBytes -= held
                    try emit([0..<take], of: builders, columns: fileLeaves, to: buffer.path,
                             closingRowGroup: true, finished: &finished)
                } else {
                    try emit([0..<take], of: buffer.staged, columns: fileLeaves, to: buffer.path,
                             closingRowGroup: true, finished: &finished)
                    buffer.dropStaged(before: take)
                    stagedBytes += buffer.measure()
                }
            }
        }
        // Keep a read-back buffer of a typical run's size, not of the largest ever read.
        if readBack.capacity > 2 * budget.runBytes { readBack = ByteBuffer() }
    }

    /// Reads a spilled run back into ``readBackBuilders``.
    private func readRun(_ run: _PartitionBuffer.Run) throws(ParquetError) {
        try Self.readRun(run, from: rowSpill!, using: &readBack, into: &readBackBuilders)
    }

    /// Reads a spilled run back into `builders` (emptied first).
    /// - Parameters:
    ///   - run: The run.
    ///   - spill: The row spill holding it.
    ///   - buffer: Where its bytes are read (contents replaced).
    ///   - builders: One per leaf of the files' schema.
    /// - Throws: `ParquetError` `.io` when the spill cannot be read.
    private static func readRun(
        _ run: _PartitionBuffer.Run, from spill: ScratchFile, using buffer: inout ByteBuffer,
        into builders: inout [ColumnBuilder]
    ) throws(ParquetError) {
        try spill.read(run.extent, into: &buffer)
        for index in builders.indices { builders[index].removeAll() }
        buffer.withUnsafeReadableBytes { raw in
            var offset = 0
            for index in builders.indices {
                offset += builders[index].appendSerialized(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
        }
    }

    /// Writes every waiting row of every partition and finishes every open file: partitions
    /// with a file open first, then the others in path order, each into files of its own.
    private func drainAll(finished: inout [WriteSummary]) throws(ParquetError) {
        for path in sorters.keys.sorted() { try writeSorted(path, finished: &finished) }
        // Oldest first, so files are committed in the order they were last written.
        var order = openFiles.sorted(by: { $0.value.lastUse < $1.value.lastUse }).map(\.key)
        let opened = Set(order)
        order += buffers.keys.filter { !opened.contains($0) }.sorted()
        if let threads, threads.pool.width > 1, order.count > 1, durability != nil, dataset.maxBytesPerFile == nil {
            try drainTogether(order, threads: threads, finished: &finished)
        } else {
            for path in order { try drainAndFinish(path, finished: &finished) }
        }
        stagedBytes = 0
        openRowGroupBytes = 0
        rowSpill = nil
        readBack = ByteBuffer()
    }

    /// Writes all of partition `path`'s waiting rows and finishes its open file.
    private func drainAndFinish(_ path: String, finished: inout [WriteSummary]) throws(ParquetError) {
        if let buffer = buffers.removeValue(forKey: path) { try drain(buffer, finished: &finished) }
        if openFiles[path] != nil { finished.append(try finish(path)) }
    }

    /// ``drainAndFinish(_:finished:)`` for every partition in `order`, several at a time: the
    /// partitions whose waiting rows make one row group of one file (at close, nearly all) are
    /// taken in groups of up to twice the threads (and one row group's bytes), their files
    /// opened in order (so every file gets the name it gets on one thread), then each
    /// partition is written and its file finished by one task on the pool, encoding alone on
    /// that task's thread; the summaries are reported in order. A partition that needs more than one row group or file is
    /// drained by itself, as on one thread. Every file has the bytes one thread writes: the
    /// same calls reach each file's writer, only on another thread.
    ///
    /// Why: at close a dataset is mostly small partitions, each one step of a row group,
    /// where encoding a file's columns in parallel leaves threads waiting on the step's
    /// largest column and on each file's serial work (opening, footer, commit); measured on
    /// the bench's 120 partitions, closing took as long with 2 threads as with one.
    /// Local directories only: a factory's sinks (a caller's callbacks) are written from one
    /// thread at a time. Memory: a group's rows (staged and spilled) are at most one row
    /// group's bytes of the budget (``_FanOutBudget/rowGroupBytes``) unless one partition
    /// alone has more, so the pages and read-back runs the tasks hold together are what one
    /// row group being encoded holds on one thread; each task uses its worker's workspace
    /// (codec context, page scratch) and the one page spool. A partition whose row group is
    /// open (``step(_:finished:)``) joins a group as any other: its last rows close it.
    private func drainTogether(
        _ order: [String], threads: EncodingThreads, finished: inout [WriteSummary]
    ) throws(ParquetError) {
        let pool = threads.pool
        let spill = rowSpill
        let alone = try workerViews()
        let groupSize = 2 * pool.width
        var next = 0
        while next < order.count {
            var group: [(path: String, buffer: _PartitionBuffer?, writer: ParquetWriter)] = []
            var groupBytes = 0
            while next < order.count && group.count < groupSize {
                let path = order[next]
                let buffer = buffers[path]
                let rows = buffer?.rows ?? 0
                if openFiles[path] == nil && rows == 0 {
                    // All its rows are in files already (the last one full): nothing to do.
                    buffers[path] = nil
                    next += 1
                    continue
                }
                guard rows <= rowGroupTarget(path), openFiles[path]?.writer.canMoveThreads ?? true,
                    group.isEmpty || groupBytes + (buffer?.bytes ?? 0) <= budget.rowGroupBytes,
                    openFiles[path] != nil || openFiles.count < dataset.maxOpenFiles
                else { break }
                groupBytes += buffer?.bytes ?? 0
                group.append((path, buffer, try openFile(path).writer))
                next += 1
            }
            if group.isEmpty {
                // The next partition cannot join a group (or none is left).
                guard next < order.count else { break }
                try drainAndFinish(order[next], finished: &finished)
                next += 1
                continue
            }
            var results = [Result<WriteSummary, ParquetError>?](repeating: nil, count: group.count)
            let fileLeaves = self.fileLeaves
            let columns = fileSchema.leafColumns
            results.withUnsafeMutableBufferPointer { results in
                alone.withUnsafeBufferPointer { alone in
                    pool.forEach(group.count) { index, worker in
                        let member = group[index]
                        do throws(ParquetError) {
                            let summary = try member.writer.close(encodingOn: alone[worker]) { () throws(ParquetError) in
                                if let buffer = member.buffer {
                                    try Self.writeAll(
                                        buffer, to: member.writer, spill: spill, columns: columns, fileLeaves: fileLeaves)
                                }
                            }
                            results[index] = .success(summary)
                        } catch {
                            results[index] = .failure(error)
                        }
                    }
                }
            }
            // Every file of the group is finished (committed, or aborted by its failure) before
            // the first failure in order is reported.
            for member in group {
                if let file = openFiles.removeValue(forKey: member.path) { openRowGroupBytes -= file.rowGroupBytes }
                if let buffer = buffers.removeValue(forKey: member.path) { stagedBytes -= buffer.stagedBytes }
            }
            for result in results { finished.append(try result!.get()) }
        }
    }

    /// Writes all of a partition's waiting rows to `writer` as one row group, with the calls
    /// ``flush(_:rows:finished:)`` makes for them (each spilled run, then the staged rows),
    /// touching nothing of the dataset's: for a task finishing partitions in parallel.
    /// - Parameters:
    ///   - buffer: The partition's rows (at most a row group, and room in the file for them).
    ///   - writer: Its file.
    ///   - spill: The row spill, when rows were spilled.
    ///   - columns: The files' leaf columns.
    ///   - fileLeaves: Each of them itself (the mapping ``emit`` is given).
    /// - Throws: `ParquetError` on an I/O failure.
    private static func writeAll(
        _ buffer: _PartitionBuffer, to writer: ParquetWriter, spill: ScratchFile?, columns: [ColumnDescriptor],
        fileLeaves: [Int]
    ) throws(ParquetError) {
        var remaining = buffer.rows
        if !buffer.runs.isEmpty {
            guard let spill else { throw ParquetError(.internalError, "a partition has spilled rows but no spill") }
            var bytes = ByteBuffer()
            var builders = columns.map { ColumnBuilder(descriptor: $0) }
            for run in buffer.runs {
                try readRun(run, from: spill, using: &bytes, into: &builders)
                let take = run.rows - run.taken
                remaining -= take
                if run.taken == 0 {
                    try writer.write(builders: builders, rowCount: take, closingRowGroup: remaining == 0)
                } else {
                    // A row group ended inside the run: the rest of it, copied as emit copies it.
                    var copy = columns.map { ColumnBuilder(descriptor: $0) }
                    for (target, source) in fileLeaves.enumerated() {
                        copy[target].appendRows(run.taken..<run.rows, of: builders[source], index: builders[source].rowIndex())
                    }
                    try writer.write(builders: copy, rowCount: take, closingRowGroup: remaining == 0)
                }
            }
        }
        if buffer.stagedRows > 0 {
            try writer.write(builders: buffer.staged, rowCount: buffer.stagedRows, closingRowGroup: true)
        }
    }

    /// Writes all of a partition's waiting rows, a row group at a time.
    private func drain(_ buffer: _PartitionBuffer, finished: inout [WriteSummary]) throws(ParquetError) {
        while buffer.rows > 0 {
            try flush(buffer, rows: Swift.min(buffer.rows, rowGroupTarget(buffer.path)), finished: &finished)
        }
    }

    // MARK: Sorting

    /// Stages rows of a batch for partition `path`'s next sorted file, writing the file
    /// whenever its rows reach ``DatasetOptions/maxRowsPerFile`` (the rows after that start
    /// the next file).
    private func stageSorted(
        _ rows: UnsafeBufferPointer<Int32>, of builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex],
        to path: String, finished: inout [WriteSummary]
    ) throws(ParquetError) {
        var offset = 0
        while offset < rows.count {
            let sorter = self.sorter(for: path)
            let room = dataset.maxRowsPerFile.map { $0 - sorter.rows } ?? Int.max
            let take = Swift.min(room, rows.count - offset)
            sorter.stage(
                UnsafeBufferPointer(rebasing: rows[offset..<(offset + take)]), of: builders, indexes: indexes,
                sourceLeaves: sourceLeaves)
            stagedBytes += sorter.measure()
            offset += take
            if let limit = dataset.maxRowsPerFile, sorter.rows >= limit {
                try writeSorted(path, finished: &finished)
            }
        }
    }

    /// The sorter of partition `path`, made on its first rows.
    private func sorter(for path: String) -> RowSorter {
        if let sorter = sorters[path] { return sorter }
        let sorter = RowSorter(
            columns: fileSchema.leafColumns, order: rowOrder!, chunkBytes: budget.runBytes,
            mergeBytes: dataset.memoryLimitBytes / 4)
        sorters[path] = sorter
        return sorter
    }

    /// Brings staged rows back under the budget once they pass it, spilling the partitions
    /// holding the most as sorted runs until staged rows are under the low-water mark.
    private func keepSortBudget() throws(ParquetError) {
        guard stagedBytes > budget.stagingBytes else { return }
        while stagedBytes > budget.stagingLowWater {
            // Ties go to the first path, as in keepBudget.
            guard let (_, largest) = sorters.max(by: { ($0.value.stagedBytes, $1.key) < ($1.value.stagedBytes, $0.key) }),
                largest.stagedRows > 0
            else { return }
            if rowSpill == nil { rowSpill = try ScratchFile(directory: scratchDirectory) }
            let held = largest.stagedBytes
            try largest.spill(to: rowSpill!)
            stagedBytes -= held
        }
    }

    /// Writes partition `path`'s waiting rows, in order, into a file of their own (or more,
    /// at ``DatasetOptions/maxBytesPerFile``), and finishes it.
    private func writeSorted(_ path: String, finished: inout [WriteSummary]) throws(ParquetError) {
        guard let sorter = sorters.removeValue(forKey: path) else { return }
        stagedBytes -= sorter.stagedBytes
        try sorter.drain(
            scratch: rowSpill, rowGroupRows: budget.rowGroupRows, rowGroupBytes: budget.rowGroupBytes
        ) { builders, count throws(ParquetError) in
            try emit([0..<count], of: builders, columns: fileLeaves, to: path, closingRowGroup: true, finished: &finished)
        }
        if openFiles[path] != nil { finished.append(try finish(path)) }
    }

    // MARK: Files

    /// Writes rows `runs` of `builders` to the partition `path`, finishing files that reach a limit.
    /// - Parameters:
    ///   - runs: Rows of `builders`, in order.
    ///   - builders: The rows' columns.
    ///   - columns: For each leaf of ``fileSchema``, the builder it is in.
    ///   - path: The partition's directory.
    ///   - closingRowGroup: Whether the last file written closes its row group after the rows.
    ///   - finished: Gets the files finished.
    private func emit(
        _ runs: [Range<Int>], of builders: [ColumnBuilder], columns: [Int], to path: String,
        closingRowGroup: Bool = false, finished: inout [WriteSummary]
    ) throws(ParquetError) {
        var remaining = runs.reduce(0) { $0 + $1.count }
        var runIndex = 0
        var runOffset = 0
        var indexes: [ColumnBuilder.RowIndex]?
        while remaining > 0 {
            let file = try openFile(path)
            let room = dataset.maxRowsPerFile.map { $0 - file.writer.rowCount } ?? Int.max
            let take = Swift.min(remaining, room)
            let closing = closingRowGroup && take == remaining
            if take == builders[0].rowCount && columns.count == builders.count && columns == fileLeaves {
                // The whole batch into one file, all columns: no copy.
                try file.writer.write(builders: builders, rowCount: take, closingRowGroup: closing)
            } else {
                if indexes == nil { indexes = builders.map { $0.rowIndex() } }
                // Moved out so the copies are appended in place (no copy-on-write).
                var copy = scratch
                scratch = []
                defer { scratch = copy }
                for index in copy.indices { copy[index].removeAll() }
                var taken = 0
                while taken < take {
                    let run = runs[runIndex]
                    let count = Swift.min(run.count - runOffset, take - taken)
                    let rows = (run.lowerBound + runOffset)..<(run.lowerBound + runOffset + count)
                    for (target, source) in columns.enumerated() {
                        copy[target].appendRows(rows, of: builders[source], index: indexes![source])
                    }
                    taken += count
                    runOffset += count
                    if runOffset == run.count {
                        runIndex += 1
                        runOffset = 0
                    }
                }
                try file.writer.write(builders: copy, rowCount: take, closingRowGroup: closing)
            }
            remaining -= take
            let full = dataset.maxRowsPerFile.map { file.writer.rowCount >= $0 } ?? false
            if full || dataset.maxBytesPerFile.map({ file.writer.estimatedBytes >= $0 }) == true {
                finished.append(try finish(path))
            }
        }
        measureOpenRowGroup(path)
    }

    /// The open file of partition `path`, opening one. Callers open a file only for a
    /// partition that has one or while fewer than ``DatasetOptions/maxOpenFiles`` are open.
    private func openFile(_ path: String) throws(ParquetError) -> OpenFile {
        clock += 1
        if let file = openFiles[path] {
            file.lastUse = clock
            return file
        }
        guard openFiles.count < dataset.maxOpenFiles else {
            throw ParquetError(.internalError, "a file was opened beyond max_open_files (\(dataset.maxOpenFiles))")
        }
        if threads == nil { threads = try EncodingThreads(options: options, scratchDirectory: scratchDirectory) }
        let name = "\(dataset.filePrefix)-\(Self.padded(sequence))-\(runToken).parquet"
        sequence += 1
        let sink = try sinks.makeSink(for: path.isEmpty ? name : DatasetDirectory.join(path, name))
        let writer = try ParquetWriter(
            sink: sink, schema: fileSchema, options: options, sharedThreads: threads, presorted: true)
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
        openRowGroupBytes -= file.rowGroupBytes
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
    /// later rows go to new files. Under `.overwrite` and `.overwritePartitions` this is when
    /// the staged data replaces the old (the first time; later files are added to the new data).
    /// - Returns: The files finished.
    /// - Throws: `ParquetError` on I/O failure; the dataset is then failed.
    @discardableResult
    public func commitFiles() throws(ParquetError) -> [WriteSummary] {
        try checkOpen()
        var finished: [WriteSummary] = []
        try guarded { () throws(ParquetError) in
            try drainAll(finished: &finished)
            try completeCommits()
            try staging?.publish()
        }
        return finished
    }

    /// Finishes every open file and closes the dataset.
    /// - Returns: The files finished by this call.
    /// - Throws: `ParquetError`; the files not yet finished are then discarded.
    @discardableResult
    public func close() throws(ParquetError) -> [WriteSummary] {
        let finished = try commitFiles()
        staging?.discard()
        state = .closed
        return finished
    }

    /// Discards the open files (the finished ones stay, unless they are staged and not yet
    /// published: those go, and the root is left as it was). Safe in any state.
    public func abort() {
        discardWaiting()
        _ = try? completeCommits()
        staging?.discard()
        if state == .open { state = .closed }
    }

    private func fail() {
        discardWaiting()
        _ = try? completeCommits()
        staging?.discard()
        state = .failed
    }

    /// Discards the open files and every row not yet in a file.
    private func discardWaiting() {
        for file in openFiles.values { file.writer.abort() }
        openFiles.removeAll()
        buffers.removeAll()
        sorters.removeAll()
        stagedBytes = 0
        openRowGroupBytes = 0
        rowSpill = nil
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
