import Parquet

extension Schema {
    /// The default name of the column that holds unknown keys under `unknown_keys: collect`.
    public static let defaultUnknownKeysColumn = "_unknown"

    /// The schema with the collect column of `unknown_keys: collect` appended: a nullable json
    /// column holding each record's unknown top-level members as one JSON object.
    ///
    /// Last, so that the decoder finds it without a name lookup and the columns the records
    /// name keep their order.
    /// - Parameter name: The column's name.
    /// - Returns: The schema with the column.
    /// - Throws: `ParquetError` `.invalidOptions` when a field already has the name.
    public func addingUnknownKeysColumn(named name: String) throws(ParquetError) -> Schema {
        guard !fields.contains(where: { $0.name == name }) else {
            throw ParquetError(
                .invalidOptions,
                "'unknown_keys_column' '\(name)' is already a field of the schema; name the collect column otherwise",
                column: name)
        }
        return try Schema(fields + [Field(name, .json, nullable: true)])
    }
}
