#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetDataset
import ParquetJSON

/// One stream's side of the destination: its dataset, the batch of records waiting to be
/// written (the `data` objects as NDJSON, with each record's line, extraction time and the
/// source's changes), and its counts.
///
/// Records are gathered so the writer sees batches of useful size (its per-call cost is then
/// shared); the batch is written when it reaches ``batchRows`` records or ``batchBytes``
/// bytes, and before every commit. Writing a batch decodes the `data` objects into the
/// stream's columns, appends the Destinations V2 columns (``AirbyteRecordColumns``) for the
/// records accepted, and hands both to the dataset as one set of columns.
///
/// Under `overwrite` the sync's generation is written and committed in its own hidden
/// directory beside the stream's and replaces the old data only when the input ends, complete
/// (``AirbyteGeneration``): a sync that fails or is killed leaves the previous data whole, and
/// its committed records wait for the retry that resumes it.
final class AirbyteStreamWriter {
    /// The catalog's stream.
    let stream: AirbyteConfiguredStream
    /// Its writer configuration (a dataset; ``WriterConfiguration/schema`` nil to infer it).
    let configuration: WriterConfiguration
    /// Where the dataset is (for `overwrite`, where readers see it once published).
    var directory: String { generation?.target ?? configuration.path }
    /// Under `overwrite`: the generation being written, published at ``close()``.
    private let generation: AirbyteGeneration?
    /// The most records a batch holds.
    let batchRows: Int
    /// The most bytes a batch holds (a larger record goes alone).
    let batchBytes: Int
    /// Whether a value that does not fit its nullable field is nulled rather than the record
    /// left out (``JSONBatchDecoder/nullsInvalidValues``).
    let nullsInvalidValues: Bool
    /// The stream's name as UTF-8, compared with a record's unescaped bytes so most records
    /// are matched without decoding their stream name.
    let nameUTF8: [UInt8]
    /// The stream's namespace as UTF-8, for the same comparison.
    let namespaceUTF8: [UInt8]?

    /// The dataset, nil until the schema is known (a catalog stream without `json_schema`
    /// infers it from its first batch).
    private var dataset: DatasetWriter?
    private var decoder: JSONBatchDecoder?
    /// The stream's own columns (and the collect column), filled by the decoder.
    private var dataBuilders: [ColumnBuilder] = []
    private var columns: AirbyteRecordColumns?

    private var batch: [UInt8] = []
    /// Per record in the batch: its input line, its extraction time (microseconds) and the
    /// span of the source's changes in ``sourceChanges``.
    private var batchLines: [Int] = []
    private var batchExtractedAt: [Int64] = []
    private var batchChanges: [Range<Int>] = []
    /// The members of the records' `meta.changes` arrays, back to back.
    private var sourceChanges: [UInt8] = []
    /// One record's `changes` members, built per record.
    private var changes: [UInt8] = []

    /// Records received (written, waiting or rejected).
    private(set) var recordsReceived = 0
    /// Records written so far.
    private(set) var recordsWritten = 0
    /// Records left out so far.
    private(set) var recordsRejected = 0
    /// Values nulled so far (in records written).
    private(set) var valuesNulled = 0
    /// Files committed so far, and their bytes.
    private(set) var filesCommitted = 0
    private(set) var bytesCommitted = 0
    /// Rows in the files committed so far.
    private(set) var rowsCommitted = 0

    /// Opens the stream's dataset (when its schema is known).
    /// - Parameters:
    ///   - stream: The catalog's stream.
    ///   - configuration: Its writer configuration (directory output).
    ///   - batchRows: The most records a batch holds.
    ///   - batchBytes: The most bytes a batch holds.
    ///   - nullsInvalidValues: Null values that do not fit their nullable field, keeping the record.
    /// - Throws: `ParquetError` when the dataset cannot be opened, or the stream has a column
    ///   named as one of ``AirbyteRecordColumns``.
    init(
        stream: AirbyteConfiguredStream, configuration: WriterConfiguration, batchRows: Int, batchBytes: Int,
        nullsInvalidValues: Bool = false
    ) throws(ParquetError) {
        guard configuration.dataset != nil else {
            throw ParquetError(.invalidOptions, "an Airbyte stream is written as a dataset: give a directory")
        }
        var configuration = configuration
        // A sync's overwrite replaces one generation with the next, whole: the new one is
        // appended to in its own directory (over attempts), the old stays until it is complete.
        if configuration.mode == .overwrite {
            let generation = try AirbyteGeneration(target: configuration.path, generation: stream.generationID)
            configuration.path = generation.directory
            configuration.mode = .append
            configuration.dataset?.mode = .append
            self.generation = generation
        } else {
            generation = nil
        }
        self.stream = stream
        self.configuration = configuration
        self.batchRows = max(1, batchRows)
        self.batchBytes = max(1, batchBytes)
        self.nullsInvalidValues = nullsInvalidValues
        nameUTF8 = Array(stream.name.utf8)
        namespaceUTF8 = stream.namespace.map { Array($0.utf8) }
        batch.reserveCapacity(min(self.batchBytes, 1 << 20))
        if let schema = configuration.schema { try open(schema) }
    }

