// Fuzz target 3: the Airbyte destination's input path: AirbyteLineReader splitting a byte
// stream into lines, and AirbyteEnvelope.scan / AirbyteJSONScanner classifying each line.
//
// Input: byte 0 sets the reader's chunk size and line limit (and the sizes the source hands
// out), the rest is the stream. Checked: the reader yields exactly the input's lines (a line
// over the limit as tooLong with its length); every line is classified or gives a scan error
// with an offset inside the line, never a trap; a RECORD's stream, namespace and data spans
// lie inside the line, and data is a JSON object the scanner walks to exactly its end. Each
// line (copied to an allocation of its exact size, so over-reads are caught) is also parsed
// with the project's own strict parser, JSONValue: when that succeeds the scanner must agree
// (same type, stream, namespace, and a data slice that parses to the same value); when the
// scanner accepts what JSONValue rejects, the only allowed reasons are the ones the scanner
// documents leaving to the writer (invalid UTF-8, lone surrogate escapes) and JSONValue's
// depth limit.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import FuzzSupport
import ParquetJSON
@testable import ParquetCLI

/// An in-memory byte source handing out reads of varying sizes.
struct MemorySource: AirbyteByteSource {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    let sizes: [Int]
    var turn = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(AirbyteIOError) -> Int {
        let count = min(buffer.count, bytes.count - position, sizes[turn % sizes.count])
        turn += 1
        guard count > 0 else { return 0 }
        buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + position, byteCount: count)
        position += count
        return count
    }
}

/// What JSONValue says the scanner must find in a line.
enum Expected {
    case error(String)
    case message(type: String, stream: String?, namespace: String?, data: JSONValue?)
}

func expectation(_ value: JSONValue) -> Expected {
    guard let top = members(value) else { return .error("not an object") }
    let types = top.filter { $0.key == "type" }
    if types.count > 1 { return .error("repeated type") }
    if let type = types.first, string(type.value) == nil { return .error("type not a string") }
    let records = top.filter { $0.key == "record" }
    if records.count > 1 { return .error("repeated record") }
    var stream: String?
    var namespace: String?
    var data: JSONValue?
    let recordMembers = records.first.flatMap { members($0.value) }
    if let recordMembers {
        let streams = recordMembers.filter { $0.key == "stream" }
        if streams.count > 1 { return .error("repeated stream") }
        if let first = streams.first {
            guard let text = string(first.value) else { return .error("stream not a string") }
            stream = text
        }
        let namespaces = recordMembers.filter { $0.key == "namespace" }
        if namespaces.count > 1 { return .error("repeated namespace") }
        if let first = namespaces.first {
            switch first.value {
            case .string(let text): namespace = text
            case .null: break
            default: return .error("namespace not a string or null")
            }
        }
        let datas = recordMembers.filter { $0.key == "data" }
        if datas.count > 1 { return .error("repeated data") }
        if let first = datas.first {
            guard members(first.value) != nil else { return .error("data not an object") }
            data = first.value
        }
    }
    guard let type = types.first.flatMap({ string($0.value) }) else { return .error("no type") }
    guard type == "RECORD" else { return .message(type: type, stream: nil, namespace: nil, data: nil) }
    guard recordMembers != nil else { return .error("RECORD without a record object") }
    guard stream != nil else { return .error("RECORD without stream") }
    guard data != nil else { return .error("RECORD without data") }
    return .message(type: type, stream: stream, namespace: namespace, data: data)
}

func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}

func contains(_ bytes: UnsafeRawBufferPointer, _ needle: String) -> Bool {
    let pattern = Array(needle.utf8)
    guard bytes.count >= pattern.count else { return false }
    for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
        if (1..<pattern.count).allSatisfy({ bytes[start + $0] == pattern[$0] }) { return true }
    }
    return false
}

