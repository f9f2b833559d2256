/// The file footer (`FileMetaData`).
///
/// Encryption fields (8, 9) are skipped when reading and never written.
public struct FileMetaData: ThriftCodable, Sendable, Hashable {
    /// The format version; writers should use 1 (field 1).
    public var version: Int32
    /// The flattened schema, root first (field 2).
    public var schema: [SchemaElement]
    /// The total number of rows (field 3).
    public var numRows: Int64
    /// The row groups (field 4).
    public var rowGroups: [RowGroup]
    /// Free-form metadata such as an Arrow schema (field 5).
    public var keyValueMetadata: [KeyValue]?
    /// The writing application, "name version x (build y)" (field 6).
    public var createdBy: String?
    /// One sort order per leaf column; needed for min/max statistics to be trusted (field 7).
    public var columnOrders: [ColumnOrder]?

    /// Creates a footer.
    /// - Parameters:
    ///   - version: The format version.
    ///   - schema: The flattened schema.
    ///   - numRows: Total rows.
    ///   - rowGroups: The row groups.
    ///   - keyValueMetadata: Free-form metadata.
    ///   - createdBy: The writing application.
    ///   - columnOrders: Per-leaf sort orders.
    public init(
        version: Int32 = 1,
        schema: [SchemaElement],
        numRows: Int64,
        rowGroups: [RowGroup],
        keyValueMetadata: [KeyValue]? = nil,
        createdBy: String? = nil,
        columnOrders: [ColumnOrder]? = nil
    ) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, i32: version)
        writer.writeField(2, structList: schema)
        writer.writeField(3, i64: numRows)
        writer.writeField(4, structList: rowGroups)
        if let keyValueMetadata { writer.writeField(5, structList: keyValueMetadata) }
        if let createdBy { writer.writeField(6, string: createdBy) }
        if let columnOrders { writer.writeField(7, structList: columnOrders) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown and encryption fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        var keyValueMetadata: [KeyValue]?
        var createdBy: String?
        var columnOrders: [ColumnOrder]?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): version = try reader.readI32()
            case (2, .list): schema = try reader.readStructList()
            case (3, .i64): numRows = try reader.readI64()
            case (4, .list): rowGroups = try reader.readStructList()
            case (5, .list): keyValueMetadata = try reader.readStructList()
            case (6, .binary): createdBy = try reader.readString()
            case (7, .list): columnOrders = try reader.readStructList()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            version: try requireField(version, "FileMetaData", "version"),
            schema: try requireField(schema, "FileMetaData", "schema"),
            numRows: try requireField(numRows, "FileMetaData", "num_rows"),
            rowGroups: try requireField(rowGroups, "FileMetaData", "row_groups"),
            keyValueMetadata: keyValueMetadata,
            createdBy: createdBy,
            columnOrders: columnOrders
        )
    }
}
