import ParquetThrift

/// One row group, as `inspect` reports it.
struct InspectRowGroup: Sendable {
    /// The group's position in the file, from 0.
    var index: Int
    /// Rows in the group.
    var rows: Int64
    /// The footer's `total_byte_size`: the column data uncompressed.
    var totalByteSize: Int64
    /// The footer's `total_compressed_size`, or the sum of the chunks' compressed sizes for
    /// writers that leave the field out.
    var totalCompressedSize: Int64
    /// The file offset of the group's first page, when recorded.
    var fileOffset: Int64?
    /// The column chunks, in the footer's order.
    var columns: [InspectColumnChunk]
}
