import Parquet

/// A problem found while scanning that leaves the JSON structure intact, so scanning can go
/// on: it makes the record invalid, not the batch malformed.
enum _SoftIssue: UInt8 {
    case none
    case invalidUTF8
    case loneSurrogate
    case tooDeep
}

/// One pass over one batch: the input, the builders and their stages, and the per-record
/// bookkeeping.
/// Lives for one `decode` call; `release()` frees its scratch memory.
struct _JSONBatchParser {
    let input: UnsafePointer<UInt8>
    let count: Int
    var pos = 0

    let plans: UnsafeMutablePointer<_ColumnPlan>
    let keys: UnsafeMutablePointer<_FieldKey>
    /// Top-level fields (keys of a record) and leaf columns (plans, builders); equal when flat.
    let fieldCount: Int
    let leafCount: Int
    let nameBytes: UnsafeMutablePointer<UInt8>
    let slots: UnsafeMutablePointer<Int32>
    let slotMask: Int
    /// Leaf column names (dotted paths) and types; top-level field names.
    let names: [String]
    let types: [DataType]
    let fieldNames: [String]
    /// Nested fields' nodes (empty for a flat schema) and, per node, the stamp of the last
    /// object that had its key.
    let nestedTree: _NestedTree
    /// The tree's nodes, children and name bytes, as ``_DecoderTables`` allocated them.
    let nodes: UnsafeMutablePointer<_NestedNode>
    let nodeCount: Int
    let children: UnsafeMutablePointer<Int>
    let nodeNameBytes: UnsafeMutablePointer<UInt8>
    let fields: UnsafeMutablePointer<_NestedField>
    let hasNested: Bool
    /// Keys of the maps being decoded (innermost last), to find repeated keys.
    var mapKeys: [_UnknownKey] = []
    var mapKeyBytes: [UInt8] = []
    let nodeSeen: UnsafeMutablePointer<UInt32>
    var nodeStamp: UInt32 = 0
    /// Each stage's position before the current record, kept for nested schemas (where a
    /// record can add many slots to a column) to undo a rejected record under `.skip`.
    var recordMarks: [_ColumnStage.Mark]
    let builders: UnsafeMutableBufferPointer<ColumnBuilder>
    /// Where values go first, one stage per leaf column: the records since the last flush
    /// into `builders` (see ``_ColumnStage``).
    let stages: UnsafeMutablePointer<_ColumnStage>
    /// Records accepted since the last flush: every stage holds this many rows between records.
    var stagedRows = 0
    /// Whether the batch succeeded and its bytes are kept (see ``release()``).
    var committed = false
    let maximumDepth: Int

    /// The record being parsed (0-based in the batch), or the next one between records.
    var row = 0
    var inRecord = false
    /// Per field, the stamp of the last record that had its key.
    let seen: UnsafeMutablePointer<UInt32>
    var stamp: UInt32 = 0
    /// The first invalid record under `.fail`; the rest of the input is only checked.
    var failure: ParquetError? {
        didSet { failed = failure != nil }
    }
    /// Whether `failure` is set, read once per record: testing the optional error itself
    /// copies and destroys it (~150 instructions a record).
    var failed = false

    var softIssue = _SoftIssue.none
    var softOffset = 0

    /// Decoded text of strings with escapes (keys and non-string columns).
    var scratch: UnsafeMutablePointer<UInt8>
    var scratchCapacity: Int
    /// Container kinds (bit set: object) beyond the 64 levels kept in a register.
    var deepKinds: [UInt64] = []

    /// Unknown keys of the current record, to find repeated ones.
    var unknownKeys: [_UnknownKey] = []
    var unknownKeysStamp: UInt32 = 0
    /// Open addressing over `unknownKeys`: stamp << 32 | (index + 1); stale stamps are empty.
    var unknownSlots: [UInt64] = []
    /// Decoded bytes of unknown keys that had escapes.
    var escapedKeyBytes: [UInt8] = []

