// Fuzz target 2: the configuration parser, WriterConfiguration(jsonText:), on arbitrary bytes.
//
// It must throw a ParquetError with one of the codes it documents (malformed_json,
// limit_exceeded, invalid_options, invalid_schema; offsets within the input) or succeed. On
// success the output path is moved into the scratch directory (its components kept, so path
// handling is fuzzed too, but nothing is written outside the sandbox), a writer is created
// from the configuration, a record made of valid values for every column of its schema is
// written (it must be accepted), and the writer is closed or aborted: nothing may trap, and
// failures must be documented codes that creating or writing may give.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import FuzzSupport
import Parquet
import ParquetJSON

let scratch = ScratchDirectory(target: "config")

/// `path` moved under `directory`: its components, without empty, `.` and `..` ones.
func sandboxed(_ path: String, in directory: String) -> String {
    let parts = path.split(separator: "/").filter { $0 != "." && $0 != ".." }.prefix(4)
    return parts.isEmpty ? directory + "/out" : directory + "/" + parts.joined(separator: "/")
}

/// A valid JSON value for a column of `type` (nil: leave the key out).
func validValue(_ type: DataType, depth: Int = 0) -> String {
    switch type {
    case .boolean: return "true"
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: return "7"
    case .float32, .float64: return "1.5"
    case .string: return "\"text\""
    case .binary: return "\"AAEC\""
    case .fixedBinary(let length):
        let bytes = [UInt8](repeating: 0x41, count: length)
        return "\"" + base64(bytes) + "\""
    case .date: return "\"2024-03-09\""
    case .time: return "\"01:02:03\""
    case .timestamp: return "\"2024-03-09T17:00:00Z\""
    case .decimal: return "\"0\""
    case .uuid: return "\"123e4567-e89b-12d3-a456-426614174000\""
    case .json: return "{\"a\": [1, null]}"
    case .list(let element): return "[" + validValue(element.type, depth: depth + 1) + "]"
    case .struct(let fields): return record(fields, depth: depth + 1)
    case .map: return "{}"
    }
}

/// The largest fixed_binary length in a type.
func largestFixedLength(_ type: DataType) -> Int {
    switch type {
    case .fixedBinary(let length): return length
    case .list(let element): return largestFixedLength(element.type)
    case .struct(let fields): return fields.map { largestFixedLength($0.type) }.max() ?? 0
    case .map(let key, let value): return max(largestFixedLength(key.type), largestFixedLength(value.type))
    default: return 0
    }
}

func record(_ fields: [Field], depth: Int = 0) -> String {
    "{" + fields.map { jsonString($0.name) + ": " + validValue($0.type, depth: depth) }.joined(separator: ", ") + "}"
}

func base64(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
        let chunk = bytes[index..<min(index + 3, bytes.count)]
        let b0 = Int(chunk[chunk.startIndex])
        let b1 = chunk.count > 1 ? Int(chunk[chunk.startIndex + 1]) : 0
        let b2 = chunk.count > 2 ? Int(chunk[chunk.startIndex + 2]) : 0
        out.append(table[b0 >> 2])
        out.append(table[(b0 & 3) << 4 | b1 >> 4])
        out.append(chunk.count > 1 ? table[(b1 & 15) << 2 | b2 >> 6] : UInt8(ascii: "="))
        out.append(chunk.count > 2 ? table[b2 & 63] : UInt8(ascii: "="))
        index += 3
    }
    return String(decoding: out, as: UTF8.self)
}

func run(_ data: UnsafeRawBufferPointer) {
    Fuzz.beginInput()
    var configuration: WriterConfiguration
    do {
        configuration = try WriterConfiguration(jsonText: data)
    } catch {
        checkThrown(error, "WriterConfiguration(jsonText:)", allowed: [.malformedJSON, .limitExceeded, .invalidOptions, .invalidSchema],
                    inputLength: data.count)
        return
    }
    let run = scratch.fresh()
    let original = configuration.path
    configuration.path = sandboxed(original, in: run)
    Fuzz.note("configuration accepted: \(Fuzz.preview(data, limit: 400)); output moved to \(configuration.path)")

    let writer: ConfiguredJSONWriter
    do {
        writer = try ConfiguredJSONWriter(configuration: configuration)
    } catch {
        checkThrown(error, "ConfiguredJSONWriter(configuration:)", allowed: [.io, .invalidOptions, .invalidSchema, .limitExceeded])
        scratch.clear()
        return
    }
    // A record of valid values for every column (or, to infer a schema, a small one); not
    // when a fixed_binary column's values would be huge (its length goes up to 2^31 - 1).
    if let schema = configuration.schema, schema.fields.contains(where: { largestFixedLength($0.type) > 65536 }) {
        writer.abort()
        scratch.clear()
        return
    }
    // To infer a schema, a small record with a string for each partition column.
    let partitionColumns = (configuration.dataset?.partitionBy ?? []).map(\.column).filter { $0 != "a" && $0 != "b" }
    let inferredRecord = "{\"a\": 1, \"b\": \"x\"" + partitionColumns.map { ", " + jsonString($0) + ": \"p\"" }.joined() + "}"
    let batch = configuration.schema.map { record($0.fields) } ?? inferredRecord
    Fuzz.note("batch \(batch)")
    var closed = false
    do throws(ParquetError) {
        let result = try writer.write(batch)
        Fuzz.check(result.rowsWritten == 1 && result.rejected.isEmpty,
                   "a record of valid values was not written: \(result.rowsWritten) rows, rejected \(result.rejected)")
        // The first input byte decides between closing and aborting (both must be clean).
        if (data.first ?? 0) & 1 == 0 {
            closed = true
            let files = result.files + (try writer.close())
            let rows = files.reduce(0) { $0 + $1.rows }
            Fuzz.check(filesBelow(run) == files.map(\.path).sorted(), "after close the output holds \(filesBelow(run)), the writer reported \(files.map(\.path))")
            Fuzz.check(rows == 1, "close reported \(rows) rows in \(files.count) files, 1 was written")
            for file in files { checkWrittenFile(file.path, rows: Int(file.rows), "close") }
        } else {
            writer.abort()
            // A dataset keeps the files the write finished (a row or byte limit); nothing else.
            let finished = result.files.map(\.path).sorted()
            Fuzz.check(filesBelow(run) == finished, "abort left \(filesBelow(run)), expected only the finished \(finished)")
        }
    } catch {
        // Partition directory names over 255 bytes reject the batch (invalid_value). An
        // inferred schema can also fail to fit partition_by (a transform of a string column,
        // a repeated column), which is only known once the first batch infers it.
        var allowed: Set<ParquetError.Code> = [.invalidValue, .io]
        if configuration.schema == nil { allowed.formUnion([.invalidOptions, .invalidSchema]) }
        checkThrown(error, closed ? "close" : "write", allowed: allowed)
        if !closed { writer.abort() }
    }
    scratch.clear()
}

/// One libFuzzer input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
