import Parquet

/// One node of a nested top-level field (a struct, list, map, or a leaf under one), digested
/// for decoding. Nodes are stored depth-first; a node's leaves are a contiguous range of leaf
/// columns. Plain data, so reading one in the walk costs no reference counting.
struct _NestedNode {
    enum Kind: UInt8 {
        case leaf, structure, list, map
    }

    var kind: Kind
    var nullable: Bool
    /// The definition level when the node is present (not null).
    var definition: UInt8
    /// For a list or map, the repetition level of its repeated group (how many repeated
    /// groups are on the path, its own included); otherwise the level of the enclosing list.
    var repetition: UInt8
    /// The leaf column of a leaf node, else -1.
    var leaf: Int
    /// Struct fields in schema order, a list's element, a map's key and value: a range of
    /// ``_NestedTree/children``.
    var childStart: Int
    var childCount: Int
    /// The field's name (a struct field's key) in ``_NestedTree/nameBytes``, followed there
    /// by a `"`.
    var nameStart: Int
    var nameLength: Int
    /// Whether the name is written in JSON as it is (no `"`, `\` or control character to
    /// escape), so a key can be matched against `name"` in the input without scanning it.
    var simpleName: Bool
    /// The leaf columns under the node.
    var leaves: Range<Int>
}

/// The nodes of a schema's nested fields, in leaf order (the order of `Schema.leafColumns`).
struct _NestedTree {
    var nodes: [_NestedNode] = []
    /// Node indices of children; each node's are contiguous.
    var children: [Int] = []
    /// Field names of nodes, back to back, each followed by a `"` (``_NestedNode/simpleName``),
    /// and 8 bytes of padding once the tree is complete (`_prefixEqual` reads a whole word of
    /// a name shorter than one).
    var nameBytes: [UInt8] = []
    /// Each node's dotted column path, for messages (`tags.list.element`, `addr.city`).
    var paths: [String] = []

    /// Adds `field` and its descendants; returns the field's node index.
    mutating func add(_ field: Field, path: String, parentDefinition: Int, repetition: Int, leaf: inout Int) -> Int {
        let definition = parentDefinition + (field.nullable ? 1 : 0)
        let index = nodes.count
        let firstLeaf = leaf
        let name = Array(field.name.utf8)
        nodes.append(
            _NestedNode(
                kind: .leaf, nullable: field.nullable, definition: UInt8(definition), repetition: UInt8(repetition),
                leaf: -1, childStart: 0, childCount: 0, nameStart: nameBytes.count, nameLength: name.count,
                simpleName: _JSON.isWrittenAsIs(name), leaves: leaf..<leaf))
        nameBytes += name
        nameBytes.append(_JSON.quote)
        paths.append(path)
        var kids: [Int] = []
        var kind = _NestedNode.Kind.leaf
        var ownRepetition = repetition
        switch field.type {
        case .struct(let fields):
            kind = .structure
            for child in fields {
                kids.append(
                    add(child, path: path + "." + child.name, parentDefinition: definition, repetition: repetition, leaf: &leaf))
            }
        case .list(let element):
            kind = .list
            ownRepetition = repetition + 1
            kids.append(
                add(element, path: path + ".list.element", parentDefinition: definition + 1,
                    repetition: ownRepetition, leaf: &leaf))
        case .map(let key, let value):
            kind = .map
            ownRepetition = repetition + 1
            kids.append(
                add(key, path: path + ".key_value.key", parentDefinition: definition + 1,
                    repetition: ownRepetition, leaf: &leaf))
            kids.append(
                add(value, path: path + ".key_value.value", parentDefinition: definition + 1,
                    repetition: ownRepetition, leaf: &leaf))
        default:
            nodes[index].leaf = leaf
            leaf += 1
        }
        nodes[index].kind = kind
        nodes[index].childStart = children.count
        nodes[index].childCount = kids.count
        children += kids
        nodes[index].repetition = UInt8(ownRepetition)
        nodes[index].leaves = firstLeaf..<leaf
        return index
    }
}

