import ParquetThrift

/// An ordered list of fields: the shape of every row a writer accepts.
public struct Schema: Sendable, Hashable {
    /// The top-level fields, in column order.
    public let fields: [Field]

    /// The leaf columns in file order, one per field for flat schemas.
    let columns: [ColumnDescriptor]

    /// The leaf columns, for producers outside the module that stage values in builders.
    package var leafColumns: [ColumnDescriptor] { columns }

    /// The flattened schema a footer stores (see ``thriftElements(of:columns:)``).
    let thriftElements: [SchemaElement]

    /// For each top-level field, its leaf column's index when it is a leaf, else nil.
    private let fieldLeaves: [Int?]
    /// Each top-level field's position, by name (lookups stay O(1) for schemas of thousands
    /// of columns).
    private let fieldPositions: [String: Int]

    /// Creates a schema and validates it.
    /// - Parameter fields: The columns; at least one, with unique non-empty names at every level.
    /// - Throws: `ParquetError` with code `.invalidSchema` naming the offending field.
    public init(_ fields: [Field]) throws(ParquetError) {
        guard !fields.isEmpty else {
            throw ParquetError(.invalidSchema, "a schema needs at least one field")
        }
        try Schema.validateNames(fields, parent: nil)
        var fieldIDs: [Int32: String] = [:]
        for field in fields { try Schema.validateFieldIDs(of: field, path: field.name, seen: &fieldIDs) }
        var columns: [ColumnDescriptor] = []
        columns.reserveCapacity(fields.count)
        var fieldLeaves: [Int?] = []
        fieldLeaves.reserveCapacity(fields.count)
        var fieldPositions: [String: Int] = [:]
        fieldPositions.reserveCapacity(fields.count)
        for (position, field) in fields.enumerated() {
            fieldLeaves.append(field.type.isNested ? nil : columns.count)
            fieldPositions[field.name] = position
            try Schema.appendLeaves(of: field, path: [], definition: 0, repetition: 0, to: &columns)
        }
        self.fields = fields
        self.columns = columns
        self.thriftElements = Schema.thriftElements(of: fields, columns: columns)
        self.fieldLeaves = fieldLeaves
        self.fieldPositions = fieldPositions
    }

    /// The leaf index of top-level field `index` when that field is a leaf (flat), else nil.
    package func leafIndex(ofField index: Int) -> Int? {
        fieldLeaves.indices.contains(index) ? fieldLeaves[index] : nil
    }

    /// The most schema elements a leaf's path may have below the root (a list adds two: its
    /// `list` group and `element`; a map two: `key_value` and `key`/`value`; a struct one).
    ///
    /// Arrow C++ (so pyarrow, and whatever embeds it) refuses to open a file whose schema is
    /// deeper ("Parquet schema too deeply nested"): measured with pyarrow 26, a path of 99
    /// elements opens and one of 100 does not (49 nested lists open, 50 do not; 98 nested
    /// structs open, 99 do not). A file no common reader opens is refused when the writer is
    /// created instead. It also keeps every level below 100, well inside the byte that levels
    /// are stored in.
    public static let maximumDepth = 99

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

    /// Checks that field ids are at least 0 and that no two fields share one, at any depth
    /// (Iceberg resolves columns by id; a repeated id would make two columns one).
    private static func validateFieldIDs(of field: Field, path: String, seen: inout [Int32: String]) throws(ParquetError) {
        if let id = field.fieldID {
            guard id >= 0 else {
                throw ParquetError(.invalidSchema, "field ids must be at least 0, got \(id)", column: path)
            }
            if let other = seen.updateValue(path, forKey: id) {
                throw ParquetError(.invalidSchema, "field id \(id) is used by both '\(other)' and '\(path)'", column: path)
            }
        }
        switch field.type {
        case .struct(let members):
            for member in members { try validateFieldIDs(of: member, path: "\(path).\(member.name)", seen: &seen) }
        case .list(let element):
            try validateFieldIDs(of: element, path: "\(path).element", seen: &seen)
        case .map(let key, let value):
            try validateFieldIDs(of: key, path: "\(path).key", seen: &seen)
            try validateFieldIDs(of: value, path: "\(path).value", seen: &seen)
        default:
            break
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
        guard path.count <= maximumDepth else {
            throw ParquetError(
                .invalidSchema,
                "nested deeper than \(maximumDepth) schema levels (each list or map adds two, a struct one); "
                    + "readers built on Arrow C++ refuse such files",
                column: name)
        }
        if let encoding = field.encoding {
            guard !field.type.isNested else {
                throw ParquetError(
                    .invalidSchema,
                    "encoding '\(encoding.rawValue)' applies to leaf fields, not to a \(field.type.name); "
                        + "set it on the \(field.type.name)'s leaf fields",
                    column: name)
            }
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
            var column = ColumnDescriptor(
                path: path, type: field.type, nullable: field.nullable, index: columns.count,
                maxDefinitionLevel: definition, maxRepetitionLevel: repetition)
            if let encoding = field.encoding {
                guard encoding.applies(to: column.storage) else {
                    throw ParquetError(
                        .invalidSchema,
                        "encoding '\(encoding.rawValue)' does not apply to type \(field.type.name) "
                            + "(stored as \(column.storage.physicalName)); it takes: "
                            + ColumnEncoding.allCases.filter { $0.applies(to: column.storage) }.map(\.rawValue)
                            .joined(separator: ", "),
                        column: name)
                }
                column.encoding = encoding
            }
            columns.append(column)
        }
    }

    /// Schemas are equal when their fields are: everything else is derived from them.
    public static func == (lhs: Schema, rhs: Schema) -> Bool { lhs.fields == rhs.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

    /// The index of the field called `name`, if there is one.
    public func index(of name: String) -> Int? {
        fieldPositions[name]
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
