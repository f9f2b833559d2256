import Parquet

/// The decoding half shared by ``JSONBatchWriter`` and ``JSONDatasetWriter``: the reused
/// decoder and one or two sets of column builders to decode into.
struct _JSONBatchStages {
    let policy: InvalidRecordPolicy
    private var decoder: JSONBatchDecoder
    /// One set of builders, or two when the writer encodes in the background: the caller
    /// fills one while the writer's thread still reads the other.
    private(set) var stages: [[ColumnBuilder]]
    private var nextStage = 0

    init(schema: Schema, policy: InvalidRecordPolicy, unknownKeys: UnknownKeyPolicy, pipelined: Bool) {
        self.policy = policy
        decoder = JSONBatchDecoder(schema: schema, unknownKeys: unknownKeys)
        let builders = schema.leafColumns.map { ColumnBuilder(descriptor: $0) }
        stages = Array(repeating: builders, count: pipelined ? 2 : 1)
    }

    /// Decodes a batch into the next stage's builders.
    /// - Returns: The stage holding the batch, and what the decoder accepted and rejected.
    /// - Throws: `ParquetError` for malformed JSON, or an invalid record under `.fail`.
    mutating func decode(_ json: UnsafeRawBufferPointer) throws(ParquetError) -> (stage: Int, outcome: JSONBatchOutcome) {
        let stage = nextStage
        // The writer finished with this stage's builders before it took the other stage's
        // (it encodes one batch at a time), so they are no longer shared: cleared in place.
        for index in stages[stage].indices { stages[stage][index].removeAll() }
        let outcome = try decoder.decode(json, into: &stages[stage], policy: policy)
        return (stage, outcome)
    }

    /// Moves on to the other stage once the batch in `stage` was handed over, and counts its
    /// unknown keys.
    mutating func advance(past stage: Int) {
        nextStage = (stage + 1) % stages.count
        decoder.commitUnknownKeys()
    }

    /// Forgets the unknown keys of a decoded batch the writer refused.
    func refused() {
        decoder.abandonUnknownKeys()
    }

    /// What keys outside the schema do.
    var unknownKeys: UnknownKeyPolicy { decoder.unknownKeys }

    /// The unknown keys of the batches written so far.
    var unknownKeyTotals: [UnknownKeyCount] { decoder.unknownKeyTotals }
}

extension String {
    /// Runs `body` over the string's UTF-8 bytes, carrying its typed error out (closures
    /// with typed throws cannot go through `withUTF8` directly).
    func _withJSONBytes<T>(_ body: (UnsafeRawBufferPointer) throws(ParquetError) -> T) throws(ParquetError) -> T {
        var text = self
        var result: Result<T, ParquetError>?
        text.withUTF8 { bytes in
            do throws(ParquetError) { result = .success(try body(UnsafeRawBufferPointer(bytes))) } catch {
                result = .failure(error)
            }
        }
        return try result!.get()
    }
}
