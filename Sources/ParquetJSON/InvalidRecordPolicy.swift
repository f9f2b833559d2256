/// What a batch does with a record that does not fit the schema.
public enum InvalidRecordPolicy: String, Sendable, Hashable {
    /// One invalid record rejects the whole batch; nothing of it is written.
    case fail
    /// Invalid records are left out and reported; the valid ones are written.
    case skip
}
