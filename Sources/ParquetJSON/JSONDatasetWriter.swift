import Parquet
import ParquetDataset

/// Writes batches of JSON records into a `DatasetWriter`: parsed straight into column
/// builders, then spread over the dataset's partitions and files.
///
/// ```swift
/// var layout = DatasetOptions(maxRowsPerFile: 1_000_000)
/// layout.partitionBy = [PartitionField(column: "created_at", transform: .day)]
/// let dataset = try DatasetWriter(directory: "out/events", schema: schema, dataset: layout)
/// let records = JSONDatasetWriter(dataset: dataset, onInvalid: .skip)
/// let result = try records.write(ndjson)   // result.files: the files finished meanwhile
/// try dataset.close()
/// ```
/// Not thread-safe: one thread at a time, like the dataset it feeds.
public final class JSONDatasetWriter {
    /// The dataset the records go to.
    public let dataset: DatasetWriter
    /// What a batch does with a record that does not fit the schema.
    public var policy: InvalidRecordPolicy { stages.policy }
    /// What a record's keys outside the schema do.
    public var unknownKeys: UnknownKeyPolicy { stages.unknownKeys }
    /// The keys outside the schema of every batch written so far (see ``UnknownKeyCount``).
    public var unknownKeyTotals: [UnknownKeyCount] { stages.unknownKeyTotals }
    private var stages: _JSONBatchStages

    /// Creates a JSON front for `dataset`.
    /// - Parameters:
    ///   - dataset: The dataset; its schema directs the parsing.
    ///   - onInvalid: `.fail` (one invalid record rejects the whole batch) or `.skip`.
    ///   - unknownKeys: What keys outside the schema do; with `.collect`, the dataset's schema
    ///     ends with the collect column (`Schema/addingUnknownKeysColumn(named:)`).
    public init(dataset: DatasetWriter, onInvalid: InvalidRecordPolicy = .fail, unknownKeys: UnknownKeyPolicy = .ignore) {
        self.dataset = dataset
        self.stages = _JSONBatchStages(
            schema: dataset.schema, policy: onInvalid, unknownKeys: unknownKeys)
    }

    /// Writes a JSON array of objects, or NDJSON.
    ///
    /// Malformed JSON, an invalid record under `.fail`, or a partition value that cannot be a
    /// directory name rejects the whole batch: nothing of it is written and the dataset stays
    /// usable.
    /// - Parameter json: The batch's bytes (UTF-8).
    /// - Returns: Rows written, the records left out, and the files finished meanwhile.
    /// - Throws: `ParquetError` with the row, column and byte offset of the problem.
    @discardableResult
    public func write(_ json: UnsafeRawBufferPointer) throws(ParquetError) -> JSONBatchResult {
        let outcome = try stages.decode(json, pool: dataset.workerPool)
        let files: [WriteSummary]
        do {
            files = try dataset.write(builders: stages.builders, rowCount: outcome.rowsAccepted)
        } catch {
            stages.refused()
            throw error
        }
        stages.accepted()
        return JSONBatchResult(
            rowsWritten: outcome.rowsAccepted, rejected: outcome.rejected, files: files, unknownKeys: outcome.unknownKeys)
    }

    /// Writes a JSON array of objects, or NDJSON, held in a string.
    @discardableResult
    public func write(_ json: String) throws(ParquetError) -> JSONBatchResult {
        try json._withJSONBytes { bytes throws(ParquetError) in try write(bytes) }
    }
}
