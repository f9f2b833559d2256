#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``ParquetWriter`` for Swift concurrency: an actor whose methods are awaited from any task.
///
/// ``ParquetWriter`` is not `Sendable` (it is a state machine used from one thread at a time).
/// This actor owns one and runs it on a thread of its own (its executor), so a write that
/// encodes, compresses and calls `write(2)` suspends the awaiting task instead of blocking it,
/// and never holds a thread of Swift's cooperative pool. Calls run one at a time, in the order
/// they reach the actor; throughput is the wrapped writer's.
///
/// ```swift
/// let writer = try AsyncParquetWriter(path: "events.parquet", schema: schema)
/// for try await page in events {          // any AsyncSequence of [Event]
///     try await writer.write(rows: page)
/// }
/// let summary = try await writer.close()
/// ```
///
/// Dropping the actor unclosed aborts the file, as dropping a ``ParquetWriter`` does.
public actor AsyncParquetWriter {
    /// The schema every batch must follow.
    public nonisolated let schema: Schema
    /// The options the writer was created with.
    public nonisolated let options: WriterOptions
    private let writer: ParquetWriter
    private let thread: WriterThread

    /// Runs the actor on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Creates the file, as ``ParquetWriter/init(path:schema:options:mode:)`` does.
    /// - Throws: What that initializer throws.
    public init(
        path: String, schema: Schema, options: WriterOptions = WriterOptions(), mode: OutputMode = .overwrite
    ) throws(ParquetError) {
        (thread, writer) = try Self.started { () throws(ParquetError) in
            try ParquetWriter(path: path, schema: schema, options: options, mode: mode)
        }
        self.schema = schema
        self.options = options
    }

    /// Writes into `sink`, as ``ParquetWriter/init(sink:schema:options:)`` does; the sink is
    /// called from the actor's thread from now on.
    /// - Throws: What that initializer throws.
    public init(sink: sending any OutputSink, schema: Schema, options: WriterOptions = WriterOptions()) throws(ParquetError) {
        (thread, writer) = try Self.started { () throws(ParquetError) in
            try ParquetWriter(sink: sink, schema: schema, options: options)
        }
        self.schema = schema
        self.options = options
    }

    /// Starts the actor's thread, then makes the writer (stopping the thread if that fails).
    private static func started(
        _ makeWriter: () throws(ParquetError) -> ParquetWriter
    ) throws(ParquetError) -> (WriterThread, ParquetWriter) {
        let thread = try WriterThread()
        do throws(ParquetError) {
            return (thread, try makeWriter())
        } catch {
            thread.shutdown()
            throw error
        }
    }

    deinit {
        thread.shutdown()
    }

    /// Rows written so far.
    public var rowCount: Int { writer.rowCount }

    /// Writes a batch (see ``ParquetWriter/write(_:)``).
    public func write(_ batch: ColumnBatch) throws(ParquetError) {
        try writer.write(batch)
    }

    /// Writes rows from Swift values (see ``ParquetWriter/write(rows:)``).
    public func write<S: Sequence & Sendable>(rows: S) throws(ParquetError) where S.Element: Encodable {
        try writer.write(rows: rows)
    }

    /// Finishes the file (see ``ParquetWriter/close()``).
    public func close() throws(ParquetError) -> WriteSummary {
        try writer.close()
    }

    /// Discards the file (see ``ParquetWriter/abort()``).
    public func abort() {
        writer.abort()
    }

    /// The thread the actor's methods run on, for tests.
    func currentThread() -> UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }
}