/// Decoding values of nested fields: a recursive walk over the schema's nodes (bounded by the
/// schema's depth) that appends Dremel levels to the leaf builders.
///
/// - A null or missing struct, list or map appends one slot to every leaf under it, at the
///   definition level of its parent; an empty list or map appends one slot at its own level.
/// - The first slot written for a value takes the repetition level of the enclosing position;
///   later elements of a list (or entries of a map) take the list's own repetition level.
/// - Every leaf under a struct gets the same number of slots per struct value.
extension _JSONBatchParser {
    /// Parses the value at `pos` for nested node `index` and moves past it; the first slot of
    /// every leaf written gets repetition level `repetition`.
    @inline(never)
    mutating func nestedValue(_ index: Int, repetition: UInt8) throws(ParquetError) {
        let node = nodes[index]
        if node.kind == .leaf {
            stages[node.leaf].pendingRepetitionLevel = repetition
            try value(for: node.leaf)
            return
        }
        let start = pos
        let first = byte(start)
        if first == UInt8(ascii: "n") {
            pos = try literalEnd(at: start)
            guard node.nullable else {
                throw ParquetError(
                    .missingValue, "null given for the non-nullable column '\(nestedTree.paths[index])'",
                    column: nestedTree.paths[index],
                    row: row, offset: start)
            }
            absent(node.leaves, definition: node.definition &- 1, repetition: repetition)
            return
        }
        switch node.kind {
        case .leaf:
            break
        case .structure:
            guard first == _JSON.openBrace else { throw nestedMismatch(index, "a JSON object", "struct", at: start) }
            try structValue(index, node, repetition: repetition)
        case .list:
            guard first == _JSON.openBracket else { throw nestedMismatch(index, "a JSON array", "list", at: start) }
            pos = start
            if emptyContainer(node, closing: _JSON.closeBracket, repetition: repetition) { return }
            let element = children[node.childStart]
            let elementNode = nodes[element]
            // In a list of structs (the usual nested shape) an element that opens an object
            // goes straight to its fields, as `nestedValue` would send it; a null or anything
            // else, and the elements of other lists, take the general path.
            let structElements = elementNode.kind == .structure
            var level = repetition
            while true {
                if structElements && byte(pos) == _JSON.openBrace {
                    try structValue(element, elementNode, repetition: level)
                } else {
                    try nestedValue(element, repetition: level)
                }
                level = node.repetition
                if try endOfMember(closing: _JSON.closeBracket, expected: "',' or ']' in the list") { break }
            }
        case .map:
            if first == _JSON.openBracket {
                try mapEntries(index, node, repetition: repetition)
                return
            }
            guard first == _JSON.openBrace else {
                throw nestedMismatch(index, "a JSON object (or an array of map entries)", "map", at: start)
            }
            pos = start
            if emptyContainer(node, closing: _JSON.closeBrace, repetition: repetition) { return }
            var level = repetition
            let keyLeaf = nodes[children[node.childStart]].leaf
            let valueNode = children[node.childStart + 1]
            // This map's keys, to find repeated ones: hashes and text, stacked above any
            // enclosing map's (dropped when the map ends, or with the record).
            let keysBase = mapKeys.count
            let bytesBase = mapKeyBytes.count
            defer {
                mapKeys.removeSubrange(keysBase...)
                mapKeyBytes.removeSubrange(bytesBase...)
            }
            var hashes = Set<UInt64>()
            while true {
                let keyStart = pos
                guard byte(pos) == _JSON.quote else { throw unexpected(at: pos, expected: "a key string") }
                let keyText = try objectKey(at: keyStart).text
                try noteMapKey(keyText, base: keysBase, hashes: &hashes, index: index, at: keyStart)
                let keyEnd = pos
                try mapKey(keyLeaf, at: keyStart, end: keyEnd, repetition: level)
                pos = keyEnd
                try passColon()
                try nestedValue(valueNode, repetition: level)
                level = node.repetition
                if try endOfMember(closing: _JSON.closeBrace, expected: "',' or '}' in the map") { break }
            }
        }
    }

