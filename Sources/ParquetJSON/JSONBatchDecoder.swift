import Parquet

/// The outcome of decoding one batch.
package struct JSONBatchOutcome: Sendable {
    /// Records appended to the builders.
    package var rowsAccepted = 0
    /// Records left out under `.skip`, each with its row (0-based in the batch), column,
    /// byte offset and reason.
    package var rejected: [ParquetError] = []
    /// Keys not in the schema, with the accepted records that carried them (see
    /// ``UnknownKeyCount``); joined to the decoder's totals by ``JSONBatchDecoder/commitUnknownKeys()``.
    package var unknownKeys: [UnknownKeyCount] = []
    /// With ``JSONBatchDecoder/nullsInvalidValues``: the values of accepted records stored as
    /// nulls because they did not fit their field, each as the error that nulled it (its row,
    /// 0-based in the batch, counts every element, rejected ones included; its column is the
    /// top-level field nulled).
    package var nulled: [ParquetError] = []
}

/// Parses a batch of JSON records straight into column builders, guided by the schema.
///
/// The input is a JSON array of objects (`[{...}, {...}]`) or NDJSON (objects separated by
/// optional whitespace, `\n` or `\r\n`); empty or whitespace-only input is 0 rows. A leading
/// UTF-8 byte order mark is ignored. Each record's values are converted to the column types
/// and appended to `builders` (one per leaf, schema order): every accepted record appends
/// exactly one row (a value or a null) to every builder.
///
/// - Keys not in the schema are handled by ``unknownKeys``: ignored (`.ignore`, `.collect`) or
///   an invalid record that fails the whole batch under either policy (`.fail`). Their values
///   are still validated. They are counted as they are skipped, once per accepted record
///   (``JSONBatchOutcome/unknownKeys``), top-level keys by name and keys of struct objects by
///   `<struct path>.<key>`. Under `.collect` the schema's last field is the collect column (a
///   nullable json column): each record's unknown top-level members are copied into it as they
///   were written (`{"key": value, ...}`, members joined by `,`), null when there are none.
/// - A missing key or
///   `null` is a null for a nullable column and `.missingValue` otherwise (for a json column
///   too: JSON `null` is the SQL null). A repeated key (known or not) is `.invalidRecord`.
/// - Under `.fail`, the first invalid record rolls back everything this call appended and is
///   thrown, after the rest of the input was checked for well-formedness (malformed input
///   always throws `.malformedJSON`, whatever the policy). Under `.skip`, an invalid record is
///   rolled back alone and reported in ``JSONBatchOutcome/rejected``. Malformed JSON rolls back
///   the whole call and is thrown under either policy.
/// - Nested columns: a struct is a JSON object (unknown keys ignored, missing fields null), a
///   list a JSON array, a map a JSON object whose member names are the keys (converted to the
///   key type: as is for strings, parsed for numbers and booleans; a repeated map key is
///   `.invalidRecord`), or an array of `[key, value]` / `{"key": key, "value": value}` entries
///   as Arrow gives maps to Python (keys are values of the key type; entries kept as given;
///   another shape is `.typeMismatch` naming the map). Levels follow Dremel: a null or missing struct/list/map gives every
///   leaf under it one slot at its parent's definition level, an empty list or map one slot at
///   its own level, a null element one slot at the element's level; list elements after the
///   first repeat at the list's depth. A null or missing non-nullable node is `.missingValue`;
///   a value of the wrong JSON kind is `.typeMismatch` naming the dotted column path. Nested
///   columns are walked recursively over the schema (depth bounded by the schema); flat
///   columns keep the flat fast path.
/// - JSON values not decoded into columns (json columns, ignored keys, non-object batch elements) are skipped
///   iteratively, never recursively, so any depth is safe for the stack; values nested deeper
///   than ``maximumDepth`` make their record invalid (`.limitExceeded`).
/// - Timestamps: RFC 3339 text with `T`, `t` or a space between date and time, up to 9
///   fractional digits and an offset (`Z`, `z`, `±HH:MM`) that is applied (the stored value is
///   the instant in UTC), for utc and local columns alike. Without an offset the wall-clock
///   time is stored as written: as UTC for utc columns, as local time for local columns.
///   Integers are taken as the column's unit since the epoch.
package struct JSONBatchDecoder {
    package let schema: Schema
    /// The deepest nesting of arrays and objects allowed inside one value of a json column or
    /// an ignored key; deeper values make their record invalid (`.limitExceeded`). Skipping is
    /// iterative, so the limit guards readers of the stored text, not this decoder's stack.
    package var maximumDepth = 1_000_000

    /// What a record's keys outside the schema do.
    package let unknownKeys: UnknownKeyPolicy
    /// Field-level leniency: a value that does not fit its nullable top-level field (wrong
    /// JSON kind, out of range, unparsable text, invalid UTF-8) is stored as a null and
    /// reported in ``JSONBatchOutcome/nulled``, and the record is kept. A record invalid for
    /// another reason (not an object, a repeated key, a missing or unfit non-nullable value) is
    /// handled by the policy as before. Off by default: the public writers do not set it, as
    /// their results have no place yet to report nulled values; the Airbyte destination does,
    /// and records each nulled field in the record's `_airbyte_meta`.
    package var nullsInvalidValues = false

    /// The pieces the last batch decoded on threads was parsed in: 1 when it was parsed whole
    /// (too small, not cut, or parsed again on one thread after a piece failed). For tests
    /// and diagnostics; the result never depends on it.
    package internal(set) var lastPieceCount = 1
    let tables: _DecoderTables
    /// The unknown keys seen over the decoder's life; shared by its copies.
    let tally = _UnknownKeyTally()

    /// Creates a decoder for `schema`.
    /// - Parameters:
    ///   - schema: The columns; under `.collect` its last field is the collect column.
    ///   - unknownKeys: What keys outside the schema do.
    package init(schema: Schema, unknownKeys: UnknownKeyPolicy = .ignore) {
        self.schema = schema
        self.unknownKeys = unknownKeys
        self.tables = _DecoderTables(schema: schema, collect: unknownKeys == .collect)
    }

    /// A decoder for one piece of a batch parsed on several threads: the same schema tables
    /// and settings, and a tally of its own (so the pieces' unknown keys do not mix).
    init(piecesOf other: JSONBatchDecoder) {
        schema = other.schema
        maximumDepth = other.maximumDepth
        unknownKeys = other.unknownKeys
        nullsInvalidValues = other.nullsInvalidValues
        tables = other.tables
    }

    /// The unknown keys of the batches committed so far (``commitUnknownKeys()``).
    package var unknownKeyTotals: [UnknownKeyCount] { tally.totals }

    /// Adds the last decoded batch's unknown keys to the totals, once its writer took the batch.
    package func commitUnknownKeys() { tally.commitBatch() }

    /// Forgets the last decoded batch's unknown keys (its writer refused the batch).
    package func abandonUnknownKeys() { tally.abandonBatch() }

    package mutating func decode(
        _ bytes: UnsafeRawBufferPointer, into builders: inout [ColumnBuilder], policy: InvalidRecordPolicy
    ) throws(ParquetError) -> JSONBatchOutcome {
        try decode(bytes, into: &builders, policy: policy, framing: .whole)
    }

    /// As ``decode(_:into:policy:)``, for the whole batch or a piece of a batch array.
    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, into builders: inout [ColumnBuilder], policy: InvalidRecordPolicy,
        framing: _BatchFraming
    ) throws(ParquetError) -> JSONBatchOutcome {
        let tables = self.tables
        guard builders.count == tables.count else {
            throw ParquetError(
                .internalError, "\(builders.count) column builders given for a schema of \(tables.count) columns")
        }
        for index in 0..<tables.count {
            let descriptor = builders[index].descriptor
            guard descriptor.type == tables.types[index],
                descriptor.maxRepetitionLevel == Int(tables.repetitionLevels[index]),
                descriptor.maxDefinitionLevel == Int(tables.plans[index].level)
            else {
                throw ParquetError(
                    .internalError, "column builder \(index) does not match the schema's column '\(tables.names[index])'")
            }
        }
        guard unknownKeys != .collect || tables.collectLeaf >= 0 else {
            throw ParquetError(
                .invalidOptions,
                "unknown_keys collect needs a schema that ends with a nullable json column for the keys "
                    + "(Schema.addingUnknownKeysColumn(named:))")
        }
        // A batch decoded before but neither committed nor abandoned counts for nothing.
        tally.abandonBatch()
        guard let base = bytes.baseAddress, bytes.count > 0 else { return JSONBatchOutcome() }
        let start = builders.map { $0.mark() }
        let maximumDepth = max(self.maximumDepth, 0)
        let unknownKeys = self.unknownKeys
        let nullsInvalidValues = self.nullsInvalidValues
        let tally = self.tally
        do {
            var outcome = try withExtendedLifetime(tables) { () throws(ParquetError) -> JSONBatchOutcome in
                try builders.withUnsafeMutableBufferPointer { buffer throws(ParquetError) -> JSONBatchOutcome in
                    var parser = _JSONBatchParser(
                        input: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, tables: tables,
                        builders: buffer, maximumDepth: maximumDepth, unknownKeys: unknownKeys, tally: tally,
                        nullsInvalidValues: nullsInvalidValues)
                    defer { parser.release() }
                    return try parser.run(policy: policy, framing: framing)
                }
            }
            outcome.unknownKeys = tally.batchCounts()
            return outcome
        } catch {
            tally.abandonBatch()
            for index in builders.indices { builders[index].rollBack(to: start[index]) }
            throw error
        }
    }
}