    /// What keys outside the schema do, and where they are counted.
    let unknownPolicy: UnknownKeyPolicy
    let tally: _UnknownKeyTally
    /// The current record noted an unknown key: the tally settles it when the record ends.
    var recordHasUnknown = false
    /// An unknown key under `.fail` made the batch fail, whatever `on_invalid` says.
    var unknownKeyFailed = false
    /// The collect column's leaf, or -1.
    let collectLeaf: Int
    /// Whether a value that does not fit its nullable top-level field is stored as a null
    /// (and noted in ``nulledValues``) instead of making its record invalid.
    let nullsInvalidValues: Bool
    /// The values of the current record stored as nulls, each as the error that nulled it.
    var nulledValues: [ParquetError] = []
    /// Each leaf stage's position before the value being nulled-on-failure (reused).
    var valueMarks: [_ColumnStage.Mark] = []
    /// The current record's unknown top-level members under `.collect`, four offsets each:
    /// key start (its quote), key end (after its quote), value start, value end.
    var collectSpans: [Int] = []

    init(
        input: UnsafePointer<UInt8>, count: Int, tables: _DecoderTables,
        builders: UnsafeMutableBufferPointer<ColumnBuilder>, maximumDepth: Int,
        unknownKeys: UnknownKeyPolicy = .ignore, tally: _UnknownKeyTally = _UnknownKeyTally(),
        nullsInvalidValues: Bool = false
    ) {
        self.nullsInvalidValues = nullsInvalidValues
        self.unknownPolicy = unknownKeys
        self.tally = tally
        self.collectLeaf = tables.collectLeaf
        self.input = input
        self.count = count
        self.plans = tables.plans
        self.keys = tables.keys
        self.fieldCount = tables.fieldCount
        self.leafCount = tables.count
        self.nameBytes = tables.nameBytes
        self.slots = tables.slots
        self.slotMask = tables.slotMask
        self.names = tables.names
        self.types = tables.types
        self.fieldNames = tables.fieldNames
        self.nestedTree = tables.nestedTree
        self.nodes = tables.nestedNodes
        self.nodeCount = tables.nestedTree.nodes.count
        self.children = tables.nestedChildren
        self.nodeNameBytes = tables.nestedNameBytes
        self.fields = tables.nestedFields
        self.hasNested = nodeCount > 0
        self.nodeSeen = .allocate(capacity: max(nodeCount, 1))
        self.nodeSeen.initialize(repeating: 0, count: max(nodeCount, 1))
        self.builders = builders
        let stages = UnsafeMutablePointer<_ColumnStage>.allocate(capacity: max(builders.count, 1))
        for index in builders.indices {
            (stages + index).initialize(to: _ColumnStage(descriptor: builders[index].descriptor))
            stages[index].begin(for: &builders[index])
        }
        self.stages = stages
        self.recordMarks = nodeCount == 0 ? [] : (0..<tables.count).map { stages[$0].mark() }
        self.maximumDepth = maximumDepth
        self.seen = .allocate(capacity: max(tables.fieldCount, 1))
        self.seen.initialize(repeating: 0, count: max(tables.fieldCount, 1))
        self.scratchCapacity = 256
        self.scratch = .allocate(capacity: 256)
    }

    /// Frees the scratch memory and gives the builders their bytes back: kept if the batch
    /// was committed, else as they were (the decoder rolls back the rest of the builders).
    mutating func release() {
        for index in builders.indices {
            stages[index].end(into: &builders[index], keep: committed)
            stages[index].deallocate()
        }
        stages.deinitialize(count: builders.count)
        stages.deallocate()
        seen.deallocate()
        nodeSeen.deallocate()
        scratch.deallocate()
    }

    // MARK: The batch

    /// Parses the batch (or a piece of one, as `framing` says) into the builders.
    /// - Parameters:
    ///   - policy: What an invalid record does.
    ///   - framing: The whole batch, or which piece of a batch array the input is.
    /// - Returns: The rows accepted, rejected and nulled.
    /// - Throws: `ParquetError` for malformed JSON, or an invalid record under `.fail`.
    mutating func run(policy: InvalidRecordPolicy, framing: _BatchFraming = .whole) throws(ParquetError) -> JSONBatchOutcome {
        var outcome = JSONBatchOutcome()
        if framing != .whole {
            try runPiece(policy: policy, framing: framing, outcome: &outcome)
        } else {
            try runWhole(policy: policy, outcome: &outcome)
        }
        if let failure { throw failure }
        flushStages()
        committed = true
        return outcome
    }

