/// The threads a file's columns are encoded on (``WriterOptions/threads``), each with its own
/// page workspace (compressor, scratch buffers), and the file's page spool they share.
///
/// A writer makes its own; a dataset makes one for all its files, which take turns (each
/// writes whole row groups), so hundreds of partition files do not each start threads and
/// set up codec contexts. Memory: one workspace per thread, about a page of scratch twice over
/// plus the codec's context (zstd level 3: about 1.3 MB).
///
/// The owner calls ``stop()`` before dropping it. Unchecked `Sendable`: a workspace is used by
/// one thread at a time, the one whose worker index it has.
package final class EncodingThreads: @unchecked Sendable {
    /// The threads, the caller's included.
    package let pool: WorkerPool
    /// One per thread of ``pool``, by worker index.
    let workspaces: [PageWorkspace]
    /// The row groups open over ``spool``, shared with every ``worker(_:)`` view.
    let spoolUsers: _SpoolUsers

    /// Starts `width - 1` threads and sets up `width` workspaces.
    /// - Parameters:
    ///   - width: The threads, the caller's included (``WriterOptions/threads`` resolved).
    ///   - compression: The codec of every page.
    ///   - spool: Where columns park finished pages past `columnBufferBytes`, or nil.
    ///   - columnBufferBytes: Finished page bytes a column keeps in memory.
    /// - Throws: `ParquetError` `.invalidOptions` when the codec cannot be set up,
    ///   `.internalError` when the system refuses a thread.
    package init(width: Int, compression: Compression, spool: ScratchFile?, columnBufferBytes: Int) throws(ParquetError) {
        var workspaces: [PageWorkspace] = []
        for _ in 0..<Swift.max(1, width) {
            workspaces.append(
                try PageWorkspace(compression: compression, spool: spool, columnBufferBytes: columnBufferBytes))
        }
        self.workspaces = workspaces
        spoolUsers = _SpoolUsers()
        pool = try WorkerPool(width: width)
    }

    private init(pool: WorkerPool, workspaces: [PageWorkspace], spoolUsers: _SpoolUsers) {
        self.pool = pool
        self.workspaces = workspaces
        self.spoolUsers = spoolUsers
    }

    /// One worker of these threads as threads of their own: no other thread (loops run
    /// inline), that worker's workspace, and the same spool. A task on the pool writes a file
    /// on it by itself; another task may write another file on another worker's view at the
    /// same time, both parking pages in the one spool.
    /// - Parameter worker: A worker index of ``pool``.
    /// - Returns: Threads of width 1; stopping them stops nothing of these.
    /// - Throws: Never in practice (width 1 starts no thread); as ``WorkerPool/init(width:)``.
    package func worker(_ worker: Int) throws(ParquetError) -> EncodingThreads {
        EncodingThreads(pool: try WorkerPool(width: 1), workspaces: [workspaces[worker]], spoolUsers: spoolUsers)
    }

    /// Makes the threads and workspaces `options` ask for.
    /// - Parameters:
    ///   - options: Validated options (threads, compression, column buffer).
    ///   - scratchDirectory: Where the page spool goes when `options` has a column buffer.
    ///   - width: The threads, overriding `options` (1: a workspace and spool for the
    ///     caller's thread alone, as a task that writes a whole file by itself needs).
    /// - Throws: As ``init(width:compression:spool:columnBufferBytes:)``, or `.io` for the spool.
    package convenience init(
        options: WriterOptions, scratchDirectory: @autoclosure () -> String, width: Int? = nil
    ) throws(ParquetError) {
        let spool = options.columnBufferBytes == nil ? nil : try ScratchFile(directory: scratchDirectory())
        try self.init(
            width: width ?? options.resolvedThreads, compression: options.compression, spool: spool,
            columnBufferBytes: options.columnBufferBytes ?? .max)
    }

    /// The file's page spool (every workspace has the same one).
    var spool: ScratchFile? { workspaces[0].spool }

    /// Ends the threads. Idempotent.
    package func stop() {
        pool.stop()
    }

    /// Runs `body(column, workspace)` for every column in `0..<count` on the threads, each
    /// with the workspace of the thread running it.
    /// - Throws: The failure of the lowest column that failed (the same whatever the threads).
    func forEachColumn(
        _ count: Int, _ body: (_ column: Int, _ workspace: PageWorkspace) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        guard pool.width > 1 && count > 1 else {
            for column in 0..<count { try body(column, workspaces[0]) }
            return
        }
        let failures = UnsafeMutableBufferPointer<ParquetError?>.allocate(capacity: count)
        failures.initialize(repeating: nil)
        defer {
            failures.deinitialize()
            failures.deallocate()
        }
        let workspaces = self.workspaces
        pool.forEach(count) { column, worker in
            do throws(ParquetError) {
                try body(column, workspaces[worker])
            } catch {
                failures[column] = error
            }
        }
        if let failure = failures.first(where: { $0 != nil }) { throw failure! }
    }
}
