/// An ordered list of fields: the shape of every row a writer accepts.
public struct Schema: Sendable, Hashable {
    /// The top-level fields, in column order.
    public let fields: [Field]

    /// The leaf columns in file order, one per field for flat schemas.
    let columns: [ColumnDescriptor]

    /// The leaf columns, for producers outside the module that stage values in builders.
    package var leafColumns: [ColumnDescriptor] { columns }

    /// Creates a schema and validates it.
    /// - Parameter fields: The columns; at least one, with unique non-empty names at every level.
    /// - Throws: `ParquetError` with code `.invalidSchema` naming the offending field.
    public init(_ fields: [Field]) throws(ParquetError) {
        guard !fields.isEmpty else {
            throw ParquetError(.invalidSchema, "a schema needs at least one field")
        }
        try Schema.validateNames(fields, parent: nil)
        var columns: [ColumnDescriptor] = []
        columns.reserveCapacity(fields.count)
        for field in fields {
            try Schema.appendLeaves(of: field, path: [], definition: 0, repetition: 0, to: &columns)
        }
        self.fields = fields
        self.columns = columns
    }

    /// The leaf index of top-level field `index` when that field is a leaf (flat), else nil.
    package func leafIndex(ofField index: Int) -> Int? {
        guard fields.indices.contains(index), !fields[index].type.isNested else { return nil }
        return columns.firstIndex { $0.path.count == 1 && $0.path[0] == fields[index].name }
    }

    /// The deepest nesting accepted: levels are stored in bytes, and no reader needs more.
    static let maximumLevel = 250

    private static func validateNames(_ fields: [Field], parent: String?) throws(ParquetError) {
        var seen = Set<String>()
        for field in fields {
            let path = parent.map { "\($0).\(field.name)" } ?? field.name
            guard !field.name.isEmpty else {
                throw ParquetError(.invalidSchema, "field names must not be empty", column: parent)
            }
            guard seen.insert(field.name).inserted else {
                throw ParquetError(.invalidSchema, "duplicate field name '\(field.name)'", column: path)
            }
        }
    }

    /// Walks `field` depth-first, adding a descriptor per leaf with its path and levels.
    ///
    /// Levels follow the Dremel encoding: every optional node adds a definition level, every
    /// repeated node (a list's `list` group, a map's `key_value` group) adds a definition and
    /// a repetition level.
    private static func appendLeaves(
        of field: Field, path: [String], definition: Int, repetition: Int, to columns: inout [ColumnDescriptor]
    ) throws(ParquetError) {
        let path = path + [field.name]
        let name = path.joined(separator: ".")
        let definition = definition + (field.nullable ? 1 : 0)
        guard definition + 1 <= maximumLevel && repetition + 1 <= maximumLevel else {
            throw ParquetError(.invalidSchema, "nesting deeper than \(maximumLevel) levels", column: name)
        }
        switch field.type {
        case .struct(let children):
            guard !children.isEmpty else {
                throw ParquetError(.invalidSchema, "a struct needs at least one field", column: name)
            }
            try validateNames(children, parent: name)
            for child in children {
                try appendLeaves(of: child, path: path, definition: definition, repetition: repetition, to: &columns)
            }
        case .list(let element):
            var element = element
            element.name = "element"
            try appendLeaves(
                of: element, path: path + ["list"], definition: definition + 1, repetition: repetition + 1, to: &columns)
        case .map(let key, let value):
            guard !key.nullable else {
                throw ParquetError(.invalidSchema, "map keys cannot be nullable", column: name)
            }
            guard !key.type.isNested else {
                throw ParquetError(.invalidSchema, "map keys must be a primitive type, not \(key.type.name)", column: name)
            }
            var key = key
            var value = value
            key.name = "key"
            value.name = "value"
            let inner = path + ["key_value"]
            try appendLeaves(of: key, path: inner, definition: definition + 1, repetition: repetition + 1, to: &columns)
            try appendLeaves(of: value, path: inner, definition: definition + 1, repetition: repetition + 1, to: &columns)
        default:
            try validate(field.type, name: name)
            columns.append(ColumnDescriptor(
                path: path, type: field.type, nullable: field.nullable, index: columns.count,
                maxDefinitionLevel: definition, maxRepetitionLevel: repetition))
        }
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