    /// A piece of a batch array: its records, each followed by a comma but in the tail, which
    /// ends the array. A piece that does not end as its framing says was cut inside a record,
    /// and the error makes the batch be parsed again whole.
    private mutating func runPiece(
        policy: InvalidRecordPolicy, framing: _BatchFraming, outcome: inout JSONBatchOutcome
    ) throws(ParquetError) {
        skipWhitespace()
        if framing == .arrayHead {
            guard byte(pos) == _JSON.openBracket else { throw unexpected(at: pos, expected: "'[' opening the batch array") }
            pos = whitespaceEnd(from: pos + 1)
        }
        while true {
            try element(policy: policy, outcome: &outcome)
            if framing == .arrayTail {
                if try endOfMember(closing: _JSON.closeBracket, expected: "',' or ']' after a record of the batch array") {
                    break
                }
                continue
            }
            let index = whitespaceEnd(from: pos)
            guard byte(index) == _JSON.comma else {
                throw unexpected(at: index, expected: "',' after a record of a piece of the batch array")
            }
            pos = whitespaceEnd(from: index + 1)
            if pos >= count { break }
        }
        skipWhitespace()
        guard pos >= count else { throw unexpected(at: pos, expected: "the end of input after the batch array") }
    }

    /// The whole batch: a JSON array of records, or NDJSON.
    private mutating func runWhole(policy: InvalidRecordPolicy, outcome: inout JSONBatchOutcome) throws(ParquetError) {
        if count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF { pos = 3 }
        skipWhitespace()
        guard pos < count else { return }
        if input[pos] == _JSON.openBracket {
            // A JSON array of records.
            pos += 1
            skipWhitespace()
            if byte(pos) == _JSON.closeBracket {
                pos += 1
            } else {
                while true {
                    try element(policy: policy, outcome: &outcome)
                    if try endOfMember(closing: _JSON.closeBracket, expected: "',' or ']' after a record of the batch array") { break }
                }
            }
            skipWhitespace()
            guard pos >= count else { throw unexpected(at: pos, expected: "the end of input after the batch array") }
        } else {
            // NDJSON: values separated by whitespace (newlines, \r\n).
            while pos < count {
                try element(policy: policy, outcome: &outcome)
                skipWhitespace()
            }
        }
    }

    /// How many records the stages collect before they are flushed into the builders: enough
    /// to make the bulk appends' fixed cost small per record, few enough that the values are
    /// still in cache and each copy stays short (2 KiB for an 8-byte column).
    static let flushInterval = 256

    /// Appends the stages' records to the builders (between records only). Out of line: it
    /// runs once per ``flushInterval`` records.
    @inline(never)
    mutating func flushStages() {
        for index in builders.indices { stages[index].flush(into: &builders[index]) }
        stagedRows = 0
    }

    /// One batch element: a record, or an invalid one handled by the policy.
    private mutating func element(policy: InvalidRecordPolicy, outcome: inout JSONBatchOutcome) throws(ParquetError) {
        let start = pos
        inRecord = true
        defer {
            inRecord = false
            row += 1
        }
        if failed {
            pos = try skipValue(from: start, depthLimit: .max)
            return
        }
        if stagedRows >= Self.flushInterval { flushStages() }
        // Marks to roll a rejected nested record back to: only `.skip` keeps the batch after
        // a rejected record (under `.fail` the whole batch is refused).
        if hasNested && policy == .skip {
            for index in 0..<leafCount { recordMarks[index] = stages[index].mark() }
        }
        do {
            try record(at: start)
            if collectLeaf >= 0 { try appendCollected() }
            if recordHasUnknown {
                tally.commitRecord()
                recordHasUnknown = false
            }
            outcome.rowsAccepted += 1
            stagedRows += 1
            if !nulledValues.isEmpty {
                outcome.nulled.append(contentsOf: nulledValues)
                nulledValues.removeAll(keepingCapacity: true)
            }
        } catch {
            // The record is left out (or fails the batch): its nulled values were never stored.
            nulledValues.removeAll(keepingCapacity: true)
            if recordHasUnknown {
                tally.discardRecord()
                recordHasUnknown = false
            }
            collectSpans.removeAll(keepingCapacity: true)
            if error.code == .malformedJSON { throw error }
            var rejected = error
            if rejected.row == nil { rejected.row = row }
            // The rest of the record must still be well-formed JSON.
            pos = try skipValue(from: start, depthLimit: .max)
            if policy == .skip && !unknownKeyFailed {
                if hasNested {
                    for index in 0..<leafCount { stages[index].rollBack(to: recordMarks[index]) }
                } else {
                    // Before a record every stage holds `stagedRows` rows, and every value is
                    // appended whole or not at all: a stage that grew holds one row of this record.
                    for index in 0..<leafCount where stages[index].rowCount > stagedRows {
                        stages[index].removeLastRow()
                    }
                }
                outcome.rejected.append(rejected)
            } else {
                failure = rejected
            }
        }
    }

