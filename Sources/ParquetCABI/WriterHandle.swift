import Parquet
import ParquetBytes
import ParquetJSON

/// What a live ``HandleToken`` names: a ``ConfiguredJSONWriter`` (a file or a dataset, with
/// its reused decoder and builders) behind a lock.
///
/// Every operation runs under the handle's own lock, so a writer misused from two threads at
/// once is serialised rather than corrupted (the documented contract is still one thread at a
/// time per writer), and a write racing close either lands before the close or finds the
/// writer closed.
final class WriterHandle: Sendable {
    /// The open writer; nil once it is closed or aborted (every later call reports
    /// `writer_closed`).
    private let records: Lock<ConfiguredJSONWriter?>

    /// Opens the output the configuration describes (see ``ConfiguredJSONWriter/init(configuration:sinks:)``).
    /// - Parameters:
    ///   - configuration: The parsed `create_writer` configuration.
    ///   - sinks: Opens the outputs (a C caller's sink); nil for local paths.
    /// - Throws: `ParquetError` (`.io` when the output cannot be created).
    init(configuration: WriterConfiguration, sinks: sending (any OutputSinkFactory)? = nil) throws(ParquetError) {
        records = Lock(try ConfiguredJSONWriter(configuration: configuration, sinks: sinks))
    }

    /// The outcome of one batch.
    enum BatchOutcome {
        case written(JSONBatchResult, fileSchema: Schema?)
        case failed(ParquetError)
    }

    /// Decodes a batch and writes it. Under `.fail` an invalid record, and under either
    /// policy malformed JSON, rejects the whole batch: nothing of it is written. Without a
    /// schema yet, the batch's records infer it first (a malformed or empty batch fixes nothing).
    /// - Parameter bytes: The batch (JSON array or NDJSON), read only during the call.
    /// - Returns: The batch result, or the error that rejected it.
    func write(_ bytes: UnsafeRawBufferPointer) -> BatchOutcome {
        // A raw pointer is not Sendable: handed to the writer as it is, the compiler would tie
        // the locked writer to the caller's region. The bytes are only read during the call,
        // under the lock, so they cross as an address and a count.
        let (address, count) = (UInt(bitPattern: bytes.baseAddress), bytes.count)
        return records.withLock { open -> BatchOutcome in
            guard let records = open else { return .failed(Self.closedError) }
            do throws(ParquetError) {
                let batch = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count)
                let result = try records.write(batch)
                return .written(result, fileSchema: records.fileSchema)
            } catch {
                return .failed(error)
            }
        }
    }

    /// Runs `body` with the open writer under the handle's lock, or reports `writer_closed`.
    func withWriter<Success>(
        _ body: @Sendable (ConfiguredJSONWriter) -> Result<Success, ParquetError>
    ) -> Result<Success, ParquetError> {
        records.withLock { open -> Result<Success, ParquetError> in
            guard let records = open else { return .failure(Self.closedError) }
            return body(records)
        }
    }

    /// What closing (or committing) returns.
    struct Finished {
        var files: [WriteSummary]
        var fileSchema: Schema?
        var rowsWritten: Int
        var rowsRejected: Int
        /// The unknown keys of every JSON batch written.
        var unknownKeys: [UnknownKeyCount] = []
    }

    /// Commits a dataset's open files; the writer stays open.
    /// - Returns: The files finished and the totals so far, or the error.
    func commit() -> Result<Finished, ParquetError> {
        records.withLock { open -> Result<Finished, ParquetError> in
            guard let records = open else { return .failure(Self.closedError) }
            do throws(ParquetError) {
                return .success(Self.finished(try records.commitFiles(), records))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Finalises the output; afterwards the handle only reports that it is closed.
    /// - Returns: The files finished and the writer's totals, or the error (the output is
    ///   then discarded).
    func close() -> Result<Finished, ParquetError> {
        records.withLock { open -> Result<Finished, ParquetError> in
            guard let records = open else { return .failure(Self.closedError) }
            open = nil
            do throws(ParquetError) {
                return .success(Self.finished(try records.close(), records))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Discards what is not finished; afterwards the handle only reports that it is closed.
    func abort() {
        records.withLock { open in
            open?.abort()
            open = nil
        }
    }

    private static let closedError = ParquetError(.writerClosed, "the writer is closed")

    private static func finished(_ files: [WriteSummary], _ records: ConfiguredJSONWriter) -> Finished {
        Finished(
            files: files, fileSchema: records.fileSchema, rowsWritten: records.rowsWritten,
            rowsRejected: records.rowsRejected, unknownKeys: records.unknownKeyTotals)
    }
}
