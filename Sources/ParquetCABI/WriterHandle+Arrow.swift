import CArrowInterface
import Parquet
import ParquetArrow
import ParquetJSON

extension WriterHandle {
    /// Writes one Arrow record batch (a struct array and its schema); without a schema yet,
    /// the output is opened with the one the Arrow schema maps to.
    /// - Parameters:
    ///   - root: The batch's schema, already read.
    ///   - array: The batch, read only during the call (the caller releases it).
    ///   - rowBase: Added to the rows of errors (the batch's first row within a stream).
    /// - Returns: The batch result, or the error that rejected the batch (nothing of it written).
    func writeArrow(root: ArrowField, array: UnsafePointer<ArrowArray>, rowBase: Int = 0) -> BatchOutcome {
        // As in write(_:): the pointer crosses into the locked region as an address.
        let address = UInt(bitPattern: array)
        return withWriter { records -> BatchOutcome in
            do throws(ParquetError) {
                let array = UnsafePointer<ArrowArray>(bitPattern: address).unsafelyUnwrapped
                let skip = records.configuration.onInvalid == .skip
                var result = try records.writeColumns(schema: { () throws(ParquetError) in try Schema(arrow: root) }) {
                    batch throws(ParquetError) in
                    try ArrowBatchImporter(schema: batch.schema, skipInvalidRows: skip).append(array, root: root, to: &batch)
                }
                for index in result.rejected.indices { result.rejected[index].row? += rowBase }
                return .written(result, fileSchema: records.fileSchema)
            } catch {
                var located = error
                located.row? += rowBase
                return .failed(located)
            }
        }
    }
}
