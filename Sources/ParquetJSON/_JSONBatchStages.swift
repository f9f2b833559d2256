import Parquet

/// The decoding half shared by ``JSONBatchWriter`` and ``JSONDatasetWriter``: the reused
/// decoder and the column builders it decodes into.
struct _JSONBatchStages {
    let policy: InvalidRecordPolicy
    private var decoder: JSONBatchDecoder
    /// The batch's rows; the writer is done with them when its call returns, so they are
    /// cleared in place for the next batch.
    private(set) var builders: [ColumnBuilder]
    /// With several threads, the builders the batch's later pieces are parsed into.
    private var spare: [[ColumnBuilder]] = []

    init(schema: Schema, policy: InvalidRecordPolicy, unknownKeys: UnknownKeyPolicy) {
        self.policy = policy
        decoder = JSONBatchDecoder(schema: schema, unknownKeys: unknownKeys)
        builders = schema.leafColumns.map { ColumnBuilder(descriptor: $0) }
    }

    /// Decodes a batch into ``builders``, on the threads of `pool` when it has more than one.
    /// - Returns: What the decoder accepted and rejected.
    /// - Throws: `ParquetError` for malformed JSON, or an invalid record under `.fail`.
    mutating func decode(_ json: UnsafeRawBufferPointer, pool: WorkerPool?) throws(ParquetError) -> JSONBatchOutcome {
        for index in builders.indices { builders[index].removeAll() }
        guard let pool, pool.width > 1 else { return try decoder.decode(json, into: &builders, policy: policy) }
        return try decoder.decode(json, into: &builders, policy: policy, pool: pool, spare: &spare)
    }

    /// Counts the unknown keys of the batch the writer took.
    func accepted() {
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
