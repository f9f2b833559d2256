import Foundation
import Parquet

extension AsyncParquetWriter {
    /// Creates a file at a file URL, as `AsyncParquetWriter/init(path:schema:options:mode:)` does.
    /// - Throws: `ParquetError` `.invalidOptions` for a URL that is not a file URL, and
    ///   everything the path initializer throws.
    public init(
        url: URL, schema: Schema, options: WriterOptions = WriterOptions(), mode: OutputMode = .overwrite
    ) throws(ParquetError) {
        try self.init(path: try url.filePath(), schema: schema, options: options, mode: mode)
    }
}
