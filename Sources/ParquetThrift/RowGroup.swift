/// A horizontal slice of the file: one chunk per leaf column (`RowGroup`).
public struct RowGroup: ThriftCodable, Sendable, Hashable {
    /// The column chunks, in schema leaf order (field 1).
    public var columns: [ColumnChunk]
    /// The total uncompressed size of the column data (field 2).
    public var totalByteSize: Int64
    /// The number of rows (field 3).
    public var numRows: Int64
    /// The sort order of the rows, if sorted (field 4).
    public var sortingColumns: [SortingColumn]?
    /// The file offset of the group's first page (field 5).
    public var fileOffset: Int64?
    /// The total stored size of the column data (field 6).
    public var totalCompressedSize: Int64?
    /// The group's index in the file (field 7).
    public var ordinal: Int16?

    /// Creates a row group.
    /// - Parameters:
    ///   - columns: The column chunks.
    ///   - totalByteSize: Uncompressed bytes.
    ///   - numRows: Row count.
    ///   - sortingColumns: Sort order.
    ///   - fileOffset: First page offset.
    ///   - totalCompressedSize: Stored bytes.
    ///   - ordinal: Index in the file.
    public init(
        columns: [ColumnChunk],
        totalByteSize: Int64,
        numRows: Int64,
        sortingColumns: [SortingColumn]? = nil,
        fileOffset: Int64? = nil,
        totalCompressedSize: Int64? = nil,
        ordinal: Int16? = nil
    ) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.sortingColumns = sortingColumns
        self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize
        self.ordinal = ordinal
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, structList: columns)
        writer.writeField(2, i64: totalByteSize)
        writer.writeField(3, i64: numRows)
        if let sortingColumns { writer.writeField(4, structList: sortingColumns) }
        if let fileOffset { writer.writeField(5, i64: fileOffset) }
        if let totalCompressedSize { writer.writeField(6, i64: totalCompressedSize) }
        if let ordinal { writer.writeField(7, i16: ordinal) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        var sortingColumns: [SortingColumn]?
        var fileOffset: Int64?
        var totalCompressedSize: Int64?
        var ordinal: Int16?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .list): columns = try reader.readStructList()
            case (2, .i64): totalByteSize = try reader.readI64()
            case (3, .i64): numRows = try reader.readI64()
            case (4, .list): sortingColumns = try reader.readStructList()
            case (5, .i64): fileOffset = try reader.readI64()
            case (6, .i64): totalCompressedSize = try reader.readI64()
            case (7, .i16): ordinal = try reader.readI16()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            columns: try requireField(columns, "RowGroup", "columns"),
            totalByteSize: try requireField(totalByteSize, "RowGroup", "total_byte_size"),
            numRows: try requireField(numRows, "RowGroup", "num_rows"),
            sortingColumns: sortingColumns,
            fileOffset: fileOffset,
            totalCompressedSize: totalCompressedSize,
            ordinal: ordinal
        )
    }
}
