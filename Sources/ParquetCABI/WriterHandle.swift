import Parquet
import ParquetJSON
import Synchronization

/// What `parquet_writer *` points at: a ``ConfiguredJSONWriter`` (a file or a dataset, with
/// its reused decoder and builders) behind a lock.
///
/// Every operation runs under the handle's own lock, so a writer misused from two threads at
/// once is serialised rather than corrupted (the documented contract is still one thread at a
/// time per writer).
final class WriterHandle: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private let records: ConfiguredJSONWriter
    private var finished = false

    /// Opens the output the configuration describes (see ``ConfiguredJSONWriter/init(configuration:)``).
    /// - Throws: `ParquetError` (`.io` when the output cannot be created).
    init(configuration: WriterConfiguration) throws(ParquetError) {
        records = try ConfiguredJSONWriter(configuration: configuration)
    }

    /// The outcome of one batch.
    enum BatchOutcome {
        case written(JSONBatchResult, fileSchema: Schema?)
        case failed(ParquetError)
    }

    /// Decodes a batch and writes it. Under `.fail` an invalid record, and under either
    /// policy malformed JSON, rejects the whole batch: nothing of it is written. Without a
    /// schema yet, the batch's records infer it first (a malformed or empty batch fixes nothing).
    func write(_ bytes: UnsafeRawBufferPointer) -> BatchOutcome {
        lock.withLock { _ in
            guard !finished else { return .failed(ParquetError(.writerClosed, "the writer is closed")) }
            do throws(ParquetError) {
                let result = try records.write(bytes)
                return .written(result, fileSchema: records.fileSchema)
            } catch {
                return .failed(error)
            }
        }
    }

    /// What closing (or committing) returns.
    struct Finished {
        var files: [WriteSummary]
        var fileSchema: Schema?
        var rowsWritten: Int
        var rowsRejected: Int
    }

    /// Commits a dataset's open files; the writer stays open.
    func commit() -> Result<Finished, ParquetError> {
        lock.withLock { _ in
            guard !finished else { return .failure(ParquetError(.writerClosed, "the writer is closed")) }
            do throws(ParquetError) {
                let files = try records.commitFiles()
                return .success(Finished(
                    files: files, fileSchema: records.fileSchema, rowsWritten: records.rowsWritten,
                    rowsRejected: records.rowsRejected))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Finalises the output; afterwards the handle only reports that it is closed.
    func close() -> Result<Finished, ParquetError> {
        lock.withLock { _ in
            guard !finished else { return .failure(ParquetError(.writerClosed, "the writer is closed")) }
            finished = true
            do throws(ParquetError) {
                let files = try records.close()
                return .success(Finished(
                    files: files, fileSchema: records.fileSchema, rowsWritten: records.rowsWritten,
                    rowsRejected: records.rowsRejected))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Discards what is not finished.
    func abort() {
        lock.withLock { _ in
            finished = true
            records.abort()
        }
    }
}

/// The live handles, so a pointer that was closed, aborted or never created is reported as an
/// error instead of being dereferenced.
///
/// Limitation (ABA): once a handle is released its address can be reused by a later
/// `create_writer`, and the stale pointer then names the new writer. The registry catches
/// use-after-close until that happens, not forever; callers must still drop closed pointers.
enum HandleRegistry {
    private static let live = Mutex<Set<UInt>>([])

    /// Retains `handle` for the C caller and records it as live.
    static func register(_ handle: WriterHandle) -> UnsafeMutableRawPointer {
        let pointer = Unmanaged.passRetained(handle).toOpaque()
        live.withLock { _ = $0.insert(UInt(bitPattern: pointer)) }
        return pointer
    }

    /// The handle behind a live pointer (a strong reference: it stays valid even if another
    /// thread closes the writer meanwhile).
    static func lookup(_ pointer: UnsafeMutableRawPointer) -> WriterHandle? {
        live.withLock { set -> WriterHandle? in
            guard set.contains(UInt(bitPattern: pointer)) else { return nil }
            return Unmanaged<WriterHandle>.fromOpaque(pointer).takeUnretainedValue()
        }
    }

    /// Removes a live pointer and hands over the C caller's reference (released when the
    /// returned value goes away).
    static func remove(_ pointer: UnsafeMutableRawPointer) -> WriterHandle? {
        live.withLock { set -> WriterHandle? in
            guard set.remove(UInt(bitPattern: pointer)) != nil else { return nil }
            return Unmanaged<WriterHandle>.fromOpaque(pointer).takeRetainedValue()
        }
    }
}
