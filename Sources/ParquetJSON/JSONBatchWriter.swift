import Parquet

/// The outcome of one JSON batch.
public struct JSONBatchResult: Sendable, Equatable {
    /// Records written.
    public var rowsWritten: Int
    /// Records left out under ``InvalidRecordPolicy/skip``, each with its row (0-based in the
    /// batch), column, byte offset and reason: what a pipeline sends to a dead-letter queue.
    public var rejected: [ParquetError]
    /// Files finished (committed) during the call: a dataset's files that reached a limit.
    public var files: [WriteSummary] = []
    /// Keys outside the schema in the batch, with the records written that carried them, in
    /// order of first appearance (see ``UnknownKeyCount``); empty for Arrow input.
    public var unknownKeys: [UnknownKeyCount] = []

    /// Creates a result.
    public init(
        rowsWritten: Int, rejected: [ParquetError], files: [WriteSummary] = [], unknownKeys: [UnknownKeyCount] = []
    ) {
        self.rowsWritten = rowsWritten
        self.rejected = rejected
        self.files = files
        self.unknownKeys = unknownKeys
    }
}

/// Writes batches of JSON records into a ``ParquetWriter``, parsed straight into its columns.
///
/// This is the Swift way to write nested data (lists, structs, maps), and the path the C ABI
/// uses for every batch. The decoder and the column builders are reused across batches, so a
/// batch allocates only when it is larger than any before it.
///
/// When the writer's `options.threads` is 2, batches are pipelined: ``write(_:)`` parses and
/// validates the batch on the caller's thread and hands it to the writer's background thread,
/// which encodes and compresses it while the next batch is parsed (into a second set of
/// builders). Rejections and malformed JSON are still reported by the call that gave the
/// batch; a failure of the background stage (I/O, disk full) is reported by the next call to
/// the writer, and the file then fails as a whole, as it would have with one thread.
///
/// ```swift
/// let writer = try ParquetWriter(path: "out.parquet", schema: schema)
/// let records = JSONBatchWriter(writer: writer, onInvalid: .skip)
/// let result = try records.write(#"{"id": 1, "tags": ["a", "b"], "address": {"city": "Oslo"}}"#)
/// try writer.close()
/// ```
/// Not thread-safe: one thread at a time, like the writer it feeds.
public final class JSONBatchWriter {
    /// The writer the records go to.
    public let writer: ParquetWriter
    /// What a batch does with a record that does not fit the schema.
    public var policy: InvalidRecordPolicy { stages.policy }
    /// What a record's keys outside the schema do.
    public var unknownKeys: UnknownKeyPolicy { stages.unknownKeys }
    /// The keys outside the schema of every batch written so far (see ``UnknownKeyCount``).
    public var unknownKeyTotals: [UnknownKeyCount] { stages.unknownKeyTotals }
    private var stages: _JSONBatchStages

    /// Creates a JSON front for `writer`.
    /// - Parameters:
    ///   - writer: The writer; its schema directs the parsing.
    ///   - onInvalid: `.fail` (one invalid record rejects the whole batch) or `.skip`.
    ///   - unknownKeys: What keys outside the schema do; with `.collect`, the writer's schema
    ///     ends with the collect column (``Schema/addingUnknownKeysColumn(named:)``).
    public init(writer: ParquetWriter, onInvalid: InvalidRecordPolicy = .fail, unknownKeys: UnknownKeyPolicy = .ignore) {
        self.writer = writer
        self.stages = _JSONBatchStages(
            schema: writer.schema, policy: onInvalid, unknownKeys: unknownKeys, pipelined: writer.options.threads == 2)
    }

    /// Writes a JSON array of objects, or NDJSON.
    ///
    /// Under `.fail` an invalid record, and under either policy malformed JSON, rejects the
    /// whole batch: nothing of it is written and the writer stays usable.
    /// - Parameter json: The batch's bytes (UTF-8).
    /// - Returns: Rows written (with a background thread: accepted, and written unless the
    ///   file fails) and the records left out.
    /// - Throws: `ParquetError` with the row, column and byte offset of the problem, or the
    ///   background failure of an earlier batch.
    @discardableResult
    public func write(_ json: UnsafeRawBufferPointer) throws(ParquetError) -> JSONBatchResult {
        let (stage, outcome) = try stages.decode(json)
        do {
            try writer.write(builders: stages.stages[stage], rowCount: outcome.rowsAccepted)
        } catch {
            stages.refused()
            throw error
        }
        stages.advance(past: stage)
        return JSONBatchResult(
            rowsWritten: outcome.rowsAccepted, rejected: outcome.rejected, unknownKeys: outcome.unknownKeys)
    }

    /// Writes a JSON array of objects, or NDJSON, held in a string.
    @discardableResult
    public func write(_ json: String) throws(ParquetError) -> JSONBatchResult {
        try json._withJSONBytes { bytes throws(ParquetError) in try write(bytes) }
    }
}
