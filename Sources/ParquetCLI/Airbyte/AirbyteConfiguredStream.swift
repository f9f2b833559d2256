import ParquetJSON

/// One stream of a configured catalog: what the destination writes for it and where.
struct AirbyteConfiguredStream {
    /// The stream's name, as records carry it.
    var name: String
    /// The stream's namespace, nil for none.
    var namespace: String?
    /// The stream's JSON Schema (the columns), nil when the catalog has none.
    var jsonSchema: JSONValue?
    /// `full_refresh` or `incremental`.
    var syncMode: String?
    /// `append`, `overwrite` or `append_dedup`.
    var destinationSyncMode: String?
    /// The generation this sync writes (`generation_id`; nil when the catalog has none): each
    /// record's `_airbyte_generation_id` (0 for nil), and under `overwrite` what ties a retried
    /// attempt to the records its failed predecessor committed.
    var generationID: Int64?
    /// The sync's id (`sync_id`; 0 when the catalog has none), in each record's `_airbyte_meta`.
    var syncID: Int64 = 0

    /// Where the stream's dataset goes under the output directory: `<name>`, or
    /// `<namespace>/<name>`, each escaped (see ``AirbytePathComponent``).
    /// - Throws: `AirbyteCatalogError` for a name that cannot be a directory name.
    func relativeDirectory() throws(AirbyteCatalogError) -> String {
        let leaf = try AirbytePathComponent.escape(name, what: "stream")
        guard let namespace else { return leaf }
        return try AirbytePathComponent.escape(namespace, what: "namespace") + "/" + leaf
    }

    /// The stream for messages: `name`, or `namespace.name`.
    var displayName: String {
        namespace.map { "\($0).\(name)" } ?? name
    }
}
