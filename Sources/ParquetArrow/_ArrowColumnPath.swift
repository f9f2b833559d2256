import Parquet

/// How one leaf column is reached in an Arrow record batch: the arrays from the top-level
/// column down to the leaf, with the Parquet levels each adds, and how the leaf's values
/// convert. Emitting a row walks this path only (the Dremel shredding of one column), so
/// every leaf is filled independently of its siblings.
struct _ArrowColumnPath {
    /// How a node reaches the next one.
    enum Step {
        case leaf
        /// A struct (or a map's entries): the next node is child `index`, at the same slot.
        case structChild(Int)
        /// A list or map: the next node holds the elements, found through offsets.
        case list(large: Bool)
        case fixedSizeList(Int)
    }

    struct Node {
        let view: ArrowArrayView
        let step: Step
        /// Whether the Parquet node is optional: present, it adds a definition level.
        let optional: Bool
        /// For list steps: the repetition level of every element after a list's first.
        let repetition: UInt8
        /// The dotted path, for messages.
        let path: String
    }

    var nodes: [Node]
    let conversion: _ArrowConversion
    /// The values of a dictionary-encoded leaf (its indices are the last node's array).
    let dictionary: ArrowArrayView?

    /// The leaf's array: where values are read (the dictionary's values when encoded).
    var leaf: ArrowArrayView { dictionary ?? nodes[nodes.count - 1].view }

    /// The paths of every leaf under `target`, in schema order.
    /// - Parameters:
    ///   - target: The writer's field.
    ///   - view: The Arrow array for it.
    ///   - path: The field's dotted path.
    ///   - prefix: The nodes above (empty for a top-level field).
    ///   - repetition: The repetition level of the lists above.
    ///   - paths: Where the paths go.
    /// - Throws: `ParquetError` `.typeMismatch`/`.invalidSchema` naming the field when the
    ///   Arrow field's shape or type does not fit the writer's.
    static func collect(
        _ target: Field, _ view: ArrowArrayView, path: String, prefix: [Node], repetition: UInt8,
        into paths: inout [_ArrowColumnPath]
    ) throws(ParquetError) {
        let arrow = view.field
        func shapeMismatch() -> ParquetError {
            ParquetError(
                .typeMismatch, "the Arrow type \(arrow.valueType.name) cannot be written to the \(target.type.name) column '\(path)'",
                column: path)
        }
        if target.type.isNested && arrow.dictionary != nil {
            throw ParquetError(
                .typeMismatch, "the Arrow field '\(path)' is a dictionary of \(arrow.valueType.name); only leaf values may be dictionary-encoded",
                column: path)
        }
        if case .null = arrow.type, target.type.isNested {
            // A null-type array (what producers give an all-null column) for a list, struct or
            // map column: every leaf below is null at this node, which emits before reading
            // anything else (see isNull), so one path per leaf stops here.
            let node = Node(view: view, step: .leaf, optional: target.nullable, repetition: 0, path: path)
            for _ in 0..<leafCount(target.type) {
                paths.append(_ArrowColumnPath(nodes: prefix + [node], conversion: .nulls, dictionary: nil))
            }
            return
        }
        switch target.type {
        case .struct(let fields):
            guard case .struct = arrow.type else { throw shapeMismatch() }
            try checkNames(fields, arrow.children, path: path)
            for field in fields {
                let index = arrow.children.firstIndex { $0.name == field.name }!
                let node = Node(view: view, step: .structChild(index), optional: target.nullable, repetition: 0, path: path)
                try collect(
                    field, view.children[index], path: path + "." + field.name, prefix: prefix + [node],
                    repetition: repetition, into: &paths)
            }
        case .list(let element):
            let step: Step
            switch arrow.type {
            case .list(let large): step = .list(large: large)
            case .fixedSizeList(let size): step = .fixedSizeList(size)
            default: throw shapeMismatch()
            }
            let node = Node(view: view, step: step, optional: target.nullable, repetition: repetition + 1, path: path)
            try collect(
                element, view.children[0], path: path + ".element", prefix: prefix + [node],
                repetition: repetition + 1, into: &paths)
        case .map(let key, let value):
            guard case .map = arrow.type else { throw shapeMismatch() }
            let entries = view.children[0]
            let node = Node(view: view, step: .list(large: false), optional: target.nullable, repetition: repetition + 1, path: path)
            for (index, field) in [key, value].enumerated() {
                let entry = Node(view: entries, step: .structChild(index), optional: false, repetition: 0, path: path)
                try collect(
                    field, entries.children[index], path: path + "." + field.name, prefix: prefix + [node, entry],
                    repetition: repetition + 1, into: &paths)
            }
        default:
            switch arrow.valueType {
            case .list, .fixedSizeList, .struct, .map: throw shapeMismatch()
            default: break
            }
            let conversion = try _ArrowConversion(from: arrow.valueType, to: target.type, path: path)
            let node = Node(view: view, step: .leaf, optional: target.nullable, repetition: 0, path: path)
            paths.append(_ArrowColumnPath(nodes: prefix + [node], conversion: conversion, dictionary: view.dictionary?.view))
        }
    }

