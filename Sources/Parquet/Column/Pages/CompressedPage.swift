import ParquetBytes
import ParquetThrift

/// A closed page as it goes into a column chunk: its header, with both sizes filled in, and
/// its body as stored (compressed, unless the file is uncompressed).
struct CompressedPage {
    /// The page header; `uncompressedPageSize` and `compressedPageSize` are set.
    var header: PageHeader
    /// The stored body: `header.compressedPageSize` bytes.
    var body: ByteBuffer
}
