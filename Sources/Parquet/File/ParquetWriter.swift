import CParquetBuildInfo

/// Writes one Parquet file, streaming: batches go in, row groups go out to disk (or to any
/// ``OutputSink``) as they fill, and the file appears at its path only when ``close()`` succeeds.
///
/// Memory is bounded by the row group under construction (its encoded pages and
/// dictionaries), never by the number of rows written. With ``WriterOptions/sortBy`` the
/// rows are held until ``close()`` instead (in at most ``WriterOptions/sortMemoryBytes``,
/// the rest spilled as sorted runs to a nameless scratch file) and written in order then.
///
/// With ``WriterOptions/threads`` above 1 the writer starts that many threads less one, and
/// each batch's columns are encoded and compressed on them and the caller's thread in the call
/// (see `EncodingThreads`); the file's bytes are the same for every thread count.
///
/// A writer is not thread-safe: use it from one thread at a time. Different writers are
/// independent.
public final class ParquetWriter {
    /// The library's version, as `created_by` reports it (the repository's VERSION file).
    public static let version = String(cString: cparquet_version())

    /// `created_by` in the footer: readers parse it to decide which statistics to trust,
    /// so it names this writer and nothing else.
    public static var createdBy: String {
        "parquet-writer version \(version) (build \(String(cString: cparquet_build_hash())))"
    }

    /// The schema every batch must follow.
    public let schema: Schema
    /// The options the writer was created with.
    public let options: WriterOptions

    private enum State { case open, closed, failed }

    private let file: FileEncoder
    /// The threads (and their page workspaces) the columns are encoded on.
    private let threads: EncodingThreads
    /// Whether ``threads`` are this writer's own (stopped with it) or shared with other writers.
    private let ownsThreads: Bool
    private var state = State.open
    /// With ``WriterOptions/sortBy``, the rows held until ``close()`` (nil when the caller
    /// hands rows over already in order, as a dataset writer does).
    private let sorter: RowSorter?
    /// Where ``sorter`` spills, made on its first spill.
    private var sortScratch: ScratchFile?
    /// Rows handed to ``write(_:)`` so far.
    public private(set) var rowCount = 0
    /// The batch ``write(rows:)`` stages rows in, kept for its buffers' capacity.
    var rowBatch: ColumnBatch?

    /// Creates the file (under a temporary name until ``close()``).
    /// - Parameters:
    ///   - path: Where the finished file will appear.
    ///   - schema: The columns.
    ///   - options: Codec, dictionary, row-group and page limits, metadata.
    ///   - mode: `.overwrite` (the default, as DuckDB's `COPY` does) renames the new file over
    ///     an existing one on ``close()``; `.error` refuses an existing file now, and on
    ///     ``close()`` keeps one that appeared meanwhile (and fails). A file cannot be appended
    ///     to, so `.append` and `.overwritePartitions` are refused.
    /// - Throws: `ParquetError` `.invalidOptions` for invalid options or mode, `.io` when the
    ///   file cannot be created or exists under `.error`.
    public convenience init(
        path: String, schema: Schema, options: WriterOptions = WriterOptions(), mode: OutputMode = .overwrite
    ) throws(ParquetError) {
        // Options first: invalid ones never touch the file system.
        try options.validate()
        switch mode {
        case .overwrite, .error:
            break
        case .append, .overwritePartitions:
            throw ParquetError(
                .invalidOptions,
                "mode '\(mode.rawValue)' is for directory output; a single file takes 'overwrite' or 'error'")
        }
        try self.init(sink: try FileSink(path: path, replacing: mode == .overwrite), schema: schema, options: options)
    }

    /// Writes the file into any sink: standard output, a C caller's callbacks, an upload.
    /// The writer owns the sink from here on: it commits it on ``close()`` and aborts it on
    /// ``abort()``, on a failure, or when the writer is dropped unclosed (also when this
    /// initializer throws).
    /// - Parameters:
    ///   - sink: A freshly opened output (nothing written to it yet).
    ///   - schema: The columns.
    ///   - options: Codec, dictionary, row-group and page limits, metadata.
    /// - Throws: `ParquetError` for invalid options, or when the sink refuses the first bytes.
    public convenience init(sink: any OutputSink, schema: Schema, options: WriterOptions = WriterOptions()) throws(ParquetError) {
        try self.init(sink: sink, schema: schema, options: options, sharedThreads: nil)
    }

