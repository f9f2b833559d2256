import Parquet

/// Keys outside the schema as the record loop meets them: counted in the tally, refused
/// under `unknown_keys: fail`, and under `collect` gathered into the collect column.
extension _JSONBatchParser {
    /// Counts a key outside the schema (`node` -1: a record's key; else the struct node whose
    /// object holds it), or fails the batch under `unknown_keys: fail`.
    /// - Throws: `ParquetError` `.invalidRecord` naming the key, under `.fail`.
    mutating func unknownKey(
        node: Int32, _ key: UnsafePointer<UInt8>, length: Int, hash: UInt64, keyStart: Int
    ) throws(ParquetError) {
        recordHasUnknown = true
        if unknownPolicy != .fail && tally.note(node: node, key: key, length: length, hash: hash) { return }
        let text = String(decoding: UnsafeBufferPointer(start: key, count: length), as: UTF8.self)
        let name = node < 0 ? text : nestedTree.paths[Int(node)] + "." + text
        guard unknownPolicy != .fail else {
            unknownKeyFailed = true
            throw ParquetError(
                .invalidRecord, "the key '\(name)' is not in the schema (unknown_keys: fail)", column: name, row: row,
                offset: keyStart)
        }
        tally.insert(node: node, key: key, length: length, hash: hash, name: name)
    }

    /// Appends the current record's collected members to the collect column: one JSON object
    /// of the members' text as written, or null when the record had none.
    /// - Throws: `ParquetError` `.limitExceeded` when the object is larger than a value may be.
    mutating func appendCollected() throws(ParquetError) {
        let leaf = collectLeaf
        guard !collectSpans.isEmpty else {
            stages[leaf].appendNull()
            return
        }
        let members = collectSpans.count / 4
        // Braces, commas, and per member its key, a colon and its value.
        var length = 2 + members - 1
        for member in 0..<members {
            let base = member * 4
            length += collectSpans[base + 1] - collectSpans[base] + 1 + collectSpans[base + 3] - collectSpans[base + 2]
        }
        guard length <= ColumnBuilder.maximumValueBytes else {
            let start = collectSpans[0]
            collectSpans.removeAll(keepingCapacity: true)
            throw ParquetError(
                .limitExceeded,
                "the record's unknown keys make \(length) bytes of JSON, more than a value of column '\(names[leaf])' may hold "
                    + "(\(ColumnBuilder.maximumValueBytes))",
                column: names[leaf], row: row, offset: start)
        }
        // Raw bytes, as the byte cursor writes every value.
        let output = stages[leaf].bytes.reserve(length)
        var written = 0
        @inline(__always) func put(_ byte: UInt8) {
            output.storeBytes(of: byte, toByteOffset: written, as: UInt8.self)
            written += 1
        }
        @inline(__always) func copy(_ from: Int, _ to: Int) {
            (output + written).copyMemory(from: input + from, byteCount: to - from)
            written += to - from
        }
        put(_JSON.openBrace)
        for member in 0..<members {
            let base = member * 4
            if member > 0 { put(_JSON.comma) }
            copy(collectSpans[base], collectSpans[base + 1])
            put(_JSON.colon)
            copy(collectSpans[base + 2], collectSpans[base + 3])
        }
        put(_JSON.closeBrace)
        stages[leaf].bytes.didAppend(written)
        if plans[leaf].nullable { stages[leaf].definitionLevels.append(plans[leaf].level) }
        stages[leaf].rowCount &+= 1
        stages[leaf].endByteArrayValue()
        collectSpans.removeAll(keepingCapacity: true)
    }

    /// Remembers an unknown top-level member of the current record for the collect column:
    /// where its key (quotes included) and its value are in the input.
    @inline(__always)
    mutating func collectMember(keyStart: Int, keyEnd: Int, valueStart: Int, valueEnd: Int) {
        // Four appends, not an array literal: a literal would allocate for every member.
        collectSpans.append(keyStart)
        collectSpans.append(keyEnd)
        collectSpans.append(valueStart)
        collectSpans.append(valueEnd)
    }
}
