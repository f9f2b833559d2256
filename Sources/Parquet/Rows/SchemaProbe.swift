/// Derives a schema from a `Decodable` type: runs the type's `init(from:)` against a decoder
/// that makes up values and records what was asked for (the fields a keyed container decodes,
/// in order; the element an unkeyed one decodes; whether `decodeNil` or `decodeIfPresent` was
/// used). Optionals, arrays, sets, dictionaries, the standard library's scalars and
/// ``DerivableColumnValue`` types are known by their type, without running their decoders.
final class SchemaProbe {
    /// How deep types may nest: a recursive type would nest forever.
    static let maximumDepth = 64

    /// What one field turned out to be.
    final class Node {
        enum Shape {
            case unknown
            case leaf(DataType)
            case structure
            case list
            case map(key: DataType)
        }

        var shape = Shape.unknown
        var nullable = false
        /// A struct's fields, in the order they were first decoded.
        var fields: [(name: String, node: Node)] = []
        /// A list's element, a map's value.
        var element: Node?
        /// The Swift type, for messages.
        var typeName = ""

        /// The field named `name`, added when new.
        func field(_ name: String) -> Node {
            if let found = fields.first(where: { $0.name == name }) { return found.node }
            let node = Node()
            fields.append((name, node))
            return node
        }

        /// The list element (or map value).
        func elementNode() -> Node {
            if let element { return element }
            let node = Node()
            element = node
            return node
        }

        /// Records a leaf type.
        /// - Throws: `.invalidSchema` when the node was already given another shape.
        func setLeaf(_ type: DataType) throws(ParquetError) {
            switch shape {
            case .unknown: shape = .leaf(type)
            case .leaf(let existing) where existing == type: break
            default:
                throw ParquetError(.invalidSchema, "'\(typeName)' decodes values of different types in one place")
            }
        }

        /// Records a struct, list or map shape (a leaf or another shape is a conflict).
        func setShape(_ new: Shape) throws(ParquetError) {
            switch (shape, new) {
            case (.unknown, _): shape = new
            case (.structure, .structure), (.list, .list): break
            default:
                throw ParquetError(.invalidSchema, "'\(typeName)' decodes values of different shapes in one place")
            }
        }

        /// The field this node describes.
        func field(named name: String, path: String) throws(ParquetError) -> Field {
            switch shape {
            case .unknown:
                throw ParquetError(
                    .invalidSchema,
                    "cannot tell the column type of '\(path)' (\(typeName)): it decoded no value", column: path)
            case .leaf(let type):
                return Field(name, type, nullable: nullable)
            case .structure:
                guard !fields.isEmpty else {
                    throw ParquetError(
                        .invalidSchema, "'\(path)' (\(typeName)) decodes no fields: a struct column needs one", column: path)
                }
                var children: [Field] = []
                for (childName, child) in fields {
                    children.append(try child.field(named: childName, path: path.isEmpty ? childName : path + "." + childName))
                }
                return Field(name, .struct(fields: children), nullable: nullable)
            case .list:
                let element = try elementNode().field(named: "element", path: path + ".element")
                return Field(name, .list(element: element), nullable: nullable)
            case .map(let key):
                let value = try elementNode().field(named: "value", path: path + ".value")
                return Field(name, .map(key: Field("key", key, nullable: false), value: value), nullable: nullable)
            }
        }
    }

    private var depth = 0

    /// Records what type `T` is into `node` and makes up a value of it.
    /// - Throws: `ParquetError` `.invalidSchema` for a type that cannot be a column (nested too
    ///   deep, a decoder that fails on made-up values, conflicting shapes).
    func probe<T: Decodable>(_ type: T.Type, into node: Node) throws(ParquetError) -> T {
        depth += 1
        defer { depth -= 1 }
        if node.typeName.isEmpty { node.typeName = "\(T.self)" }
        guard depth <= Self.maximumDepth else {
            throw ParquetError(
                .invalidSchema, "'\(T.self)' nests deeper than \(Self.maximumDepth) levels (a recursive type?)")
        }
        if let (leaf, value) = Self.knownLeaf(T.self) {
            try node.setLeaf(leaf)
            return value as! T
        }
        if let optional = T.self as? any ProbedOptional.Type {
            node.nullable = true
            return try optional.probeWrapped(self, node) as! T
        }
        if let sequence = T.self as? any ProbedSequence.Type {
            try node.setShape(.list)
            return try sequence.probeElement(self, node.elementNode()) as! T
        }
        if let dictionary = T.self as? any ProbedDictionary.Type {
            return try dictionary.probeEntries(self, node) as! T
        }
        do {
            return try T(from: SchemaProbeDecoder(probe: self, node: node))
        } catch let error as ParquetError {
            throw error
        } catch {
            // An enum with a raw value decodes its raw value, then fails on the made-up one:
            // its column type is known by then, and a case is at hand when it is CaseIterable.
            if case .leaf = node.shape, let cases = T.self as? any CaseIterable.Type,
               let first = Self.firstCase(cases) as? T {
                return first
            }
            throw ParquetError(
                .invalidSchema,
                "cannot derive a column type for '\(T.self)': its init(from:) fails on made-up values (\(error)); "
                    + "conform it to DerivableColumnValue, make it CaseIterable, or give the schema")
        }
    }

