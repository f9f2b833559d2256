import Parquet

/// The outcome of one JSON batch.
public struct JSONBatchResult: Sendable, Equatable {
    /// Records written.
    public var rowsWritten: Int
    /// Records left out under ``InvalidRecordPolicy/skip``, each with its row (0-based in the
    /// batch), column, byte offset and reason: what a pipeline sends to a dead-letter queue.
    public var rejected: [ParquetError]
}

/// Writes batches of JSON records into a ``ParquetWriter``, parsed straight into its columns.
///
/// This is the Swift way to write nested data (lists, structs, maps), and the path the C ABI
/// uses for every batch. The decoder and the column builders are reused across batches, so a
/// batch allocates only when it is larger than any before it.
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
    public let policy: InvalidRecordPolicy
    private var decoder: JSONBatchDecoder
    private var builders: [ColumnBuilder]

    /// Creates a JSON front for `writer`.
    /// - Parameters:
    ///   - writer: The writer; its schema directs the parsing.
    ///   - onInvalid: `.fail` (one invalid record rejects the whole batch) or `.skip`.
    public init(writer: ParquetWriter, onInvalid: InvalidRecordPolicy = .fail) {
        self.writer = writer
        self.policy = onInvalid
        self.decoder = JSONBatchDecoder(schema: writer.schema)
        self.builders = writer.schema.leafColumns.map { ColumnBuilder(descriptor: $0) }
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
        defer {
            for index in builders.indices { builders[index].removeAll() }
        }
        let outcome = try decoder.decode(json, into: &builders, policy: policy)
        try writer.write(builders: builders, rowCount: outcome.rowsAccepted)
        return JSONBatchResult(rowsWritten: outcome.rowsAccepted, rejected: outcome.rejected)
    }

    /// Writes a JSON array of objects, or NDJSON, held in a string.
    @discardableResult
    public func write(_ json: String) throws(ParquetError) -> JSONBatchResult {
        var json = json
        var result: Result<JSONBatchResult, ParquetError> = .success(JSONBatchResult(rowsWritten: 0, rejected: []))
        json.withUTF8 { bytes in
            do throws(ParquetError) { result = .success(try write(UnsafeRawBufferPointer(bytes))) } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }
}