    /// Writes the file into `sink` with threads, codec contexts, page buffers and a page spool
    /// shared with other writers (a dataset's files).
    /// - Parameters:
    ///   - sink: As ``init(sink:schema:options:)``.
    ///   - schema: The columns.
    ///   - options: Codec, dictionary, row-group and page limits, metadata.
    ///   - sharedThreads: Threads and workspaces the caller owns and stops, for files that
    ///     never hold an open row group at the same time and are written from one thread (each
    ///     ends its writes with ``write(builders:rowCount:closingRowGroup:)``), or nil for
    ///     the writer's own (`options.threads` of them).
    ///   - presorted: Whether the caller writes rows already in ``WriterOptions/sortBy`` order
    ///     (the footer still records it), so the writer need not hold them.
    /// - Throws: As ``init(sink:schema:options:)``.
    package init(
        sink: any OutputSink, schema: Schema, options: WriterOptions, sharedThreads: EncodingThreads?,
        presorted: Bool = false
    ) throws(ParquetError) {
        do {
            try options.validate()
        } catch {
            sink.abort()
            throw error
        }
        self.schema = schema
        self.options = options
        let threads: EncodingThreads
        do throws(ParquetError) {
            if let sharedThreads {
                threads = sharedThreads
            } else {
                threads = try EncodingThreads(
                    options: options, scratchDirectory: sink.scratchDirectory ?? FileSystemCalls.temporaryDirectory())
            }
        } catch {
            sink.abort()
            throw error
        }
        ownsThreads = sharedThreads == nil
        let file: FileEncoder
        do {
            file = try FileEncoder(sink: sink, schema: schema, options: options, threads: threads)
        } catch {
            if sharedThreads == nil { threads.stop() }
            throw error
        }
        self.threads = threads
        if options.sortBy.isEmpty || presorted {
            sorter = nil
        } else {
            // The encoder resolved the same keys, so this cannot fail.
            let order = try RowOrder(options.sortBy, columns: schema.leafColumns)
            let budget = options.sortMemoryBytes
            sorter = RowSorter(
                columns: schema.leafColumns, order: order, chunkBytes: Swift.min(8 << 20, budget / 16),
                mergeBytes: budget / 4)
        }
        self.file = file
    }

    deinit {
        // A writer dropped without close() leaves nothing at its path.
        file.sink.abort()
        file.abandon()
        if ownsThreads { threads.stop() }
    }

    // MARK: Writing

    /// Writes a batch of rows.
    ///
    /// The batch was validated as it was built, so this fails only for I/O or internal
    /// reasons; after such a failure the writer is unusable and ``close()`` reports it.
    /// The batch is encoded (on ``WriterOptions/threads`` threads) before this returns.
    /// - Parameter batch: Columns of equal length following ``schema``.
    /// - Throws: `ParquetError` (`.writerClosed`, `.rowCountMismatch`, `.io`, ...).
    public func write(_ batch: ColumnBatch) throws(ParquetError) {
        guard batch.schema == schema else {
            throw ParquetError(.invalidSchema, "the batch was built for a different schema")
        }
        try write(builders: batch.builders, rowCount: batch.rowCount)
    }

    /// Writes rows staged in column builders (the path the JSON decoder and the C ABI use).
    /// - Parameters:
    ///   - builders: One builder per leaf column, in schema order.
    ///   - rowCount: The rows staged in each.
    /// - Throws: `ParquetError`; on an I/O or encoding failure the writer is unusable.
    package func write(builders: [ColumnBuilder], rowCount: Int) throws(ParquetError) {
        try write(builders: builders, rowCount: rowCount, closingRowGroup: false)
    }

