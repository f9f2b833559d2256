/// How many records carried one key that is not in the schema.
public struct UnknownKeyCount: Sendable, Equatable {
    /// The key: its name for a top-level key, the dotted path of the object it was found in
    /// and the key for one inside a struct (`address.zip`, `items.list.element.note`), or
    /// ``overflowName`` for the keys past ``maximumNames``.
    public var name: String
    /// Records that carried the key (a record counts once however often the key appears in
    /// it, as in a list of structs). Records left out under `on_invalid: skip` do not count.
    public var records: Int

    /// The most distinct unknown key names a writer tracks by name, so that records with
    /// ever new keys (ids used as keys) cannot grow its memory without bound.
    public static let maximumNames = 1_000

    /// The name under which records carrying keys past ``maximumNames`` are counted (each
    /// record once).
    public static let overflowName = "(other)"

    /// Creates a count.
    public init(name: String, records: Int) {
        self.name = name
        self.records = records
    }
}
