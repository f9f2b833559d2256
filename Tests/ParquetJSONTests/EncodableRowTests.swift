import Foundation
import Testing
@testable import Parquet
@testable import ParquetJSON

/// Rows from `Encodable` Swift values (`ColumnBatch.append(rows:)`, `append(encoding:to:)`,
/// `ParquetWriter.write(rows:)`): the JSON path is the oracle. The same values through
/// `JSONEncoder` and the JSON decoder must give the same levels and values in every leaf, and
/// the same file bytes.
@Suite struct EncodableRowTests {
    struct Item: Codable, Equatable {
        var sku: String
        var qty: Int32
        var price: Double?
    }

    struct Address: Codable, Equatable {
        var city: String
        var zip: String?
        var lines: [String]
    }

    struct Order: Codable, Equatable {
        var id: Int64
        var customer: String?
        var items: [Item]
        var tags: [String]?
        var attrs: [String: Int64]
        var address: Address?
        var scores: [[Double?]]
        var flags: [Bool]?
        var status: Status
    }

    enum Status: String, Codable {
        case open, shipped, cancelled
    }

    static let itemType = DataType.struct(fields: [
        Field("sku", .string, nullable: false), Field("qty", .int32, nullable: false), Field("price", .float64),
    ])

    static let schema = try! Schema([
        Field("id", .int64, nullable: false),
        Field("customer", .string),
        Field("items", .list(element: Field("element", itemType, nullable: false)), nullable: false),
        Field("tags", .list(.string)),
        Field("attrs", .map(.string, .int64), nullable: false),
        Field("address", .struct(fields: [
            Field("city", .string, nullable: false), Field("zip", .string),
            Field("lines", .list(.string, nullableElements: false), nullable: false),
        ])),
        Field("scores", .list(.list(.float64)), nullable: false),
        Field("flags", .list(.boolean)),
        Field("status", .string, nullable: false),
    ])

    /// Orders of every shape: empty and null lists, null structs and fields, empty maps.
    static func orders(_ count: Int, from start: Int = 0) -> [Order] {
        (start..<(start + count)).map { i -> Order in
            let address: Address? = i % 7 == 0 ? nil
                : Address(city: "City \(i % 11)", zip: i % 2 == 0 ? nil : "\(10_000 + i)", lines: (0..<(i % 3)).map { "line \($0)" })
            let scores: [[Double?]] = (0..<(i % 3)).map { j in (0..<((i + j) % 3)).map { m in m == 1 ? nil : Double(i * m) / 3 } }
            // One key at most: a dictionary's iteration order is its own, and JSONEncoder's may differ.
            let attrs: [String: Int64] = i % 6 == 0 ? [:] : ["b\(i % 3)": -Int64(i)]
            let customer: String? = i % 4 == 0 ? nil : "customer \(i % 97)"
            let items: [Item] = (0..<(i % 4)).map { k -> Item in
                let price: Double? = k == 1 ? nil : Double(i) * 0.25 + Double(k)
                return Item(sku: "SKU-\(i % 13)-\(k)", qty: Int32(k + 1), price: price)
            }
            let tags: [String]? = i % 5 == 0 ? nil : (0..<(i % 3)).map { "t\($0 + i % 7)" }
            let flags: [Bool]? = i % 8 == 0 ? nil : (0..<(i % 4)).map { ($0 + i) % 2 == 0 }
            let statuses: [Status] = [.open, .shipped, .cancelled]
            return Order(
                id: Int64(i) * 1_000_003, customer: customer, items: items, tags: tags, attrs: attrs, address: address,
                scores: scores, flags: flags, status: statuses[i % 3])
        }
    }

    /// The same values through JSONEncoder and the JSON decoder.
    static func viaJSON(_ orders: [Order], schema: Schema = schema) throws -> [ColumnBuilder] {
        let json = try JSONEncoder().encode(orders)
        var builders = makeBuilders(schema)
        try decode([UInt8](json), schema, into: &builders)
        return builders
    }

