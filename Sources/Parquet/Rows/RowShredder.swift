/// Writes Swift values into column builders as Dremel levels and values: the engine behind
/// ``ColumnBatch/append(rows:)`` and ``ColumnBatch/append(encoding:to:)``.
///
/// A value describes itself through `Encodable`: a struct or class asks for a keyed
/// container, an array for an unkeyed one, an optional or a scalar for a single value. The
/// shredder follows the schema alongside: each container is a *frame* on a stack, naming the
/// schema node it fills and the repetition level of its first slot. `Encoder` has no "end of
/// container" call, so a frame is finished (missing struct fields made null, an empty list
/// recorded) when the value that opened it returns from `encode(to:)`, or, for a nested
/// container, before its parent is written to next.
///
/// The checks are the JSON path's: a null or missing value for a non-nullable field, a field
/// that is not in the schema, a field given twice, a value of the wrong kind for its column
/// (an integer for a struct, an array for a map of strings) and every leaf check of
/// ``ColumnBuilder`` (ranges, UTF-8, decimal digits) throw `ParquetError` naming the column.
final class RowShredder {
    /// One container being filled.
    struct Frame {
        /// The schema node (struct, list or map) the container fills.
        var node: Int
        /// The repetition level of the container's first slot.
        var repetition: UInt8
        /// Tells this frame from a later one at the same depth (a container kept past its
        /// value is refused), and marks the struct fields it has written in ``seen``.
        var stamp: UInt32
        /// Struct fields, list elements, map entries written (an unkeyed map counts keys and
        /// values separately).
        var count = 0
        /// Whether a container was asked for (or the value was null).
        var opened = false
        /// Whether the value was null.
        var null = false
        /// Whether an unkeyed container fills a map (keys and values alternating).
        var alternating = false
    }

    /// Counters and flags that change on every value.
    struct State {
        /// Frames in use (``frames`` holds them, outermost first).
        var frameCount = 0
        var nextStamp: UInt32 = 0
        /// Whether ``deferred`` holds a failure.
        var failed = false
    }

    // Everything written per value lives behind pointers the shredder allocated (or, for the
    // builders, was lent): stored `var`s of a class would pay a dynamic exclusivity check on
    // every access, which measured as a quarter of the shredding time.
    let shape: RowShape
    /// The batch's builders, one per leaf column, lent for the call.
    let builders: UnsafeMutableBufferPointer<ColumnBuilder>
    /// ``RowShape/nodes`` and ``RowShape/children``, copied where reading them costs no
    /// reference counting.
    private let nodes: UnsafeMutableBufferPointer<RowShape.Node>
    private let children: UnsafeMutableBufferPointer<Int>
    /// Containers being filled: at most one per level of the schema's deepest path.
    private let frames: UnsafeMutableBufferPointer<Frame>
    /// For each node, the stamp of the struct value that wrote it last (a field given twice).
    private let seen: UnsafeMutableBufferPointer<UInt32>
    private let state: UnsafeMutablePointer<State>
    /// A failure found where `Encoder` cannot throw (asking for a container): thrown by the
    /// next write, and when the value returns.
    private(set) var deferred: ParquetError?
    /// Swapped with a leaf's builder so a ``ColumnValue`` stores into it in place.
    private var sink: _ColumnSink

    /// Creates a shredder over `builders`, valid while they are.
    init(shape: RowShape, builders: UnsafeMutableBufferPointer<ColumnBuilder>) {
        self.shape = shape
        self.builders = builders
        nodes = .allocate(capacity: shape.nodes.count)
        _ = nodes.initialize(from: shape.nodes)
        children = .allocate(capacity: Swift.max(shape.children.count, 1))
        _ = children.initialize(from: shape.children)
        frames = .allocate(capacity: shape.depth + 1)
        seen = .allocate(capacity: shape.nodes.count)
        seen.initialize(repeating: 0)
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        sink = _ColumnSink(builder: ColumnBuilder(descriptor: builders.first?.descriptor ?? Self.placeholder))
    }

    deinit {
        nodes.deallocate()
        children.deallocate()
        frames.deallocate()
        seen.deallocate()
        state.deallocate()
    }

