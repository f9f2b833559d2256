// parquet-bench: the Swift typed API (ColumnBatch -> ParquetWriter) on the benchmark's data.
//
// Target (Package.swift):
//   .executableTarget(name: "parquet-bench", dependencies: ["Parquet", "ParquetDataset", "ParquetJSON"], path: "Benchmarks/Swift")
//
//   parquet-bench --data FILE.ndjson --out OUT.parquet [--rows N] [--batch-rows 100000]
//                 [--int64-rows 100000000] [--int64-out OUT2.parquet]
//   parquet-bench --orders ORDERS.ndjson --out OUT.parquet --int64-rows 0 [--rows N]
//   parquet-bench --ndjson FILE.ndjson --schema SCHEMA.json --out OUT.parquet --int64-rows 0
//                 [--threads N] [--batch-bytes 4194304] [--partition-by COLUMN[:TRANSFORM],...]
//                 [--memory-limit BYTES]
//
// 1. "transactions": reads the NDJSON written by Benchmarks/gen_data.py into typed Swift arrays
//    (a minimal parser for that generator's exact layout; not timed), then times appending them
//    to ColumnBatch (batches of --batch-rows) and writing them with zstd level 3 until close().
// 2. "int64_plain": one non-null Int64 column, dictionary off, uncompressed: --int64-rows values
//    appended and written 10M at a time (the source array is built once, not timed).
// 3. "orders_*" (with --orders): the nested orders of gen_data.py decoded into Swift structs
//    (JSONDecoder, not timed), then written three ways, 10,000 rows per call, zstd level 3:
//    "orders_encodable" ParquetWriter.write(rows:) (the Encodable row path);
//    "orders_jsonencoder" JSONEncoder -> JSON text -> JSONBatchWriter (the route before it);
//    "orders_columns" ColumnBatch column by column (typed arrays for leaves, append(encoding:)
//    for the struct and the list of structs); "orders_async" the Encodable rows through
//    AsyncParquetWriter, awaited.
// 4. "ndjson" (with --ndjson FILE --schema SCHEMA.json): the NDJSON file's bytes through
//    JSONBatchWriter in batches of whole lines (--batch-bytes, 4 MiB), zstd level 3, as the C
//    ABI writes them (the file is read whole first, not timed); with --partition-by, into a
//    hive-partitioned dataset in the directory --out (mode overwrite; --memory-limit sets
//    memory_limit_bytes, 256 MiB by default). The JSON path with nothing
//    else in the process: for `valgrind --tool=callgrind`, which reads this binary (and not
//    the statically linked library or CLI).
// Prints one JSON line per case: rows, seconds (create..close), write_seconds (before close,
// i.e. without the final flush + fsync), append_seconds (ColumnBatch.append alone), bytes, peak_rss (VmHWM so far: includes the arrays).

import Foundation
import Parquet
import ParquetDataset
import ParquetJSON

// MARK: arguments

var options: [String: String] = [:]
do {
    var it = CommandLine.arguments.dropFirst().makeIterator()
    while let key = it.next() {
        guard key.hasPrefix("--"), let value = it.next() else {
            FileHandle.standardError.write("usage: parquet-bench --data FILE --out FILE [--rows N] [--int64-rows N]\n".data(using: .utf8)!)
            exit(2)
        }
        options[String(key.dropFirst(2))] = value
    }
}
let dataPath = options["data"]
let outPath = options["out"] ?? "parquet-bench.parquet"
let batchRows = Int(options["batch-rows"] ?? "") ?? 100_000
let int64Rows = Int(options["int64-rows"] ?? "") ?? 100_000_000
let int64Out = options["int64-out"] ?? (outPath + ".int64.parquet")
// 2: the writer encodes each batch on its background thread while the next is appended.
let threads = Int(options["threads"] ?? "") ?? 1

func peakRSS() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
        return kb * 1024
    }
    return 0
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    fflush(nil)  // all streams (stdout is not concurrency-safe to name in Swift 6)
}

// MARK: the transactions data, as typed arrays

struct Transactions {
    var transactionID: [Int64] = []
    var accountID: [Int64] = []
    var createdAt: [Int64] = []  // ms since the epoch, UTC
    var amount: [Double] = []
    var currency: [String] = []
    var category: [String] = []
    var status: [String] = []
    var merchant: [String] = []
    var description: [String] = []
    var isRefund: [Bool] = []
    var fee: [Int64?] = []
    var count: Int { transactionID.count }

