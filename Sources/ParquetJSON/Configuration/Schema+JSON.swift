import Parquet

/// The native schema in JSON, as the C ABI and the CLI take it:
///
/// ```json
/// {"fields": [{"name": "id", "type": "int64", "nullable": false},
///             {"name": "price", "type": "decimal", "precision": 12, "scale": 2},
///             {"name": "at", "type": "timestamp_us", "utc": true},
///             {"name": "digest", "type": "fixed_binary", "length": 32}]}
/// ```
///
/// Type names are ``DataType/name`` (`boolean`, `int8` ... `uint64`, `float32`, `float64`,
/// `string`, `binary`, `fixed_binary`, `date`, `time_ms|us|ns`, `timestamp_ms|us|ns`, `decimal`,
/// `uuid`, `json`, and the nested `list`, `struct`, `map`). Type-specific keys: `length` (fixed_binary, required), `utc` (timestamps,
/// default true), `precision` (decimal, required), `scale` (decimal, default 0), `items` (list,
/// required: a field object without "name"), `fields` (struct, required: field objects) and
/// `keys`/`values` (map, required: field objects without "name"; keys are never nullable,
/// `"nullable": true` on them is an error). Any field object, nested ones included, may carry
/// `"field_id"` (an integer in 0...2³¹-1, unique in the schema), written as the Parquet field
/// id that Iceberg resolves columns by. A leaf field object may carry `"encoding"`
/// (``ColumnEncoding``: `plain`, `dictionary`, `delta_binary_packed`,
/// `delta_length_byte_array`, `delta_byte_array`, `byte_stream_split`; one its type allows,
/// else `invalid_schema`); without it the writer chooses. A key that
/// is unknown, repeated, of the wrong JSON type or not valid for the field's type is an error.
extension Schema {
    /// The keys a field object may have, whatever its type.
    public static let jsonFieldKeys = ["name", "type", "nullable", "field_id", "encoding"]

    /// Parses a schema object (`{"fields": [...]}`).
    /// - Parameter json: The parsed schema.
    /// - Throws: `ParquetError` with code `.invalidSchema` naming the key, field or type at fault.
    public init(json: JSONValue) throws(ParquetError) {
        let object = try ConfigurationObject(json, context: "the schema", code: .invalidSchema)
        try object.rejectUnknownKeys(allowed: ["fields"])
        let fieldsValue = try object.required("fields")
        guard case .array(let elements) = fieldsValue else {
            throw object.wrongType("fields", "an array of field objects", fieldsValue)
        }
        guard !elements.isEmpty else {
            throw ParquetError(.invalidSchema, "'fields' in the schema must list at least one field")
        }
        var fields: [Field] = []
        fields.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            fields.append(try Field(json: element, index: index))
        }
        try self.init(fields)
    }
}

extension Field {
    /// Parses one field object of a JSON schema.
    /// - Parameters:
    ///   - json: The field object.
    ///   - index: Its position in `fields`, for messages about unnamed fields.
    /// - Throws: `ParquetError` with code `.invalidSchema`.
    public init(json: JSONValue, index: Int) throws(ParquetError) {
        // The name first, so every later message can name the field.
        var name: String?
        if case .object(let members) = json, case .string(let text)? = members.first(where: { $0.key == "name" })?.value {
            name = text
        }
        let context = name.map { "field '\($0)'" } ?? "field \(index)"
        try self.init(json: json, context: context, column: name, role: nil)
    }

    /// Where a nested field object sits: a list's `items`, a map's `keys` or `values` (these
    /// take no "name"; keys are never nullable).
    enum NestedRole: String {
        case items, keys, values
    }