    /// A map given as an array of entries, the forms Arrow hands maps to Python in
    /// (`to_pylist`): `[[key, value], ...]` or `[{"key": key, "value": value}, ...]`, mixed
    /// freely; `pos` is at the `[`.
    ///
    /// A key is a JSON value of the key column's type (a number for an integer key, where the
    /// object form needs its text). Entries are kept as given, repeated keys included, as an
    /// Arrow map keeps them; the object form refuses repeated keys because a JSON object with
    /// one is ambiguous.
    private mutating func mapEntries(_ index: Int, _ node: _NestedNode, repetition: UInt8) throws(ParquetError) {
        if emptyContainer(node, closing: _JSON.closeBracket, repetition: repetition) { return }
        let keyNode = children[node.childStart]
        let valueNode = children[node.childStart + 1]
        var level = repetition
        while true {
            let entryStart = pos
            switch byte(pos) {
            case _JSON.openBracket:
                pos += 1
                skipWhitespace()
                try nestedValue(keyNode, repetition: level)
                skipWhitespace()
                if byte(pos) == _JSON.closeBracket { throw mapEntryShape(index, at: entryStart) }
                guard byte(pos) == _JSON.comma else { throw unexpected(at: pos, expected: "',' after the map entry's key") }
                pos += 1
                skipWhitespace()
                try nestedValue(valueNode, repetition: level)
                skipWhitespace()
                if byte(pos) == _JSON.comma { throw mapEntryShape(index, at: entryStart) }
                guard byte(pos) == _JSON.closeBracket else { throw unexpected(at: pos, expected: "']' after the map entry's value") }
                pos += 1
            case _JSON.openBrace:
                try mapEntryObject(index, key: keyNode, value: valueNode, repetition: level)
            default:
                guard _JSON.startsValue(byte(pos)) else { throw unexpected(at: pos, expected: "a map entry") }
                throw mapEntryShape(index, at: entryStart)
            }
            level = node.repetition
            if try endOfMember(closing: _JSON.closeBracket, expected: "',' or ']' in the map's entries") { break }
        }
    }

    /// One `{"key": key, "value": value}` entry (members in either order, both required);
    /// `pos` is at its `{`.
    private mutating func mapEntryObject(
        _ index: Int, key keyNode: Int, value valueNode: Int, repetition: UInt8
    ) throws(ParquetError) {
        let entryStart = pos
        pos += 1
        skipWhitespace()
        var sawKey = false
        var sawValue = false
        if byte(pos) == _JSON.closeBrace {
            pos += 1
        } else {
            while true {
                let memberStart = pos
                guard byte(pos) == _JSON.quote else { throw unexpected(at: pos, expected: "a key string") }
                let name = try objectKey(at: memberStart).text
                try passColon()
                if !sawKey && _equals(name, "key") {
                    sawKey = true
                    try nestedValue(keyNode, repetition: repetition)
                } else if !sawValue && _equals(name, "value") {
                    sawValue = true
                    try nestedValue(valueNode, repetition: repetition)
                } else {
                    throw mapEntryShape(index, at: memberStart)
                }
                if try endOfMember(closing: _JSON.closeBrace, expected: "',' or '}' in the map entry") { break }
            }
        }
        guard sawKey && sawValue else { throw mapEntryShape(index, at: entryStart) }
    }

    /// A map entry that is neither `[key, value]` nor `{"key": key, "value": value}`.
    private func mapEntryShape(_ index: Int, at offset: Int) -> ParquetError {
        let path = nestedTree.paths[index]
        return ParquetError(
            .typeMismatch,
            "an entry of map column '\(path)' must be [key, value] or {\"key\": key, \"value\": value}",
            column: path, row: row, offset: offset)
    }

    /// Steps into the list or map value at `pos` (its `[` or `{`); when it is empty (`closing`
    /// follows), moves past it and gives every leaf under `node` the one slot of an empty list
    /// or map, at the node's own definition level.
    /// - Returns: Whether it was empty; if not, `pos` is at its first member.
    @inline(__always)
    private mutating func emptyContainer(_ node: _NestedNode, closing: UInt8, repetition: UInt8) -> Bool {
        pos += 1
        skipWhitespace()
        guard byte(pos) == closing else { return false }
        pos += 1
        absent(node.leaves, definition: node.definition, repetition: repetition)
        return true
    }

