import Parquet

/// A JSON Schema (the draft-07 subset Airbyte sources publish in their catalogs) as a `Schema`.
///
/// The root must be an object schema with `properties`; every property becomes a column, in
/// document order. Nothing is dropped: what cannot be mapped to a typed column becomes a `json`
/// column holding the value's JSON text.
///
/// Rules:
/// * Nullability: every field is nullable unless its name is listed in the enclosing object's
///   `required` *and* its `type` does not include `"null"` (Airbyte records routinely omit or
///   null fields). List elements are always nullable.
/// * `type` (a name, or an array of names; `"null"` in it only makes the field nullable):
///   `integer` → int64, `number` → float64, `boolean` → boolean, `string` → string.
/// * `string` with `format`: `date-time` → timestamp_us (UTC), `date` → date, `time` → time_us;
///   other formats stay string.
/// * `airbyte_type` wins over `type`/`format`: `timestamp_with_timezone` → timestamp_us (UTC),
///   `timestamp_without_timezone` → timestamp_us (local), `time_with_timezone` and
///   `time_without_timezone` → time_us, `date` → date, `integer`/`big_integer` → int64 /
///   string, `number` → float64, `boolean` → boolean, `string` → string.
/// * `object` with non-empty `properties` → struct (recursively); `object` without properties
///   or with empty properties → json.
/// * `array` with an `items` schema → list of that item's type; `array` without `items` (or with
///   a tuple `items` array) → json for the whole array.
/// * Several non-null types in `type` (e.g. `["string", "integer"]`) → json, except
///   `["integer", "number"]` → float64.
/// * `anyOf`/`oneOf`: the non-null alternatives (a `{"type": "null"}` alternative makes the field
///   nullable); one alternative left, or several that all map to the same type → that type;
///   otherwise → json.
/// * No `type` at all (`{}`, or only `description` and the like) → json.
/// * `$ref` and `definitions`/`$defs` are not in the Airbyte subset: an `invalid_schema` error
///   naming the property. `allOf` and `not` are errors too. Annotations (`description`,
///   `title`, `default`, `examples`, `enum`, `const`, `pattern`, `minimum`, ...) are ignored.
extension Schema {
    /// Converts a JSON Schema document.
    /// - Parameter jsonSchema: The parsed JSON Schema: an object schema with `properties`.
    /// - Throws: `ParquetError` with code `.invalidSchema` naming the property at fault.
    public init(jsonSchema: JSONValue) throws(ParquetError) {
        guard case .object = jsonSchema else {
            throw ParquetError(.invalidSchema, "the JSON Schema must be a JSON object, got \(jsonSchema.typeName)")
        }
        try JSONSchemaConverter.rejectUnsupported(jsonSchema, path: nil)
        guard let properties = jsonSchema["properties"] else {
            throw ParquetError(.invalidSchema, "the JSON Schema needs 'properties' at its root (an object schema)")
        }
        let fields = try JSONSchemaConverter.fields(properties: properties, of: jsonSchema, path: nil)
        guard !fields.isEmpty else {
            throw ParquetError(.invalidSchema, "the JSON Schema's 'properties' must list at least one property")
        }
        try self.init(fields)
    }
}

/// The conversion, one schema node at a time.
enum JSONSchemaConverter {
    /// The type a node maps to and whether it admits null.
    struct Mapped {
        var type: DataType
        var nullable: Bool
    }

    static func name(_ path: String?, _ key: String) -> String {
        path.map { "\($0).\(key)" } ?? key
    }

    static func error(_ message: String, _ path: String?) -> ParquetError {
        ParquetError(.invalidSchema, message, column: path)
    }

    /// Throws for keywords outside the subset (`$ref`, `definitions`, `allOf`, `not`).
    static func rejectUnsupported(_ node: JSONValue, path: String?) throws(ParquetError) {
        let place = path.map { "property '\($0)'" } ?? "the JSON Schema"
        for key in ["$ref", "definitions", "$defs", "allOf", "not"] where node[key] != nil {
            throw error("'\(key)' in \(place) is not supported (the Airbyte JSON Schema subset has no \(key))", path)
        }
    }

    /// The fields of an object schema's `properties`, in document order.
    static func fields(properties: JSONValue, of object: JSONValue, path: String?) throws(ParquetError) -> [Field] {
        let place = path.map { "property '\($0)'" } ?? "the JSON Schema"
        guard case .object(let members) = properties else {
            throw error("'properties' in \(place) must be an object, got \(properties.typeName)", path)
        }
        var required = Set<String>()
        if let list = object["required"] {
            guard case .array(let names) = list else {
                throw error("'required' in \(place) must be an array of names, got \(list.typeName)", path)
            }
            for name in names {
                guard case .string(let text) = name else {
                    throw error("'required' in \(place) must list names (strings), got \(name.typeName)", path)
                }
                required.insert(text)
            }
        }
        var fields: [Field] = []
        fields.reserveCapacity(members.count)
        for member in members {
            let mapped = try map(member.value, path: name(path, member.key))
            fields.append(Field(member.key, mapped.type, nullable: mapped.nullable || !required.contains(member.key)))
        }
        return fields
    }