    mutating func reserve(_ n: Int) {
        transactionID.reserveCapacity(n); accountID.reserveCapacity(n); createdAt.reserveCapacity(n)
        amount.reserveCapacity(n); currency.reserveCapacity(n); category.reserveCapacity(n)
        status.reserveCapacity(n); merchant.reserveCapacity(n); description.reserveCapacity(n)
        isRefund.reserveCapacity(n); fee.reserveCapacity(n)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

/// Parses gen_data.py's NDJSON: keys in a fixed order, no quotes or escapes inside strings,
/// timestamps as YYYY-MM-DDTHH:MM:SS.mmmZ. Not a general JSON parser.
func loadTransactions(path: String, limit: Int) -> Transactions {
    guard let file = FileHandle(forReadingAtPath: path) else { fatalError("cannot open \(path)") }
    var t = Transactions()
    let estimate = fileSize(path) / 250 + 1  // records are ~320 bytes
    t.reserve(min(limit, estimate))
    var carry: [UInt8] = []
    let chunkBytes = 8 << 20
    while t.count < limit {
        let block = file.readData(ofLength: chunkBytes)
        if block.isEmpty { break }
        carry.append(contentsOf: block)
        var consumed = 0
        carry.withUnsafeBufferPointer { buf in
            let p = buf.baseAddress!
            let n = buf.count
            var lineStart = 0
            while lineStart < n, t.count < limit {
                guard let nl = UnsafeBufferPointer(rebasing: buf[lineStart...]).firstIndex(of: 0x0A) else { break }
                let lineEnd = lineStart + nl
                parseLine(p, lineStart, lineEnd, into: &t)
                lineStart = lineEnd + 1
            }
            consumed = lineStart
        }
        carry.removeFirst(consumed)
    }
    return t
}

@inline(__always)
func parseInt(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64 {
    var i = start
    var negative = false
    if p[i] == 0x2D { negative = true; i += 1 }
    var v: Int64 = 0
    while i < end { v = v * 10 + Int64(p[i] &- 0x30); i += 1 }
    return negative ? -v : v
}

func parseLine(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into t: inout Transactions) {
    var i = start
    // Returns the value's [from, to) (strings without their quotes) and moves i past it.
    func next() -> (Int, Int, Bool) {
        while !(p[i] == 0x22 && p[i + 1] == 0x3A) { i += 1 }  // `":` ends the key
        let v = i + 2
        if p[v] == 0x22 {
            var q = v + 1
            while p[q] != 0x22 { q += 1 }
            i = q + 1
            return (v + 1, q, true)
        }
        var q = v
        while q < end && p[q] != 0x2C && p[q] != 0x7D { q += 1 }
        i = q
        return (v, q, false)
    }
    func string(_ r: (Int, Int, Bool)) -> String {
        String(decoding: UnsafeBufferPointer(start: p + r.0, count: r.1 - r.0), as: UTF8.self)
    }
    func digits(_ a: Int, _ n: Int) -> Int64 { parseInt(p, a, a + n) }

    var r = next(); t.transactionID.append(parseInt(p, r.0, r.1))
    r = next(); t.accountID.append(parseInt(p, r.0, r.1))
    r = next()
    let s = r.0
    let days = daysFromCivil(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2))
    let seconds = days * 86_400 + digits(s + 11, 2) * 3600 + digits(s + 14, 2) * 60 + digits(s + 17, 2)
    t.createdAt.append(seconds * 1000 + digits(s + 20, 3))
    r = next()
    t.amount.append(UnsafeRawPointer(p + r.0).withMemoryRebound(to: CChar.self, capacity: r.1 - r.0) { strtod($0, nil) })
    r = next(); t.currency.append(string(r))
    r = next(); t.category.append(string(r))
    r = next(); t.status.append(string(r))
    r = next(); t.merchant.append(string(r))
    r = next(); t.description.append(string(r))
    r = next(); t.isRefund.append(p[r.0] == 0x74)  // "t"rue
    r = next(); t.fee.append(p[r.0] == 0x6E ? nil : parseInt(p, r.0, r.1))  // "n"ull
}

// MARK: case 1: transactions, zstd

if let dataPath {
    let limit = Int(options["rows"] ?? "") ?? Int.max
    let loadStart = now()
    let t = loadTransactions(path: dataPath, limit: limit)
    let loadSeconds = now() - loadStart

    let schema = try Schema([
        Field("transaction_id", .int64, nullable: false),
        Field("account_id", .int64, nullable: false),
        Field("created_at", .timestamp(.milliseconds, utc: true), nullable: false),
        Field("amount", .float64, nullable: false),
        Field("currency", .string, nullable: false),
        Field("category", .string, nullable: false),
        Field("status", .string, nullable: false),
        Field("merchant", .string, nullable: false),
        Field("description", .string, nullable: false),
        Field("is_refund", .boolean, nullable: false),
        Field("fee", .int64, nullable: true),
    ])
    let start = now()
    let writer = try ParquetWriter(path: outPath, schema: schema,
                                   options: WriterOptions(compression: .zstd(level: 3), threads: ThreadCount(threads)))
    // Two batches, alternated: with a background thread the one just written is still being
    // read, and refilling it would copy its buffers.
    var batches = [ColumnBatch(schema: schema), ColumnBatch(schema: schema)]
    var from = 0
    var appendSeconds = 0.0
    var round = 0
    while from < t.count {
        let to = min(t.count, from + batchRows)
        var batch = batches[round % 2]
        batches[round % 2] = ColumnBatch(schema: schema)
        batch.removeAll()
        let appendStart = now()
        try batch.append(t.transactionID[from..<to], toColumnAt: 0)
        try batch.append(t.accountID[from..<to], toColumnAt: 1)
        try batch.append(t.createdAt[from..<to], toColumnAt: 2)
        try batch.append(t.amount[from..<to], toColumnAt: 3)
        try batch.append(t.currency[from..<to], toColumnAt: 4)
        try batch.append(t.category[from..<to], toColumnAt: 5)
        try batch.append(t.status[from..<to], toColumnAt: 6)
        try batch.append(t.merchant[from..<to], toColumnAt: 7)
        try batch.append(t.description[from..<to], toColumnAt: 8)
        try batch.append(t.isRefund[from..<to], toColumnAt: 9)
        try batch.append(t.fee[from..<to], toColumnAt: 10)
        appendSeconds += now() - appendStart
        try writer.write(batch)
        batches[round % 2] = batch
        round += 1
        from = to
    }
    let writeSeconds = now() - start
    let summary = try writer.close()
    let seconds = now() - start
    emit(["case": "transactions", "threads": threads, "rows": summary.rows, "seconds": seconds, "write_seconds": writeSeconds,
          "load_seconds": loadSeconds, "append_seconds": appendSeconds, "bytes": summary.bytes, "peak_rss": peakRSS(),
          "rows_per_s": Double(summary.rows) / seconds])
}

// MARK: case 2: one Int64 column, PLAIN, uncompressed

if int64Rows > 0 {
    let chunk = min(int64Rows, 10_000_000)
    var values = [Int64](repeating: 0, count: chunk)
    var x: UInt64 = 0x9E37_79B9_7F4A_7C15
    for i in 0..<chunk {  // xorshift: incompressible-ish values (PLAIN ignores them anyway)
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        values[i] = Int64(bitPattern: x)
    }
    let schema = try Schema([Field("v", .int64, nullable: false)])
    let start = now()
    let writer = try ParquetWriter(path: int64Out, schema: schema,
                                   options: WriterOptions(compression: .uncompressed, dictionary: false))
    var batch = ColumnBatch(schema: schema)
    var written = 0
    var appendSeconds = 0.0
    while written < int64Rows {
        let n = min(chunk, int64Rows - written)
        let appendStart = now()
        try batch.append(values[0..<n], toColumnAt: 0)
        appendSeconds += now() - appendStart
        try writer.write(batch)
        batch.removeAll()
        written += n
    }
    let writeSeconds = now() - start
    let summary = try writer.close()
    let seconds = now() - start
    emit(["case": "int64_plain", "rows": summary.rows, "seconds": seconds, "write_seconds": writeSeconds,
          "append_seconds": appendSeconds,
          "bytes": summary.bytes, "peak_rss": peakRSS(),
          "gb_per_s": Double(summary.rows) * 8 / seconds / 1e9,
          "gb_per_s_before_close": Double(summary.rows) * 8 / writeSeconds / 1e9])
    if options["keep-int64"] == nil { try? FileManager.default.removeItem(atPath: int64Out) }
}

// MARK: case 3: nested orders from Swift structs

struct BenchOrder: Codable, Sendable {
    struct Customer: Codable, Sendable {
        var id: Int64
        var name: String
        var tier: String?
    }
    struct Item: Codable, Sendable {
        var sku: String
        var qty: Int32
        var price: Double
    }
    var orderID: Int64
    var country: String
    var createdAt: Int64  // ms since the epoch, UTC
    var status: String
    var customer: Customer
    var items: [Item]
    var total: Double
    var note: String?

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", country, createdAt = "created_at", status, customer, items, total, note
    }
}

/// gen_data.py's orders line, created_at still text.
struct OrderLine: Decodable {
    var order_id: Int64
    var country: String
    var created_at: String
    var status: String
    var customer: BenchOrder.Customer
    var items: [BenchOrder.Item]
    var total: Double
    var note: String?
}

func milliseconds(_ text: String) -> Int64 {
    let b = Array(text.utf8)
    func digits(_ a: Int, _ n: Int) -> Int64 { b[a..<(a + n)].reduce(0) { $0 * 10 + Int64($1 - 0x30) } }
    let days = daysFromCivil(digits(0, 4), digits(5, 2), digits(8, 2))
    return (days * 86_400 + digits(11, 2) * 3600 + digits(14, 2) * 60 + digits(17, 2)) * 1000 + digits(20, 3)
}

if let ordersPath = options["orders"] {
    let limit = Int(options["rows"] ?? "") ?? Int.max
    let callRows = 10_000
    let decoder = JSONDecoder()
    var orders: [BenchOrder] = []
    let text = try String(contentsOfFile: ordersPath, encoding: .utf8)
    for line in text.split(separator: "\n") where orders.count < limit {
        let o = try decoder.decode(OrderLine.self, from: Data(line.utf8))
        orders.append(BenchOrder(
            orderID: o.order_id, country: o.country, createdAt: milliseconds(o.created_at), status: o.status,
            customer: o.customer, items: o.items, total: o.total, note: o.note))
    }
    let schema = try Schema([
        Field("order_id", .int64, nullable: false),
        Field("country", .string, nullable: false),
        Field("created_at", .timestamp(.milliseconds, utc: true), nullable: false),
        Field("status", .string, nullable: false),
        Field("customer", .struct(fields: [
            Field("id", .int64, nullable: false), Field("name", .string, nullable: false), Field("tier", .string),
        ]), nullable: false),
        Field("items", .list(element: Field("element", .struct(fields: [
            Field("sku", .string, nullable: false), Field("qty", .int32, nullable: false),
            Field("price", .float64, nullable: false),
        ]), nullable: false)), nullable: false),
        Field("total", .float64, nullable: false),
        Field("note", .string),
    ])
    // --orders-only orders_encodable,...: some cases only (for profiling).
    let only = options["orders-only"].map { Set($0.split(separator: ",").map(String.init)) }
    let writerOptions = WriterOptions(compression: .zstd(level: 3))
    func run(_ name: String, _ body: (ParquetWriter, ArraySlice<BenchOrder>) throws -> Void) throws {
        guard only?.contains(name) ?? true else { return }
        let start = now()
        let writer = try ParquetWriter(path: outPath, schema: schema, options: writerOptions)
        var from = 0
        while from < orders.count {
            let to = min(orders.count, from + callRows)
            try body(writer, orders[from..<to])
            from = to
        }
        let summary = try writer.close()
        let seconds = now() - start
        emit(["case": name, "rows": summary.rows, "seconds": seconds, "bytes": summary.bytes, "peak_rss": peakRSS(),
              "rows_per_s": Double(summary.rows) / seconds])
    }
    try run("orders_encodable") { writer, slice in try writer.write(rows: slice) }
    let encoder = JSONEncoder()
    try run("orders_jsonencoder") { writer, slice in
        let json = try encoder.encode(Array(slice))
        _ = try json.withUnsafeBytes { bytes in try JSONBatchWriter(writer: writer).write(bytes) }
    }
    // The same Encodable rows through AsyncParquetWriter (awaited from this task; the actor
    // runs on its own thread): the throughput the async wrapper keeps.
    if only?.contains("orders_async") ?? true {
        let start = now()
        let writer = try AsyncParquetWriter(path: outPath, schema: schema, options: writerOptions)
        var from = 0
        while from < orders.count {
            let to = min(orders.count, from + callRows)
            try await writer.write(rows: orders[from..<to])
            from = to
        }
        let summary = try await writer.close()
        let seconds = now() - start
        emit(["case": "orders_async", "rows": summary.rows, "seconds": seconds, "bytes": summary.bytes,
              "peak_rss": peakRSS(), "rows_per_s": Double(summary.rows) / seconds])
    }
    var batch = ColumnBatch(schema: schema)
    try run("orders_columns") { writer, slice in
        batch.removeAll()
        try batch.append(slice.map(\.orderID), toColumnAt: 0)
        try batch.append(slice.map(\.country), toColumnAt: 1)
        try batch.append(slice.map(\.createdAt), toColumnAt: 2)
        try batch.append(slice.map(\.status), toColumnAt: 3)
        try batch.append(encoding: slice.map(\.customer), toColumnAt: 4)
        try batch.append(encoding: slice.map(\.items), toColumnAt: 5)
        try batch.append(slice.map(\.total), toColumnAt: 6)
        try batch.append(slice.map(\.note), toColumnAt: 7)
        try writer.write(batch)
    }
}

// MARK: case 4: NDJSON bytes through JSONBatchWriter

if let ndjsonPath = options["ndjson"], let schemaPath = options["schema"] {
    let input = try Data(contentsOf: URL(fileURLWithPath: ndjsonPath))
    let schemaText = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
    let schema = try schemaText.withUnsafeBytes { bytes in try Schema(json: try JSONValue.parse(bytes)) }
    let chunk = Int(options["batch-bytes"] ?? "") ?? (4 << 20)
    let fileOptions = WriterOptions(compression: .zstd(level: 3), threads: ThreadCount(threads))
    // With --partition-by a,b: a partitioned dataset in the directory --out, as the bench's
    // partitioned cases write through the C ABI (default budget); `column:transform` for a
    // transform (case B: `country,created_at:day`).
    let partitionBy = try options["partition-by"].map { list in
        try list.split(separator: ",").map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return PartitionField(column: parts[0]) }
            guard let transform = PartitionTransform(rawValue: parts[1]) else {
                throw ParquetError(.invalidOptions, "unknown partition transform '\(parts[1])'")
            }
            return PartitionField(column: parts[0], transform: transform)
        }
    }
    let start = now()
    let write: (UnsafeRawBufferPointer) throws -> Int
    let close: () throws -> Int
    if let partitionBy {
        let dataset = try DatasetWriter(
            directory: outPath, schema: schema, options: fileOptions,
            dataset: DatasetOptions(
                partitionBy: partitionBy, memoryLimitBytes: Int(options["memory-limit"] ?? "") ?? DatasetOptions.defaultMemoryLimitBytes,
                mode: .overwrite))
        let json = JSONDatasetWriter(dataset: dataset)
        // Bytes of every file, those finished by writes included.
        var finishedBytes = 0
        write = { bytes in
            let result = try json.write(bytes)
            finishedBytes += result.files.reduce(0) { $0 + $1.bytes }
            return result.rowsWritten
        }
        close = { try dataset.close().reduce(finishedBytes) { $0 + $1.bytes } }
    } else {
        let writer = try ParquetWriter(path: outPath, schema: schema, options: fileOptions)
        let json = JSONBatchWriter(writer: writer)
        write = { try json.write($0).rowsWritten }
        close = { try writer.close().bytes }
    }
    var rows = 0
    try input.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
        var from = 0
        while from < all.count {
            // Whole lines: up to the last newline within `chunk` bytes (or the next one after).
            var to = Swift.min(all.count, from + chunk)
            if to < all.count {
                var cut = to
                while cut > from && all[cut - 1] != 0x0A { cut -= 1 }
                if cut == from {
                    while to < all.count && all[to - 1] != 0x0A { to += 1 }
                } else {
                    to = cut
                }
            }
            rows += try write(UnsafeRawBufferPointer(rebasing: all[from..<to]))
            from = to
        }
    }
    let bytes = try close()
    let seconds = now() - start
    emit(["case": "ndjson", "threads": threads, "rows": rows, "seconds": seconds, "bytes": bytes,
          "peak_rss": peakRSS(), "rows_per_s": Double(rows) / seconds])
}
