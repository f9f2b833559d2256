import CParquetBuildInfo

/// Writes one Parquet file, streaming: batches go in, row groups go out to disk (or to any
/// ``OutputSink``) as they fill, and the file appears at its path only when ``close()`` succeeds.
///
/// Memory is bounded by the row group under construction (its encoded pages and
/// dictionaries), never by the number of rows written. With ``WriterOptions/sortBy`` the
/// rows are held until ``close()`` instead (in at most ``WriterOptions/sortMemoryBytes``,
/// the rest spilled as sorted runs to a nameless scratch file) and written in order then.
///
/// A writer is not thread-safe: use it from one thread at a time. Different writers are
/// independent.
public final class ParquetWriter {
    /// The library's version, as `created_by` reports it (the repository's VERSION file).
    public static let version = String(cString: cparquet_version())

    /// `created_by` in the footer: readers parse it to decide which statistics to trust,
    /// so it names this writer and nothing else.
    public static var createdBy: String {
        "parquet-swift version \(version) (build \(String(cString: cparquet_build_hash())))"
    }

    /// The schema every batch must follow.
    public let schema: Schema
    /// The options the writer was created with.
    public let options: WriterOptions

    private enum State { case open, closed, failed }

    /// The file; the background thread's jobs hold it, never this object.
    private let file: FileEncoder
    /// The encoding thread when `options.threads` is 2.
    private let worker: BackgroundWorker?
    /// Whether ``worker`` is this writer's own (stopped with it) or shared with other writers.
    private let ownsWorker: Bool
    private var state = State.open
    /// With ``WriterOptions/sortBy``, the rows held until ``close()`` (nil when the caller
    /// hands rows over already in order, as a dataset writer does).
    private let sorter: RowSorter?
    /// Where ``sorter`` spills, made on its first spill.
    private var sortScratch: ScratchFile?
    /// Rows handed to ``write(_:)`` so far.
    public private(set) var rowCount = 0

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
        try self.init(sink: sink, schema: schema, options: options, sharedWorkspace: nil, sharedWorker: nil)
    }

    /// Writes the file into `sink` with page buffers, a codec context, a page spool and a
    /// background thread shared with other writers (a dataset's files, written one at a time).
    /// - Parameters:
    ///   - sink: As ``init(sink:schema:options:)``.
    ///   - schema: The columns.
    ///   - options: Codec, dictionary, row-group and page limits, metadata.
    ///   - sharedWorkspace: A compressor, page buffers and page spool for files that never
    ///     hold an open row group at the same time and are encoded on one thread (each ends its
    ///     writes with ``write(builders:rowCount:closingRowGroup:)``), or nil for the writer's own.
    ///   - sharedWorker: With `options.threads` 2, a thread the caller owns and stops, used
    ///     one writer at a time (the caller waits for one writer before using another), or nil
    ///     for the writer's own.
    /// - Throws: As ``init(sink:schema:options:)``.
    ///   - presorted: Whether the caller writes rows already in ``WriterOptions/sortBy`` order
    ///     (the footer still records it), so the writer need not hold them.
    package init(
        sink: any OutputSink, schema: Schema, options: WriterOptions, sharedWorkspace: PageWorkspace?,
        sharedWorker: BackgroundWorker?, presorted: Bool = false
    ) throws(ParquetError) {
        do {
            try options.validate()
        } catch {
            sink.abort()
            throw error
        }
        self.schema = schema
        self.options = options
        let file = try FileEncoder(sink: sink, schema: schema, options: options, sharedWorkspace: sharedWorkspace)
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
        do {
            ownsWorker = sharedWorker == nil
            if options.threads != 2 {
                worker = nil
            } else if let sharedWorker {
                worker = sharedWorker
            } else {
                worker = try BackgroundWorker()
            }
        } catch {
            file.sink.abort()
            throw error
        }
        self.file = file
    }

    deinit {
        // Let the batch in flight finish before the file is discarded.
        if ownsWorker { worker?.stop() } else { worker?.waitUntilIdle() }
        // A writer dropped without close() leaves nothing at its path.
        file.sink.abort()
    }

    // MARK: Writing

    /// Writes a batch of rows.
    ///
    /// The batch was validated as it was built, so this fails only for I/O or internal
    /// reasons; after such a failure the writer is unusable and ``close()`` reports it.
    ///
    /// With `options.threads` 2 the batch is encoded on the writer's background thread and
    /// this returns at once; the next call waits for it, and a failure there is thrown by
    /// the next ``write(_:)``, ``flushRowGroup()`` or ``close()``. The batch is shared with
    /// that thread until then, so refilling the same `ColumnBatch` right away copies its
    /// buffers; alternating two batches avoids the copy.
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
    /// group after them and gives back the column writers' buffers, in the same step (on the
    /// background thread with `threads` 2). A file that then waits for more rows holds
    /// almost no memory, and never an open row group.
    /// - Parameters:
    ///   - builders: One builder per leaf column, in schema order.
    ///   - rowCount: The rows staged in each (may be 0 to close the row group only).
    ///   - closingRowGroup: Whether to close the row group after these rows.
    /// - Throws: `ParquetError`; on an I/O or encoding failure the writer is unusable.
    package func write(builders: [ColumnBuilder], rowCount: Int, closingRowGroup: Bool) throws(ParquetError) {
        try settle()
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

    /// Encodes rows now, or on the background thread with `threads` 2.
    private func encode(builders: [ColumnBuilder], rowCount: Int, closingRowGroup: Bool) throws(ParquetError) {
        if let worker {
            let file = self.file
            worker.submit {
                do throws(ParquetError) {
                    try file.encode(builders: builders, rowCount: rowCount)
                    if closingRowGroup { try file.writeRowGroupReleasingBuffers() }
                } catch {
                    file.backgroundFailure = error
                }
            }
            return
        }
        do {
            try file.encode(builders: builders, rowCount: rowCount)
            if closingRowGroup { try file.writeRowGroupReleasingBuffers() }
        } catch {
            fail()
            throw error
        }
    }

    /// The size the file would have if it were closed now, near enough to decide when to
    /// start another file: bytes of finished row groups plus the open one's encoded pages.
    /// With a background thread this waits for the batch in flight first.
    package var estimatedBytes: Int {
        worker?.waitUntilIdle()
        return file.estimatedBytes
    }

    /// Waits until the background thread has finished with the last batch (so its builders
    /// may be reused); a failure there is kept for the next call to report.
    package func waitForBackground() {
        worker?.waitUntilIdle()
    }

    /// Waits for the batch being encoded in the background; its failure fails the writer
    /// and is thrown here, once.
    private func settle() throws(ParquetError) {
        guard let worker else { return }
        worker.waitUntilIdle()
        if let failure = file.backgroundFailure {
            file.backgroundFailure = nil
            fail()
            throw failure
        }
    }

    /// Closes the current row group now, even if it is below the limits. With
    /// ``WriterOptions/sortBy`` it does nothing: rows are held until ``close()``.
    /// - Throws: `ParquetError` on I/O failure; the writer is then unusable.
    public func flushRowGroup() throws(ParquetError) {
        try settle()
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
        try settle()
        try checkOpen()
        if let sorter {
            do {
                try sorter.drain(
                    scratch: sortScratch, rowGroupRows: options.rowGroupRows, rowGroupBytes: options.rowGroupBytes
                ) { builders, count throws(ParquetError) in
                    try settle()
                    try encode(builders: builders, rowCount: count, closingRowGroup: true)
                }
                sortScratch = nil
                try settle()
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
        worker?.waitUntilIdle()
        file.backgroundFailure = nil
        file.sink.abort()
        if state == .open { state = .closed }
    }

    private func fail() {
        file.sink.abort()
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
