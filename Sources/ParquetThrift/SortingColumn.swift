/// The sort order of one column within a row group (`SortingColumn`).
public struct SortingColumn: ThriftCodable, Sendable, Hashable {
    /// The index of the leaf column in the row group (field 1).
    public var columnIndex: Int32
    /// Whether the column is sorted in descending order (field 2).
    public var descending: Bool
    /// Whether nulls sort before non-null values (field 3).
    public var nullsFirst: Bool

    /// Creates a sorting column.
    /// - Parameters:
    ///   - columnIndex: The leaf column's index.
    ///   - descending: Descending rather than ascending.
    ///   - nullsFirst: Nulls before values.
    public init(columnIndex: Int32, descending: Bool, nullsFirst: Bool) {
        self.columnIndex = columnIndex
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, i32: columnIndex)
        writer.writeField(2, bool: descending)
        writer.writeField(3, bool: nullsFirst)
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var columnIndex: Int32?
        var descending: Bool?
        var nullsFirst: Bool?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): columnIndex = try reader.readI32()
            case (2, .bool): descending = try reader.readBool()
            case (3, .bool): nullsFirst = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            columnIndex: try requireField(columnIndex, "SortingColumn", "column_idx"),
            descending: try requireField(descending, "SortingColumn", "descending"),
            nullsFirst: try requireField(nullsFirst, "SortingColumn", "nulls_first")
        )
    }
}
