import Parquet
import ParquetJSON

/// One stream's side of the destination: its dataset writer, the batch of records waiting to
/// be written (the `data` objects as NDJSON), and its counts.
///
/// Records are gathered so the writer sees batches of useful size (its per-call cost is then
/// shared); the batch is written when it reaches ``batchRows`` records or ``batchBytes``
/// bytes, and before every commit.
final class AirbyteStreamWriter {
    /// The catalog's stream.
    let stream: AirbyteConfiguredStream
    /// The dataset written.
    let writer: ConfiguredJSONWriter
    /// Where the dataset is.
    var directory: String { writer.configuration.path }
    /// The most records a batch holds.
    let batchRows: Int
    /// The most bytes a batch holds (a larger record goes alone).
    let batchBytes: Int
    /// The stream's name as UTF-8, compared with a record's unescaped bytes so most records
    /// are matched without decoding their stream name.
    let nameUTF8: [UInt8]
    /// The stream's namespace as UTF-8, for the same comparison.
    let namespaceUTF8: [UInt8]?

    private var batch: [UInt8] = []
    /// The input line of each record in the batch, to name it when it is rejected.
    private var batchLines: [Int] = []

    /// Records received (written, waiting or rejected).
    private(set) var recordsReceived = 0
    /// Records written so far.
    var recordsWritten: Int { writer.rowsWritten }
    /// Records left out so far.
    var recordsRejected: Int { writer.rowsRejected }
    /// Files committed so far, and their bytes.
    private(set) var filesCommitted = 0
    private(set) var bytesCommitted = 0
    /// Rows in the files committed so far.
    private(set) var rowsCommitted = 0

    /// Opens the stream's dataset.
    /// - Parameters:
    ///   - stream: The catalog's stream.
    ///   - configuration: Its writer configuration (directory output).
    ///   - batchRows: The most records a batch holds.
    ///   - batchBytes: The most bytes a batch holds.
    /// - Throws: `ParquetError` when the dataset cannot be opened.
    init(stream: AirbyteConfiguredStream, configuration: WriterConfiguration, batchRows: Int, batchBytes: Int) throws(ParquetError) {
        self.stream = stream
        writer = try ConfiguredJSONWriter(configuration: configuration)
        self.batchRows = max(1, batchRows)
        self.batchBytes = max(1, batchBytes)
        nameUTF8 = Array(stream.name.utf8)
        namespaceUTF8 = stream.namespace.map { Array($0.utf8) }
        batch.reserveCapacity(min(self.batchBytes, 1 << 20))
    }

    /// Adds a record's `data` object to the batch, writing the batch when it is full.
    /// - Parameters:
    ///   - data: The object's bytes.
    ///   - line: The input line it came from.
    /// - Returns: Records the writer left out (under `--on-invalid skip`).
    /// - Throws: `AirbyteWriteFailure` when a batch cannot be written (an invalid record
    ///   under `--on-invalid fail` included).
    func append(_ data: UnsafeRawBufferPointer, line: Int) throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        var rejections: [AirbyteRejection] = []
        if !batchLines.isEmpty && batch.count + data.count + 1 > batchBytes { rejections = try flush() }
        batch.append(contentsOf: data)
        batch.append(UInt8(ascii: "\n"))
        batchLines.append(line)
        recordsReceived += 1
        if batchLines.count >= batchRows || batch.count >= batchBytes { rejections += try flush() }
        return rejections
    }

    /// Writes the batch.
    /// - Returns: Records the writer left out.
    /// - Throws: `AirbyteWriteFailure`, naming the record's line when the error names a row.
    func flush() throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        guard !batchLines.isEmpty else { return [] }
        let result: JSONBatchResult
        do {
            // withUnsafeBytes only rethrows untyped errors: the Result keeps the type.
            result = try batch.withUnsafeBytes { bytes in
                Result { () throws(ParquetError) in try writer.write(bytes) }
            }.get()
        } catch {
            throw AirbyteWriteFailure(error: error, line: error.row.flatMap { batchLines.indices.contains($0) ? batchLines[$0] : nil })
        }
        note(result.files)
        let rejections = result.rejected.map { error in
            AirbyteRejection(line: error.row.flatMap { batchLines.indices.contains($0) ? batchLines[$0] : nil } ?? 0, error: error)
        }
        // One outsized record should not pin its memory for the rest of the run.
        batch.removeAll(keepingCapacity: batch.capacity <= 2 * batchBytes)
        batchLines.removeAll(keepingCapacity: true)
        return rejections
    }

    /// Writes the batch and commits every record written so far into finished, fsynced
    /// files (writing goes on into new files).
    /// - Returns: Records the writer left out while writing the batch.
    /// - Throws: `AirbyteWriteFailure`.
    func commit() throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        let rejections = try flush()
        do {
            note(try writer.commitFiles())
        } catch {
            throw AirbyteWriteFailure(error: error, line: nil)
        }
        return rejections
    }

    /// Writes the batch and closes the dataset, committing its open files.
    /// - Returns: Records the writer left out while writing the batch.
    /// - Throws: `AirbyteWriteFailure`; the open files are then discarded.
    func close() throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        let rejections = try flush()
        do {
            note(try writer.close())
        } catch {
            throw AirbyteWriteFailure(error: error, line: nil)
        }
        return rejections
    }

    /// Discards the batch and the open files; committed files stay.
    func abort() {
        batch.removeAll()
        batchLines.removeAll()
        writer.abort()
    }

    private func note(_ files: [WriteSummary]) {
        filesCommitted += files.count
        for file in files {
            bytesCommitted += file.bytes
            rowsCommitted += file.rows
        }
    }
}
