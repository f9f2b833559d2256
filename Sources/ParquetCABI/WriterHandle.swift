#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetJSON
import Synchronization

/// What `parquet_writer *` points at: a `JSONBatchWriter` (the writer with its reused decoder
/// and builders), the configuration, and running counts.
///
/// Every operation runs under the handle's own lock, so a writer misused from two threads at
/// once is serialised rather than corrupted (the documented contract is still one thread at a
/// time per writer).
final class WriterHandle: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private let configuration: WriterConfiguration
    /// The writer and its JSON front; nil until the first batch fixes the schema when it is inferred.
    private var records: JSONBatchWriter?
    let policy: InvalidRecordPolicy
    /// The schema, once known (from the configuration, or inferred from the first batch).
    private var fixedSchema: Schema?
    private var rowsWritten = 0
    private var rowsRejected = 0
    private var finished = false

    /// Opens the writer the configuration describes. Without a schema, the writer is created
    /// by the first batch (whose records fix the schema); the path and options are checked now
    /// all the same, by opening and discarding a probe file beside the path.
    /// - Throws: `ParquetError` (`.io` when the file cannot be created, or the path is a directory).
    init(configuration: WriterConfiguration) throws(ParquetError) {
        var status = stat()
        if stat(configuration.path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            throw ParquetError(.io, "the output path '\(configuration.path)' is a directory")
        }
        self.configuration = configuration
        policy = configuration.onInvalid
        if let schema = configuration.schema {
            try open(schema)
        } else {
            let probe = try ParquetWriter(
                path: configuration.path, schema: try Schema([Field("probe", .boolean)]), options: configuration.options)
            probe.abort()
        }
    }

    /// Creates the writer and its JSON front for `schema`.
    private func open(_ schema: Schema) throws(ParquetError) {
        let writer = try ParquetWriter(path: configuration.path, schema: schema, options: configuration.options)
        records = JSONBatchWriter(writer: writer, onInvalid: policy)
        fixedSchema = schema
    }

    /// The outcome of one batch.
    enum BatchOutcome {
        case written(rows: Int, rejected: [ParquetError])
        case failed(ParquetError)
    }

    /// Decodes a batch into the builders and writes it. Under `.fail` an invalid record, and
    /// under either policy malformed JSON, rejects the whole batch: nothing of it is written.
    /// Without a schema yet, the batch's records infer it first (a malformed or empty batch
    /// fixes nothing).
    func write(_ bytes: UnsafeRawBufferPointer) -> BatchOutcome {
        lock.withLock { _ in
            guard !finished else { return .failed(ParquetError(.writerClosed, "the writer is closed")) }
            do throws(ParquetError) {
                if records == nil {
                    guard let schema = try SchemaInference.infer(bytes) else {
                        return .written(rows: 0, rejected: [])
                    }
                    try open(schema)
                }
                guard let records else { return .failed(ParquetError(.writerClosed, "the writer is closed")) }
                let result = try records.write(bytes)
                rowsWritten += result.rowsWritten
                rowsRejected += result.rejected.count
                return .written(rows: result.rowsWritten, rejected: result.rejected)
            } catch {
                return .failed(error)
            }
        }
    }

    /// Finalises the file; afterwards the handle only reports that it is closed.
    func close() -> Result<(summary: WriteSummary, schema: Schema, rowsRejected: Int), ParquetError> {
        lock.withLock { _ in
            guard !finished else { return .failure(ParquetError(.writerClosed, "the writer is closed")) }
            finished = true
            guard let writer = records?.writer, let schema = fixedSchema else {
                return .failure(ParquetError(.invalidSchema, "no schema: nothing was written to infer one from"))
            }
            do throws(ParquetError) {
                let summary = try writer.close()
                return .success((summary, schema, rowsRejected))
            } catch {
                writer.abort()
                return .failure(error)
            }
        }
    }

    /// Discards the file.
    func abort() {
        lock.withLock { _ in
            finished = true
            records?.writer.abort()
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