    private static let placeholder = try! Schema([Field("_", .boolean)]).leafColumns[0]

    /// The node a frame fills (the row's for an unknown frame).
    func node(ofFrame frame: Int) -> Int {
        frame >= 0 && frame < state.pointee.frameCount ? frames[frame].node : 0
    }

    // MARK: Entry points

    /// Shreds one row: `value` must encode as a keyed container of the top-level fields.
    /// - Throws: `ParquetError` naming the column; the builders then hold part of the row
    ///   (the caller rolls them back).
    func encodeRow<T: Encodable>(_ value: T) throws(ParquetError) {
        state.pointee.frameCount = 0
        state.pointee.failed = false
        deferred = nil
        try encode(value, node: 0, repetition: 0)
    }

    /// Shreds one value of top-level field node `node` (a new row of that column only).
    func encodeColumnValue<T: Encodable>(_ value: T, node: Int) throws(ParquetError) {
        state.pointee.frameCount = 0
        state.pointee.failed = false
        deferred = nil
        try encode(value, node: node, repetition: 0)
    }

    // MARK: Values

    /// Shreds `value` as node `node`; its first slot in every leaf gets `repetition`.
    func encode<T: Encodable>(_ value: T, node: Int, repetition: UInt8) throws(ParquetError) {
        if nodes[node].kind == .leaf {
            try encodeLeaf(value, node: node, repetition: repetition)
            return
        }
        let (depth, stamp) = push(node: node, repetition: repetition)
        let encoder = RowEncoder(shredder: self, node: node, frame: depth, stamp: stamp, repetition: repetition)
        try run { try value.encode(to: encoder) }
        try finishFrames(downTo: depth)
    }

