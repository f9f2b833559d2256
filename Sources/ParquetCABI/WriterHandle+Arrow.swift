import CArrowInterface
import Parquet
import ParquetArrow
import ParquetJSON

extension WriterHandle {
    /// The rows of an Arrow record batch staged at a time: a larger batch is written in
    /// slices of this many rows, so the writer's memory does not grow with the producer's
    /// batch size (a pyarrow Table combined into one chunk is one batch of every row).
    static let arrowSliceRows = 65_536

    /// What writing Arrow input did: everything written before a failure, and the failure.
    struct ArrowOutcome: Sendable {
        var written = JSONBatchResult(rowsWritten: 0, rejected: [])
        var fileSchema: Schema?
        var failure: ParquetError?
    }

    /// Writes one Arrow record batch (a struct array and its schema) in slices of
    /// ``arrowSliceRows`` rows; without a schema yet, the output is opened with the one the
    /// Arrow schema maps to.
    ///
    /// A slice with a rejected value (under `on_invalid: fail`) is not written, nor is the rest
    /// of the batch; the slices before it are.
    /// - Parameters:
    ///   - root: The batch's schema, already read.
    ///   - array: The batch, read only during the call (the caller releases it).
    ///   - rowBase: Added to the rows of errors (the batch's first row within a stream).
    ///   - outcome: Where the rows written, rejects, files and a failure are added.
    func writeArrow(root: ArrowField, array: UnsafePointer<ArrowArray>, rowBase: Int, into outcome: inout ArrowOutcome) {
        // As in write(_:): the pointer crosses into the locked region as an address.
        let address = UInt(bitPattern: array)
        let result = withWriter { records -> Result<ArrowOutcome, ParquetError> in
            var local = ArrowOutcome()
            do throws(ParquetError) {
                let array = UnsafePointer<ArrowArray>(bitPattern: address).unsafelyUnwrapped
                let skip = records.configuration.onInvalid == .skip
                let schema: Schema
                if let fixed = records.schema { schema = fixed } else { schema = try Schema(arrow: root) }
                let importer = try ArrowBatchImporter(array, root: root, schema: schema)
                if records.schema == nil {
                    // A batch that is refused fixes no schema, as with JSON inference: its first
                    // slice is tried before the output is opened with the batch's schema.
                    var probe = ColumnBatch(schema: schema)
                    _ = try importer.append(
                        rows: 0..<min(Self.arrowSliceRows, importer.rowCount), to: &probe, skipInvalidRows: skip)
                    try records.openIfNeeded { () throws(ParquetError) in schema }
                }
                local.fileSchema = records.fileSchema
                var start = 0
                while start < importer.rowCount {
                    let rows = start..<min(start + Self.arrowSliceRows, importer.rowCount)
                    var result = try records.writeColumns { batch throws(ParquetError) in
                        try importer.append(rows: rows, to: &batch, skipInvalidRows: skip)
                    }
                    for index in result.rejected.indices { result.rejected[index].row? += rowBase }
                    local.written.rowsWritten += result.rowsWritten
                    local.written.rejected += result.rejected
                    local.written.files += result.files
                    start = rows.upperBound
                }
            } catch {
                var located = error
                located.row? += rowBase
                local.failure = located
            }
            return .success(local)
        }
        switch result {
        case .success(let local):
            outcome.written.rowsWritten += local.written.rowsWritten
            outcome.written.rejected += local.written.rejected
            outcome.written.files += local.written.files
            outcome.fileSchema = local.fileSchema ?? outcome.fileSchema
            outcome.failure = local.failure
        case .failure(let error):
            outcome.failure = error
        }
    }
}
