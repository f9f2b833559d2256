// Writes orders from Swift types into a Parquet file: the schema derived from the type,
// nested fields (a struct, a list of structs, a map) written without JSON, Foundation's Date,
// UUID and Decimal as columns, through the async writer from concurrent producers.
//
//   swift run swift-rows OUT.parquet [ROWS]
import Foundation
import Parquet
import ParquetFoundation

struct Customer: Codable, Sendable {
    var id: Int64
    var name: String
    var tier: String?
}

struct Item: Codable, Sendable {
    var sku: String
    var qty: Int32
    var price: Decimal
}

struct Order: Codable, Sendable {
    var id: UUID
    var number: Int64
    var placedAt: Date
    var customer: Customer
    var items: [Item]
    var tags: [String: String]
    var note: String?

    enum CodingKeys: String, CodingKey {
        case id, number, placedAt = "placed_at", customer, items, tags, note
    }
}

/// Order `n`, the same on every run (the interop test recomputes it).
func order(_ n: Int) -> Order {
    let items = (0..<(n % 4)).map { k in
        Item(sku: "SKU-\(n % 100)-\(k)", qty: Int32(k + 1), price: Decimal(string: "\(n % 1000).\(k * 25)")!)
    }
    return Order(
        id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012x", n))!,
        number: Int64(n),
        placedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 0.25),
        customer: Customer(id: Int64(n % 5000), name: "customer \(n % 5000)", tier: n % 3 == 0 ? nil : "gold"),
        items: items,
        tags: n % 2 == 0 ? ["channel": "web"] : [:],
        note: n % 10 == 0 ? "gift" : nil)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: swift-rows OUT.parquet [ROWS]\n".utf8))
    exit(2)
}
let rows = arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000

// Decimal derives as decimal(38, 18); prices have two places, so say so.
var fields = try Schema(deriving: Order.self).fields
if let items = fields.firstIndex(where: { $0.name == "items" }),
   case .list(var element) = fields[items].type, case .struct(var itemFields) = element.type,
   let price = itemFields.firstIndex(where: { $0.name == "price" }) {
    itemFields[price].type = .decimal(precision: 12, scale: 2)
    element.type = .struct(fields: itemFields)
    fields[items].type = .list(element: element)
}
let schema = try Schema(fields)

let writer = try AsyncParquetWriter(
    url: URL(fileURLWithPath: arguments[1]), schema: schema,
    options: WriterOptions(compression: .zstd(level: 3)))
// Four producers hand pages of 1,000 orders to the writer; each page is written whole.
try await withThrowingTaskGroup(of: Void.self) { group in
    for producer in 0..<4 {
        group.addTask {
            for page in stride(from: producer * 1000, to: rows, by: 4000) {
                try await writer.write(rows: (page..<min(page + 1000, rows)).map(order))
            }
        }
    }
    try await group.waitForAll()
}
let summary = try await writer.close()
print("wrote \(summary.rows) orders, \(summary.rowGroups) row group(s), \(summary.bytes) bytes to \(summary.path)")
