/// An ordered list of fields: the shape of every row a writer accepts.
public struct Schema: Sendable, Hashable {
    /// The top-level fields, in column order.
    public let fields: [Field]

    /// The leaf columns in file order, one per field for flat schemas.
    let columns: [ColumnDescriptor]

    /// The leaf columns, for producers outside the module that stage values in builders.
    package var leafColumns: [ColumnDescriptor] { columns }

    /// Creates a schema and validates it.
    /// - Parameter fields: The columns; at least one, with unique non-empty names.
    /// - Throws: `ParquetError` with code `.invalidSchema` naming the offending field.
    public init(_ fields: [Field]) throws(ParquetError) {
        guard !fields.isEmpty else {
            throw ParquetError(.invalidSchema, "a schema needs at least one field")
        }
        var seen = Set<String>()
        var columns: [ColumnDescriptor] = []
        columns.reserveCapacity(fields.count)
        for field in fields {
            guard !field.name.isEmpty else {
                throw ParquetError(.invalidSchema, "field names must not be empty")
            }
            guard seen.insert(field.name).inserted else {
                throw ParquetError(.invalidSchema, "duplicate field name '\(field.name)'", column: field.name)
            }
            try Schema.validate(field.type, name: field.name)
            columns.append(ColumnDescriptor(field: field, index: columns.count))
        }
        self.fields = fields
        self.columns = columns
    }

    /// The index of the field called `name`, if there is one.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    private static func validate(_ type: DataType, name: String) throws(ParquetError) {
        switch type {
        case .fixedBinary(let length):
            guard length > 0 && length <= Int(Int32.max) else {
                throw ParquetError(.invalidSchema, "fixed_binary length must be positive, got \(length)", column: name)
            }
        case .decimal(let precision, let scale):
            guard (1...38).contains(precision) else {
                throw ParquetError(.invalidSchema, "decimal precision must be 1...38, got \(precision)", column: name)
            }
            guard (0...precision).contains(scale) else {
                throw ParquetError(
                    .invalidSchema, "decimal scale must be 0...precision (\(precision)), got \(scale)", column: name)
            }
        default:
            break
        }
    }
}