    /// Maps one schema node (a property, an array's items, an anyOf alternative).
    static func map(_ node: JSONValue, path: String) throws(ParquetError) -> Mapped {
        if case .bool = node { return Mapped(type: .json, nullable: true) }  // `true`/`false` schemas
        guard case .object = node else {
            throw error("the schema of property '\(path)' must be an object, got \(node.typeName)", path)
        }
        try rejectUnsupported(node, path: path)

        if let airbyte = node["airbyte_type"] {
            guard case .string(let name) = airbyte else {
                throw error("'airbyte_type' of property '\(path)' must be a string, got \(airbyte.typeName)", path)
            }
            let type: DataType? = switch name {
            case "timestamp_with_timezone": .timestamp(.microseconds, utc: true)
            case "timestamp_without_timezone": .timestamp(.microseconds, utc: false)
            case "time_with_timezone", "time_without_timezone": .time(.microseconds)
            case "date": .date
            case "integer": .int64
            case "big_integer": .string
            case "number", "big_number": .float64
            case "boolean": .boolean
            case "string": .string
            default: nil
            }
            if let type { return Mapped(type: type, nullable: try typeNames(node, path: path).nullable) }
        }

        for key in ["anyOf", "oneOf"] {
            guard let alternatives = node[key] else { continue }
            guard case .array(let options) = alternatives else {
                throw error("'\(key)' of property '\(path)' must be an array of schemas, got \(alternatives.typeName)", path)
            }
            var nullable = try typeNames(node, path: path).nullable
            var mapped: [Mapped] = []
            for option in options {
                if case .object = option, let names = try? typeNames(option, path: path), names.names == ["null"] {
                    nullable = true
                    continue
                }
                mapped.append(try map(option, path: path))
            }
            nullable = nullable || mapped.contains { $0.nullable }
            if !mapped.isEmpty, mapped.dropFirst().allSatisfy({ $0.type == mapped[0].type }) {
                return Mapped(type: mapped[0].type, nullable: nullable)
            }
            if mapped.isEmpty { return Mapped(type: .string, nullable: true) }
            return Mapped(type: .json, nullable: nullable)
        }

        let names = try typeNames(node, path: path)
        if Set(names.names) == ["integer", "number"] { return Mapped(type: .float64, nullable: names.nullable) }
        guard names.names.count == 1 else {
            // No type (any value) or several non-null types: the value's JSON text.
            return Mapped(type: .json, nullable: true)
        }
        let type: DataType
        switch names.names[0] {
        case "integer": type = .int64
        case "number": type = .float64
        case "boolean": type = .boolean
        case "string":
            switch node["format"] {
            case .string("date-time")?: type = .timestamp(.microseconds, utc: true)
            case .string("date")?: type = .date
            case .string("time")?: type = .time(.microseconds)
            default: type = .string
            }
        case "object":
            if let properties = node["properties"], case .object(let members) = properties, !members.isEmpty {
                type = .struct(fields: try fields(properties: properties, of: node, path: path))
            } else if let properties = node["properties"], case .object = properties {
                type = .json
            } else if let properties = node["properties"] {
                throw error("'properties' of property '\(path)' must be an object, got \(properties.typeName)", path)
            } else {
                type = .json
            }
        case "array":
            if let items = node["items"], case .object = items {
                let element = try map(items, path: "\(path).element")
                type = .list(element.type, nullableElements: true)
            } else {
                type = .json
            }
        case "null":
            // Only null ever: keep the column (as text) rather than drop it.
            return Mapped(type: .string, nullable: true)
        default:
            throw error("unknown JSON Schema type '\(names.names[0])' of property '\(path)'", path)
        }
        return Mapped(type: type, nullable: names.nullable)
    }

    /// The non-null type names of `type` (a name or an array of names) and whether "null" is one.
    static func typeNames(_ node: JSONValue, path: String) throws(ParquetError) -> (names: [String], nullable: Bool) {
        guard let type = node["type"] else { return ([], false) }
        var names: [String] = []
        switch type {
        case .string(let name): names = [name]
        case .array(let values):
            for value in values {
                guard case .string(let name) = value else {
                    throw error("'type' of property '\(path)' must list type names (strings), got \(value.typeName)", path)
                }
                if !names.contains(name) { names.append(name) }
            }
        default:
            throw error("'type' of property '\(path)' must be a string or an array of strings, got \(type.typeName)", path)
        }
        let nullable = names.contains("null")
        let nonNull = names.filter { $0 != "null" }
        // `["null"]` alone keeps "null" as the one name, so the caller sees an all-null column.
        return (nonNull.isEmpty && nullable ? ["null"] : nonNull, nullable)
    }
}