    /// The fields of a struct value; `pos` is at its `{`.
    private mutating func structValue(_ index: Int, _ node: _NestedNode, repetition: UInt8) throws(ParquetError) {
        pos += 1
        nodeStamp &+= 1
        if nodeStamp == 0 {
            nodeSeen.update(repeating: 0, count: max(nodeCount, 1))
            nodeStamp = 1
        }
        let stamp = nodeStamp
        var seenCount = 0
        var expected = 0
        // As in `record(at:)`: while the keys come in schema order, the fields seen are
        // exactly children 0..<expected and none can repeat, so `nodeSeen` is only written
        // once the order breaks.
        var inOrder = true
        skipWhitespace()
        if byte(pos) == _JSON.closeBrace {
            pos += 1
        } else {
            while true {
                let keyStart = pos
                guard byte(pos) == _JSON.quote else { throw unexpected(at: pos, expected: "a key string") }
                var found = -1
                var continuesOrder = false
                let key: UnsafeRawBufferPointer
                if expected < node.childCount, let length = fieldFollows(fields[node.childStart + expected], at: keyStart + 1) {
                    // The next field in schema order, as written (the usual case): no scan.
                    found = expected
                    continuesOrder = inOrder
                    key = UnsafeRawBufferPointer(start: input + keyStart + 1, count: length)
                    pos = keyStart + length + 2
                } else {
                    key = try objectKey(at: keyStart).text
                    for child in 0..<node.childCount where nameMatches(key, children[node.childStart + child]) {
                        found = child
                        break
                    }
                }
                try passColon()
                if found >= 0 {
                    let field = fields[node.childStart + found]
                    let child = field.node
                    if !continuesOrder {
                        if inOrder {
                            markChildrenSeen(of: node, upTo: expected, stamp: stamp)
                            seenCount = expected
                            inOrder = false
                        }
                        guard nodeSeen[child] != stamp else {
                            throw ParquetError(
                                .invalidRecord,
                                "the object for '\(nestedTree.paths[index])' has the key \(_quoted(key)) more than once",
                                column: nestedTree.paths[index], row: row, offset: keyStart)
                        }
                        nodeSeen[child] = stamp
                        seenCount += 1
                    }
                    let leaf = field.leaf
                    if leaf >= 0 {
                        // A leaf field: its value directly (what nestedValue does for a leaf).
                        stages[leaf].pendingRepetitionLevel = repetition
                        try value(for: leaf)
                    } else {
                        try nestedValue(child, repetition: repetition)
                    }
                    expected = found + 1
                } else {
                    // Never nil: the text starts in the input or in the scratch buffer.
                    let bytes = key.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
                    try unknownKey(
                        node: Int32(index), bytes, length: key.count, hash: _keyHash(bytes, key.count), keyStart: keyStart)
                    try skipIgnoredValue(keyStart: keyStart)
                }
                if try endOfMember(closing: _JSON.closeBrace, expected: "',' or '}' in the object") { break }
            }
        }
        if inOrder {
            if expected == node.childCount { return }
            markChildrenSeen(of: node, upTo: expected, stamp: stamp)
            seenCount = expected
        }
        if seenCount != node.childCount {
            for position in node.childStart..<node.childStart + node.childCount where nodeSeen[children[position]] != stamp {
                let child = children[position]
                let childNode = nodes[child]
                guard childNode.nullable else {
                    let path = nestedTree.paths[child]
                    throw ParquetError(
                        .missingValue,
                        "the object for '\(nestedTree.paths[index])' has no value for the non-nullable column '\(path)'",
                        column: path, row: row, offset: pos - 1)
                }
                absent(childNode.leaves, definition: node.definition, repetition: repetition)
            }
        }
    }


    /// Stamps the first `end` fields of struct `node` as seen in this value, when its keys
    /// leave schema order.
    private func markChildrenSeen(of node: _NestedNode, upTo end: Int, stamp: UInt32) {
        for position in node.childStart..<node.childStart + end { nodeSeen[children[position]] = stamp }
    }

    /// Converts a map key (the string at `keyStart`, ending before `end`) to the key column's
    /// type: the text itself for string-like types, the number or boolean it spells otherwise.
    private mutating func mapKey(_ leaf: Int, at keyStart: Int, end: Int, repetition: UInt8) throws(ParquetError) {
        let plan = plans[leaf]
        stages[leaf].pendingRepetitionLevel = repetition
        switch plan.kind {
        case .smallInteger, .uint32, .int64, .uint64, .float32, .float64, .boolean:
            let contentStart = keyStart + 1
            let contentEnd = end - 1
            let first = byte(contentStart)
            var valid = contentEnd > contentStart
            if valid {
                if plan.kind == .boolean {
                    let text = UnsafeRawBufferPointer(start: input + contentStart, count: contentEnd - contentStart)
                    valid = _equals(text, "true") || _equals(text, "false")
                } else {
                    valid = first == _JSON.minus || _JSON.isDigit(first)
                }
            }
            if valid {
                pos = contentStart
                do {
                    try value(for: leaf)
                    valid = pos == contentEnd
                } catch {
                    guard error.code == .malformedJSON else { throw error }
                    valid = false
                }
            }
            guard valid else {
                let text = UnsafeRawBufferPointer(start: input + contentStart, count: max(contentEnd - contentStart, 0))
                throw ParquetError(
                    .invalidValue, "the map key \(_quoted(text)) is not a valid \(typeLabel(leaf)) for column '\(names[leaf])'",
                    column: names[leaf], row: row, offset: keyStart)
            }
        default:
            pos = keyStart
            try value(for: leaf)
        }
    }