    /// Parses a field object: a top-level or struct field (`role` nil, with a "name"), or the
    /// nameless `items`, `keys` or `values` object of a list or map.
    init(json: JSONValue, context: String, column: String?, role: NestedRole?) throws(ParquetError) {
        let object = try ConfigurationObject(json, context: context, code: .invalidSchema, column: column)
        let fieldName: String
        switch role {
        case nil:
            guard let text = try object.string("name") else {
                throw object.error("missing required key 'name' in \(context)")
            }
            fieldName = text
        case .items: fieldName = "element"
        case .keys: fieldName = "key"
        case .values: fieldName = "value"
        }
        guard let typeName = try object.string("type") else {
            throw object.error("missing required key 'type' in \(context)")
        }
        let nullable = try object.bool("nullable") ?? (role != .keys)
        if role == .keys && nullable {
            throw object.error("map keys cannot be nullable ('nullable': true in \(context))")
        }
        guard let kind = FieldTypeName(rawValue: typeName) else {
            throw object.error(
                "unknown type '\(typeName)' in \(context); expected one of: "
                    + FieldTypeName.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let allowed = (role == nil ? Schema.jsonFieldKeys : ["type", "nullable", "field_id", "encoding"]) + kind.extraKeys
        try object.rejectUnknownKeys(allowed: allowed) { key in
            FieldTypeName.allCases.contains { $0.extraKeys.contains(key) }
                ? "'\(key)' is not valid for type \(typeName)" : nil
        }
        let fieldID = try object.integer("field_id", in: 0...Int(Int32.max)).map { Int32($0) }
        let encoding: ColumnEncoding? = try object.choice("encoding", in: context)
        let type: DataType
        switch kind {
        case .boolean: type = .boolean
        case .int8: type = .int8
        case .int16: type = .int16
        case .int32: type = .int32
        case .int64: type = .int64
        case .uint8: type = .uint8
        case .uint16: type = .uint16
        case .uint32: type = .uint32
        case .uint64: type = .uint64
        case .float32: type = .float32
        case .float64: type = .float64
        case .string: type = .string
        case .binary: type = .binary
        case .fixedBinary:
            guard let length = try object.integer("length", in: 1...Int(Int32.max)) else {
                throw object.error("missing required key 'length' in \(context) (type fixed_binary)")
            }
            type = .fixedBinary(length: length)
        case .date: type = .date
        case .timeMilliseconds: type = .time(.milliseconds)
        case .timeMicroseconds: type = .time(.microseconds)
        case .timeNanoseconds: type = .time(.nanoseconds)
        case .timestampMilliseconds: type = .timestamp(.milliseconds, utc: try object.bool("utc") ?? true)
        case .timestampMicroseconds: type = .timestamp(.microseconds, utc: try object.bool("utc") ?? true)
        case .timestampNanoseconds: type = .timestamp(.nanoseconds, utc: try object.bool("utc") ?? true)
        case .decimal:
            guard let precision = try object.integer("precision", in: 1...38) else {
                throw object.error("missing required key 'precision' in \(context) (type decimal)")
            }
            let scale = try object.integer("scale", in: 0...38) ?? 0
            guard scale <= precision else {
                throw object.error("'scale' in \(context) must be in 0...precision (\(precision)), got \(scale)")
            }
            type = .decimal(precision: precision, scale: scale)
        case .uuid: type = .uuid
        case .json: type = .json
        case .list:
            let element = try Field(
                json: object.required("items"), context: "'items' of \(context)", column: column, role: .items)
            type = .list(element: element)
        case .structure:
            let fieldsValue = try object.required("fields")
            guard case .array(let elements) = fieldsValue, !elements.isEmpty else {
                throw object.wrongType("fields", "a non-empty array of field objects", fieldsValue)
            }
            var children: [Field] = []
            for (index, element) in elements.enumerated() {
                var childName: String?
                if case .object(let members) = element,
                    case .string(let text)? = members.first(where: { $0.key == "name" })?.value
                {
                    childName = text
                }
                let path = childName.map { column.map { "\($0).\(childName!)" } ?? $0 }
                let childContext = path.map { "field '\($0)'" } ?? "field \(index) of \(context)"
                children.append(try Field(json: element, context: childContext, column: path ?? column, role: nil))
            }
            type = .struct(fields: children)
        case .map:
            let key = try Field(json: object.required("keys"), context: "'keys' of \(context)", column: column, role: .keys)
            let value = try Field(
                json: object.required("values"), context: "'values' of \(context)", column: column, role: .values)
            guard !key.type.isNested else {
                throw object.error("map keys must be a primitive type, not \(key.type.name), in \(context)")
            }
            type = .map(key: key, value: value)
        }
        self.init(fieldName, type, nullable: nullable, fieldID: fieldID, encoding: encoding)
    }
}

/// The type names of the JSON schema and the extra keys each allows.
enum FieldTypeName: String, CaseIterable {
    case boolean, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64
    case string, binary
    case fixedBinary = "fixed_binary"
    case date
    case timeMilliseconds = "time_ms"
    case timeMicroseconds = "time_us"
    case timeNanoseconds = "time_ns"
    case timestampMilliseconds = "timestamp_ms"
    case timestampMicroseconds = "timestamp_us"
    case timestampNanoseconds = "timestamp_ns"
    case decimal, uuid, json
    case list
    case structure = "struct"
    case map

    var extraKeys: [String] {
        switch self {
        case .fixedBinary: ["length"]
        case .timestampMilliseconds, .timestampMicroseconds, .timestampNanoseconds: ["utc"]
        case .decimal: ["precision", "scale"]
        case .list: ["items"]
        case .structure: ["fields"]
        case .map: ["keys", "values"]
        default: []
        }
    }
}
