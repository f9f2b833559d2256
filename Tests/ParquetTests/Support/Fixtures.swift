@testable import Parquet

/// `value` in lower-case hex, zero-padded to `digits`.
func hex(_ value: UInt64, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: Swift.max(0, digits - text.count)) + text
}

/// A schema with one column of each storage kind, nullable and required, used by layout tests.
enum Mixed {
    static let schema = try! Schema([
        Field("id", .int64, nullable: false),
        Field("name", .string),
        Field("flag", .boolean),
        Field("score", .float64, nullable: false),
        Field("amount", .decimal(precision: 20, scale: 2)),
        Field("key", .uuid),
        Field("small", .int16, nullable: false),
    ])

    static func id(_ i: Int) -> Int64 { Int64(i) * 7 - 1000 }
    static func name(_ i: Int) -> String? { i % 5 == 0 ? nil : "name-\(i % 37)" }
    static func flag(_ i: Int) -> Bool? { i % 3 == 0 ? nil : i % 2 == 0 }
    static func score(_ i: Int) -> Double { Double(i) * 0.5 }
    /// Unscaled value of `amount` (scale 2): i.ii, negative for odd i.
    static func amount(_ i: Int) -> Int128? { i % 11 == 0 ? nil : Int128(i * 101) * (i % 2 == 0 ? 1 : -1) }
    static func amountText(_ i: Int) -> String? {
        amount(i).map { unscaled in
            let magnitude = unscaled.magnitude
            let fraction = magnitude % 100
            return (unscaled < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
        }
    }
    static func keyText(_ i: Int) -> String? { i % 7 == 0 ? nil : "0123abcd-0000-4000-8000-" + hex(UInt64(i % 50), digits: 12) }
    static func keyBytes(_ i: Int) -> [UInt8]? {
        guard i % 7 != 0 else { return nil }
        return [0x01, 0x23, 0xab, 0xcd, 0, 0, 0x40, 0, 0x80, 0] + bigEndianBytes(Int128(i % 50), width: 6)
    }
    static func small(_ i: Int) -> Int16 { Int16(i % 1000 - 500) }

    static func batch(_ rows: Range<Int>) throws -> ColumnBatch {
        try makeBatch(schema) { batch in
            try batch.append(rows.map(id), to: "id")
            try batch.append(rows.map(name), to: "name")
            try batch.append(rows.map(flag), to: "flag")
            try batch.append(rows.map(score), to: "score")
            try batch.append(rows.map(amountText), to: "amount")
            try batch.append(rows.map(keyText), to: "key")
            try batch.append(rows.map(small), to: "small")
        }
    }

    /// The physical values every column should read back as, in schema order.
    static func expected(_ rows: Range<Int>) -> [[PhysicalValue?]] {
        [
            rows.map { .int64(id($0)) },
            rows.map { name($0).map(PhysicalValue.string) },
            rows.map { flag($0).map(PhysicalValue.boolean) },
            rows.map { .double(score($0)) },
            rows.map { amount($0).map { .bytes(bigEndianBytes($0, width: 9)) } },
            rows.map { keyBytes($0).map(PhysicalValue.bytes) },
            rows.map { .int32(Int32(small($0))) },
        ]
    }
}
