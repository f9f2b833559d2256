/// One named column of a schema.
public struct Field: Sendable, Hashable {
    /// The column name as readers will show it.
    public var name: String
    /// The column's type.
    public var type: DataType
    /// Whether the column may hold nulls (Parquet OPTIONAL) or not (REQUIRED).
    public var nullable: Bool

    /// Creates a field.
    /// - Parameters:
    ///   - name: The column name; non-empty and unique within the schema.
    ///   - type: The column's type.
    ///   - nullable: Whether nulls are allowed; true by default, as in Arrow.
    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}
