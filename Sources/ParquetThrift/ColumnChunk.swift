/// One column of one row group (`ColumnChunk`).
///
/// Encryption fields (8, 9) are skipped when reading and never written.
public struct ColumnChunk: ThriftCodable, Sendable, Hashable {
    /// The file holding the data, relative to this one; `nil` means this file (field 1).
    public var filePath: String?
    /// Deprecated; writers set 0 (field 2, required).
    public var fileOffset: Int64
    /// The chunk's metadata (field 3); optional in the IDL but required by readers.
    public var metaData: ColumnMetaData?
    /// The file offset of the chunk's OffsetIndex (field 4).
    public var offsetIndexOffset: Int64?
    /// The OffsetIndex's size in bytes (field 5).
    public var offsetIndexLength: Int32?
    /// The file offset of the chunk's ColumnIndex (field 6).
    public var columnIndexOffset: Int64?
    /// The ColumnIndex's size in bytes (field 7).
    public var columnIndexLength: Int32?

    /// Creates a column chunk.
    /// - Parameters:
    ///   - filePath: The external file, normally `nil`.
    ///   - fileOffset: Deprecated; leave 0.
    ///   - metaData: The chunk's metadata.
    ///   - offsetIndexOffset: The OffsetIndex offset.
    ///   - offsetIndexLength: The OffsetIndex size.
    ///   - columnIndexOffset: The ColumnIndex offset.
    ///   - columnIndexLength: The ColumnIndex size.
    public init(
        filePath: String? = nil,
        fileOffset: Int64 = 0,
        metaData: ColumnMetaData? = nil,
        offsetIndexOffset: Int64? = nil,
        offsetIndexLength: Int32? = nil,
        columnIndexOffset: Int64? = nil,
        columnIndexLength: Int32? = nil
    ) {
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        if let filePath { writer.writeField(1, string: filePath) }
        writer.writeField(2, i64: fileOffset)
        if let metaData { writer.writeField(3, struct: metaData) }
        if let offsetIndexOffset { writer.writeField(4, i64: offsetIndexOffset) }
        if let offsetIndexLength { writer.writeField(5, i32: offsetIndexLength) }
        if let columnIndexOffset { writer.writeField(6, i64: columnIndexOffset) }
        if let columnIndexLength { writer.writeField(7, i32: columnIndexLength) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown and encryption fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        // file_offset is required with a default of 0; tolerate writers that omit it.
        self.init()
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .binary): filePath = try reader.readString()
            case (2, .i64): fileOffset = try reader.readI64()
            case (3, .struct): metaData = try ColumnMetaData(from: &reader)
            case (4, .i64): offsetIndexOffset = try reader.readI64()
            case (5, .i32): offsetIndexLength = try reader.readI32()
            case (6, .i64): columnIndexOffset = try reader.readI64()
            case (7, .i32): columnIndexLength = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
    }
}