func kindName(_ kind: AirbyteEnvelope.Kind) -> String {
    switch kind {
    case .record: "RECORD"
    case .state: "STATE"
    case .log: "LOG"
    case .trace: "TRACE"
    case .control: "CONTROL"
    case .other(let name): name
    }
}

func checkLine(_ line: UnsafeRawBufferPointer, number: Int) {
    Fuzz.note("line \(number): \(Fuzz.preview(line))")
    let envelope: AirbyteEnvelope?
    do {
        envelope = try AirbyteEnvelope.scan(line)
    } catch {
        Fuzz.check(error.offset >= 0 && error.offset <= line.count, "scan error offset \(error.offset) outside the \(line.count)-byte line: \(error)")
        Fuzz.check(!error.message.isEmpty, "scan error without a message")
        envelope = nil
    }
    let scanner = AirbyteJSONScanner(line)
    var decodedStream: String?
    var decodedNamespace: String?
    if let envelope {
        func checkString(_ span: AirbyteEnvelope.StringSpan, _ what: String) -> String {
            let range = span.range
            Fuzz.check(range.lowerBound >= 0 && range.upperBound <= line.count && range.count >= 2,
                       "\(what) span \(range) outside the \(line.count)-byte line")
            Fuzz.check(line[range.lowerBound] == UInt8(ascii: "\"") && line[range.upperBound - 1] == UInt8(ascii: "\""),
                       "\(what) span \(range) is not a quoted string")
            return scanner.decodeString(from: range.lowerBound, to: range.upperBound)
        }
        if envelope.kind == .record {
            guard let stream = envelope.stream, let data = envelope.data else {
                Fuzz.fail("a RECORD envelope without stream or data: \(envelope)")
            }
            decodedStream = checkString(stream, "record.stream")
            decodedNamespace = envelope.namespace.map { checkString($0, "record.namespace") }
            Fuzz.check(data.lowerBound >= 0 && data.upperBound <= line.count && data.count >= 2,
                       "record.data span \(data) outside the \(line.count)-byte line")
            Fuzz.check(line[data.lowerBound] == UInt8(ascii: "{") && line[data.upperBound - 1] == UInt8(ascii: "}"),
                       "record.data span \(data) is not an object")
            do {
                let end = try scanner.valueEnd(from: data.lowerBound)
                Fuzz.check(end == data.upperBound, "record.data ends at \(end) when walked again, not \(data.upperBound)")
            } catch {
                Fuzz.fail("record.data \(data) does not scan again: \(error)")
            }
        } else {
            Fuzz.check(envelope.stream == nil && envelope.data == nil && envelope.namespace == nil,
                       "a \(envelope.kind) envelope with record spans")
        }
    }

    // The same line through JSONValue.
    let parsed: JSONValue
    do {
        parsed = try JSONValue.parse(line)
    } catch {
        guard envelope != nil || scannerAcceptsJSON(scanner, line) else { return }
        // The scanner accepted JSON that JSONValue refused: only for what it leaves to the writer.
        let allowed = error.code == .limitExceeded || !isValidUTF8(line) || contains(line, "\\u")
        Fuzz.check(allowed, "the scanner accepts a line JSONValue rejects (\(error)): \(Fuzz.preview(line, limit: 400))")
        return
    }
    Fuzz.check(scannerAcceptsJSON(scanner, line), "JSONValue parses a line the scanner rejects as JSON: \(Fuzz.preview(line, limit: 400))")
    switch (expectation(parsed), envelope) {
    case (.error(let reason), let envelope?):
        Fuzz.fail("the scanner classifies as \(envelope.kind) a message that should be refused (\(reason)): \(Fuzz.preview(line, limit: 400))")
    case (.message(let type, _, _, _), nil):
        Fuzz.fail("the scanner refuses a valid \(type) message: \(Fuzz.preview(line, limit: 400))")
    case (.error, nil):
        break
    case (.message(let type, let stream, let namespace, let data), let envelope?):
        Fuzz.check(kindName(envelope.kind) == type, "the scanner says \(envelope.kind), the message's type is \(type)")
        guard type == "RECORD", let data, let range = envelope.data else { return }
        Fuzz.check(decodedStream == stream, "record.stream decodes to \(decodedStream ?? "nil"), JSONValue says \(stream ?? "nil")")
        Fuzz.check(decodedNamespace == namespace, "record.namespace decodes to \(decodedNamespace ?? "nil"), JSONValue says \(namespace ?? "nil")")
        do {
            let slice = try JSONValue.parse(UnsafeRawBufferPointer(rebasing: line[range]))
            Fuzz.check(slice == data, "the record.data slice parses to \(slice), the message holds \(data)")
        } catch {
            Fuzz.fail("the record.data slice does not parse (\(error))")
        }
    }
}