    // MARK: Records

    private mutating func record(at start: Int) throws(ParquetError) {
        let first = byte(start)
        guard first == _JSON.openBrace else {
            guard _JSON.startsValue(first) else { throw unexpected(at: start, expected: "a record (a JSON object)") }
            pos = try skipValue(from: start, depthLimit: .max)
            throw ParquetError(
                .invalidRecord, "expected a JSON object for the record, found \(_JSON.describeValue(first))",
                row: row, offset: start)
        }
        pos = start + 1
        stamp &+= 1
        if stamp == 0 {
            seen.update(repeating: 0, count: fieldCount)
            for index in unknownSlots.indices { unknownSlots[index] = 0 }
            stamp = 1
        }
        var seenCount = 0
        var expected = 0
        // While the keys come in schema order (the usual case), the fields seen are exactly
        // 0..<expected and no key can repeat: `seen` is only written once the order breaks.
        var inOrder = true
        skipWhitespace()
        if byte(pos) == _JSON.closeBrace {
            pos += 1
        } else {
            while true {
                let keyStart = pos
                guard byte(pos) == _JSON.quote else { throw unexpected(at: pos, expected: "a key string") }
                var field: Int
                var continuesOrder = false
                if expected < fieldCount && matchesName(of: expected, at: pos + 1) {
                    field = expected
                    continuesOrder = inOrder
                    pos = keyStart &+ keys[expected].nameLength &+ 2
                } else {
                    field = try lookUpKey(at: keyStart)
                }
                let keyEnd = pos
                try passColon()
                if field >= 0 {
                    if !continuesOrder {
                        if inOrder {
                            markSeen(upTo: expected, count: &seenCount)
                            inOrder = false
                        }
                        guard seen[field] != stamp else {
                            throw ParquetError(
                                .invalidRecord, "the record has the key '\(fieldNames[field])' more than once",
                                column: fieldNames[field], row: row, offset: keyStart)
                        }
                        seen[field] = stamp
                        seenCount += 1
                    }
                    let leaf = Int(keys[field].leaf)
                    if nullsInvalidValues && keys[field].nullable {
                        try valueOrNull(field: field)
                    } else if leaf >= 0 {
                        try value(for: leaf)
                    } else {
                        try nestedValue(Int(keys[field].node), repetition: 0)
                    }
                    expected = field + 1
                } else {
                    let valueStart = pos
                    try skipIgnoredValue(keyStart: keyStart)
                    if collectLeaf >= 0 { collectMember(keyStart: keyStart, keyEnd: keyEnd, valueStart: valueStart, valueEnd: pos) }
                }
                if try endOfMember(closing: _JSON.closeBrace, expected: "',' or '}' in the record") { break }
            }
        }
        if inOrder {
            if expected == fieldCount { return }
            markSeen(upTo: expected, count: &seenCount)
        }
        if seenCount != fieldCount {
            for field in 0..<fieldCount where seen[field] != stamp {
                let key = keys[field]
                guard key.nullable else {
                    throw ParquetError(
                        .missingValue, "the record has no value for the non-nullable column '\(fieldNames[field])'",
                        column: fieldNames[field], row: row, offset: pos - 1)
                }
                if key.leaf >= 0 {
                    stages[Int(key.leaf)].appendNull()
                } else {
                    absent(nodes[Int(key.node)].leaves, definition: 0, repetition: 0)
                }
            }
        }
    }

