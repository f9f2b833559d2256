/// One named column of a schema.
public struct Field: Sendable, Hashable {
    /// The column name as readers will show it.
    public var name: String
    /// The column's type.
    public var type: DataType
    /// Whether the column may hold nulls (Parquet OPTIONAL) or not (REQUIRED).
    public var nullable: Bool
    /// The field's id, written as the schema element's `field_id`: how Iceberg (and Delta
    /// with column mapping) tell columns apart across renames. Nil writes none; ids are at
    /// least 0 and unique within a schema.
    public var fieldID: Int32?
    /// How the column's values are encoded; nil lets the writer choose (dictionary while it
    /// pays, else PLAIN). Only leaf fields take one, and only one their type allows (see
    /// ``ColumnEncoding``).
    public var encoding: ColumnEncoding?

    /// Creates a field.
    /// - Parameters:
    ///   - name: The column name; non-empty and unique within the schema.
    ///   - type: The column's type.
    ///   - nullable: Whether nulls are allowed; true by default, as in Arrow.
    ///   - fieldID: The field id written to the file, nil for none.
    ///   - encoding: The values' encoding, nil for the writer's choice.
    public init(
        _ name: String, _ type: DataType, nullable: Bool = true, fieldID: Int32? = nil, encoding: ColumnEncoding? = nil
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.fieldID = fieldID
        self.encoding = encoding
    }
}
