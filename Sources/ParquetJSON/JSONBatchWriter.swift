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
/// With `threads: 2`, batches are pipelined: ``write(_:)`` parses and validates the batch on
/// the caller's thread, hands it to a background thread that encodes and compresses it, and
/// returns while that runs, so the next batch is parsed meanwhile. Rejections and malformed
/// JSON are still reported by the call that gave the batch; a failure of the background stage
/// (I/O, disk full) is reported by the next ``write(_:)``, ``drain()`` or ``close()``, and the
/// file then fails as a whole, as it would have with one thread. Memory grows by one batch of
/// parsed columns.
///
/// ```swift
/// let writer = try ParquetWriter(path: "out.parquet", schema: schema)
/// let records = try JSONBatchWriter(writer: writer, onInvalid: .skip)
/// let result = try records.write(#"{"id": 1, "tags": ["a", "b"], "address": {"city": "Oslo"}}"#)
/// try records.close()
/// ```
/// Not thread-safe: one thread at a time, like the writer it feeds. While batches are in
/// flight, use the writer only through this object (``drain()`` first to use it directly).
public final class JSONBatchWriter {
    /// The writer the records go to.
    public let writer: ParquetWriter
    /// What a batch does with a record that does not fit the schema.
    public let policy: InvalidRecordPolicy
    /// 1: each batch is encoded before ``write(_:)`` returns; 2: encoding runs in the background.
    public let threads: Int
    private var decoder: JSONBatchDecoder
    /// One set of builders per pipeline stage: the caller fills one while the worker encodes the other.
    private let stages: [_StagedBatch]
    private var nextStage = 0
    private let worker: BackgroundWorker?
    /// The background stage's failure, read by the caller once the worker is idle.
    private let background = _BackgroundFailure()

    /// Creates a JSON front for `writer`.
    /// - Parameters:
    ///   - writer: The writer; its schema directs the parsing.
    ///   - onInvalid: `.fail` (one invalid record rejects the whole batch) or `.skip`.
    ///   - threads: 1 (the default) or 2 (encode in the background, see above).
    /// - Throws: `ParquetError` with code `.invalidOptions` for another thread count, or
    ///   `.internalError` when the background thread cannot be started.
    public init(writer: ParquetWriter, onInvalid: InvalidRecordPolicy = .fail, threads: Int = 1) throws(ParquetError) {
        guard threads == 1 || threads == 2 else {
            throw ParquetError(.invalidOptions, "threads must be 1 or 2, got \(threads)")
        }
        self.writer = writer
        self.policy = onInvalid
        self.threads = threads
        self.decoder = JSONBatchDecoder(schema: writer.schema)
        self.stages = (0..<threads).map { _ in _StagedBatch(schema: writer.schema) }
        self.worker = threads == 2 ? try BackgroundWorker() : nil
    }

    deinit {
        worker?.stop()
    }

    /// Writes a JSON array of objects, or NDJSON.
    ///
    /// Under `.fail` an invalid record, and under either policy malformed JSON, rejects the
    /// whole batch: nothing of it is written and the writer stays usable.
    /// - Parameter json: The batch's bytes (UTF-8).
    /// - Returns: Rows written (with two threads: accepted, and written unless the file fails)
    ///   and the records left out.
    /// - Throws: `ParquetError` with the row, column and byte offset of the problem, or the
    ///   background failure of an earlier batch.
    @discardableResult
    public func write(_ json: UnsafeRawBufferPointer) throws(ParquetError) -> JSONBatchResult {
        let stage = stages[nextStage]
        let outcome: JSONBatchOutcome
        do {
            outcome = try decoder.decode(json, into: &stage.builders, policy: policy)
        } catch {
            stage.clear()
            throw error
        }
        let rows = outcome.rowsAccepted
        if let worker {
            worker.waitUntilIdle()
            if let failure = background.failure {
                stage.clear()
                throw failure
            }
            if rows > 0 {
                let writer = self.writer
                let background = self.background
                worker.submit {
                    do throws(ParquetError) {
                        try writer.write(builders: stage.builders, rowCount: rows)
                    } catch {
                        background.failure = error
                    }
                    stage.clear()
                }
                nextStage = 1 - nextStage
            } else {
                stage.clear()
            }
        } else {
            defer { stage.clear() }
            try writer.write(builders: stage.builders, rowCount: rows)
        }
        return JSONBatchResult(rowsWritten: rows, rejected: outcome.rejected)
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

    /// Waits until every batch handed to the background thread is encoded.
    /// - Throws: The background stage's failure, if any (the writer is then unusable).
    public func drain() throws(ParquetError) {
        worker?.waitUntilIdle()
        if let failure = background.failure { throw failure }
    }

    /// Drains the pipeline and closes the writer.
    /// - Returns: The writer's summary.
    /// - Throws: A background failure or the writer's; the file is then not written.
    @discardableResult
    public func close() throws(ParquetError) -> WriteSummary {
        do {
            try drain()
        } catch {
            writer.abort()
            throw error
        }
        return try writer.close()
    }

    /// Drains the pipeline (ignoring its failures) and discards the file.
    public func abort() {
        worker?.waitUntilIdle()
        writer.abort()
    }
}

/// The builders of one pipeline stage. A class, so the background job and the writer share
/// them without copying: the caller fills them only while no job holds them.
final class _StagedBatch {
    var builders: [ColumnBuilder]

    init(schema: Schema) {
        builders = schema.leafColumns.map { ColumnBuilder(descriptor: $0) }
    }

    /// Empties every builder, keeping capacity for the next batch.
    func clear() {
        for index in builders.indices { builders[index].removeAll() }
    }
}

/// A background failure, written by the worker and read by the caller after
/// ``BackgroundWorker/waitUntilIdle()`` (the worker's mutex orders the two).
final class _BackgroundFailure: @unchecked Sendable {
    var failure: ParquetError?
}
