// parquet-interop-gen: writes the Parquet files a JSON spec describes, through the Swift API,
// so the Python interop suite can read them back with pyarrow, DuckDB and polars.
//
//   parquet-interop-gen write SPEC.json
//   parquet-interop-gen synth --rows N --out PATH [--compression zstd] [--batch-rows N]
//
// Test tooling: it may use Foundation; the Parquet module itself does not.
import Foundation
import Parquet

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("parquet-interop-gen: \(message)\n".utf8))
    exit(2)
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Peak resident memory of this process image.
///
/// VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across execve, so a generator
/// started by a large parent (pytest with pyarrow loaded) would report the parent's peak.
func peakRSSBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    else { fail("cannot read VmHWM from /proc/self/status") }
    return kib * 1024
}

// MARK: Spec → API

func dataType(_ field: [String: Any]) -> DataType {
    let name = field["type"] as? String ?? ""
    let utc = field["utc"] as? Bool ?? true
    switch name {
    case "boolean": return .boolean
    case "int8": return .int8
    case "int16": return .int16
    case "int32": return .int32
    case "int64": return .int64
    case "uint8": return .uint8
    case "uint16": return .uint16
    case "uint32": return .uint32
    case "uint64": return .uint64
    case "float32": return .float32
    case "float64": return .float64
    case "string": return .string
    case "binary": return .binary
    case "fixed_binary": return .fixedBinary(length: field["length"] as? Int ?? 0)
    case "date": return .date
    case "time_ms": return .time(.milliseconds)
    case "time_us": return .time(.microseconds)
    case "time_ns": return .time(.nanoseconds)
    case "timestamp_ms": return .timestamp(.milliseconds, utc: utc)
    case "timestamp_us": return .timestamp(.microseconds, utc: utc)
    case "timestamp_ns": return .timestamp(.nanoseconds, utc: utc)
    case "decimal": return .decimal(precision: field["precision"] as? Int ?? 0, scale: field["scale"] as? Int ?? 0)
    case "uuid": return .uuid
    case "json": return .json
    default: fail("unknown type '\(name)'")
    }
}

func compression(_ options: [String: Any]) -> Compression {
    let level = (options["compression_level"] as? Int).map(Int32.init)
    switch options["compression"] as? String ?? "uncompressed" {
    case "uncompressed", "none": return .uncompressed
    case "snappy": return .snappy
    case "gzip": return .gzip(level: level ?? Compression.defaultGzipLevel)
    case "zstd": return .zstd(level: level ?? Compression.defaultZstdLevel)
    case "lz4_raw": return .lz4Raw(level: level ?? Compression.defaultLz4RawLevel)
    case "brotli": return .brotli(level: level ?? Compression.defaultBrotliLevel)
    case let other: fail("unknown compression '\(other)'")
    }
}

func writerOptions(_ options: [String: Any]) -> WriterOptions {
    var result = WriterOptions(compression: compression(options))
    if let value = options["dictionary"] as? Bool { result.dictionary = value }
    if let value = options["row_group_rows"] as? Int { result.rowGroupRows = value }
    if let value = options["row_group_bytes"] as? Int { result.rowGroupBytes = value }
    if let value = options["page_bytes"] as? Int { result.pageBytes = value }
    if let value = options["page_rows"] as? Int { result.pageRows = value }
    if let value = options["dictionary_page_bytes"] as? Int { result.dictionaryPageBytes = value }
    if let value = options["statistics_truncate_length"] as? Int { result.statisticsTruncateLength = value }
    if let value = options["data_page_version"] as? Int { result.dataPageVersion = value }
    if let value = options["boolean_encoding"] as? String { result.booleanEncoding = value == "rle" ? .rle : .plain }
    if let metadata = options["metadata"] as? [String: String] {
        result.metadata = metadata.keys.sorted().map { (key: $0, value: metadata[$0]!) }
    }
    return result
}

func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        guard let byte = UInt8(text[index..<next], radix: 16) else { fail("bad hex '\(text)'") }
        bytes.append(byte)
        index = next
    }
    return bytes
}

func parseDouble(_ text: String) -> Double {
    switch text {
    case "NaN": return .nan
    case "Infinity": return .infinity
    case "-Infinity": return -.infinity
    default:
        guard let value = Double(text) else { fail("bad float '\(text)'") }
        return value
    }
}