    /// One slot without a value in every leaf of `leaves`.
    @inline(__always)
    func absent(_ leaves: Range<Int>, definition: UInt8, repetition: UInt8) {
        for leaf in leaves { stages[leaf].appendAbsent(definition: definition, repetition: repetition) }
    }

    private func nestedMismatch(_ index: Int, _ expected: String, _ type: String, at offset: Int) -> ParquetError {
        let first = byte(offset)
        guard _JSON.startsValue(first) else { return unexpected(at: offset, expected: "a JSON value") }
        let path = nestedTree.paths[index]
        return ParquetError(
            .typeMismatch, "expected \(expected) for \(type) column '\(path)', found \(_JSON.describeValue(first))",
            column: path, row: row, offset: offset)
    }

    /// Whether the key whose text starts at `index` is `field`'s name as written, with no
    /// escape: `name"` compared as one masked word when it fits one (and 8 bytes are
    /// readable), else in words as the record's keys are.
    /// - Returns: The name's length when it is, else nil.
    @inline(__always)
    private func fieldFollows(_ field: _NestedField, at index: Int) -> Int? {
        let length = field.matchLength
        guard length > 0 else { return nil }
        if length <= 8 && count &- index >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(input + index).loadUnaligned(as: UInt64.self))
            return (word ^ field.nameWord) & (UInt64.max &>> UInt64(64 &- 8 &* length)) == 0 ? length &- 1 : nil
        }
        let matches = _prefixEqual(input + index, available: count &- index, nodeNameBytes + field.nameStart, length)
        return matches ? length &- 1 : nil
    }

    /// Whether an object key is the name of struct field node `child`.
    @inline(__always)
    private func nameMatches(_ key: UnsafeRawBufferPointer, _ child: Int) -> Bool {
        let node = nodes[child]
        guard key.count == node.nameLength else { return false }
        guard key.count > 0 else { return true }
        return _bytesEqual(key.baseAddress!.assumingMemoryBound(to: UInt8.self), nodeNameBytes + node.nameStart, key.count)
    }

    /// Records a key of the map node `index` (whose keys start at `base` in ``mapKeys``);
    /// a repeated key is `.invalidRecord`.
    private mutating func noteMapKey(
        _ key: UnsafeRawBufferPointer, base: Int, hashes: inout Set<UInt64>, index: Int, at keyStart: Int
    ) throws(ParquetError) {
        let hash = key.count == 0 ? 0 : _keyHash(key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count)
        let count = mapKeys.count - base
        // Small maps compare hashes linearly; larger ones keep a set of hashes.
        var candidate = false
        if count < 16 {
            for entry in mapKeys[base...] where entry.hash == hash { candidate = true }
        } else {
            if count == 16 { for entry in mapKeys[base...] { hashes.insert(entry.hash) } }
            candidate = !hashes.insert(hash).inserted
        }
        if candidate {
            for entry in mapKeys[base...] where entry.hash == hash && entry.length == key.count {
                let same = mapKeyBytes.withUnsafeBufferPointer { bytes in
                    key.count == 0
                        || _bytesEqual(key.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.baseAddress! + entry.start, key.count)
                }
                if same {
                    throw ParquetError(
                        .invalidRecord, "the map '\(nestedTree.paths[index])' has the key \(_quoted(key)) more than once",
                        column: nestedTree.paths[index], row: row, offset: keyStart)
                }
            }
        }
        mapKeys.append(_UnknownKey(hash: hash, start: mapKeyBytes.count, length: key.count, escaped: false))
        mapKeyBytes.append(contentsOf: key)
    }
}