/// How the decoder converts JSON values for one column; plain data, read in the hot loop.
struct _ColumnPlan {
    enum Kind: UInt8 {
        /// int8, int16, int32, uint8, uint16: INT32 storage, range low...high.
        case smallInteger
        case uint32, int64, uint64
        case float32, float64, boolean
        case string, binary, fixedBinary, uuid, json
        case date, time32, time64, timestamp, decimal
    }

    var kind: Kind
    var nullable: Bool
    /// The definition level of a present value.
    var level: UInt8
    /// The leaf sits under a list, struct or map: levels go through the builder's nested
    /// appends (``ColumnBuilder/appendPresent()``, ``ColumnBuilder/appendAbsent(definition:repetition:)``).
    var nested = false
    var low: Int64 = 0
    var high: Int64 = 0
    /// Time and timestamp units per second, and nanoseconds per unit.
    var perSecond: Int64 = 1
    var nanosecondsPerUnit: Int64 = 1
    var precision = 0
    var scale = 0
    var fixedLength = 0
}

/// A top-level field as the record loop sees it: its name as bytes and where its values go.
struct _FieldKey {
    /// The name needs no escaping in JSON, so raw key bytes can be compared with it.
    var simpleName: Bool
    var nameStart: Int
    var nameLength: Int
    var nameHash: UInt64
    var nullable: Bool
    /// The field's leaf column when the field is a leaf, else -1.
    var leaf: Int32
    /// The field's node in ``_DecoderTables/nodes`` when it is nested, else -1.
    var node: Int32
}

