#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetJSON

/// The error codes Include/parquet_writer.h documents, read from the header itself when the
/// checkout is at hand (so the fuzzers follow the documentation), else this copy of its list.
public let documentedErrorCodes: Set<String> = {
    let fallback: Set<String> = [
        "invalid_argument", "invalid_handle", "invalid_schema", "invalid_options", "type_mismatch",
        "value_out_of_range", "invalid_value", "row_count_mismatch", "io_error", "compression_error",
        "writer_closed", "limit_exceeded", "malformed_json", "missing_value", "invalid_record", "internal_error",
    ]
    // Tests/Fuzz/Sources/FuzzSupport/ResultChecks.swift -> the repository root.
    var root = "\(#filePath)"
    for _ in 0..<5 {
        guard let slash = root.lastIndex(of: "/") else { return fallback }
        root = String(root[..<slash])
    }
    guard let header = readFile(root + "/Include/parquet_writer.h") else { return fallback }
    var codes: Set<String> = []
    var inList = false
    for line in String(decoding: header, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
        if line.contains("Error codes (stable strings):") {
            inList = true
            continue
        }
        guard inList else { continue }
        if line.trimmingPrefix(" *").allSatisfy({ $0 == " " }) { break }
        // "*     code    description": a code line has exactly five spaces after the star.
        let body = line.trimmingPrefix(" *")
        guard body.hasPrefix("     "), let first = body.dropFirst(5).first, first != " " else { continue }
        let code = body.dropFirst(5).prefix { $0 == "_" || ("a"..."z").contains($0) }
        if !code.isEmpty { codes.insert(String(code)) }
    }
    return codes.count >= 10 ? codes : fallback
}()

/// Codes that are never a correct answer to any input: they report bugs.
public let bugErrorCodes: Set<String> = ["internal_error", "row_count_mismatch"]

/// An ERROR object as the C ABI renders it, checked for shape.
public struct ErrorObject: Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var column: String?
    public var row: Int?
    public var offset: Int?
    /// The object as parsed.
    public var json: JSONValue

    public var description: String {
        "\(code): \(message)" + (column.map { " column=\($0)" } ?? "") + (row.map { " row=\($0)" } ?? "")
            + (offset.map { " offset=\($0)" } ?? "")
    }
}

/// Integer value of a JSON number written as a plain integer.
public func integer(_ value: JSONValue?) -> Int? {
    guard case .number(let text)? = value else { return nil }
    return Int(text)
}

/// Members of an object (nil otherwise).
public func members(_ value: JSONValue?) -> [(key: String, value: JSONValue)]? {
    guard case .object(let members)? = value else { return nil }
    return members
}

/// Elements of an array (nil otherwise).
public func elements(_ value: JSONValue?) -> [JSONValue]? {
    guard case .array(let elements)? = value else { return nil }
    return elements
}

/// The string value (nil otherwise).
public func string(_ value: JSONValue?) -> String? {
    guard case .string(let text)? = value else { return nil }
    return text
}

/// Checks an object has exactly `keys`, in that order (the renderer writes them so).
public func checkKeys(_ value: JSONValue, _ keys: [String], _ what: String) {
    guard let members = members(value) else { Fuzz.fail("\(what) is not an object: \(value)") }
    Fuzz.check(members.map(\.key) == keys, "\(what) has keys \(members.map(\.key)), expected \(keys): \(value)")
}

/// Parses a library-returned NUL-terminated string as JSON; it must be well-formed, UTF-8.
public func parseReturnedJSON(_ pointer: UnsafePointer<CChar>?, _ what: String) -> JSONValue {
    guard let pointer else { Fuzz.fail("\(what) returned NULL") }
    let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
    do {
        return try JSONValue.parse(bytes)
    } catch {
        Fuzz.fail("\(what) returned text that is not valid JSON (\(error)): \(Fuzz.preview(bytes, limit: 400))")
    }
}

/// Checks an ERROR object: its keys, a documented code that is not a bug code, a message,
/// and the optional column/row/offset (offset at most `inputLength` when given).
@discardableResult
public func checkErrorObject(_ value: JSONValue, _ what: String, inputLength: Int? = nil) -> ErrorObject {
    checkKeys(value, ["code", "message", "column", "row", "offset"], what)
    guard let code = string(value["code"]) else { Fuzz.fail("\(what): 'code' is not a string: \(value)") }
    Fuzz.check(documentedErrorCodes.contains(code), "\(what): code '\(code)' is not documented in parquet_writer.h: \(value)")
    Fuzz.check(!bugErrorCodes.contains(code), "\(what): the library reports a bug (\(code)): \(value)")
    guard let message = string(value["message"]), !message.isEmpty else {
        Fuzz.fail("\(what): 'message' is not a non-empty string: \(value)")
    }
    func optional<T>(_ key: String, _ read: (JSONValue?) -> T?) -> T? {
        if case .null? = value[key] { return nil }
        guard let parsed = read(value[key]) else { Fuzz.fail("\(what): '\(key)' has the wrong type: \(value)") }
        return parsed
    }
    let column = optional("column", string)
    let row = optional("row", integer)
    let offset = optional("offset", integer)
    if let row { Fuzz.check(row >= 0, "\(what): negative row: \(value)") }
    if let offset {
        Fuzz.check(offset >= 0, "\(what): negative offset: \(value)")
        if let inputLength {
            Fuzz.check(offset <= inputLength, "\(what): offset \(offset) is past the input's \(inputLength) bytes: \(value)")
        }
    }
    return ErrorObject(code: code, message: message, column: column, row: row, offset: offset, json: value)
}

/// Checks a `ParquetError` thrown by a Swift entry point: a documented code, not a bug code,
/// among `allowed` when given, with a message.
public func checkThrown(_ error: ParquetError, _ what: String, allowed: Set<ParquetError.Code>? = nil, inputLength: Int? = nil) {
    Fuzz.check(documentedErrorCodes.contains(error.code.rawValue), "\(what): undocumented code: \(error)")
    Fuzz.check(!bugErrorCodes.contains(error.code.rawValue), "\(what): the library reports a bug: \(error)")
    if let allowed {
        Fuzz.check(allowed.contains(error.code), "\(what): code \(error.code.rawValue) is not one it may throw (\(allowed.map(\.rawValue).sorted())): \(error)")
    }
    Fuzz.check(!error.message.isEmpty, "\(what): empty message: \(error)")
    if let offset = error.offset {
        Fuzz.check(offset >= 0, "\(what): negative offset: \(error)")
        if let inputLength { Fuzz.check(offset <= inputLength, "\(what): offset past the input (\(inputLength) bytes): \(error)") }
    }
    if let row = error.row { Fuzz.check(row >= 0, "\(what): negative row: \(error)") }
}