    /// Writes rows staged in column builders and, when `closingRowGroup`, closes the row
    /// group after them and gives back the column writers' buffers, in the same step. A file that then waits for more rows holds
    /// almost no memory, and never an open row group.
    /// - Parameters:
    ///   - builders: One builder per leaf column, in schema order.
    ///   - rowCount: The rows staged in each (may be 0 to close the row group only).
    ///   - closingRowGroup: Whether to close the row group after these rows.
    /// - Throws: `ParquetError`; on an I/O or encoding failure the writer is unusable.
    package func write(builders: [ColumnBuilder], rowCount: Int, closingRowGroup: Bool) throws(ParquetError) {
        try checkOpen()
        guard builders.count == file.columnCount else {
            throw ParquetError(.rowCountMismatch, "expected \(file.columnCount) columns, got \(builders.count)")
        }
        for builder in builders where builder.rowCount != rowCount {
            throw ParquetError(
                .rowCountMismatch, "column has \(builder.rowCount) rows, the batch has \(rowCount)",
                column: builder.descriptor.name)
        }
        guard rowCount > 0 || closingRowGroup else { return }
        self.rowCount += rowCount
        if let sorter {
            guard rowCount > 0 else { return }
            sorter.stage(0..<rowCount, of: builders, indexes: builders.map { $0.rowIndex() },
                         sourceLeaves: Array(builders.indices))
            _ = sorter.measure()
            guard sorter.stagedBytes > options.sortMemoryBytes / 2 else { return }
            do {
                if sortScratch == nil {
                    sortScratch = try ScratchFile(directory: file.sink.scratchDirectory ?? FileSystemCalls.temporaryDirectory())
                }
                try sorter.spill(to: sortScratch!)
            } catch {
                fail()
                throw error
            }
            return
        }
        try encode(builders: builders, rowCount: rowCount, closingRowGroup: closingRowGroup)
    }

    /// Encodes rows, closing the row group after them when `closingRowGroup`.
    private func encode(builders: [ColumnBuilder], rowCount: Int, closingRowGroup: Bool) throws(ParquetError) {
        do {
            try file.encode(builders: builders, rowCount: rowCount)
            if closingRowGroup { try file.writeRowGroupReleasingBuffers() }
        } catch {
            fail()
            throw error
        }
    }

    /// Whether the writer may be written on other threads now (``writeStep(builders:rowCount:closingPagesOf:on:)``,
    /// ``close(encodingOn:after:)``): no page waits for compression on its own.
    package var canMoveThreads: Bool { sorter == nil && file.canMoveThreads }

    /// Rows in the open row group (0 between row groups).
    package var rowsInOpenRowGroup: Int { file.rowsInOpenRowGroup }

    /// The open row group's encoded size so far, roughly (0 between row groups): what a
    /// dataset that keeps it open between writes counts against its budget.
    package var openRowGroupBytes: Int { file.openRowGroupBytes }

    /// Closes the open row group (nothing when none is open) and gives back the column
    /// writers' buffers, as ``write(builders:rowCount:closingRowGroup:)`` does.
    /// - Throws: `ParquetError`; on an I/O failure the writer is unusable.
    package func closeRowGroup() throws(ParquetError) {
        try checkOpen()
        do {
            try file.writeRowGroupReleasingBuffers()
        } catch {
            fail()
            throw error
        }
    }

    /// Encodes rows into the open row group on `threads`, then closes the open pages holding
    /// at least `pageBytes` and compresses every page closed, and moves back to the writer's
    /// own threads: a dataset's partition file that keeps its row group open between writes,
    /// one such file per task on the pool at the same time. The row group stays open (unless
    /// it fills: rows beyond the row group's limits start the next, as ``write(_:)``).
    /// - Parameters:
    ///   - builders: One builder per leaf column, in schema order.
    ///   - rowCount: The rows staged in each.
    ///   - pageBytes: The smallest open page closed after the rows (encoded size, roughly).
    ///   - threads: The writer's own threads, or a worker's view of them
    ///     (``EncodingThreads/worker(_:)``) for a task on their pool.
    /// - Throws: `ParquetError`; on an I/O or encoding failure the writer is unusable.
    package func writeStep(
        builders: [ColumnBuilder], rowCount: Int, closingPagesOf pageBytes: Int, on threads: EncodingThreads
    ) throws(ParquetError) {
        try checkOpen()
        guard sorter == nil, builders.count == file.columnCount, file.canMoveThreads else {
            throw ParquetError(.internalError, "a step is for a presorted writer's rows, with no page pending")
        }
        for builder in builders where builder.rowCount != rowCount {
            throw ParquetError(
                .rowCountMismatch, "column has \(builder.rowCount) rows, the batch has \(rowCount)",
                column: builder.descriptor.name)
        }
        self.rowCount += rowCount
        file.move(to: threads)
        do {
            try file.encode(builders: builders, rowCount: rowCount)
            try file.closeOpenPages(minimumBytes: pageBytes)
        } catch {
            // Unusable from now on: it stays where it failed.
            fail()
            throw error
        }
        file.move(to: self.threads)
    }

