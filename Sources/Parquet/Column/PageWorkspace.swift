import ParquetBytes
import ParquetCompression
import ParquetThrift

/// What a thread closes pages with: the compressor and the scratch buffers of the page being
/// closed, and the file's spool where finished pages wait.
///
/// A thread closes one page at a time, so one set serves every column it works on: a zstd
/// context and a few page-sized buffers per thread (``EncodingThreads`` holds one per thread),
/// not per column (11 columns of zstd level 3 held 11 contexts). A dataset's files share the
/// sets, so its hundreds of small files do not each set up codec contexts and grow their tables
/// again.
///
/// Not thread-safe: used by one thread at a time (the column writer is given the workspace of
/// the thread working on it before each piece of work).
package final class PageWorkspace {
    let compressor: any PageCompressor
    let codec: ParquetThrift.CompressionCodec
    /// Scratch: the uncompressed body of the page being closed.
    var body = ByteBuffer()
    /// Scratch: the compressed body.
    var compressed = ByteBuffer()
    /// Scratch: a V2 page's levels.
    var levels = ByteBuffer()
    /// Scratch: a V2 page's stored body (levels, then the compressed values).
    var page = ByteBuffer()
    /// Where a column's finished pages go once it holds ``columnBufferBytes`` of them;
    /// nil keeps the whole row group in memory.
    let spool: ScratchFile?
    let columnBufferBytes: Int

    /// - Parameters:
    ///   - compression: The codec of every page.
    ///   - spool: The scratch file for finished pages, or nil to keep them in memory.
    ///   - columnBufferBytes: Finished page bytes a column keeps in memory before parking them.
    /// - Throws: `ParquetError` with code `.invalidOptions` when the codec cannot be set up.
    package init(compression: Compression, spool: ScratchFile?, columnBufferBytes: Int) throws(ParquetError) {
        do {
            compressor = try makeCompressor(compression)
        } catch {
            throw ParquetError(.invalidOptions, "compression: \(error)")
        }
        codec = compression.thriftCodec
        self.spool = spool
        self.columnBufferBytes = columnBufferBytes
    }
}
