/// What a batch does with a record's keys that are not in the schema (`unknown_keys`).
///
/// Whatever the policy, the keys seen are counted and reported (``JSONBatchResult/unknownKeys``).
public enum UnknownKeyPolicy: String, Sendable, Hashable, CaseIterable {
    /// The record is written without them (the default).
    case ignore
    /// The first one rejects the whole batch as invalid input, whatever `on_invalid` says:
    /// nothing of the batch is written, earlier batches stay.
    case fail
    /// The record's unknown top-level members are kept, as one JSON object, in a nullable json
    /// column added to the schema (``WriterConfiguration/unknownKeysColumn``). Unknown keys of
    /// nested objects are only reported.
    case collect
}