/// The schema digested for decoding: column plans (one per leaf, in leaf order), top-level
/// field names as bytes, a hash table of names, and the tree of nested fields. Immutable after
/// init, so copies of a decoder share it safely.
final class _DecoderTables: @unchecked Sendable {
    /// The number of leaf columns (plans, builders).
    let count: Int
    /// The number of top-level fields (keys), the collect column left out.
    let fieldCount: Int
    /// The collect column's leaf (the last one), or -1 when unknown keys are not collected.
    let collectLeaf: Int
    let plans: UnsafeMutablePointer<_ColumnPlan>
    let keys: UnsafeMutablePointer<_FieldKey>
    /// The top-level field names, each followed by a quote, then 8 zero bytes.
    let nameBytes: UnsafeMutablePointer<UInt8>
    /// Open addressing: a field index, or -1 for an empty slot.
    let slots: UnsafeMutablePointer<Int32>
    let slotMask: Int
    /// Leaf column names (dotted paths) and types.
    let names: [String]
    let types: [DataType]
    let repetitionLevels: [UInt8]
    /// Top-level field names.
    let fieldNames: [String]
    /// The nested fields' nodes; empty for a flat schema.
    let nestedTree: _NestedTree
    /// ``nestedTree``'s nodes, children and name bytes copied into allocated tables, which the
    /// decoding walk reads: an array read there cost a bounds check and a load of the array
    /// first (about 60 instructions more per struct field than a top-level field's read).
    let nestedNodes: UnsafeMutablePointer<_NestedNode>
    let nestedChildren: UnsafeMutablePointer<Int>
    let nestedNameBytes: UnsafeMutablePointer<UInt8>
    /// Per entry of ``nestedTree``'s children, the child as a struct field (``_NestedField``).
    let nestedFields: UnsafeMutablePointer<_NestedField>

    /// Digests `schema`.
    /// - Parameters:
    ///   - schema: The columns.
    ///   - collect: The last field is the collect column: no record key maps to it.
    init(schema: Schema, collect: Bool = false) {
        var fields = schema.fields
        let leaves = schema.leafColumns
        // The collect column is filled from the keys no field has, so it is not a key itself.
        let collects = collect && !fields.isEmpty && fields[fields.count - 1].type == .json && fields[fields.count - 1].nullable
        if collects { fields.removeLast() }
        count = leaves.count
        collectLeaf = collects ? leaves.count - 1 : -1
        fieldCount = fields.count
        names = leaves.map { $0.path.joined(separator: ".") }
        types = leaves.map(\.type)
        repetitionLevels = leaves.map { UInt8($0.maxRepetitionLevel) }
        fieldNames = fields.map(\.name)
        // Each name is followed by its closing quote, and the last by 8 bytes of padding, so
        // the record loop can compare `name"` with the input in whole words.
        let totalNameBytes = fields.reduce(0) { $0 + $1.name.utf8.count + 1 } + 8
        nameBytes = .allocate(capacity: totalNameBytes)
        nameBytes.initialize(repeating: 0, count: totalNameBytes)
        plans = .allocate(capacity: max(leaves.count, 1))
        keys = .allocate(capacity: max(fields.count, 1))
        var slotCount = 8
        while slotCount < 2 * fields.count { slotCount *= 2 }
        slotMask = slotCount - 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: -1, count: slotCount)

