/// What the destination needs from one Airbyte message line, found without building the
/// message: its `type` and, for a RECORD, where `record.stream`, `record.namespace`,
/// `record.data`, `record.emitted_at` and `record.meta` are in the line.
///
/// Members may come in any order (`data` before `stream`, `record` before `type`), with any
/// whitespace and escapes; the whole line is checked as JSON on the way (see
/// ``AirbyteJSONScanner``), so a message that is echoed or written is well-formed.
struct AirbyteEnvelope {
    /// The message types the destination knows.
    enum Kind: Equatable {
        case record
        case state
        case log
        case trace
        /// Connector control messages (for the platform, like LOG and TRACE).
        case control
        /// Any other type, with its name.
        case other(String)
    }

    /// A string value in the line: the span of its quotes, and whether it has escapes.
    struct StringSpan: Equatable {
        var range: Range<Int>
        var escaped: Bool
    }

    /// The message's type.
    var kind: Kind
    /// `record.stream` (a RECORD has one).
    var stream: StringSpan?
    /// `record.namespace`, nil when absent or null.
    var namespace: StringSpan?
    /// The bytes of the `record.data` object, braces included.
    var data: Range<Int>?
    /// The bytes of the `record.emitted_at` number, nil when absent or not a number.
    var emittedAt: Range<Int>?
    /// The bytes of the `record.meta` object (the source's changes to the record), braces
    /// included; nil when absent or not an object.
    var meta: Range<Int>?

    /// Scans one line.
    /// - Parameter line: The line's bytes, without the newline.
    /// - Returns: The envelope; for a RECORD, `stream` and `data` are set.
    /// - Throws: `AirbyteScanError` when the line is not JSON, not an object, has no string
    ///   `type`, repeats a key the destination reads, or is a RECORD without a `record`
    ///   object holding a string `stream`, a string or null `namespace`, and an object `data`.
    static func scan(_ line: UnsafeRawBufferPointer) throws(AirbyteScanError) -> AirbyteEnvelope {
        let scanner = AirbyteJSONScanner(line)
        let start = scanner.whitespaceEnd(from: 0)
        guard scanner.byte(start) == UInt8(ascii: "{") else {
            // Say whether it is JSON at all: "not JSON" and "JSON but not an object" are
            // different mistakes upstream.
            let end = try scanner.valueEnd(from: start)
            if scanner.whitespaceEnd(from: end) == line.count {
                throw AirbyteScanError(message: "the message is JSON but not an object", offset: start)
            }
            throw AirbyteScanError(message: "unexpected bytes after the JSON value", offset: scanner.whitespaceEnd(from: end))
        }
        var type: StringSpan?
        var record: Range<Int>?
        var stream: StringSpan?
        var namespace: StringSpan?
        var namespaceSeen = false
        var data: Range<Int>?
        var emittedAt: Range<Int>?
        var meta: Range<Int>?
        // `record` may be any JSON in a message of another type; only a RECORD needs it to be
        // an object, so its shape is checked after the type is known.
        var recordIsObject = false

        let end = try scanner.objectEnd(from: start) { key, escaped, valueStart throws(AirbyteScanError) in
            if scanner.string(from: key.lowerBound, to: key.upperBound, escaped: escaped, equals: "type") {
                guard type == nil else { throw AirbyteScanError(message: "the key 'type' is repeated", offset: key.lowerBound) }
                guard scanner.byte(valueStart) == UInt8(ascii: "\"") else {
                    _ = try scanner.valueEnd(from: valueStart)
                    throw AirbyteScanError(message: "'type' must be a string", offset: valueStart)
                }
                let value = try scanner.stringEnd(from: valueStart)
                type = StringSpan(range: valueStart..<value.end, escaped: value.escaped)
                return value.end
            }
            guard scanner.string(from: key.lowerBound, to: key.upperBound, escaped: escaped, equals: "record") else {
                return try scanner.valueEnd(from: valueStart)
            }
            guard record == nil else { throw AirbyteScanError(message: "the key 'record' is repeated", offset: key.lowerBound) }
            guard scanner.byte(valueStart) == UInt8(ascii: "{") else {
                let valueEnd = try scanner.valueEnd(from: valueStart)
                record = valueStart..<valueEnd
                return valueEnd
            }
            recordIsObject = true
            let recordEnd = try scanner.objectEnd(from: valueStart) { key, escaped, valueStart throws(AirbyteScanError) in
                func named(_ name: StaticString) -> Bool {
                    scanner.string(from: key.lowerBound, to: key.upperBound, escaped: escaped, equals: name)
                }
                func repeated(_ name: String) -> AirbyteScanError {
                    AirbyteScanError(message: "the key 'record.\(name)' is repeated", offset: key.lowerBound)
                }
                if named("stream") {
                    guard stream == nil else { throw repeated("stream") }
                    guard scanner.byte(valueStart) == UInt8(ascii: "\"") else {
                        _ = try scanner.valueEnd(from: valueStart)
                        throw AirbyteScanError(message: "'record.stream' must be a string", offset: valueStart)
                    }
                    let value = try scanner.stringEnd(from: valueStart)
                    stream = StringSpan(range: valueStart..<value.end, escaped: value.escaped)
                    return value.end
                }
                if named("namespace") {
                    guard !namespaceSeen else { throw repeated("namespace") }
                    namespaceSeen = true
                    let valueEnd = try scanner.valueEnd(from: valueStart)
                    switch scanner.byte(valueStart) {
                    case UInt8(ascii: "\""):
                        namespace = StringSpan(
                            range: valueStart..<valueEnd, escaped: try scanner.stringEnd(from: valueStart).escaped)
                    case UInt8(ascii: "n"): break  // null: no namespace
                    default: throw AirbyteScanError(message: "'record.namespace' must be a string or null", offset: valueStart)
                    }
                    return valueEnd
                }
                if named("data") {
                    guard data == nil else { throw repeated("data") }
                    let valueEnd = try scanner.valueEnd(from: valueStart)
                    guard scanner.byte(valueStart) == UInt8(ascii: "{") else {
                        throw AirbyteScanError(message: "'record.data' must be an object", offset: valueStart)
                    }
                    data = valueStart..<valueEnd
                    return valueEnd
                }
                // Optional members read leniently: a value of another kind is ignored, as the
                // destination can do without it (receive time, no source changes).
                if named("emitted_at") {
                    guard emittedAt == nil else { throw repeated("emitted_at") }
                    let valueEnd = try scanner.valueEnd(from: valueStart)
                    let first = scanner.byte(valueStart)
                    if first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 { emittedAt = valueStart..<valueEnd }
                    return valueEnd
                }
                if named("meta") {
                    guard meta == nil else { throw repeated("meta") }
                    let valueEnd = try scanner.valueEnd(from: valueStart)
                    if scanner.byte(valueStart) == UInt8(ascii: "{") { meta = valueStart..<valueEnd }
                    return valueEnd
                }
                return try scanner.valueEnd(from: valueStart)
            }
            record = valueStart..<recordEnd
            return recordEnd
        }
        let trailing = scanner.whitespaceEnd(from: end)
        guard trailing == line.count else {
            throw AirbyteScanError(message: "unexpected bytes after the message object", offset: trailing)
        }

        guard let type else { throw AirbyteScanError(message: "the message has no 'type'", offset: start) }
        let kind = Self.kind(of: type, in: scanner)
        guard kind == .record else { return AirbyteEnvelope(kind: kind) }
        guard let record, recordIsObject else {
            throw AirbyteScanError(message: "a RECORD message needs a 'record' object", offset: record?.lowerBound ?? start)
        }
        guard let stream else { throw AirbyteScanError(message: "the record has no 'stream'", offset: record.lowerBound) }
        guard let data else { throw AirbyteScanError(message: "the record has no 'data'", offset: record.lowerBound) }
        return AirbyteEnvelope(
            kind: .record, stream: stream, namespace: namespace, data: data, emittedAt: emittedAt, meta: meta)
    }