    /// Decodes the value at `pos` for the nullable top-level `field`; when it does not fit the
    /// field's type, everything it appended is undone, the value is skipped, a null is stored
    /// instead and the error is noted in ``nulledValues``.
    ///
    /// A whole top-level field is nulled, nested or not: a struct half of whose leaves were
    /// decoded would be a value the source never sent. Malformed JSON, and an unknown key under
    /// `unknown_keys: fail`, still fail as they would without nulling.
    /// - Parameter field: The top-level field (nullable).
    /// - Throws: `ParquetError` for malformed JSON or a batch-failing unknown key.
    private mutating func valueOrNull(field: Int) throws(ParquetError) {
        let key = keys[field]
        let start = pos
        let leaves = key.leaf >= 0 ? Int(key.leaf)..<Int(key.leaf) + 1 : nodes[Int(key.node)].leaves
        valueMarks.removeAll(keepingCapacity: true)
        for leaf in leaves { valueMarks.append(stages[leaf].mark()) }
        do {
            if key.leaf >= 0 {
                try value(for: Int(key.leaf))
            } else {
                try nestedValue(Int(key.node), repetition: 0)
            }
        } catch {
            guard error.code != .malformedJSON, !unknownKeyFailed else { throw error }
            for (index, leaf) in leaves.enumerated() { stages[leaf].rollBack(to: valueMarks[index]) }
            pos = try skipValue(from: start, depthLimit: .max)
            if key.leaf >= 0 {
                stages[Int(key.leaf)].appendNull()
            } else {
                absent(leaves, definition: 0, repetition: 0)
            }
            var nulled = error
            nulled.column = fieldNames[field]
            if nulled.row == nil { nulled.row = row }
            if nulled.offset == nil { nulled.offset = start }
            nulledValues.append(nulled)
        }
    }

    /// Stamps fields 0..<end as seen in this record, when the keys leave schema order.
    private mutating func markSeen(upTo end: Int, count seenCount: inout Int) {
        for field in 0..<end { seen[field] = stamp }
        seenCount = end
    }

    /// Whether the key whose text starts at `index` is the field's name (names needing no
    /// escapes only: an escaped key takes the slow path). Compares `name"` in words.
    @inline(__always)
    private func matchesName(of field: Int, at index: Int) -> Bool {
        let key = keys[field]
        guard key.simpleName else { return false }
        return _prefixEqual(
            input + index, available: count &- index, UnsafePointer(nameBytes + key.nameStart), key.nameLength &+ 1)
    }

    /// Scans the key at `keyStart` (its opening quote) and finds its field, or -1 for a key
    /// not in the schema (after checking it is not repeated). Leaves `pos` after the key.
    private mutating func lookUpKey(at keyStart: Int) throws(ParquetError) -> Int {
        let (text, escaped) = try objectKey(at: keyStart)
        // Never nil: the text starts in the input or in the scratch buffer, even when empty.
        let key = text.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
        let length = text.count
        let hash = _keyHash(key, length)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while slots[slot] >= 0 {
            let field = Int(slots[slot])
            let entry = keys[field]
            if entry.nameHash == hash && entry.nameLength == length
                && _bytesEqual(key, UnsafePointer(nameBytes + entry.nameStart), length)
            {
                return field
            }
            slot = (slot + 1) & slotMask
        }
        try noteUnknownKey(key, length: length, hash: hash, escaped: escaped, keyStart: keyStart)
        try unknownKey(node: -1, key, length: length, hash: hash, keyStart: keyStart)
        return -1
    }


    /// Records an unknown key of the current record; a repeat is `.invalidRecord`.
    private mutating func noteUnknownKey(
        _ key: UnsafePointer<UInt8>, length: Int, hash: UInt64, escaped: Bool, keyStart: Int
    ) throws(ParquetError) {
        if unknownKeysStamp != stamp {
            unknownKeys.removeAll(keepingCapacity: true)
            escapedKeyBytes.removeAll(keepingCapacity: true)
            unknownKeysStamp = stamp
        }
        if unknownSlots.count < 2 * (unknownKeys.count + 1) {
            // Grow and re-insert this record's keys.
            unknownSlots = Array(repeating: 0, count: max(16, unknownSlots.count * 2))
            for index in unknownKeys.indices {
                var slot = Int(truncatingIfNeeded: unknownKeys[index].hash) & (unknownSlots.count - 1)
                while unknownSlots[slot] >> 32 == UInt64(stamp) { slot = (slot + 1) & (unknownSlots.count - 1) }
                unknownSlots[slot] = UInt64(stamp) << 32 | UInt64(index + 1)
            }
        }
        let mask = unknownSlots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while unknownSlots[slot] >> 32 == UInt64(stamp) {
            let other = unknownKeys[Int(truncatingIfNeeded: unknownSlots[slot] & 0xFFFF_FFFF) - 1]
            if other.hash == hash && other.length == length {
                let same =
                    other.escaped
                    ? escapedKeyBytes.withUnsafeBufferPointer { _bytesEqual($0.baseAddress! + other.start, key, length) }
                    : _bytesEqual(input + other.start, key, length)
                if same {
                    let name = String(decoding: UnsafeBufferPointer(start: key, count: length), as: UTF8.self)
                    throw ParquetError(
                        .invalidRecord, "the record has the key '\(name)' more than once", row: row, offset: keyStart)
                }
            }
            slot = (slot + 1) & mask
        }
        var entry = _UnknownKey(hash: hash, start: keyStart + 1, length: length, escaped: escaped)
        if escaped {
            entry.start = escapedKeyBytes.count
            escapedKeyBytes.append(contentsOf: UnsafeBufferPointer(start: key, count: length))
        }
        unknownKeys.append(entry)
        unknownSlots[slot] = UInt64(stamp) << 32 | UInt64(unknownKeys.count)
    }