/// Appends one slice of a spec column to the batch, converting from the spec's value encoding.
func append(_ values: ArraySlice<Any>, type: DataType, column: Int, to batch: inout ColumnBatch) throws {
    func optional<T>(_ convert: (Any) -> T) -> [T?] {
        values.map { $0 is NSNull ? nil : convert($0) }
    }
    switch type {
    case .boolean:
        try batch.append(optional { $0 as! Bool }, toColumnAt: column)
    case .float32, .float64:
        try batch.append(optional { parseDouble($0 as! String) }, toColumnAt: column)
    case .string, .json:
        try batch.append(optional { $0 as! String }, toColumnAt: column)
    case .binary, .fixedBinary, .uuid:
        try batch.append(optional { hexBytes($0 as! String) }, toColumnAt: column)
    default:
        try batch.append(optional { text -> Int128 in
            guard let value = Int128(text as! String) else { fail("bad integer '\(text)'") }
            return value
        }, toColumnAt: column)
    }
}

func writeSpec(_ path: String) throws {
    guard let data = FileManager.default.contents(atPath: path),
          let spec = try JSONSerialization.jsonObject(with: data) as? [String: Any],
          let files = spec["files"] as? [[String: Any]]
    else { fail("cannot read spec '\(path)'") }
    for file in files {
        let output = file["path"] as! String
        let fields = file["fields"] as! [[String: Any]]
        let columns = file["columns"] as! [String: [Any]]
        let options = file["options"] as? [String: Any] ?? [:]
        let schema = try Schema(fields.map { field in
            let encoding = (field["encoding"] as? String).map { name -> ColumnEncoding in
                guard let known = ColumnEncoding(rawValue: name) else { fail("unknown encoding '\(name)'") }
                return known
            }
            return Field(field["name"] as! String, dataType(field), nullable: field["nullable"] as? Bool ?? true,
                         encoding: encoding)
        })
        let writer = try ParquetWriter(path: output, schema: schema, options: writerOptions(options))
        let rows = columns[fields.first!["name"] as! String]?.count ?? 0
        // Several batches per file, so batch boundaries inside pages and row groups are exercised.
        let batchRows = options["batch_rows"] as? Int ?? 1000
        var batch = ColumnBatch(schema: schema)
        var start = 0
        while start < rows {
            let end = min(start + batchRows, rows)
            batch.removeAll()
            for (index, field) in schema.fields.enumerated() {
                guard let values = columns[field.name] else { fail("no values for column '\(field.name)'") }
                try append(values[start..<end], type: field.type, column: index, to: &batch)
            }
            try writer.write(batch)
            start = end
        }
        let summary = try writer.close()
        emit(["path": summary.path, "rows": summary.rows, "row_groups": summary.rowGroups, "bytes": summary.bytes])
    }
}

// MARK: Synthetic stream

func synth(_ arguments: [String]) throws {
    var rows = 1_000_000
    var output = ""
    var codec = "zstd"
    var batchRows = 10_000
    var index = 0
    while index < arguments.count {
        let value = index + 1 < arguments.count ? arguments[index + 1] : ""
        switch arguments[index] {
        case "--rows": rows = Int(value) ?? rows
        case "--out": output = value
        case "--compression": codec = value
        case "--batch-rows": batchRows = Int(value) ?? batchRows
        default: fail("unknown option \(arguments[index])")
        }
        index += 2
    }
    guard !output.isEmpty else { fail("synth needs --out") }
    let schema = try Schema([
        Field("id", .int64, nullable: false),
        Field("value", .float64, nullable: false),
        Field("name", .string, nullable: false),
        Field("flag", .boolean, nullable: false),
        Field("opt", .int32),
    ])
    let writer = try ParquetWriter(
        path: output, schema: schema, options: WriterOptions(compression: compression(["compression": codec])))
    var batch = ColumnBatch(schema: schema)
    var ids: [Int64] = [], values: [Double] = [], names: [String] = [], flags: [Bool] = [], opts: [Int32?] = []
    var start = 0
    while start < rows {
        let end = min(start + batchRows, rows)
        ids.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true); flags.removeAll(keepingCapacity: true)
        opts.removeAll(keepingCapacity: true)
        for i in start..<end {
            ids.append(Int64(i))
            values.append(Double(i) * 0.5)
            names.append("name-\(i % 1000)")
            flags.append(i % 3 == 0)
            opts.append(i % 7 == 0 ? nil : Int32(i % 100_000))
        }
        batch.removeAll()
        try batch.append(ids, to: "id")
        try batch.append(values, to: "value")
        try batch.append(names, to: "name")
        try batch.append(flags, to: "flag")
        try batch.append(opts, to: "opt")
        try writer.write(batch)
        start = end
    }
    let summary = try writer.close()
    emit(["rows": summary.rows, "row_groups": summary.rowGroups, "bytes": summary.bytes, "peak_rss_bytes": peakRSSBytes()])
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "write" where arguments.count == 2: try writeSpec(arguments[1])
    case "synth": try synth(Array(arguments.dropFirst()))
    default: fail("usage: parquet-interop-gen write SPEC.json | synth --rows N --out PATH [--compression C]")
    }
} catch {
    fail("\(error)")
}
