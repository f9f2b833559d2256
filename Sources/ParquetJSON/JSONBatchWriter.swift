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

/// Writes batches of JSON records into a `ParquetWriter`, parsed straight into its columns.
///
/// This is the Swift way to write nested data (lists, structs, maps), and the path the C ABI
/// uses for every batch. The decoder and the column builders are reused across batches, so a
/// batch allocates only when it is larger than any before it.
///
/// With the writer's `WriterOptions/threads` above 1, the columns of each batch are
/// encoded on that many threads before `write(_:)` returns; the file is the same.
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
    ///     ends with the collect column (`Schema/addingUnknownKeysColumn(named:)`).
    public init(writer: ParquetWriter, onInvalid: InvalidRecordPolicy = .fail, unknownKeys: UnknownKeyPolicy = .ignore) {
        self.writer = writer
        self.stages = _JSONBatchStages(
            schema: writer.schema, policy: onInvalid, unknownKeys: unknownKeys)
    }

    /// Writes a JSON array of objects, or NDJSON.
    ///
    /// Under `.fail` an invalid record, and under either policy malformed JSON, rejects the
    /// whole batch: nothing of it is written and the writer stays usable.
    /// - Parameter json: The batch's bytes (UTF-8).
    /// - Returns: Rows written and the records left out.
    /// - Throws: `ParquetError` with the row, column and byte offset of the problem.
    @discardableResult
    public func write(_ json: UnsafeRawBufferPointer) throws(ParquetError) -> JSONBatchResult {
        let outcome = try stages.decode(json, pool: writer.workerPool)
        do {
            try writer.write(builders: stages.builders, rowCount: outcome.rowsAccepted)
        } catch {
            stages.refused()
            throw error
        }
        stages.accepted()
        return JSONBatchResult(
            rowsWritten: outcome.rowsAccepted, rejected: outcome.rejected, unknownKeys: outcome.unknownKeys)
    }

    /// Writes a JSON array of objects, or NDJSON, held in a string.
    @discardableResult
    public func write(_ json: String) throws(ParquetError) -> JSONBatchResult {
        try json._withJSONBytes { bytes throws(ParquetError) in try write(bytes) }
    }
}
