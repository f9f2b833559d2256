import Parquet

/// Strict reading of a JSON object's members: every key must be known, none repeated, and
/// every value of the JSON type the key expects. Errors name the key and say where it is.
struct ConfigurationObject {
    /// The members, in document order.
    let members: [(key: String, value: JSONValue)]
    /// Where the object sits, for messages ("the configuration", "field 'id'").
    let context: String
    /// The error code for problems in this object.
    let code: ParquetError.Code
    /// The column the object describes, if any (set on schema errors).
    let column: String?

    /// Checks that `value` is an object with no duplicate keys.
    init(_ value: JSONValue, context: String, code: ParquetError.Code, column: String? = nil) throws(ParquetError) {
        guard case .object(let members) = value else {
            throw ParquetError(code, "\(context) must be a JSON object, got \(value.typeName)", column: column)
        }
        var seen = Set<String>()
        for member in members where !seen.insert(member.key).inserted {
            throw ParquetError(code, "duplicate key '\(member.key)' in \(context)", column: column)
        }
        self.members = members
        self.context = context
        self.code = code
        self.column = column
    }

    func error(_ message: String) -> ParquetError {
        ParquetError(code, message, column: column)
    }

    /// Throws for the first key not in `allowed`, saying which keys are.
    func rejectUnknownKeys(allowed: [String], hint: (String) -> String? = { _ in nil }) throws(ParquetError) {
        for member in members where !allowed.contains(member.key) {
            let extra = hint(member.key).map { " (\($0))" } ?? ""
            throw error(
                "unknown key '\(member.key)' in \(context)\(extra); expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    func required(_ key: String) throws(ParquetError) -> JSONValue {
        guard let value = self[key] else { throw error("missing required key '\(key)' in \(context)") }
        return value
    }

    func string(_ key: String) throws(ParquetError) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    func bool(_ key: String) throws(ParquetError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, "true or false", value) }
        return flag
    }

    /// An integer written without fraction or exponent, within `range`.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(ParquetError) -> Int? {
        guard let value = self[key] else { return nil }
        guard case .number(let text) = value else { throw wrongType(key, "an integer", value) }
        guard let integer = ConfigurationObject.parseInteger(text) else {
            guard ConfigurationObject.isIntegerText(text) else {
                throw error("'\(key)' in \(context) must be an integer, got \(text)")
            }
            throw error("'\(key)' in \(context) must be in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        guard range.contains(integer) else {
            throw error("'\(key)' in \(context) must be in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        return integer
    }

    /// A number member as a `Double`, when present.
    func double(_ key: String) throws(ParquetError) -> Double? {
        guard let value = self[key] else { return nil }
        guard case .number(let text) = value, let number = Double(text) else { throw wrongType(key, "a number", value) }
        return number
    }

    /// A string member naming one case of `Choice`, when present.
    /// - Parameters:
    ///   - key: The member.
    ///   - where: Where the object sits, for the message (nil: not said).
    /// - Returns: The case, or nil when the member is absent.
    /// - Throws: `ParquetError` with the object's code when the member is not a string or names
    ///   no case (the message lists the cases).
    func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, in where: String? = nil
    ) throws(ParquetError) -> Choice? where Choice.RawValue == String {
        guard let name = try string(key) else { return nil }
        guard let parsed = Choice(rawValue: name) else {
            throw error(
                "unknown \(key) '\(name)'\(`where`.map { " in \($0)" } ?? ""); expected one of: "
                    + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return parsed
    }

    /// An array of strings, when present.
    func strings(_ key: String) throws(ParquetError) -> [String]? {
        guard let value = self[key] else { return nil }
        guard case .array(let elements) = value else { throw wrongType(key, "an array of strings", value) }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw wrongType(key, "an array of strings", value) }
            result.append(text)
        }
        return result
    }

    func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> ParquetError {
        error("'\(key)' in \(context) must be \(expected), got \(value.typeName)")
    }

    /// `-?[0-9]+`, as JSON writes integers.
    static func isIntegerText(_ text: String) -> Bool {
        let digits = text.utf8.first == UInt8(ascii: "-") ? Substring(text).dropFirst() : Substring(text)
        return !digits.isEmpty && digits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The value of integer text when it fits `Int`.
    static func parseInteger(_ text: String) -> Int? {
        guard isIntegerText(text) else { return nil }
        return Int(text)
    }
}
