/// Where one data page is and which row it starts at (`PageLocation`).
public struct PageLocation: ThriftCodable, Sendable, Hashable {
    /// The page's file offset (field 1).
    public var offset: Int64
    /// The page's stored size, header included (field 2).
    public var compressedPageSize: Int32
    /// The index within the row group of the page's first row (field 3).
    public var firstRowIndex: Int64

    /// Creates a page location.
    /// - Parameters:
    ///   - offset: File offset.
    ///   - compressedPageSize: Size including the header.
    ///   - firstRowIndex: First row in the row group.
    public init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
        self.offset = offset
        self.compressedPageSize = compressedPageSize
        self.firstRowIndex = firstRowIndex
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, i64: offset)
        writer.writeField(2, i32: compressedPageSize)
        writer.writeField(3, i64: firstRowIndex)
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var offset: Int64?
        var compressedPageSize: Int32?
        var firstRowIndex: Int64?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i64): offset = try reader.readI64()
            case (2, .i32): compressedPageSize = try reader.readI32()
            case (3, .i64): firstRowIndex = try reader.readI64()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            offset: try requireField(offset, "PageLocation", "offset"),
            compressedPageSize: try requireField(compressedPageSize, "PageLocation", "compressed_page_size"),
            firstRowIndex: try requireField(firstRowIndex, "PageLocation", "first_row_index")
        )
    }
}
