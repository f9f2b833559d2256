import Parquet

extension JSONBatchDecoder {
    /// The smallest piece worth a thread of its own: below it, starting and joining pieces
    /// costs more than parsing them together.
    static let minimumPieceBytes = 1 << 20

    /// Decodes a batch on the threads of `pool`: NDJSON is cut at newlines, a JSON array
    /// between records, into a piece per thread, each parsed into builders of its own, and the
    /// pieces are joined into `builders` in record order. Row numbers and byte offsets of
    /// rejected records are the batch's.
    ///
    /// A cut is only a guess that a record ends there (a record may span lines; `},{` also
    /// separates the structs of a list): each piece but the last must parse to its end as whole
    /// records (an array's followed by a comma), which proves that the next piece starts at a
    /// record, since every piece is parsed from a true record start, by induction from the
    /// batch's. When a piece fails (malformed JSON, a record that spans a cut, an invalid
    /// record under `.fail`), or a piece meets keys outside the schema (whose counts and names
    /// depend on the order they first appear in), the batch is decoded again on one thread,
    /// which gives exactly the result and error one thread gives. A small batch or a
    /// one-thread pool is decoded on one thread.
    /// - Parameters:
    ///   - bytes: The batch.
    ///   - builders: Empty builders, one per leaf; they get the batch's accepted rows.
    ///   - policy: What an invalid record does.
    ///   - pool: The threads.
    ///   - spare: Builders the pieces after the first are parsed into, kept for the next batch.
    /// - Returns: As ``decode(_:into:policy:)``.
    /// - Throws: As ``decode(_:into:policy:)``.
    package mutating func decode(
        _ bytes: UnsafeRawBufferPointer, into builders: inout [ColumnBuilder], policy: InvalidRecordPolicy,
        pool: WorkerPool, spare: inout [[ColumnBuilder]]
    ) throws(ParquetError) -> JSONBatchOutcome {
        lastPieceCount = 1
        let (cuts, array) = Self.pieces(of: bytes, count: pool.width)
        guard cuts.count > 2, builders.allSatisfy({ $0.rowCount == 0 }) else {
            return try decode(bytes, into: &builders, policy: policy)
        }
        let pieceCount = cuts.count - 1
        while spare.count < pieceCount - 1 { spare.append(builders.map { ColumnBuilder(descriptor: $0.descriptor) }) }
        // Moved, not copied, into `sets`: each builder's buffers stay uniquely held, so clearing
        // and refilling them reuses their capacity instead of allocating new ones every batch.
        var sets = [builders]
        builders = []
        for set in 0..<(pieceCount - 1) {
            sets.append(spare[set])
            spare[set] = []
            for index in sets[set + 1].indices { sets[set + 1][index].removeAll() }
        }
        var decoders = (0..<pieceCount).map { _ in JSONBatchDecoder(piecesOf: self) }
        var results = [Result<JSONBatchOutcome, ParquetError>?](repeating: nil, count: pieceCount)
        sets.withUnsafeMutableBufferPointer { sets in
            decoders.withUnsafeMutableBufferPointer { decoders in
                results.withUnsafeMutableBufferPointer { results in
                    pool.forEach(pieceCount) { piece, _ in
                        let slice = UnsafeRawBufferPointer(rebasing: bytes[cuts[piece]..<cuts[piece + 1]])
                        do throws(ParquetError) {
                            let framing = _BatchFraming.of(piece: piece, count: pieceCount, array: array)
                            results[piece] = .success(
                                try decoders[piece].decode(slice, into: &sets[piece], policy: policy, framing: framing))
                        } catch {
                            results[piece] = .failure(error)
                        }
                    }
                }
            }
        }
        builders = sets[0]
        for set in 1..<pieceCount { spare[set - 1] = sets[set] }
        sets = []
        var outcomes: [JSONBatchOutcome] = []
        for (piece, result) in results.enumerated() {
            guard case .success(let outcome)? = result, outcome.unknownKeys.isEmpty,
                  decoders[piece].tally.batchCounts().isEmpty
            else {
                // One thread decides: the exact error, or the unknown keys in their order.
                for index in builders.indices { builders[index].removeAll() }
                return try decode(bytes, into: &builders, policy: policy)
            }
            outcomes.append(outcome)
        }
        // Joined in record order, a column per task.
        builders.withUnsafeMutableBufferPointer { builders in
            let spare = spare
            pool.forEach(builders.count) { column, _ in
                for set in 0..<(pieceCount - 1) { builders[column].appendContents(of: spare[set][column]) }
            }
        }
        var joined = JSONBatchOutcome()
        var firstRow = 0
        for (piece, outcome) in outcomes.enumerated() {
            joined.rowsAccepted += outcome.rowsAccepted
            joined.rejected += outcome.rejected.map { Self.moved($0, rows: firstRow, bytes: cuts[piece]) }
            joined.nulled += outcome.nulled.map { Self.moved($0, rows: firstRow, bytes: cuts[piece]) }
            firstRow += outcome.rowsAccepted + outcome.rejected.count
        }
        // Nothing counted in this decoder's tally for the batch: no piece met an unknown key.
        tally.abandonBatch()
        lastPieceCount = pieceCount
        return joined
    }