    /// Every leaf's levels, values and row count, compared between two sets of builders.
    static func expectSame(_ a: [ColumnBuilder], _ b: [ColumnBuilder], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) {
            let name = x.descriptor.name
            #expect(x.rowCount == y.rowCount, "rows of \(name)", sourceLocation: sourceLocation)
            #expect(x.definitionLevels == y.definitionLevels, "definition levels of \(name)", sourceLocation: sourceLocation)
            #expect(x.repetitionLevels == y.repetitionLevels, "repetition levels of \(name)", sourceLocation: sourceLocation)
            #expect(x.booleans == y.booleans && x.int32s == y.int32s && x.int64s == y.int64s, "values of \(name)",
                    sourceLocation: sourceLocation)
            #expect(x.doubles.map(\.bitPattern) == y.doubles.map(\.bitPattern), "values of \(name)", sourceLocation: sourceLocation)
            #expect(x.bytes.bytes == y.bytes.bytes && x.offsets == y.offsets,
                    "values of \(name)", sourceLocation: sourceLocation)
        }
    }

    @Test func rowsGiveWhatTheJSONPathGives() throws {
        let orders = Self.orders(500)
        var batch = ColumnBatch(schema: Self.schema)
        try batch.append(rows: orders)
        #expect(batch.rowCount == 500)
        Self.expectSame(batch.builders, try Self.viaJSON(orders))
        // Appending in two calls gives the same as one.
        var halves = ColumnBatch(schema: Self.schema)
        try halves.append(rows: orders[..<123])
        try halves.append(rows: orders[123...])
        Self.expectSame(halves.builders, batch.builders)
    }

    @Test func columnValuesGiveWhatRowsGive() throws {
        let orders = Self.orders(200, from: 7)
        var rows = ColumnBatch(schema: Self.schema)
        try rows.append(rows: orders)
        var columns = ColumnBatch(schema: Self.schema)
        try columns.append(orders.map(\.id), to: "id")
        try columns.append(encoding: orders.map(\.customer), to: "customer")
        try columns.append(encoding: orders.map(\.items), to: "items")
        try columns.append(encoding: orders.map(\.tags), to: "tags")
        try columns.append(encoding: orders.map(\.attrs), to: "attrs")
        try columns.append(encoding: orders.map(\.address), to: "address")
        try columns.append(encoding: orders.map(\.scores), to: "scores")
        try columns.append(encoding: orders.map(\.flags), to: "flags")
        try columns.append(encoding: orders.map(\.status), toColumnAt: 8)
        Self.expectSame(columns.builders, rows.builders)
    }

    @Test func filesAreByteIdenticalToTheJSONPath() throws {
        let orders = Self.orders(3000)
        var options = WriterOptions()
        options.rowGroupRows = 1000
        let swiftPath = JSONBatchWriterTests.temporaryPath("swift.parquet")
        let writer = try ParquetWriter(path: swiftPath, schema: Self.schema, options: options)
        try writer.write(rows: orders[..<1700])
        try writer.write(rows: orders[1700...])
        try writer.close()
        let jsonPath = JSONBatchWriterTests.temporaryPath("json.parquet")
        let jsonWriter = JSONBatchWriter(writer: try ParquetWriter(path: jsonPath, schema: Self.schema, options: options))
        _ = try jsonWriter.write(String(decoding: try JSONEncoder().encode(Array(orders[..<1700])), as: UTF8.self))
        _ = try jsonWriter.write(String(decoding: try JSONEncoder().encode(Array(orders[1700...])), as: UTF8.self))
        try jsonWriter.writer.close()
        let swiftBytes = try Data(contentsOf: URL(fileURLWithPath: swiftPath))
        #expect(swiftBytes.count > 10_000)
        #expect(swiftBytes == (try Data(contentsOf: URL(fileURLWithPath: jsonPath))))
    }

    // MARK: Checks

    struct Partial: Encodable {
        var id: Int64?
        var items: [Item]
        var attrs: [String: Int64]
        var scores: [[Double?]]
        var status: String
    }

    /// The error appending `rows` throws (the batch must be left as it was).
    func rejection<T: Encodable>(_ rows: [T], schema: Schema = EncodableRowTests.schema) throws -> ParquetError? {
        var batch = ColumnBatch(schema: schema)
        try batch.append(rows: Self.orders(3))
        let before = batch.builders
        do {
            try batch.append(rows: rows)
            return nil
        } catch {
            Self.expectSame(batch.builders, before)
            #expect(batch.rowCount == 3)
            return error
        }
    }

    @Test func missingNonNullableValueNamesColumnAndRow() throws {
        let good = Partial(id: 1, items: [], attrs: [:], scores: [], status: "open")
        var bad = good
        bad.id = nil
        let error = try #require(try rejection([good, good, bad]))
        #expect(error.code == .missingValue)
        #expect(error.column == "id")
        #expect(error.row == 2)
    }

    @Test func nullStructFieldAndNullElementOfNonNullableList() throws {
        struct Line: Encodable { var city: String?; var lines: [String?] }
        struct Row: Encodable { var id: Int64 = 1; var items: [Item] = []; var attrs: [String: Int64] = [:]
            var scores: [[Double?]] = []; var status = "open"; var address: Line }
        let nullCity = try #require(try rejection([Row(address: Line(city: nil, lines: []))]))
        #expect(nullCity.code == .missingValue)
        #expect(nullCity.column == "address.city")
        let nullLine = try #require(try rejection([Row(address: Line(city: "x", lines: ["a", nil]))]))
        #expect(nullLine.code == .missingValue)
        #expect(nullLine.column == "address.lines.list.element")
    }

    @Test func keyOutsideTheSchemaIsRefused() throws {
        struct Row: Encodable { var id: Int64 = 1; var items: [Item] = []; var attrs: [String: Int64] = [:]
            var scores: [[Double?]] = []; var status = "open"; var extra = 5 }
        let error = try #require(try rejection([Row()]))
        #expect(error.code == .invalidRecord)
        #expect(error.message.contains("'extra' is not a column"))
    }

    @Test func wrongKindOfValueIsATypeMismatch() throws {
        struct TextID: Encodable { var id = "one"; var items: [Item] = []; var attrs: [String: Int64] = [:]
            var scores: [[Double?]] = []; var status = "open" }
        let text = try #require(try rejection([TextID()]))
        #expect(text.code == .typeMismatch)
        #expect(text.column == "id")
        struct ArrayForStruct: Encodable { var id: Int64 = 1; var items: [Item] = []; var attrs: [String: Int64] = [:]
            var scores: [[Double?]] = []; var status = "open"; var address = ["a", "b"] }
        let array = try #require(try rejection([ArrayForStruct()]))
        #expect(array.code == .typeMismatch)
        #expect(array.column == "address")
        struct ScalarForList: Encodable { var id: Int64 = 1; var items = 3; var attrs: [String: Int64] = [:]
            var scores: [[Double?]] = []; var status = "open" }
        let scalar = try #require(try rejection([ScalarForList()]))
        #expect(scalar.code == .typeMismatch)
        #expect(scalar.column == "items")
        // A leaf check: 2^40 does not fit the int32 qty.
        struct BigQty: Encodable { var sku = "a"; var qty: Int64 = 1 << 40 }
        struct Row: Encodable { var id: Int64 = 1; var items = [BigQty()]; var attrs: [String: Int64] = [:]
            var scores: [[Double?]] = []; var status = "open" }
        let range = try #require(try rejection([Row()]))
        #expect(range.code == .valueOutOfRange)
        #expect(range.column == "items.list.element.qty")
    }

    @Test func rowMustBeKeyed() throws {
        let error = try #require(try rejection([1, 2, 3]))
        #expect(error.code == .typeMismatch)
        #expect(error.message.contains("a row"))
    }

    /// Hand-written `encode(to:)` with nested containers, a superclass and a value wrapper
    /// give what the synthesized code gives.
    @Test func handWrittenEncodersAndClasses() throws {
        final class Wrapped: Encodable {
            let value: Int64
            init(_ value: Int64) { self.value = value }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(value)
            }
        }
        class Base: Encodable {
            var id: Int64 = 42
            var customer: String? = "c"
            private enum Keys: String, CodingKey { case id, customer }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(Wrapped(id), forKey: .id)
                try container.encodeIfPresent(customer, forKey: .customer)
            }
        }
        final class Derived: Base {
            private enum Keys: String, CodingKey { case items, attrs, scores, status, address }
            override func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var items = container.nestedUnkeyedContainer(forKey: .items)
                var item = items.nestedContainer(keyedBy: AnyKey.self)
                try item.encode("s", forKey: AnyKey("sku"))
                try item.encode(Int32(2), forKey: AnyKey("qty"))
                try items.encode(Item(sku: "t", qty: 3, price: 1.5))
                var attrs = container.nestedContainer(keyedBy: AnyKey.self, forKey: .attrs)
                try attrs.encode(Int64(7), forKey: AnyKey("k"))
                var scores = container.nestedUnkeyedContainer(forKey: .scores)
                var inner = scores.nestedUnkeyedContainer()
                try inner.encodeNil()
                try inner.encode(2.5)
                _ = scores.nestedUnkeyedContainer()
                try container.encode(Status.shipped, forKey: .status)
                var address = container.nestedContainer(keyedBy: AnyKey.self, forKey: .address)
                try address.encode("Paris", forKey: AnyKey("city"))
                _ = address.nestedUnkeyedContainer(forKey: AnyKey("lines"))
                try super.encode(to: container.superEncoder())
            }
        }
        var batch = ColumnBatch(schema: Self.schema)
        try batch.append(rows: [Derived()])
        let expected = Order(
            id: 42, customer: "c", items: [Item(sku: "s", qty: 2, price: nil), Item(sku: "t", qty: 3, price: 1.5)],
            tags: nil, attrs: ["k": 7], address: Address(city: "Paris", zip: nil, lines: []),
            scores: [[nil, 2.5], []], flags: nil, status: .shipped)
        Self.expectSame(batch.builders, try Self.viaJSON([expected]))
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    @Test func mapsWithIntegerAndOtherKeys() throws {
        struct Point: Codable, Hashable { var x: Int32 }
        let schema = try Schema([
            Field("byInt", .map(.int32, .string)),
            Field("byPoint", .map(.int32, .float64)),
            Field("set", .list(.string)),
        ])
        struct Row: Encodable {
            var byInt: [Int32: String]
            var byPoint: [Int64: Double]
            var set: Set<String>
        }
        // Dictionary<Int32, _> encodes unkeyed (alternating keys and values), Dictionary<Int64, _> too.
        let rows = [Row(byInt: [1: "a", -2: "b"], byPoint: [5: 0.5], set: ["x"]), Row(byInt: [:], byPoint: [:], set: [])]
        var batch = ColumnBatch(schema: schema)
        try batch.append(rows: rows)
        let json = try JSONSerialization.data(withJSONObject: rows.map { row in
            [
                "byInt": row.byInt.map { [$0.key, $0.value] as [Any] },
                "byPoint": row.byPoint.map { [$0.key, $0.value] as [Any] },
                "set": Array(row.set),
            ] as [String: Any]
        })
        var builders = makeBuilders(schema)
        try decode([UInt8](json), schema, into: &builders)
        Self.expectSame(batch.builders, builders)
        // A map of string keys to an integer key column: the key's text must be a number.
        struct Bad: Encodable { var byInt = ["x": "a"]; var byPoint: [Int64: Double] = [:]; var set: Set<String> = [] }
        var failing = ColumnBatch(schema: schema)
        #expect(throws: ParquetError.self) { try failing.append(rows: [Bad()]) }
        #expect(failing.rowCount == 0)
    }

    @Test func leafValuesThroughColumnValueAndWrappers() throws {
        let schema = try Schema([
            Field("amount", .decimal(precision: 10, scale: 2)),
            Field("key", .uuid),
            Field("bytes", .binary),
            Field("wide", .list(.int64)),
        ])
        struct Row: Encodable {
            var amount: Int128?
            var key: String
            var bytes: [UInt8]
            var wide: [UInt8?]
        }
        var batch = ColumnBatch(schema: schema)
        try batch.append(rows: [
            Row(amount: 12_345, key: "0123abcd-0000-4000-8000-000000000001", bytes: [1, 2, 3], wide: [7, nil]),
            Row(amount: nil, key: "0123abcd-0000-4000-8000-000000000002", bytes: [], wide: []),
        ])
        var expected = ColumnBatch(schema: schema)
        try expected.append([12_345, nil] as [Int128?], to: "amount")
        try expected.append(["0123abcd-0000-4000-8000-000000000001", "0123abcd-0000-4000-8000-000000000002"], to: "key")
        try expected.append([[1, 2, 3], []] as [[UInt8]], to: "bytes")
        var builders = expected.builders
        let listJSON = #"{"wide": [7, null]} {"wide": []}"#
        var wide = makeBuilders(schema)
        try decode(listJSON, schema, into: &wide)
        builders[3] = wide[3]
        Self.expectSame(batch.builders, builders)
    }
}