    /// Skips and validates the value of a key not in the schema.
    mutating func skipIgnoredValue(keyStart: Int) throws(ParquetError) {
        softIssue = .none
        pos = try skipValue(from: pos, depthLimit: maximumDepth)
        guard softIssue == .none else {
            var end = keyStart + 1
            var escaped = false
            end = (try? scanString(from: keyStart + 1, escaped: &escaped)) ?? end
            let key = String(
                decoding: UnsafeBufferPointer(start: input + keyStart + 1, count: end - keyStart - 1), as: UTF8.self)
            throw ParquetError(
                softIssue == .tooDeep ? .limitExceeded : .invalidValue,
                "the value of the ignored key \"\(key)\" \(softIssueDescription)", row: row, offset: softOffset)
        }
    }

    var softIssueDescription: String {
        switch softIssue {
        case .none: "is valid"
        case .invalidUTF8: "holds bytes that are not valid UTF-8"
        case .loneSurrogate: "holds a \\u escape of a lone UTF-16 surrogate"
        case .tooDeep: "is nested deeper than \(maximumDepth) levels"
        }
    }

    // MARK: Errors

    /// A `.malformedJSON` error at `offset`: what was expected and what was found.
    /// After an object member or array element: consumes a `,` (more follows: false) or the
    /// `closing` bracket (done: true), with the whitespace around them; anything else is
    /// malformed JSON naming what was `expected`.
    @inline(__always)
    mutating func endOfMember(closing: UInt8, expected: String) throws(ParquetError) -> Bool {
        // A local index: updating `pos` at each step costs a store every time.
        let index = whitespaceEnd(from: pos)
        let next = byte(index)
        if next == _JSON.comma {
            pos = whitespaceEnd(from: index &+ 1)
            return false
        }
        pos = index
        guard next == closing else { throw unexpected(at: index, expected: expected) }
        pos = index &+ 1
        return true
    }

    func unexpected(at offset: Int, expected: String) -> ParquetError {
        let message =
            offset >= count
            ? "unexpected end of input, expected \(expected)"
            : "expected \(expected), found \(_JSON.describeByte(input[offset]))"
        return malformed(message, at: offset)
    }

    func malformed(_ message: String, at offset: Int) -> ParquetError {
        ParquetError(.malformedJSON, message, row: inRecord ? row : nil, offset: min(offset, count))
    }
}

struct _UnknownKey {
    var hash: UInt64
    /// Offset of the key text in the input, or in `escapedKeyBytes` when escaped.
    var start: Int
    var length: Int
    var escaped: Bool
}

/// Whether the first `length` (≥ 1) of the `available` bytes at `text` equal `pattern`, which
/// is readable for at least 8 bytes. Compares whole words, the last one overlapping, and a
/// short pattern as one masked word when 8 bytes of `text` are readable.
@inline(__always)
func _prefixEqual(
    _ text: UnsafePointer<UInt8>, available: Int, _ pattern: UnsafePointer<UInt8>, _ length: Int
) -> Bool {
    @inline(__always) func word(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }
    guard length <= available else { return false }
    if length < 8 {
        guard available >= 8 else { return _bytesEqual(text, pattern, length) }
        return (word(text) ^ word(pattern)) & (UInt64.max &>> UInt64(64 &- 8 &* length)) == 0
    }
    var offset = 0
    while offset &+ 8 < length {
        if word(text + offset) != word(pattern + offset) { return false }
        offset &+= 8
    }
    return word(text + (length &- 8)) == word(pattern + (length &- 8))
}

@inline(__always)
func _bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var index = 0
    while index + 8 <= count {
        if UnsafeRawPointer(a + index).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(b + index).loadUnaligned(as: UInt64.self)
        {
            return false
        }
        index += 8
    }
    while index < count {
        if a[index] != b[index] { return false }
        index += 1
    }
    return true
}