    /// An error of a piece, with its row and byte offset counted from the batch's start.
    private static func moved(_ error: ParquetError, rows: Int, bytes: Int) -> ParquetError {
        var error = error
        if let row = error.row { error.row = row + rows }
        if let offset = error.offset { error.offset = offset + bytes }
        return error
    }

    /// Where to cut a batch into at most `count` pieces of at least ``minimumPieceBytes``:
    /// NDJSON after a newline, a JSON array at the `{` of a record (see ``arrayCut(in:from:key:)``).
    /// - Parameters:
    ///   - bytes: The batch.
    ///   - count: The most pieces wanted (the threads).
    /// - Returns: The pieces' bounds, from 0 to the end (just `[0, end]` for a batch too small
    ///   to cut, or one that is neither), and whether the batch is an array.
    static func pieces(of bytes: UnsafeRawBufferPointer, count: Int) -> (cuts: [Int], array: Bool) {
        let total = bytes.count
        let pieces = Swift.min(count, total / minimumPieceBytes)
        let first = whitespaceEnd(in: bytes, from: 0)
        guard pieces > 1, first < total else { return ([0, total], false) }
        let array = bytes[first] == _JSON.openBracket
        var key: Range<Int>?
        if array {
            key = firstKey(in: bytes, after: first)
            guard key != nil else { return ([0, total], true) }
        } else {
            guard bytes[first] == _JSON.openBrace else { return ([0, total], false) }
        }
        var cuts = [0]
        for piece in 1..<pieces {
            let from = Swift.max(total / pieces * piece, cuts[cuts.count - 1] + 1)
            let at: Int
            if let key {
                at = arrayCut(in: bytes, from: from, key: key)
            } else {
                var newline = from
                while newline < total && bytes[newline] != 0x0A { newline += 1 }
                at = newline + 1
            }
            guard at < total else { break }
            cuts.append(at)
        }
        cuts.append(total)
        return (cuts, array)
    }

    /// The first record's first key, quotes included, when the array's first element is an
    /// object whose first key has no escapes: a record starts with it where a serializer wrote
    /// the batch (every record's keys in one order), which tells a record's `{` from a struct's
    /// inside a list of structs.
    private static func firstKey(in bytes: UnsafeRawBufferPointer, after open: Int) -> Range<Int>? {
        let brace = whitespaceEnd(in: bytes, from: open + 1)
        guard brace < bytes.count, bytes[brace] == _JSON.openBrace else { return nil }
        let quote = whitespaceEnd(in: bytes, from: brace + 1)
        guard quote < bytes.count, bytes[quote] == _JSON.quote else { return nil }
        var end = quote + 1
        while end < bytes.count && bytes[end] != _JSON.quote {
            if bytes[end] == _JSON.backslash { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        return quote..<(end + 1)
    }

    /// The first `{` at or after `from` that may start a record of a batch array: after `}`
    /// and `,` (whitespace between allowed), and followed by the first record's first `key`.
    /// - Returns: Its offset, or the end of `bytes` when there is none.
    private static func arrayCut(in bytes: UnsafeRawBufferPointer, from: Int, key: Range<Int>) -> Int {
        let total = bytes.count
        var at = from
        while at < total {
            if bytes[at] == _JSON.openBrace, startsRecord(bytes, at: at, key: key) { return at }
            at += 1
        }
        return total
    }

    private static func startsRecord(_ bytes: UnsafeRawBufferPointer, at brace: Int, key: Range<Int>) -> Bool {
        var before = brace - 1
        while before >= 0 && isWhitespace(bytes[before]) { before -= 1 }
        guard before > 0, bytes[before] == _JSON.comma else { return false }
        before -= 1
        while before >= 0 && isWhitespace(bytes[before]) { before -= 1 }
        guard before >= 0, bytes[before] == _JSON.closeBrace else { return false }
        let start = whitespaceEnd(in: bytes, from: brace + 1)
        guard start + key.count <= bytes.count else { return false }
        for offset in 0..<key.count where bytes[start + offset] != bytes[key.lowerBound + offset] { return false }
        return true
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func whitespaceEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count && isWhitespace(bytes[index]) { index += 1 }
        return index
    }
}
