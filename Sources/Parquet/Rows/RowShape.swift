/// A schema's fields as a tree of nodes with their Dremel levels, digested once so that
/// shredding a Swift value (``RowShredder``) looks levels and children up by index.
///
/// Node 0 is the row itself: a required struct of the top-level fields at levels 0. Every
/// other node is a field; a node's leaves are a contiguous range of leaf columns.
final class RowShape: Sendable {
    /// What a node holds.
    enum Kind: UInt8, Sendable {
        case leaf, structure, list, map
    }

    /// One field (or the row).
    struct Node: Sendable {
        var kind: Kind
        var nullable: Bool
        /// The definition level when the node is present (not null).
        var definition: UInt8
        /// For a list or map, the repetition level of its repeated group; otherwise the level
        /// of the enclosing list or map.
        var repetition: UInt8
        /// The leaf column of a leaf node, else -1.
        var leaf: Int
        /// Struct fields in schema order, a list's element, a map's key and value.
        var children: Range<Int>
        /// The leaf columns under the node.
        var leaves: Range<Int>
    }

    let nodes: [Node]
    /// Node indices of children, each node's contiguous (``Node/children`` ranges over it).
    let children: [Int]
    /// Each node's field name (a struct field's key; "" for the row).
    let names: [String]
    /// Each node's dotted column path, for messages (`tags.list.element`, `addr.city`).
    let paths: [String]
    /// The most struct, list and map nodes on one path from the row to a leaf, the row
    /// included: the deepest a stack of open containers can be.
    let depth: Int
    /// Each node's type (nil for the row).
    private let types: [DataType?]

    /// Digests `schema`.
    init(_ schema: Schema) {
        var builder = Builder()
        let root = builder.reserve(name: "", path: "", type: nil)
        var leaf = 0
        var kids: [Int] = []
        for field in schema.fields {
            kids.append(builder.add(field, path: field.name, parentDefinition: 0, repetition: 0, leaf: &leaf))
        }
        builder.finish(root, kind: .structure, nullable: false, definition: 0, repetition: 0, leaf: -1, kids: kids, leaves: 0..<leaf)
        nodes = builder.nodes
        children = builder.children
        names = builder.names
        paths = builder.paths
        types = builder.types
        var deepest = 1
        var depths = [Int](repeating: 0, count: nodes.count)
        depths[0] = 1
        for (index, node) in nodes.enumerated() where node.kind != .leaf {
            for position in node.children where nodes[children[position]].kind != .leaf {
                depths[children[position]] = depths[index] + 1
                deepest = Swift.max(deepest, depths[index] + 1)
            }
        }
        depth = deepest
    }

    /// The node as messages name it: "a row", or "the list column 'tags'".
    func describe(_ node: Int) -> String {
        guard node != 0, let type = types[node] else { return "a row" }
        return "the \(type.name) column '\(paths[node])'"
    }

    /// The child of struct node `node` named `name`, trying the `expected`-th child first
    /// (fields are usually encoded in schema order).
    /// - Returns: The child's position among the node's children, or nil.
    @inline(__always)
    func child(of node: Node, named name: String, expected: Int) -> Int? {
        let count = node.children.count
        if expected < count && names[children[node.children.lowerBound + expected]] == name { return expected }
        for position in 0..<count where names[children[node.children.lowerBound + position]] == name {
            return position
        }
        return nil
    }

    /// Collects the nodes depth-first.
    private struct Builder {
        var nodes: [Node] = []
        var children: [Int] = []
        var names: [String] = []
        var paths: [String] = []
        var types: [DataType?] = []

        mutating func reserve(name: String, path: String, type: DataType?) -> Int {
            nodes.append(Node(kind: .leaf, nullable: true, definition: 0, repetition: 0, leaf: -1, children: 0..<0, leaves: 0..<0))
            names.append(name)
            paths.append(path)
            types.append(type)
            return nodes.count - 1
        }

        mutating func finish(
            _ index: Int, kind: Kind, nullable: Bool, definition: Int, repetition: Int, leaf: Int, kids: [Int],
            leaves: Range<Int>
        ) {
            let start = children.count
            children += kids
            nodes[index] = Node(
                kind: kind, nullable: nullable, definition: UInt8(definition), repetition: UInt8(repetition), leaf: leaf,
                children: start..<children.count, leaves: leaves)
        }

        /// Adds `field` and its descendants (levels as `Schema` assigns them to leaves).
        /// - Returns: The field's node index.
        mutating func add(_ field: Field, path: String, parentDefinition: Int, repetition: Int, leaf: inout Int) -> Int {
            let definition = parentDefinition + (field.nullable ? 1 : 0)
            let index = reserve(name: field.name, path: path, type: field.type)
            let firstLeaf = leaf
            var kids: [Int] = []
            var kind = Kind.leaf
            var ownRepetition = repetition
            var leafColumn = -1
            switch field.type {
            case .struct(let fields):
                kind = .structure
                for child in fields {
                    kids.append(add(child, path: path + "." + child.name, parentDefinition: definition, repetition: repetition, leaf: &leaf))
                }
            case .list(let element):
                kind = .list
                ownRepetition = repetition + 1
                kids.append(
                    add(element, path: path + ".list.element", parentDefinition: definition + 1, repetition: ownRepetition,
                        leaf: &leaf))
            case .map(let key, let value):
                kind = .map
                ownRepetition = repetition + 1
                kids.append(
                    add(key, path: path + ".key_value.key", parentDefinition: definition + 1, repetition: ownRepetition,
                        leaf: &leaf))
                kids.append(
                    add(value, path: path + ".key_value.value", parentDefinition: definition + 1, repetition: ownRepetition,
                        leaf: &leaf))
            default:
                leafColumn = leaf
                leaf += 1
            }
            finish(
                index, kind: kind, nullable: field.nullable, definition: definition, repetition: ownRepetition,
                leaf: leafColumn, kids: kids, leaves: firstLeaf..<leaf)
            return index
        }
    }
}