/// Whether the scanner takes the whole line as one JSON value (whitespace around allowed).
func scannerAcceptsJSON(_ scanner: AirbyteJSONScanner, _ line: UnsafeRawBufferPointer) -> Bool {
    let start = scanner.whitespaceEnd(from: 0)
    guard let end = try? scanner.valueEnd(from: start) else { return false }
    return scanner.whitespaceEnd(from: end) == line.count
}

func run(_ data: UnsafeRawBufferPointer) {
    Fuzz.beginInput()
    guard let parameters = data.first else { return }
    let input = UnsafeRawBufferPointer(rebasing: data[1...])
    let chunkBytes = [1, 2, 3, 7, 16, 64, 256, 65536][Int(parameters & 7)]
    let maximumLineBytes = [16, 100, 1000, 1 << 20][Int(parameters >> 3 & 3)]
    let sizes = parameters & 0x20 != 0 ? [1, 5, 2, 9, 3] : [Int.max]
    Fuzz.note("chunk \(chunkBytes), line limit \(maximumLineBytes), read sizes \(sizes)")

    // The lines as a plain split gives them: "\n" ends a line, the last may lack it.
    var expected: [Range<Int>] = []
    var start = 0
    for index in 0..<input.count where input[index] == UInt8(ascii: "\n") {
        expected.append(start..<index)
        start = index + 1
    }
    if start < input.count { expected.append(start..<input.count) }

    var reader = AirbyteLineReader(
        source: MemorySource(bytes: input, sizes: sizes), maximumLineBytes: maximumLineBytes, chunkBytes: chunkBytes)
    var count = 0
    while true {
        let line: AirbyteLineReader<MemorySource>.Line?
        do {
            line = try reader.next()
        } catch {
            Fuzz.fail("the in-memory source cannot fail, but the reader threw \(error)")
        }
        guard let line else { break }
        Fuzz.check(count < expected.count, "the reader returns more than the input's \(expected.count) lines")
        let want = UnsafeRawBufferPointer(rebasing: input[expected[count]])
        Fuzz.check(reader.lineNumber == count + 1, "line number \(reader.lineNumber) for line \(count + 1)")
        switch line {
        case .tooLong(let bytes):
            Fuzz.check(want.count > maximumLineBytes && bytes == want.count,
                       "line \(count + 1) of \(want.count) bytes reported tooLong(\(bytes)) with a limit of \(maximumLineBytes)")
        case .text(let text):
            Fuzz.check(want.count <= maximumLineBytes, "line \(count + 1) of \(want.count) bytes returned whole past the limit \(maximumLineBytes)")
            Fuzz.check(text.count == want.count && memcmp(text.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, want.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, want.count) == 0,
                       "line \(count + 1) reads as \(Fuzz.preview(text)), the input has \(Fuzz.preview(want))")
            // Scan a copy of exactly the line's size: the reader's buffer hides over-reads.
            let copy = Fuzz.exactCopy(text)
            checkLine(UnsafeRawBufferPointer(start: copy, count: text.count), number: count + 1)
            free(copy)
        }
        count += 1
    }
    Fuzz.check(count == expected.count, "the reader returned \(count) lines, the input has \(expected.count)")
}

/// One libFuzzer input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