    /// The record's `emitted_at` in milliseconds since the epoch.
    /// - Parameter line: The line the envelope was scanned from.
    /// - Returns: The integer (a fraction is dropped), nil when the record has none or it is
    ///   out of range.
    func emittedAtMilliseconds(in line: UnsafeRawBufferPointer) -> Int64? {
        guard let emittedAt else { return nil }
        let text = String(decoding: line[emittedAt], as: UTF8.self)
        if let integer = Int64(text) { return integer }
        guard let double = Double(text), double.isFinite, abs(double) < 9.0e18 else { return nil }
        return Int64(double)
    }

    /// The members of the record's `meta.changes` array: the source's changes to the record.
    /// - Parameter line: The line the envelope was scanned from.
    /// - Returns: The bytes between the array's brackets, trimmed; nil when there is no
    ///   `changes` array or it is empty. The line was checked as JSON, so they are valid members.
    func sourceChanges(in line: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let meta else { return nil }
        let scanner = AirbyteJSONScanner(line)
        var found: Range<Int>?
        _ = try? scanner.objectEnd(from: meta.lowerBound) { key, escaped, valueStart throws(AirbyteScanError) in
            let end = try scanner.valueEnd(from: valueStart)
            if scanner.string(from: key.lowerBound, to: key.upperBound, escaped: escaped, equals: "changes"),
                scanner.byte(valueStart) == UInt8(ascii: "[")
            {
                var first = scanner.whitespaceEnd(from: valueStart + 1)
                var last = end - 1  // the closing bracket
                while last > first, [0x20, 0x09, 0x0A, 0x0D].contains(line[last - 1]) { last -= 1 }
                if first > last { first = last }
                found = first < last ? first..<last : nil
            }
            return end
        }
        return found
    }

    /// The kind a `type` string names.
    private static func kind(of type: StringSpan, in scanner: AirbyteJSONScanner) -> Kind {
        func named(_ name: StaticString) -> Bool {
            scanner.string(from: type.range.lowerBound, to: type.range.upperBound, escaped: type.escaped, equals: name)
        }
        if named("RECORD") { return .record }
        if named("STATE") { return .state }
        if named("LOG") { return .log }
        if named("TRACE") { return .trace }
        if named("CONTROL") { return .control }
        return .other(scanner.decodeString(from: type.range.lowerBound, to: type.range.upperBound))
    }
}