    /// The leaf columns under a column of type `type`.
    private static func leafCount(_ type: DataType) -> Int {
        switch type {
        case .struct(let fields): fields.reduce(0) { $0 + leafCount($1.type) }
        case .list(let element): leafCount(element.type)
        case .map(let key, let value): leafCount(key.type) + leafCount(value.type)
        default: 1
        }
    }

    /// The Arrow fields of a struct must be the writer's, by name (order may differ).
    static func checkNames(_ fields: [Field], _ arrow: [ArrowField], path: String?) throws(ParquetError) {
        let prefix = path.map { $0 + "." } ?? ""
        for field in fields where !arrow.contains(where: { $0.name == field.name }) {
            throw ParquetError(
                .invalidSchema, "the Arrow data has no field '\(prefix + field.name)' of the writer's schema",
                column: prefix + field.name)
        }
        var seen = Set<String>()
        for child in arrow {
            guard fields.contains(where: { $0.name == child.name }) else {
                throw ParquetError(
                    .invalidSchema, "the Arrow field '\(prefix + child.name)' is not in the writer's schema",
                    column: prefix + child.name)
            }
            guard seen.insert(child.name).inserted else {
                throw ParquetError(
                    .invalidSchema, "the Arrow data has the field '\(prefix + child.name)' more than once",
                    column: prefix + child.name)
            }
        }
    }

    // MARK: Emitting

    /// Appends the levels and values of top-level slot `row` of this column.
    /// - Throws: `ParquetError` for a null in a required field, a value the column rejects,
    ///   or a dictionary index out of range (the builder may hold part of the row: callers
    ///   roll back).
    func emit(row: Int, into builder: inout ColumnBuilder) throws(ParquetError) {
        try visit(0, index: row, definition: 0, repetition: 0, into: &builder)
    }

    private func visit(
        _ depth: Int, index: Int, definition: UInt8, repetition: UInt8, into builder: inout ColumnBuilder
    ) throws(ParquetError) {
        let node = nodes[depth]
        let position = node.view.offset &+ index
        if try isNull(node, at: position) {
            guard node.optional else {
                throw ParquetError(.missingValue, "null in the non-nullable field '\(node.path)'", column: node.path)
            }
            builder.appendAbsent(definition: definition, repetition: repetition)
            return
        }
        let present = node.optional ? definition &+ 1 : definition
        switch node.step {
        case .leaf:
            builder.pendingRepetitionLevel = repetition
            if let dictionary {
                let value = dictionary.offset + Int(node.view.integer(at: position))
                try conversion.store(dictionary, at: value, into: &builder)
            } else {
                try conversion.store(node.view, at: position, into: &builder)
            }
        case .structChild:
            try visit(depth + 1, index: position, definition: present, repetition: repetition, into: &builder)
        case .list(let large):
            let (start, end) = node.view.range(at: position, large: large)
            try visitElements(depth, start..<end, present, repetition, node.repetition, into: &builder)
        case .fixedSizeList(let size):
            try visitElements(depth, position * size..<(position + 1) * size, present, repetition, node.repetition, into: &builder)
        }
    }

    /// A list's elements: the first continues the enclosing repetition, the rest repeat at
    /// the list's level; an empty list is one slot with no value.
    private func visitElements(
        _ depth: Int, _ elements: Range<Int>, _ present: UInt8, _ repetition: UInt8, _ listRepetition: UInt8,
        into builder: inout ColumnBuilder
    ) throws(ParquetError) {
        guard !elements.isEmpty else {
            builder.appendAbsent(definition: present, repetition: repetition)
            return
        }
        var level = repetition
        for element in elements {
            try visit(depth + 1, index: element, definition: present &+ 1, repetition: level, into: &builder)
            level = listRepetition
        }
    }

    /// Whether the slot is null: its validity bit, a null-type array, or (for a dictionary
    /// leaf) a null dictionary value.
    @inline(__always)
    private func isNull(_ node: Node, at position: Int) throws(ParquetError) -> Bool {
        if case .null = node.view.type { return true }
        if !node.view.isValid(position) { return true }
        guard case .leaf = node.step, let dictionary else { return false }
        let index = node.view.integer(at: position)
        guard index >= 0 && index < Int128(dictionary.length) else {
            throw ParquetError(
                .invalidArrow, "the dictionary index \(index) of '\(node.path)' is outside its \(dictionary.length) values",
                column: node.path)
        }
        if case .null = dictionary.type { return true }
        return !dictionary.isValid(dictionary.offset + Int(index))
    }
}
