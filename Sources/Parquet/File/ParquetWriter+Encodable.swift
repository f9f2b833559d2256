extension ParquetWriter {
    /// Writes rows from Swift values: each value is one row, its coding keys naming columns
    /// (see ``ColumnBatch/append(rows:)`` for how values map to columns).
    ///
    /// The rows are staged in a batch the writer keeps (its buffers are reused by the next
    /// call), then written as ``write(_:)`` does: memory grows with the rows of one call, so
    /// hand over a large dataset in slices.
    ///
    /// ```swift
    /// struct Order: Codable { var id: Int64; var items: [String] }
    /// let writer = try ParquetWriter(path: "orders.parquet", schema: Schema(deriving: Order.self))
    /// try writer.write(rows: orders)
    /// try writer.close()
    /// ```
    /// - Parameter rows: Values that encode as keyed containers (structs, classes).
    /// - Throws: `ParquetError`: a rejected row (nothing of this call is written, the writer
    ///   stays usable), or a failure of ``write(_:)``.
    public func write<S: Sequence>(rows: S) throws(ParquetError) where S.Element: Encodable {
        var batch = rowBatch ?? ColumnBatch(schema: schema)
        rowBatch = nil
        batch.removeAll()
        defer {
            batch.removeAll()
            rowBatch = batch
        }
        try batch.append(rows: rows)
        try write(batch)
    }
}
