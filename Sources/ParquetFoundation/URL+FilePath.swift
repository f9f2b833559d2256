import Foundation
import Parquet

extension URL {
    /// The path of a `file:` URL.
    /// - Throws: `ParquetError` `.invalidOptions` for another scheme.
    func filePath() throws(ParquetError) -> String {
        guard isFileURL else {
            throw ParquetError(
                .invalidOptions, "'\(absoluteString)' is not a file URL (object stores are written through an OutputSink)")
        }
        return path
    }
}
