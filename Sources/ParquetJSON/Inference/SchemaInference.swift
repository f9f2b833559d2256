import Parquet

/// Infers a `Schema` from a batch of records (a JSON array of objects, NDJSON, or objects
/// separated by whitespace), for writers configured with neither `schema` nor `json_schema`.
///
/// Rules:
/// * Columns are the keys of the objects, in order of first appearance across the batch; every
///   inferred field is nullable (list elements too).
/// * true/false → boolean; integers (no fraction or exponent, within int64) → int64; other
///   numbers → float64 (int64 widens to float64 when both appear).
/// * Strings → string, unless every non-null value at the place is text of one kind (with
///   `inferStrings`, the default):
///   - `YYYY-MM-DD` (a valid date) → date;
///   - an RFC 3339 / ISO 8601 timestamp, `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction][Z|z|±HH:MM]`
///     (valid fields, at most microsecond precision) → timestamp in microseconds, UTC-adjusted
///     when every value has an offset or `Z`, local (naive) when none has; both at one place
///     → string. This is what DuckDB's `read_json` does (TIMESTAMP WITH TIME ZONE, TIMESTAMP,
///     VARCHAR); unlike DuckDB, values with and without a fraction mix freely;
///   - `-?digits.digits` → decimal(precision, scale), scale the most fraction digits seen,
///     precision the most integer digits (leading zeros aside) plus the scale, when that is
///     at most 38 (else string).
///   Kinds mixed at one place (dates with timestamps, decimals with other text) → string.
///   The decoder reads these strings into the typed columns; a later value that does not
///   parse is an invalid record, handled by `on_invalid`.
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
    /// - Parameters:
    ///   - bytes: The batch's JSON text.
    ///   - inferStrings: Type strings that are all timestamps, dates or exact decimals (false:
    ///     strings stay strings).
    /// - Returns: The schema, or nil when the batch holds no record (nothing to infer from).
    /// - Throws: `ParquetError` `.malformedJSON` (with the offset) when the text is not JSON,
    ///   `.invalidSchema` when the records have no keys at all.
    public static func infer(_ bytes: UnsafeRawBufferPointer, inferStrings: Bool = true) throws(ParquetError) -> Schema? {
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
        return try infer(records: records, inferStrings: inferStrings)
    }

    /// The most distinct keys inference accepts, over all nesting levels (so at most this many
    /// columns): past it a batch is refused with `.limitExceeded` rather than becoming a schema
    /// of tens of thousands of columns, each with its own builders and page buffers. A wider
    /// table can still be written with an explicit schema.
    public static let maximumKeys = 10_000

    /// Infers the schema of parsed records.
    ///
    /// Linear in the size of the records: each object's keys are found through a hash table
    /// of the keys seen at that place, and shapes are merged in place.
    /// - Parameters:
    ///   - records: The parsed records.
    ///   - inferStrings: Type strings that are all timestamps, dates or exact decimals.
    /// - Returns: The schema, or nil when there are no records.
    /// - Throws: `ParquetError` `.invalidSchema` when no record has a key, or when the schema
    ///   is not valid (too deep, see `Schema/maximumDepth`); `.limitExceeded` past
    ///   ``maximumKeys`` distinct keys.
    public static func infer(records: [JSONValue], inferStrings: Bool = true) throws(ParquetError) -> Schema? {
        guard !records.isEmpty else { return nil }
        var root = Shape.object(Members())
        var sawObject = false
        var keysLeft = maximumKeys
        for record in records {
            guard case .object = record else { continue }
            sawObject = true
            try root.absorb(record, keysLeft: &keysLeft, inferStrings: inferStrings)
        }
        guard sawObject, case .object(let members) = root, !members.isEmpty else {
            throw ParquetError(.invalidSchema, "no schema: the first batch has no record with a key to infer columns from")
        }
        return try Schema(members.fields)
    }

    /// What the values seen at one place have in common.
    indirect enum Shape: Equatable {
        case null
        case boolean
        case integer
        case float
        case string
        /// Strings that are all RFC 3339 timestamps; `utc`: every one has an offset or `Z`
        /// (false: none has).
        case timestamp(utc: Bool)
        /// Strings that are all `YYYY-MM-DD` dates.
        case date
        /// Strings that are all `-?digits.digits`: the most integer digits (leading zeros
        /// aside) and fraction digits seen.
        case decimal(integerDigits: Int, scale: Int)
        case object(Members)
        case array(Shape)
        case json

        /// Merges one more value seen at this place into the shape.
        ///
        /// A nested shape is taken out of `self` before it is changed (`self` holds `.null`
        /// meanwhile), so its storage is not shared and changes in place instead of being copied.
        /// - Parameters:
        ///   - value: The value.
        ///   - keysLeft: New keys still allowed; each new key takes one.
        ///   - inferStrings: Classify strings (``textShape(_:)``) instead of taking them as text.
        /// - Throws: `ParquetError` `.limitExceeded` when a new key would pass ``maximumKeys``.
        mutating func absorb(_ value: JSONValue, keysLeft: inout Int, inferStrings: Bool) throws(ParquetError) {
            switch value {
            case .null:
                return
            case .bool:
                merge(scalar: .boolean)
            case .number(let text):
                merge(scalar: ConfigurationObject.isIntegerText(text) && Int64(text) != nil ? .integer : .float)
            case .string(let text):
                merge(scalar: inferStrings ? Self.textShape(text) : .string)
            case .array(let values):
                var element: Shape
                switch self {
                case .null: element = .null
                case .array(let existing): element = existing
                case .json: return
                default: self = .json; return
                }
                self = .null
                for value in values { try element.absorb(value, keysLeft: &keysLeft, inferStrings: inferStrings) }
                self = .array(element)
            case .object(let pairs):
                var members: Members
                switch self {
                case .null: members = Members()
                case .object(let existing): members = existing
                case .json: return
                default: self = .json; return
                }
                self = .null
                for (key, value) in pairs {
                    try members.absorb(key: key, value: value, keysLeft: &keysLeft, inferStrings: inferStrings)
                }
                self = .object(members)
            }
        }

        /// Merges a scalar kind: integers widen to floats, text kinds that differ fall back to
        /// string, other conflicts become json.
        private mutating func merge(scalar: Shape) {
            switch (self, scalar) {
            case (.null, _): self = scalar
            case (.json, _): return
            case (.integer, .float), (.float, .integer): self = .float
            // As DuckDB's read_json: zoned and naive timestamps at one place stay text.
            case (.timestamp(let utc), .timestamp(let other)): if utc != other { self = .string }
            case (.decimal(let digits, let scale), .decimal(let otherDigits, let otherScale)):
                self = .decimal(integerDigits: Swift.max(digits, otherDigits), scale: Swift.max(scale, otherScale))
            default:
                guard self != scalar else { return }
                self = isText && scalar.isText ? .string : .json
            }
        }

        /// Whether values of this shape are JSON strings.
        private var isText: Bool {
            switch self {
            case .string, .timestamp, .date, .decimal: true
            default: false
            }
        }

        /// What a string is: a date, a timestamp or a decimal (as the decoder reads them into
        /// those columns, so a batch never refuses the schema inferred from it), or text.
        static func textShape(_ text: String) -> Shape {
            var text = text
            return text.withUTF8 { utf8 in
                let bytes = UnsafeRawBufferPointer(utf8)
                let count = bytes.count
                guard count >= 3 else { return .string }
                let first = bytes[0]
                if count == 10 && first != _JSON.minus && _TemporalText.date(bytes).failure == .none { return .date }
                if count >= 19 && bytes[4] == _JSON.minus && bytes[7] == _JSON.minus {
                    guard _TemporalText.timestamp(bytes, perSecond: 1_000_000, nanosecondsPerUnit: 1_000).failure == .none
                    else { return .string }
                    let last = bytes[count - 1]
                    let sign = bytes[count - 6]
                    let zoned = last == UInt8(ascii: "Z") || last == UInt8(ascii: "z")
                        || (count >= 25 && (sign == UInt8(ascii: "+") || sign == _JSON.minus) && bytes[count - 3] == _JSON.colon)
                    return .timestamp(utc: zoned)
                }
                return decimalShape(bytes)
            }
        }

        /// `-?digits.digits` as a decimal shape, or string.
        private static func decimalShape(_ bytes: UnsafeRawBufferPointer) -> Shape {
            var index = bytes[0] == _JSON.minus ? 1 : 0
            var integerDigits = 0
            var sawDigit = false
            while index < bytes.count && _JSON.isDigit(bytes[index]) {
                // Leading zeros take no digit of precision.
                if integerDigits > 0 || bytes[index] != _JSON.zero { integerDigits += 1 }
                sawDigit = true
                index += 1
            }
            guard sawDigit, index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return .string }
            index += 1
            let fractionStart = index
            while index < bytes.count && _JSON.isDigit(bytes[index]) { index += 1 }
            let scale = index - fractionStart
            guard scale > 0, index == bytes.count, integerDigits + scale <= 38 else { return .string }
            return .decimal(integerDigits: integerDigits, scale: scale)
        }

        var dataType: DataType {
            switch self {
            case .null, .string: .string
            case .timestamp(let utc): .timestamp(.microseconds, utc: utc)
            case .date: .date
            case .decimal(let digits, let scale):
                digits + scale <= 38 ? .decimal(precision: Swift.max(digits + scale, 1), scale: scale) : .string
            case .boolean: .boolean
            case .integer: .int64
            case .float: .float64
            case .json: .json
            case .array(let element): .list(element.dataType, nullableElements: true)
            case .object(let members): members.isEmpty ? .json : .struct(fields: members.fields)
            }
        }
    }

    /// The keys seen at one place in order of first appearance, each with its shape, and a hash
    /// table from key to position.
    struct Members: Equatable {
        private var keys: [String] = []
        private var shapes: [Shape] = []
        private var positions: [String: Int] = [:]

        var isEmpty: Bool { keys.isEmpty }

        /// Nullable fields, one per key, in order of first appearance.
        var fields: [Field] {
            zip(keys, shapes).map { Field($0, $1.dataType, nullable: true) }
        }

        /// Merges `value` into the shape of `key`, adding the key when it is new.
        /// - Throws: `ParquetError` `.limitExceeded` when a new key would pass ``maximumKeys``.
        mutating func absorb(key: String, value: JSONValue, keysLeft: inout Int, inferStrings: Bool) throws(ParquetError) {
            let position: Int
            if let known = positions[key] {
                position = known
            } else {
                guard keysLeft > 0 else {
                    throw ParquetError(
                        .limitExceeded,
                        "schema inference stops at \(SchemaInference.maximumKeys) distinct keys (all nesting levels); "
                            + "give a schema (or json_schema) for wider records, or a json column for open-ended objects",
                        column: key)
                }
                keysLeft -= 1
                position = keys.count
                positions[key] = position
                keys.append(key)
                shapes.append(.null)
            }
            try shapes[position].absorb(value, keysLeft: &keysLeft, inferStrings: inferStrings)
        }
    }
}