    /// Opens the dataset for the stream's columns, the Destinations V2 columns first.
    /// - Parameter given: The stream's columns (from its JSON Schema, or inferred).
    /// - Throws: `ParquetError`.
    private func open(_ given: Schema) throws(ParquetError) {
        let data = try configuration.outputSchema(for: given)
        for name in AirbyteRecordColumns.names where data.index(of: name) != nil {
            throw ParquetError(
                .invalidSchema,
                "the stream has a column '\(name)', a name the destination gives its own Destinations V2 column",
                column: name)
        }
        let schema = try Schema(AirbyteRecordColumns.fields + data.fields)
        let dataset = try DatasetWriter(
            directory: configuration.path, schema: schema, options: configuration.options, dataset: configuration.dataset!)
        let leaves = schema.leafColumns
        let v2Leaves = AirbyteRecordColumns.fields.count
        var decoder = JSONBatchDecoder(schema: data, unknownKeys: configuration.unknownKeys)
        decoder.nullsInvalidValues = nullsInvalidValues
        self.decoder = decoder
        columns = AirbyteRecordColumns(descriptors: leaves[..<v2Leaves], syncID: stream.syncID)
        dataBuilders = leaves[v2Leaves...].map { ColumnBuilder(descriptor: $0) }
        self.dataset = dataset
    }

