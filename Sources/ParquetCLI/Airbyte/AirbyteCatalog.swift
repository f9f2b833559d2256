import ParquetJSON

/// A configured catalog: the streams a sync sends, as the platform gives it to a destination
/// (`{"streams": [{"stream": {"name", "namespace", "json_schema", ...}, "sync_mode",
/// "destination_sync_mode"}]}`).
struct AirbyteCatalog {
    /// The streams, in catalog order.
    var streams: [AirbyteConfiguredStream]

    /// Reads a configured catalog.
    /// - Parameter json: The parsed catalog file.
    /// - Throws: `AirbyteCatalogError` for a catalog without `streams`, a stream without a
    ///   string `name`, a repeated stream, a `json_schema` that is not an object, names that
    ///   cannot be directory names, or two streams whose directories would nest (a stream
    ///   `a` without namespace and a namespace `a`).
    init(json: JSONValue) throws(AirbyteCatalogError) {
        guard case .array(let entries)? = json["streams"] else {
            throw AirbyteCatalogError("the catalog has no 'streams' array")
        }
        var streams: [AirbyteConfiguredStream] = []
        var directories: Set<String> = []
        for (index, entry) in entries.enumerated() {
            guard case .object = entry, case .object? = entry["stream"] else {
                throw AirbyteCatalogError("catalog stream \(index) has no 'stream' object")
            }
            let stream = entry["stream"]!
            guard case .string(let name)? = stream["name"] else {
                throw AirbyteCatalogError("catalog stream \(index) has no string 'stream.name'")
            }
            var configured = AirbyteConfiguredStream(name: name)
            switch stream["namespace"] {
            case .string(let namespace)?: configured.namespace = namespace
            case .null?, nil: break
            default: throw AirbyteCatalogError("stream '\(name)': 'namespace' must be a string or null")
            }
            switch stream["json_schema"] {
            case let schema? where schema.typeName == "object": configured.jsonSchema = schema
            case .null?, nil: break
            default: throw AirbyteCatalogError("stream '\(name)': 'json_schema' must be an object")
            }
            if case .string(let mode)? = entry["sync_mode"] { configured.syncMode = mode }
            if case .string(let mode)? = entry["destination_sync_mode"] { configured.destinationSyncMode = mode }
            configured.generationID = try Self.integer(entry["generation_id"], "generation_id", stream: name)
            configured.syncID = try Self.integer(entry["sync_id"], "sync_id", stream: name) ?? 0
            let directory = try configured.relativeDirectory()
            guard directories.insert(directory).inserted else {
                throw AirbyteCatalogError("the stream '\(configured.displayName)' is in the catalog twice")
            }
            streams.append(configured)
        }
        // A stream's dataset must not hold another's: `DIR/a/**` would read both.
        for stream in streams where stream.namespace == nil {
            let directory = try stream.relativeDirectory()
            if let other = streams.first(where: { $0.namespace != nil && (try? $0.relativeDirectory())?.hasPrefix(directory + "/") == true }) {
                throw AirbyteCatalogError(
                    "the stream '\(stream.name)' (no namespace) and the stream '\(other.displayName)' would share the directory '\(directory)'")
            }
        }
        self.streams = streams
    }

    /// An optional integer member of a configured stream.
    /// - Parameters:
    ///   - value: The member's value, nil when absent.
    ///   - key: Its name, for the message.
    ///   - stream: The stream's name, for the message.
    /// - Returns: The integer; nil when absent or null.
    /// - Throws: `AirbyteCatalogError` for a value that is not an integer of 64 bits.
    private static func integer(_ value: JSONValue?, _ key: String, stream: String) throws(AirbyteCatalogError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .number(let text)?:
            if let integer = Int64(text) { return integer }
            // `3.0` is an integer written as a float by some JSON libraries.
            if let double = Double(text), double == double.rounded(), abs(double) < 9.0e18 { return Int64(double) }
            fallthrough
        default:
            throw AirbyteCatalogError("stream '\(stream)': '\(key)' must be an integer")
        }
    }
}
