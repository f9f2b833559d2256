import Foundation
import Parquet

extension ParquetWriter {
    /// Creates a file at a file URL, as `ParquetWriter/init(path:schema:options:mode:)` does.
    /// - Parameters:
    ///   - url: A `file:` URL.
    ///   - schema: The columns.
    ///   - options: Codec, dictionary, row-group and page limits, metadata.
    ///   - mode: What to do about an existing file (`.overwrite` by default).
    /// - Throws: `ParquetError` `.invalidOptions` for a URL that is not a file URL, and
    ///   everything the path initializer throws.
    public convenience init(
        url: URL, schema: Schema, options: WriterOptions = WriterOptions(), mode: OutputMode = .overwrite
    ) throws(ParquetError) {
        try self.init(path: try url.filePath(), schema: schema, options: options, mode: mode)
    }

    /// Writes a file into an open `FileHandle` (see ``FileHandleSink`` for what a failure leaves).
    /// - Parameters:
    ///   - fileHandle: The handle; the writer neither opens nor closes it.
    ///   - schema: The columns.
    ///   - options: Codec, dictionary, row-group and page limits, metadata.
    /// - Throws: `ParquetError` for invalid options, or when the handle refuses the first bytes.
    public convenience init(
        fileHandle: FileHandle, schema: Schema, options: WriterOptions = WriterOptions()
    ) throws(ParquetError) {
        try self.init(sink: FileHandleSink(fileHandle), schema: schema, options: options)
    }
}