    /// Closes the open row group's open pages of at least `minimumBytes` and compresses
    /// every page waiting for it (``FileEncoder/closeOpenPages(minimumBytes:)``): the row
    /// group stays open, its values wait compressed, and ``openRowGroupBytes`` is exact.
    /// - Parameter minimumBytes: The smallest open page closed; 0 closes every open page.
    /// - Throws: `ParquetError`; on failure the writer is unusable.
    package func closeOpenPages(minimumBytes: Int = 0) throws(ParquetError) {
        try checkOpen()
        do {
            try file.closeOpenPages(minimumBytes: minimumBytes)
        } catch {
            fail()
            throw error
        }
    }

    /// Writes the file's last rows and closes it on `threads` instead of the writer's (shared)
    /// ones: for a dataset that finishes several partition files at once, one per task on its
    /// pool, each task on its worker's view of the threads (``EncodingThreads/worker(_:)``:
    /// that worker's workspace, the same spool), so no file starts loops on the pool its task
    /// runs on. The bytes are those the writer's own threads write.
    /// - Parameters:
    ///   - threads: A worker's view of the writer's threads; the writer's row group may be
    ///     open, with no page waiting for compression (``writeStep(builders:rowCount:closingPagesOf:on:)``
    ///     leaves none).
    ///   - body: Writes the last rows (through this writer).
    /// - Returns: The file's summary, as ``close()``.
    /// - Throws: What `body` or ``close()`` throws; the file is then aborted.
    package func close(encodingOn threads: EncodingThreads, after body: () throws(ParquetError) -> Void) throws(ParquetError) -> WriteSummary {
        try checkOpen()
        guard sorter == nil, file.canMoveThreads else {
            throw ParquetError(.internalError, "a file moves to other threads only with no page waiting for compression")
        }
        file.move(to: threads)
        do {
            try body()
        } catch {
            fail()
            throw error
        }
        return try close()
    }

    /// The writer's threads, for a producer that parses on them too (the JSON writers).
    package var workerPool: WorkerPool { threads.pool }

    /// The size the file would have if it were closed now, near enough to decide when to
    /// start another file: bytes of finished row groups plus the open one's encoded pages.
    package var estimatedBytes: Int {
        file.estimatedBytes
    }

    /// Closes the current row group now, even if it is below the limits. With
    /// ``WriterOptions/sortBy`` it does nothing: rows are held until ``close()``.
    /// - Throws: `ParquetError` on I/O failure; the writer is then unusable.
    public func flushRowGroup() throws(ParquetError) {
        try checkOpen()
        guard sorter == nil else { return }
        do {
            try file.writeRowGroup()
        } catch {
            fail()
            throw error
        }
    }

    // MARK: Finishing

    /// Writes the last row group and the footer, makes the file durable, and moves it to its
    /// path (commits the sink).
    /// - Returns: Rows, row groups, size and per-column statistics of the file.
    /// - Throws: `ParquetError`; on failure nothing is left at the path (the sink is aborted).
    @discardableResult
    public func close() throws(ParquetError) -> WriteSummary {
        try checkOpen()
        if let sorter {
            do {
                try sorter.drain(
                    scratch: sortScratch, rowGroupRows: options.rowGroupRows, rowGroupBytes: options.rowGroupBytes
                ) { builders, count throws(ParquetError) in
                    try encode(builders: builders, rowCount: count, closingRowGroup: true)
                }
                sortScratch = nil
            } catch {
                fail()
                throw error
            }
        }
        do {
            let summary = try file.finish()
            state = .closed
            return summary
        } catch {
            fail()
            throw error
        }
    }

    /// Discards the file: nothing appears at the path. Safe to call in any state.
    public func abort() {
        file.sink.abort()
        file.abandon()
        if state == .open { state = .closed }
    }

    private func fail() {
        file.sink.abort()
        file.abandon()
        state = .failed
    }

    private func checkOpen() throws(ParquetError) {
        switch state {
        case .open: return
        case .closed: throw ParquetError(.writerClosed, "the writer is closed")
        case .failed: throw ParquetError(.writerClosed, "the writer failed earlier and its file was discarded")
        }
    }
}