    /// Shreds a value of a leaf column: a known scalar or ``ColumnValue`` directly, anything
    /// else (an enum with a raw value, a wrapper) through its own `encode(to:)`, which must
    /// give exactly one value.
    private func encodeLeaf<T: Encodable>(_ value: T, node: Int, repetition: UInt8) throws(ParquetError) {
        // The element types of arrays come here through the generic path: the common ones
        // are recognised by their metatype (a pointer compare) before any dynamic cast.
        if T.self == String.self { return try store(value as! String, node: node, repetition: repetition) }
        if T.self == Int.self { return try store(Int64(unsafeBitCast(value, to: Int.self)), node: node, repetition: repetition) }
        if T.self == Int64.self { return try store(unsafeBitCast(value, to: Int64.self), node: node, repetition: repetition) }
        if T.self == Int32.self { return try store(Int64(unsafeBitCast(value, to: Int32.self)), node: node, repetition: repetition) }
        if T.self == Double.self { return try store(unsafeBitCast(value, to: Double.self), node: node, repetition: repetition) }
        if T.self == Bool.self { return try store(unsafeBitCast(value, to: Bool.self), node: node, repetition: repetition) }
        if let optional = value as? any OptionalValue, optional.isNil {
            return try null(node: node, repetition: repetition)
        }
        if let columnValue = value as? any ColumnValue {
            return try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in
                swap(&sink.builder, &builder)
                defer { swap(&sink.builder, &builder) }
                try columnValue._store(into: &sink)
            }
        }
        let leaf = nodes[node].leaf
        let before = builders[leaf].levelCount
        let encoder = RowEncoder(shredder: self, node: node, frame: -1, stamp: 0, repetition: repetition)
        try run { try value.encode(to: encoder) }
        let written = builders[leaf].levelCount - before
        guard written == 1 else {
            throw ParquetError(
                .invalidValue,
                "a \(T.self) value encoded \(written == 0 ? "no value" : "\(written) values") for \(shape.describe(node))",
                column: shape.paths[node])
        }
    }

    /// Runs a value's `encode(to:)`, turning its errors into `ParquetError` and throwing a
    /// failure deferred while it ran.
    private func run(_ body: () throws -> Void) throws(ParquetError) {
        do {
            try body()
        } catch let error as ParquetError {
            throw error
        } catch {
            throw ParquetError(.invalidValue, "encoding a value failed: \(error)")
        }
        if state.pointee.failed, let deferred { throw deferred }
    }

    // MARK: Frames

    /// Makes frame `frame` the innermost (finishing nested containers opened inside it
    /// earlier) before it is written to.
    /// - Throws: A deferred failure, or `.invalidValue` when the frame was already finished
    ///   (a container kept after its value returned).
    func prepare(frame: Int, stamp: UInt32) throws(ParquetError) {
        if state.pointee.failed, let deferred { throw deferred }
        guard frame >= 0 && frame < state.pointee.frameCount && frames[frame].stamp == stamp else {
            throw ParquetError(.invalidValue, "an encoding container was used after its value was encoded")
        }
        if state.pointee.frameCount > frame + 1 { try finishFrames(downTo: frame + 1) }
    }

    /// Records that frame `frame` is filled by a keyed or an unkeyed container.
    /// Called where `Encoder` cannot throw: failures are deferred.
    func open(frame: Int, stamp: UInt32, keyed: Bool) {
        guard !state.pointee.failed else { return }
        do throws(ParquetError) {
            try prepare(frame: frame, stamp: stamp)
        } catch {
            record(error)
            return
        }
        let node = nodes[frames[frame].node]
        let fits = switch node.kind {
        case .structure: keyed
        case .list: !keyed
        case .map: true
        case .leaf: false
        }
        guard fits && !frames[frame].null else {
            fail(frames[frame].node, keyed ? "a keyed container (a struct, class or dictionary)" : "an unkeyed container (an array)")
            return
        }
        if node.kind == .map && frames[frame].opened && frames[frame].alternating == keyed {
            // A map is filled by one kind of container: keyed (a dictionary with string or
            // integer keys) or unkeyed (keys and values alternating, as other dictionaries do).
            fail(frames[frame].node, "both keyed and unkeyed containers")
            return
        }
        frames[frame].opened = true
        if !keyed && node.kind == .map { frames[frame].alternating = true }
    }

    /// Defers `error` (found where `Encoder` cannot throw) to the next write or the value's end.
    func record(_ error: ParquetError) {
        guard !state.pointee.failed else { return }
        deferred = error
        state.pointee.failed = true
    }

    /// Defers a type mismatch: `given` where node `node` takes something else.
    func fail(_ node: Int, _ given: String) {
        guard !state.pointee.failed else { return }
        record(ParquetError(
            .typeMismatch, "\(given) was encoded for \(shape.describe(node))\(node == 0 ? ", which takes a keyed container" : "")",
            column: node == 0 ? nil : shape.paths[node]))
    }

    /// Opens a frame for a nested container (`nestedContainer`, `nestedUnkeyedContainer`) of
    /// node `node`; it is finished before its parent is written to next.
    /// - Returns: The frame's index and stamp, or nil when the node is a leaf (deferred failure).
    func openNested(node: Int, repetition: UInt8, keyed: Bool) -> (frame: Int, stamp: UInt32)? {
        guard nodes[node].kind != .leaf else {
            fail(node, keyed ? "a keyed container" : "an unkeyed container")
            return nil
        }
        let opened = push(node: node, repetition: repetition)
        open(frame: opened.frame, stamp: opened.stamp, keyed: keyed)
        return opened
    }

    /// Starts a frame for node `node`.
    /// - Returns: Its index and stamp.
    private func push(node: Int, repetition: UInt8) -> (frame: Int, stamp: UInt32) {
        state.pointee.nextStamp &+= 1
        let stamp = state.pointee.nextStamp
        let depth = state.pointee.frameCount
        precondition(depth < frames.count, "frames deeper than the schema")
        frames[depth] = Frame(node: node, repetition: repetition, stamp: stamp)
        state.pointee.frameCount = depth + 1
        return (depth, stamp)
    }

    /// Finishes frames from the innermost down to `depth`, in that order.
    private func finishFrames(downTo depth: Int) throws(ParquetError) {
        while state.pointee.frameCount > depth {
            state.pointee.frameCount -= 1
            try finish(frames[state.pointee.frameCount])
        }
    }

    /// Completes a container: a struct's missing fields become nulls, a list or map with no
    /// entries becomes an empty one.
    private func finish(_ frame: Frame) throws(ParquetError) {
        guard !frame.null else { return }
        let node = nodes[frame.node]
        guard frame.opened else {
            throw ParquetError(
                .invalidValue,
                frame.node == 0 ? "a row encoded no container"
                    : "no value was encoded for \(shape.describe(frame.node))",
                column: frame.node == 0 ? nil : shape.paths[frame.node])
        }
        switch node.kind {
        case .structure:
            guard frame.count < node.children.count else { return }
            for position in node.children {
                let child = children[position]
                guard seen[child] != frame.stamp else { continue }
                guard nodes[child].nullable else {
                    throw ParquetError(
                        .missingValue, "no value for the non-nullable column '\(shape.paths[child])'",
                        column: shape.paths[child])
                }
                absent(nodes[child].leaves, definition: node.definition, repetition: frame.repetition)
            }
        case .list, .map:
            if frame.alternating && frame.count % 2 == 1 {
                throw ParquetError(
                    .invalidValue,
                    "the map column '\(shape.paths[frame.node])' was given a key without a value (an unkeyed "
                        + "container holds keys and values alternately)",
                    column: shape.paths[frame.node])
            }
            if frame.count == 0 { absent(node.leaves, definition: node.definition, repetition: frame.repetition) }
        case .leaf:
            break
        }
    }

    // MARK: Members

    /// Claims the field for `key` in struct frame `frame` (or writes the key of a map entry).
    /// - Returns: The node to write the value to and the level of its first slot.
    /// - Throws: `.invalidRecord` for a field not in the schema or given twice; map key errors.
    func member(frame: Int, stamp: UInt32, key: some CodingKey) throws(ParquetError) -> (node: Int, repetition: UInt8) {
        try prepare(frame: frame, stamp: stamp)
        let nodeIndex = frames[frame].node
        let node = nodes[nodeIndex]
        let repetition = frames[frame].repetition
        if node.kind == .map {
            let level = frames[frame].count == 0 ? repetition : node.repetition
            frames[frame].count += 1
            let keyNode = children[node.children.lowerBound]
            try storeKey(key, node: keyNode, repetition: level)
            return (children[node.children.lowerBound + 1], level)
        }
        let name = key.stringValue
        guard let position = shape.child(of: node, named: name, expected: frames[frame].count) else {
            throw ParquetError(
                .invalidRecord,
                nodeIndex == 0 ? "'\(name)' is not a column of the schema"
                    : "'\(name)' is not a field of the struct column '\(shape.paths[nodeIndex])'",
                column: nodeIndex == 0 ? name : shape.paths[nodeIndex])
        }
        let child = children[node.children.lowerBound + position]
        guard seen[child] != frames[frame].stamp else {
            throw ParquetError(
                .invalidRecord, "the column '\(shape.paths[child])' was given twice in one value", column: shape.paths[child])
        }
        seen[child] = frames[frame].stamp
        frames[frame].count += 1
        return (child, repetition)
    }

    /// Claims the next element of list frame `frame` (or the next key or value of an unkeyed map).
    /// - Returns: The node to write it to and the level of its first slot.
    func element(frame: Int, stamp: UInt32) throws(ParquetError) -> (node: Int, repetition: UInt8) {
        try prepare(frame: frame, stamp: stamp)
        let node = nodes[frames[frame].node]
        let count = frames[frame].count
        frames[frame].count += 1
        if frames[frame].alternating {
            let level = count < 2 ? frames[frame].repetition : node.repetition
            return (children[node.children.lowerBound + count % 2], level)
        }
        return (children[node.children.lowerBound], count == 0 ? frames[frame].repetition : node.repetition)
    }

    /// The elements written to frame `frame` so far.
    func count(frame: Int) -> Int {
        frame < state.pointee.frameCount ? frames[frame].count : 0
    }

    /// Marks frame `frame` (the value itself) null.
    func nullValue(frame: Int, stamp: UInt32) throws(ParquetError) {
        try prepare(frame: frame, stamp: stamp)
        guard !frames[frame].opened else {
            throw ParquetError(
                .invalidValue, "null was encoded after values for the column '\(shape.paths[frames[frame].node])'",
                column: shape.paths[frames[frame].node])
        }
        try null(node: frames[frame].node, repetition: frames[frame].repetition)
        frames[frame].opened = true
        frames[frame].null = true
    }

    /// A map key from a keyed container: its text, or its integer value for an integer key column.
    private func storeKey(_ key: some CodingKey, node: Int, repetition: UInt8) throws(ParquetError) {
        try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in
            switch builder.descriptor.type {
            case .string, .json, .binary, .uuid, .decimal:
                try builder.storeText(key.stringValue)
            default:
                if let integer = key.intValue ?? Int(key.stringValue) {
                    try builder.storeInteger(integer)
                } else if case .boolean = builder.descriptor.type, let flag = Bool(key.stringValue) {
                    try builder.storeBoolean(flag)
                } else {
                    throw ParquetError(
                        .invalidValue,
                        "the map key '\(key.stringValue)' is not a valid \(builder.descriptor.type.name)")
                }
            }
        }
    }

    // MARK: Leaves

    /// A null at node `node`: one slot below its definition level in each of its leaves.
    /// - Throws: `.missingValue` when the node is not nullable.
    func null(node: Int, repetition: UInt8) throws(ParquetError) {
        let target = nodes[node]
        guard target.nullable else {
            throw ParquetError(
                .missingValue, "null given for the non-nullable column '\(shape.paths[node])'", column: shape.paths[node])
        }
        absent(target.leaves, definition: target.definition &- 1, repetition: repetition)
    }

    /// One slot without a value in every leaf of `leaves`.
    private func absent(_ leaves: Range<Int>, definition: UInt8, repetition: UInt8) {
        for leaf in leaves { builders[leaf].appendAbsent(definition: definition, repetition: repetition) }
    }

    /// Runs `body` on the builder of leaf node `node` with its repetition level set; errors
    /// name the column.
    @inline(__always)
    private func withLeaf(
        _ node: Int, repetition: UInt8, _ body: (inout ColumnBuilder) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        let target = nodes[node]
        guard target.kind == .leaf else {
            throw ParquetError(
                .typeMismatch,
                "a single value was encoded for \(shape.describe(node))\(node == 0 ? ", which takes a keyed container" : "")",
                column: node == 0 ? nil : shape.paths[node])
        }
        builders[target.leaf].pendingRepetitionLevel = repetition
        do {
            try body(&builders[target.leaf])
        } catch {
            var located = error
            if located.column == nil { located.column = shape.paths[node] }
            throw located
        }
    }

    func store(_ value: Bool, node: Int, repetition: UInt8) throws(ParquetError) {
        try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in try builder.storeBoolean(value) }
    }

    /// Every integer type up to 64 bits (unsigned up to 32) comes here as an Int64: one
    /// specialized range check instead of the generic one through Int128.
    func store(_ value: Int64, node: Int, repetition: UInt8) throws(ParquetError) {
        try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in try builder.storeInteger(value) }
    }

    func store<T: BinaryInteger>(_ value: T, node: Int, repetition: UInt8) throws(ParquetError) {
        try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in try builder.storeInteger(value) }
    }

    func store(_ value: Double, node: Int, repetition: UInt8) throws(ParquetError) {
        try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in try builder.storeFloatingPoint(value) }
    }

    func store(_ value: Float, node: Int, repetition: UInt8) throws(ParquetError) {
        try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in
            // A float column keeps the Float as it is (through Double it would round the same).
            try builder.storeFloatingPoint(Double(value))
        }
    }

    func store(_ value: String, node: Int, repetition: UInt8) throws(ParquetError) {
        try withLeaf(node, repetition: repetition) { builder throws(ParquetError) in try builder.storeText(value) }
    }
}

/// `Optional`, seen through a generic value: whether it is `nil`.
protocol OptionalValue {
    var isNil: Bool { get }
}

extension Optional: OptionalValue {
    var isNil: Bool { self == nil }
}