    /// Adds a record's `data` object to the batch, writing the batch when it is full.
    /// - Parameters:
    ///   - data: The object's bytes.
    ///   - emittedAt: The record's `emitted_at` (milliseconds since the epoch); nil for the
    ///     time it was received.
    ///   - sourceChanges: The members of its `meta.changes` array (comma-separated), if any.
    ///   - line: The input line it came from.
    /// - Returns: Records the writer left out and values it nulled.
    /// - Throws: `AirbyteWriteFailure` when a batch cannot be written (an invalid record
    ///   under `on_invalid: fail` included).
    func append(
        _ data: UnsafeRawBufferPointer, emittedAt: Int64?, sourceChanges changes: UnsafeRawBufferPointer?, line: Int
    ) throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        var rejections: [AirbyteRejection] = []
        if !batchLines.isEmpty && batch.count + data.count + 1 > batchBytes { rejections = try flush() }
        batch.append(contentsOf: data)
        batch.append(UInt8(ascii: "\n"))
        batchLines.append(line)
        let milliseconds = emittedAt ?? Self.nowMilliseconds()
        // Clamped so the microseconds fit: an absurd emitted_at is kept as the nearest instant.
        batchExtractedAt.append(max(min(milliseconds, Int64.max / 1000), Int64.min / 1000) * 1000)
        let start = sourceChanges.count
        if let changes { sourceChanges.append(contentsOf: changes) }
        batchChanges.append(start..<sourceChanges.count)
        recordsReceived += 1
        if batchLines.count >= batchRows || batch.count >= batchBytes { rejections += try flush() }
        return rejections
    }

    /// Writes the batch.
    /// - Returns: Records the writer left out and values it nulled.
    /// - Throws: `AirbyteWriteFailure`, naming the record's line when the error names a row.
    func flush() throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        guard !batchLines.isEmpty else { return [] }
        func lineOf(_ error: ParquetError) -> Int? {
            error.row.flatMap { batchLines.indices.contains($0) ? batchLines[$0] : nil }
        }
        let outcome: JSONBatchOutcome
        let files: [WriteSummary]
        do throws(ParquetError) {
            if dataset == nil {
                // No JSON Schema: the first batch's records infer the columns (none when they
                // have no keys: the files then hold the Destinations V2 columns only).
                let inferred = try batch.withUnsafeBytes { bytes in
                    Result { () throws(ParquetError) in
                        try SchemaInference.infer(bytes, inferStrings: configuration.inferStrings)
                    }
                }.get()
                if let inferred { try open(inferred) } else { try open(try Schema([])) }
            }
            // Taken out while filled, so their buffers are not shared (and copied) on write.
            guard let dataset, var decoder, var columns = self.columns.take() else {
                throw ParquetError(.internalError, "the stream's dataset is not open")
            }
            defer { self.columns = columns }
            for index in dataBuilders.indices { dataBuilders[index].removeAll() }
            columns.removeAll()
            let policy = configuration.onInvalid
            // withUnsafeBytes only rethrows untyped errors: the Result keeps the type.
            outcome = try batch.withUnsafeBytes { bytes in
                Result { () throws(ParquetError) in try decoder.decode(bytes, into: &dataBuilders, policy: policy) }
            }.get()
            self.decoder = decoder
            appendRecordColumns(outcome, into: &columns)
            do {
                files = try dataset.write(builders: columns.builders + dataBuilders, rowCount: outcome.rowsAccepted)
            } catch {
                decoder.abandonUnknownKeys()
                throw error
            }
            decoder.commitUnknownKeys()
        } catch {
            throw AirbyteWriteFailure(error: error, line: lineOf(error))
        }
        note(files)
        recordsWritten += outcome.rowsAccepted
        recordsRejected += outcome.rejected.count
        valuesNulled += outcome.nulled.count
        // Reported in input order, whatever their kind.
        let rejections =
            (outcome.rejected.map { AirbyteRejection(line: lineOf($0) ?? 0, error: $0) }
                + outcome.nulled.map { AirbyteRejection(line: lineOf($0) ?? 0, error: $0, nulled: true) })
            .sorted { $0.line < $1.line }
        // One outsized record should not pin its memory for the rest of the run.
        batch.removeAll(keepingCapacity: batch.capacity <= 2 * batchBytes)
        batchLines.removeAll(keepingCapacity: true)
        batchExtractedAt.removeAll(keepingCapacity: true)
        batchChanges.removeAll(keepingCapacity: true)
        sourceChanges.removeAll(keepingCapacity: true)
        return rejections
    }

    /// Appends the Destinations V2 values of every record the decoder accepted, in order.
    /// - Parameters:
    ///   - outcome: What the decoder accepted, rejected and nulled (rows count every record
    ///     of the batch).
    ///   - columns: The V2 columns' builders.
    private func appendRecordColumns(_ outcome: JSONBatchOutcome, into columns: inout AirbyteRecordColumns) {
        columns.prepareIDs(count: outcome.rowsAccepted)
        // Both lists are in row order.
        let rejectedRows = outcome.rejected.compactMap(\.row)
        var nextRejected = 0
        var nextNulled = 0
        var written = 0
        for row in batchLines.indices {
            if nextRejected < rejectedRows.count && rejectedRows[nextRejected] == row {
                nextRejected += 1
                continue
            }
            changes.removeAll(keepingCapacity: true)
            changes.append(contentsOf: sourceChanges[batchChanges[row]])
            while nextNulled < outcome.nulled.count && (outcome.nulled[nextNulled].row ?? -1) <= row {
                let nulled = outcome.nulled[nextNulled]
                nextNulled += 1
                guard nulled.row == row else { continue }
                if !changes.isEmpty { changes.append(UInt8(ascii: ",")) }
                changes.append(contentsOf: AirbyteRecordColumns.nulledChange(field: nulled.column ?? "").utf8)
            }
            columns.append(
                record: written, extractedAt: batchExtractedAt[row], generation: stream.generationID ?? 0,
                changes: changes[...])
            written += 1
        }
    }

    /// Writes the batch and commits every record written so far into finished, fsynced
    /// files (writing goes on into new files). Under `overwrite` the files are committed in
    /// the generation's directory; they replace the old data at ``close()``.
    /// - Returns: Records the writer left out and values it nulled while writing the batch.
    /// - Throws: `AirbyteWriteFailure`.
    func commit() throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        let rejections = try flush()
        do {
            if let dataset { note(try dataset.commitFiles()) }
        } catch {
            throw AirbyteWriteFailure(error: error, line: nil)
        }
        return rejections
    }

    /// Writes the batch and closes the dataset, committing its open files (and, under
    /// `overwrite`, replacing the old data with this sync's).
    /// - Returns: Records the writer left out and values it nulled while writing the batch.
    /// - Throws: `AirbyteWriteFailure`; the open files are then discarded.
    func close() throws(AirbyteWriteFailure) -> [AirbyteRejection] {
        let rejections = try flush()
        do throws(ParquetError) {
            // An overwrite that received nothing still replaces the old generation: with an
            // empty dataset.
            if dataset == nil && generation != nil { try open(Schema([])) }
            if let dataset {
                do {
                    note(try dataset.close())
                } catch {
                    dataset.abort()
                    throw error
                }
            }
            try generation?.publish()
        } catch {
            throw AirbyteWriteFailure(error: error, line: nil)
        }
        return rejections
    }

    /// Discards the batch and the open files; committed files stay (under `overwrite`, in the
    /// generation's directory, for the retry; the old data stays where readers see it).
    func abort() {
        batch.removeAll()
        batchLines.removeAll()
        batchExtractedAt.removeAll()
        batchChanges.removeAll()
        sourceChanges.removeAll()
        dataset?.abort()
    }

    private func note(_ files: [WriteSummary]) {
        filesCommitted += files.count
        for file in files {
            bytesCommitted += file.bytes
            rowsCommitted += file.rows
        }
    }

    /// The time now, for a record without `emitted_at`.
    private static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
