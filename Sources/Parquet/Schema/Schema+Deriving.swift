extension Schema {
    /// Derives a schema from a Swift type: one column per coding key of `type`, in the order
    /// its `init(from:)` decodes them.
    ///
    /// Types map to columns as ``ColumnBatch/append(rows:)`` writes them: `Int` and `Int64` to
    /// int64, `Int32` to int32 (and so on for every fixed-width integer, unsigned ones to
    /// uint*), `Double` to float64, `Float` to float32, `Bool` to boolean, `String` to string,
    /// `[UInt8]` to binary, ``DerivableColumnValue`` types to their own column type; arrays
    /// and sets to lists, dictionaries to maps, other `Decodable` types to structs. An
    /// `Optional` (or a field decoded with `decodeIfPresent`) is nullable; everything else is
    /// not. An enum with a raw value takes its raw value's type when it is `CaseIterable`.
    ///
    /// ```swift
    /// struct Order: Codable { var id: Int64; var items: [Item]; var note: String? }
    /// let schema = try Schema(deriving: Order.self)
    /// // id: int64 not null, items: list<struct<...> not null> not null, note: string
    /// ```
    /// - Parameter type: A struct or class decoded from a keyed container.
    /// - Throws: `ParquetError` `.invalidSchema` when the type is not a keyed container, nests
    ///   deeper than 64 levels, decodes a field whose type cannot be told (an `init(from:)`
    ///   that fails on made-up values), or makes an invalid schema.
    public init<T: Decodable>(deriving type: T.Type) throws(ParquetError) {
        let root = SchemaProbe.Node()
        _ = try SchemaProbe().probe(type, into: root)
        guard case .structure = root.shape, !root.nullable else {
            throw ParquetError(
                .invalidSchema, "a row type must decode from a keyed container (a struct or class with fields), not '\(T.self)'")
        }
        var fields: [Field] = []
        for (name, node) in root.fields {
            fields.append(try node.field(named: name, path: name))
        }
        try self.init(fields)
    }
}
