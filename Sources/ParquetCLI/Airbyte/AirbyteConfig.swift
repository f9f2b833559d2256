import Parquet
import ParquetJSON

/// The destination's configuration, as the Airbyte platform passes it (`--config F`): a JSON
/// object whose keys are those of ``AirbyteSpecification/connectionSpecification``.
///
/// `destination_path` is the directory the streams' datasets go in. The writer keys
/// (compression, row groups, files, partitioning, sorting, unknown keys...) are the C ABI's
/// configuration keys with the same meaning and the same checks, because they are handed to
/// ``WriterConfiguration`` as they are; `partition_by` and `sort_by` also take the command
/// line's `column:transform` / `column:desc` strings, easier to type in a connector form. The
/// schema, the output and the mode come from the catalog, so those keys are refused.
struct AirbyteConfig {
    /// The directory the streams' datasets go in.
    var destinationPath: String
    /// The writer configuration's members common to every stream.
    var writerMembers: [(key: String, value: JSONValue)]
    /// Batching and bad-input handling.
    var options: AirbyteDestinationOptions

    /// Keys handed to ``WriterConfiguration`` unchanged.
    static let writerKeys: Set<String> = [
        "compression", "compression_level", "row_group_rows", "row_group_bytes", "page_bytes", "column_buffer_bytes",
        "dictionary", "metadata", "file_prefix", "max_rows_per_file", "max_bytes_per_file", "max_open_files",
        "memory_limit_bytes", "write_partition_columns", "unknown_keys", "unknown_keys_column", "infer_strings",
    ]

    /// Reads a configuration.
    /// - Parameter json: The parsed `--config` file.
    /// - Throws: `AirbyteConfigError` naming the key at fault: not an object, no
    ///   `destination_path`, an unknown key or a value of the wrong kind. Writer values
    ///   (a codec's name, a limit) are checked by ``configuration(for:)`` and ``validate()``.
    init(json: JSONValue) throws(AirbyteConfigError) {
        guard case .object(let members) = json else {
            throw AirbyteConfigError("the configuration must be a JSON object, not \(json.typeName)")
        }
        var seen: Set<String> = []
        var path: String?
        var writerMembers: [(key: String, value: JSONValue)] = []
        var options = AirbyteDestinationOptions()
        // The Destinations V2 default: a value that does not fit is nulled and recorded in
        // `_airbyte_meta`, the record kept.
        var onInvalid = "null_field"
        func positive(_ value: JSONValue, _ key: String) throws(AirbyteConfigError) -> Int {
            guard case .number(let text) = value, let number = Int(text), number > 0 else {
                throw AirbyteConfigError("'\(key)' must be a positive integer")
            }
            return number
        }
        func string(_ value: JSONValue, _ key: String) throws(AirbyteConfigError) -> String {
            guard case .string(let text) = value else { throw AirbyteConfigError("'\(key)' must be a string") }
            return text
        }
        for (key, value) in members {
            guard seen.insert(key).inserted else { throw AirbyteConfigError("the key '\(key)' is given twice") }
            switch key {
            case "destination_path":
                let text = try string(value, key)
                guard !text.isEmpty else { throw AirbyteConfigError("'destination_path' must not be empty") }
                path = text
            case "on_invalid":
                onInvalid = try string(value, key)
                guard ["null_field", "skip", "fail"].contains(onInvalid) else {
                    throw AirbyteConfigError("'on_invalid' must be null_field, skip or fail, not '\(onInvalid)'")
                }
            case "on_malformed":
                let text = try string(value, key)
                guard let policy = MalformedLinePolicy(rawValue: text) else {
                    throw AirbyteConfigError("'on_malformed' must be fail or skip, not '\(text)'")
                }
                options.onMalformed = policy
            case "batch_rows": options.batchRows = try positive(value, key)
            case "batch_bytes": options.batchBytes = try positive(value, key)
            case "max_line_bytes": options.maximumLineBytes = try positive(value, key)
            case "partition_by", "sort_by":
                guard case .array(let entries) = value else { throw AirbyteConfigError("'\(key)' must be an array") }
                var converted: [JSONValue] = []
                for entry in entries {
                    guard case .string(let spec) = entry else {
                        converted.append(entry)  // an object, as the C ABI takes it
                        continue
                    }
                    do {
                        converted.append(key == "partition_by" ? try WriterFlags.partition(spec) : try WriterFlags.sortKey(spec))
                    } catch {
                        throw AirbyteConfigError("'\(key)': \(error)")
                    }
                }
                writerMembers.append((key, .array(converted)))
            case "schema", "json_schema", "mode", "directory", "path":
                throw AirbyteConfigError(
                    "'\(key)' is not taken: the catalog gives each stream's schema and sync mode, and its directory is under destination_path")
            case "threads":
                throw AirbyteConfigError("'threads' is not taken: the destination writes its streams on one thread")
            case let other where Self.writerKeys.contains(other):
                writerMembers.append((key, value))
            default:
                throw AirbyteConfigError("unknown key '\(key)'; see `parquet-writer airbyte spec` for the keys taken")
            }
        }
        guard let path else { throw AirbyteConfigError("'destination_path' is required") }
        // null_field keeps records invalid for another reason out (skip), reported.
        writerMembers.append(("on_invalid", .string(onInvalid == "fail" ? "fail" : "skip")))
        options.nullsInvalidValues = onInvalid == "null_field"
        destinationPath = path
        self.writerMembers = writerMembers
        self.options = options
    }

    /// Where a stream's dataset goes: `destination_path/<stream's directory>`.
    /// - Parameter stream: The catalog's stream.
    /// - Throws: `AirbyteCatalogError` for a name that cannot be a directory name.
    func directory(for stream: AirbyteConfiguredStream) throws(AirbyteCatalogError) -> String {
        let relative = try stream.relativeDirectory()
        return destinationPath.hasSuffix("/") ? destinationPath + relative : destinationPath + "/" + relative
    }

    /// A stream's writer configuration.
    /// - Parameter stream: The catalog's stream (its JSON Schema and sync mode are used).
    /// - Returns: The configuration of its dataset.
    /// - Throws: `AirbyteCatalogError` for a bad name, `ParquetError` for writer values that
    ///   cannot be used.
    func configuration(for stream: AirbyteConfiguredStream) throws -> WriterConfiguration {
        var members: [(key: String, value: JSONValue)] = [("directory", .string(try directory(for: stream)))]
        if let schema = stream.jsonSchema { members.append(("json_schema", schema)) }
        members.append(("mode", .string(stream.destinationSyncMode == "overwrite" ? "overwrite" : "append")))
        return try WriterConfiguration(json: .object(members + writerMembers))
    }

    /// Checks the writer values without a catalog, as `check` does.
    /// - Throws: `ParquetError` naming the key whose value cannot be used.
    func validate() throws(ParquetError) {
        var members: [(key: String, value: JSONValue)] = [("directory", .string(destinationPath)), ("mode", .string("append"))]
        members += writerMembers
        _ = try WriterConfiguration(json: .object(members))
    }
}