        for (index, leaf) in leaves.enumerated() {
            var plan = _ColumnPlan(kind: .string, nullable: leaf.nullable, level: UInt8(leaf.maxDefinitionLevel))
            plan.nested = leaf.path.count > 1
            Self.configure(&plan, for: leaf.type)
            (plans + index).initialize(to: plan)
        }

        var tree = _NestedTree()
        var nameOffset = 0
        var leafIndex = 0
        for (index, field) in fields.enumerated() {
            let utf8 = Array(field.name.utf8)
            for (offset, byte) in utf8.enumerated() { nameBytes[nameOffset + offset] = byte }
            nameBytes[nameOffset + utf8.count] = _JSON.quote
            let hash = _keyHash(UnsafePointer(nameBytes + nameOffset), utf8.count)
            var key = _FieldKey(
                simpleName: _JSON.isWrittenAsIs(utf8),
                nameStart: nameOffset, nameLength: utf8.count, nameHash: hash, nullable: field.nullable,
                leaf: -1, node: -1)
            if field.type.isNested {
                key.node = Int32(tree.add(field, path: field.name, parentDefinition: 0, repetition: 0, leaf: &leafIndex))
            } else {
                key.leaf = Int32(leafIndex)
                leafIndex += 1
            }
            (keys + index).initialize(to: key)
            nameOffset += utf8.count + 1

            var slot = Int(truncatingIfNeeded: hash) & slotMask
            while slots[slot] >= 0 { slot = (slot + 1) & slotMask }
            slots[slot] = Int32(index)
        }
        // A word past the last name is readable: names are compared a word at a time.
        tree.nameBytes.append(contentsOf: repeatElement(0, count: 8))
        nestedTree = tree
        nestedNodes = Self.table(tree.nodes)
        nestedChildren = Self.table(tree.children)
        nestedNameBytes = Self.table(tree.nameBytes)
        nestedFields = Self.table(_NestedField.fields(of: tree))
    }

    /// An allocated copy of `elements` (room for one element at least, so never a null
    /// allocation). Plain data only: the tables are freed without being deinitialized.
    private static func table<Element>(_ elements: [Element]) -> UnsafeMutablePointer<Element> {
        let table = UnsafeMutablePointer<Element>.allocate(capacity: max(elements.count, 1))
        elements.withUnsafeBufferPointer { table.initialize(from: $0.baseAddress!, count: $0.count) }
        return table
    }

    deinit {
        plans.deinitialize(count: count)
        plans.deallocate()
        keys.deinitialize(count: fieldCount)
        keys.deallocate()
        nameBytes.deallocate()
        slots.deallocate()
        nestedNodes.deallocate()
        nestedChildren.deallocate()
        nestedNameBytes.deallocate()
        nestedFields.deallocate()
    }

    private static func configure(_ plan: inout _ColumnPlan, for type: DataType) {
        // Ranges come from the one table every producer uses (DataType+IntegerRange.swift);
        // int64, uint64 and uint32 have kinds of their own, checked by width.
        if let range = type.integerRange, range.lowerBound >= Int128(Int64.min), range.upperBound <= Int128(Int64.max) {
            plan.low = Int64(range.lowerBound)
            plan.high = Int64(range.upperBound)
        }
        switch type {
        case .boolean: plan.kind = .boolean
        case .int8, .int16, .int32, .uint8, .uint16: plan.kind = .smallInteger
        case .uint32: plan.kind = .uint32
        case .int64: plan.kind = .int64
        case .uint64: plan.kind = .uint64
        case .float32: plan.kind = .float32
        case .float64: plan.kind = .float64
        case .string: plan.kind = .string
        case .binary: plan.kind = .binary
        case .fixedBinary(let length):
            plan.kind = .fixedBinary
            plan.fixedLength = length
        case .uuid:
            plan.kind = .uuid
            plan.fixedLength = 16
        case .json: plan.kind = .json
        case .date: plan.kind = .date
        case .time(let unit):
            plan.kind = unit == .milliseconds ? .time32 : .time64
            plan.perSecond = unit.perSecond
            plan.nanosecondsPerUnit = 1_000_000_000 / unit.perSecond
        case .timestamp(let unit, _):
            plan.kind = .timestamp
            plan.perSecond = unit.perSecond
            plan.nanosecondsPerUnit = 1_000_000_000 / unit.perSecond
        case .decimal(let precision, let scale):
            plan.kind = .decimal
            plan.precision = precision
            plan.scale = scale
        case .list, .struct, .map:
            // Never a leaf.
            plan.kind = .json
        }
    }
}

/// FNV-1a over the bytes of a key.
@inline(__always)
func _keyHash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for index in 0..<count { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3 }
    return hash
}