    private static func firstCase<C: CaseIterable>(_ type: C.Type) -> Any? {
        type.allCases.first
    }

    /// The column type and a made-up value of the standard library's scalars and of
    /// ``DerivableColumnValue`` types.
    static func knownLeaf(_ type: Any.Type) -> (DataType, Any)? {
        switch type {
        case is Bool.Type: (.boolean, false)
        case is Int.Type: (.int64, 0 as Int)
        case is Int64.Type: (.int64, 0 as Int64)
        case is Int32.Type: (.int32, 0 as Int32)
        case is Int16.Type: (.int16, 0 as Int16)
        case is Int8.Type: (.int8, 0 as Int8)
        case is UInt.Type: (.uint64, 0 as UInt)
        case is UInt64.Type: (.uint64, 0 as UInt64)
        case is UInt32.Type: (.uint32, 0 as UInt32)
        case is UInt16.Type: (.uint16, 0 as UInt16)
        case is UInt8.Type: (.uint8, 0 as UInt8)
        case is Float.Type: (.float32, 0 as Float)
        case is Double.Type: (.float64, 0 as Double)
        case is String.Type: (.string, "")
        case is [UInt8].Type: (.binary, [UInt8]())
        case let derivable as any DerivableColumnValue.Type: (derivable.derivedColumnType, derivable.derivationPlaceholder)
        default: nil
        }
    }
}

/// `Optional`, probed: its wrapped type, made nullable.
protocol ProbedOptional {
    static func probeWrapped(_ probe: SchemaProbe, _ node: SchemaProbe.Node) throws(ParquetError) -> Any
}

extension Optional: ProbedOptional where Wrapped: Decodable {
    static func probeWrapped(_ probe: SchemaProbe, _ node: SchemaProbe.Node) throws(ParquetError) -> Any {
        _ = try probe.probe(Wrapped.self, into: node)
        return Self.none as Any
    }
}

/// Arrays and sets, probed: a list of their element type.
protocol ProbedSequence {
    static func probeElement(_ probe: SchemaProbe, _ element: SchemaProbe.Node) throws(ParquetError) -> Any
}

extension Array: ProbedSequence where Element: Decodable {
    static func probeElement(_ probe: SchemaProbe, _ element: SchemaProbe.Node) throws(ParquetError) -> Any {
        _ = try probe.probe(Element.self, into: element)
        return [Element]()
    }
}

extension Set: ProbedSequence where Element: Decodable {
    static func probeElement(_ probe: SchemaProbe, _ element: SchemaProbe.Node) throws(ParquetError) -> Any {
        _ = try probe.probe(Element.self, into: element)
        return Set<Element>()
    }
}

/// Dictionaries, probed: a map from their key type (a scalar) to their value type.
protocol ProbedDictionary {
    static func probeEntries(_ probe: SchemaProbe, _ node: SchemaProbe.Node) throws(ParquetError) -> Any
}

extension Dictionary: ProbedDictionary where Key: Decodable, Value: Decodable {
    static func probeEntries(_ probe: SchemaProbe, _ node: SchemaProbe.Node) throws(ParquetError) -> Any {
        let keyNode = SchemaProbe.Node()
        _ = try probe.probe(Key.self, into: keyNode)
        guard case .leaf(let keyType) = keyNode.shape, !keyNode.nullable else {
            throw ParquetError(.invalidSchema, "a dictionary's keys must be a non-optional scalar type, not '\(Key.self)'")
        }
        try node.setShape(.map(key: keyType))
        _ = try probe.probe(Value.self, into: node.elementNode())
        return [Key: Value]()
    }
}
