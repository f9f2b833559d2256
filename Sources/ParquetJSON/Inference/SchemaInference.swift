import Parquet

/// Infers a ``Schema`` from a batch of records (a JSON array of objects, NDJSON, or objects
/// separated by whitespace), for writers configured with neither `schema` nor `json_schema`.
///
/// Rules:
/// * Columns are the keys of the objects, in order of first appearance across the batch; every
///   inferred field is nullable (list elements too).
/// * true/false → boolean; integers (no fraction or exponent, within int64) → int64; other
///   numbers → float64 (int64 widens to float64 when both appear); strings → string (no
///   date or timestamp detection: text stays text).
/// * A key that is only ever null → string.
/// * Objects → struct, with the keys merged across records (recursively); an object that never
///   has a key → json. Arrays → list, the element type merged over every element of every
///   record; a list whose elements are only null (or only empty arrays) → list of string.
/// * Conflicts the decoder could not store in one typed column → json (the value's JSON text,
///   so no record is lost): boolean with number, string with number or boolean, and an object
///   or array with a scalar or with each other.
/// * Records that are not objects are ignored here (the decoder rejects them by policy).
///
/// The schema is fixed from the first batch: later records that do not fit are invalid
/// records, handled by `on_invalid`.
public enum SchemaInference {
    /// Infers the schema of a batch.
    /// - Parameter bytes: The batch's JSON text.
    /// - Returns: The schema, or nil when the batch holds no record (nothing to infer from).
    /// - Throws: `ParquetError` `.malformedJSON` (with the offset) when the text is not JSON,
    ///   `.invalidSchema` when the records have no keys at all.
    public static func infer(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> Schema? {
        var records: [JSONValue] = []
        var parser = _JSONDocumentParser(bytes: bytes)
        parser.skipWhitespace()
        if parser.position < bytes.count && bytes[parser.position] == UInt8(ascii: "[") {
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON array") }
            if case .array(let values) = value { records = values }
        } else {
            while parser.position < bytes.count {
                records.append(try parser.parseValue(depth: 0))
                parser.skipWhitespace()
            }
        }
        return try infer(records: records)
    }

    /// Infers the schema of parsed records.
    /// - Returns: The schema, or nil when there are no records.
    public static func infer(records: [JSONValue]) throws(ParquetError) -> Schema? {
        guard !records.isEmpty else { return nil }
        var root = Shape.object([])
        var sawObject = false
        for record in records {
            guard case .object = record else { continue }
            sawObject = true
            root = root.merged(with: Shape(record))
        }
        guard sawObject, case .object(let members) = root, !members.isEmpty else {
            throw ParquetError(.invalidSchema, "no schema: the first batch has no record with a key to infer columns from")
        }
        return try Schema(members.map { Field($0.key, $0.shape.dataType, nullable: true) })
    }

    /// What the values seen at one place have in common.
    indirect enum Shape: Equatable {
        case null
        case boolean
        case integer
        case float
        case string
        case object([Member])
        case array(Shape)
        case json

        struct Member: Equatable {
            var key: String
            var shape: Shape
        }

        init(_ value: JSONValue) {
            switch value {
            case .null: self = .null
            case .bool: self = .boolean
            case .number(let text):
                if ConfigurationObject.isIntegerText(text), Int64(text) != nil { self = .integer } else { self = .float }
            case .string: self = .string
            case .array(let values):
                var element = Shape.null
                for value in values { element = element.merged(with: Shape(value)) }
                self = .array(element)
            case .object(let members):
                var result: [Member] = []
                for member in members {
                    if let index = result.firstIndex(where: { $0.key == member.key }) {
                        result[index].shape = result[index].shape.merged(with: Shape(member.value))
                    } else {
                        result.append(Member(key: member.key, shape: Shape(member.value)))
                    }
                }
                self = .object(result)
            }
        }

        func merged(with other: Shape) -> Shape {
            switch (self, other) {
            case (.null, _): return other
            case (_, .null): return self
            case (.json, _), (_, .json): return .json
            case (.integer, .float), (.float, .integer): return .float
            case (.object(let mine), .object(let theirs)):
                var result = mine
                for member in theirs {
                    if let index = result.firstIndex(where: { $0.key == member.key }) {
                        result[index].shape = result[index].shape.merged(with: member.shape)
                    } else {
                        result.append(member)
                    }
                }
                return .object(result)
            case (.array(let mine), .array(let theirs)): return .array(mine.merged(with: theirs))
            default: return self == other ? self : .json
            }
        }

        var dataType: DataType {
            switch self {
            case .null, .string: .string
            case .boolean: .boolean
            case .integer: .int64
            case .float: .float64
            case .json: .json
            case .array(let element): .list(element.dataType, nullableElements: true)
            case .object(let members):
                members.isEmpty
                    ? .json : .struct(fields: members.map { Field($0.key, $0.shape.dataType, nullable: true) })
            }
        }
    }
}
