/// Appending Swift values that describe themselves through `Encodable`: whole rows, or the
/// values of one column of any type (structs, lists and maps at any depth included).
///
/// A row is a struct or class whose coding keys are column names; a struct column takes a
/// type whose coding keys are its field names, a list column any sequence that encodes as an
/// array (`[T]`, `Set<T>`), a map column a `Dictionary` (entries in the dictionary's
/// iteration order). `nil` (or a missing key, as `encodeIfPresent` leaves it) is null. Leaf
/// values take the types ``ColumnValue`` lists, plus anything that encodes a single one of
/// them (an enum with a raw value, a wrapper).
///
/// ```swift
/// struct Address: Encodable { var city: String; var zip: String? }
/// struct Customer: Encodable { var id: Int64; var tags: [String]; var address: Address? }
///
/// var batch = ColumnBatch(schema: schema)
/// try batch.append(rows: customers)
/// try writer.write(batch)
/// ```
extension ColumnBatch {
    /// Appends rows: each value is one row, its keys naming columns.
    ///
    /// Nothing is appended when any row is rejected: the batch is as it was before the call.
    /// - Parameter rows: Values that encode as keyed containers (structs, classes).
    /// - Throws: `ParquetError` naming the column and the row (0-based within `rows`):
    ///   `.invalidRecord` for a key that is not a column (or a field of its struct),
    ///   `.missingValue` for a null or missing non-nullable value, `.typeMismatch` for a value
    ///   of the wrong kind (an array for a struct, text for an integer column), and the leaf
    ///   checks of ``append(_:to:)``.
    public mutating func append<S: Sequence>(rows: S) throws(ParquetError) where S.Element: Encodable {
        try shredding { shredder, row throws(ParquetError) in
            for value in rows {
                try shredder.encodeRow(value)
                row += 1
            }
        }
    }

    /// Appends values to the end of a column of any type.
    ///
    /// Nothing is appended when any value is rejected: the column is as it was before the call.
    /// - Parameters:
    ///   - values: One value per row: for a struct column a type whose keys are the struct's
    ///     field names, for a list a sequence, for a map a dictionary; `nil` is null.
    ///   - column: The top-level column's name.
    /// - Throws: `ParquetError` naming the column and the row (0-based within `values`), as
    ///   ``append(rows:)``.
    public mutating func append<S: Sequence>(encoding values: S, to column: String) throws(ParquetError)
    where S.Element: Encodable {
        guard let index = schema.index(of: column) else {
            throw ParquetError(.invalidSchema, "no column named '\(column)' in the schema", column: column)
        }
        try append(encoding: values, toColumnAt: index)
    }

    /// Appends values to the end of the top-level column at `index` (schema order), of any type.
    /// - Parameters:
    ///   - values: One value per row, as ``append(encoding:to:)``.
    ///   - index: The field's position in `schema.fields`.
    /// - Throws: As ``append(encoding:to:)``.
    public mutating func append<S: Sequence>(encoding values: S, toColumnAt index: Int) throws(ParquetError)
    where S.Element: Encodable {
        guard schema.fields.indices.contains(index) else {
            throw ParquetError(.invalidSchema, "column index \(index) is outside the schema's \(schema.fields.count) fields")
        }
        let node = shape.children[shape.nodes[0].children.lowerBound + index]
        try shredding(leaves: shape.nodes[node].leaves) { shredder, row throws(ParquetError) in
            for value in values {
                try shredder.encodeColumnValue(value, node: node)
                row += 1
            }
        }
    }

    /// Runs `body` with the builders moved into a ``RowShredder``; on a failure rolls the
    /// builders of `leaves` back to where they were and adds the row to the error.
    private mutating func shredding(
        leaves: Range<Int>? = nil, _ body: (RowShredder, inout Int) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        let leaves = leaves ?? builders.indices
        let marks = leaves.map { builders[$0].mark() }
        var row = 0
        var failure: ParquetError?
        let shape = shape
        builders.withUnsafeMutableBufferPointer { builders in
            let shredder = RowShredder(shape: shape, builders: builders)
            do throws(ParquetError) {
                try body(shredder, &row)
            } catch {
                failure = error
            }
        }
        if var failure {
            for (leaf, mark) in zip(leaves, marks) {
                builders[leaf].rollBack(to: mark)
                builders[leaf].pendingRepetitionLevel = 0
            }
            failure.row = row
            throw failure
        }
    }
}
