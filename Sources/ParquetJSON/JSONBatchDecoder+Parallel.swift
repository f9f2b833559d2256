import Parquet

extension JSONBatchDecoder {
    /// The smallest piece worth a thread of its own: below it, starting and joining pieces
    /// costs more than parsing them together.
    static let minimumPieceBytes = 1 << 20

    /// Decodes a batch on the threads of `pool`: NDJSON is cut at newlines into a piece per
    /// thread, each parsed into builders of its own, and the pieces are joined into `builders`
    /// in record order. Row numbers and byte offsets of rejected records are the batch's.
    ///
    /// A cut is only a guess that a record ends at that newline (a record may span lines):
    /// each piece but the last must parse to its end as whole records, which proves that the
    /// next piece starts at a record. When a piece fails (malformed JSON, a record that spans
    /// a cut, an invalid record under `.fail`), or a piece meets keys outside the schema
    /// (whose counts and names depend on the order they first appear in), the batch is
    /// decoded again on one thread, which gives exactly the result and error one thread
    /// gives. A JSON array, a small batch or a one-thread pool is decoded on one thread.
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
        let cuts = Self.pieces(of: bytes, count: pool.width)
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
                            results[piece] = .success(try decoders[piece].decode(slice, into: &sets[piece], policy: policy))
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
        return joined
    }

    /// An error of a piece, with its row and byte offset counted from the batch's start.
    private static func moved(_ error: ParquetError, rows: Int, bytes: Int) -> ParquetError {
        var error = error
        if let row = error.row { error.row = row + rows }
        if let offset = error.offset { error.offset = offset + bytes }
        return error
    }

    /// Where to cut NDJSON `bytes` into at most `count` pieces of at least
    /// ``minimumPieceBytes``, each after a newline: the pieces' bounds, from 0 to the end
    /// (just `[0, end]` for a JSON array, which starts with `[`, or a batch too small to cut).
    static func pieces(of bytes: UnsafeRawBufferPointer, count: Int) -> [Int] {
        let total = bytes.count
        let pieces = Swift.min(count, total / minimumPieceBytes)
        guard pieces > 1, let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              bytes[first] == _JSON.openBrace
        else { return [0, total] }
        var cuts = [0]
        for piece in 1..<pieces {
            var at = Swift.max(total / pieces * piece, cuts[cuts.count - 1])
            while at < total && bytes[at] != 0x0A { at += 1 }
            guard at + 1 < total else { break }
            if at + 1 > cuts[cuts.count - 1] { cuts.append(at + 1) }
        }
        cuts.append(total)
        return cuts
    }
}
