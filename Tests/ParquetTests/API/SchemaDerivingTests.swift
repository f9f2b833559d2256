import Testing
@testable import Parquet

/// `Schema(deriving:)`: column types, nullability and order from `Decodable` types.
@Suite struct SchemaDerivingTests {
    struct Item: Codable {
        var sku: String
        var qty: Int32
        var price: Double?
    }

    enum Status: String, Codable, CaseIterable {
        case open, shipped
    }

    enum Level: Int8, Codable, CaseIterable {
        case low = 1, high = 2
    }

    struct Order: Codable {
        var id: Int64
        var customer: String?
        var items: [Item]
        var tags: [String?]?
        var attrs: [String: Int64]
        var counts: [Int16: [Bool]]
        var matrix: [[Float]]
        var unique: Set<UInt8>
        var payload: [UInt8]
        var status: Status
        var level: Level?
        var small: UInt16
        var wide: UInt
    }

    @Test func derivesTypesNullabilityAndOrder() throws {
        let schema = try Schema(deriving: Order.self)
        let item = DataType.struct(fields: [
            Field("sku", .string, nullable: false), Field("qty", .int32, nullable: false), Field("price", .float64),
        ])
        let expected = try Schema([
            Field("id", .int64, nullable: false),
            Field("customer", .string),
            Field("items", .list(element: Field("element", item, nullable: false)), nullable: false),
            Field("tags", .list(.string, nullableElements: true)),
            Field("attrs", .map(.string, .int64, nullableValues: false), nullable: false),
            Field("counts", .map(.int16, .list(.boolean, nullableElements: false), nullableValues: false), nullable: false),
            Field("matrix", .list(.list(.float32, nullableElements: false), nullableElements: false), nullable: false),
            Field("unique", .list(.uint8, nullableElements: false), nullable: false),
            Field("payload", .binary, nullable: false),
            Field("status", .string, nullable: false),
            Field("level", .int8),
            Field("small", .uint16, nullable: false),
            Field("wide", .uint64, nullable: false),
        ])
        #expect(schema == expected)
    }

    /// Coding keys rename columns; hand-written decoders with nested containers and
    /// `decodeIfPresent` are followed; a superclass's fields join the struct.
    @Test func followsCodingKeysAndHandWrittenDecoders() throws {
        class Base: Decodable {
            var id: Int64
            private enum Keys: String, CodingKey { case id = "order_id" }
            required init(from decoder: any Decoder) throws {
                id = try decoder.container(keyedBy: Keys.self).decode(Int64.self, forKey: .id)
            }
        }
        final class Derived: Base {
            var city: String?
            var lines: [String]
            private enum Keys: String, CodingKey { case address }
            private enum AddressKeys: String, CodingKey { case city, lines }
            required init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                let address = try container.nestedContainer(keyedBy: AddressKeys.self, forKey: .address)
                city = try address.decodeIfPresent(String.self, forKey: .city)
                var lines = try address.nestedUnkeyedContainer(forKey: .lines)
                var all: [String] = []
                while !lines.isAtEnd { all.append(try lines.decode(String.self)) }
                self.lines = all
                try super.init(from: container.superDecoder())
            }
        }
        let schema = try Schema(deriving: Derived.self)
        #expect(schema.fields.map(\.name) == ["address", "order_id"])
        #expect(schema.fields[0] == Field("address", .struct(fields: [
            Field("city", .string), Field("lines", .list(.string, nullableElements: false), nullable: false),
        ]), nullable: false))
        #expect(schema.fields[1] == Field("order_id", .int64, nullable: false))
    }

    @Test func derivableColumnValueTypes() throws {
        struct Cents: Codable, DerivableColumnValue {
            var value: Int64
            static var derivedColumnType: DataType { .decimal(precision: 18, scale: 2) }
            static var derivationPlaceholder: Cents { Cents(value: 0) }
        }
        struct Row: Codable { var amount: Cents; var refund: Cents? }
        let schema = try Schema(deriving: Row.self)
        #expect(schema.fields == [
            Field("amount", .decimal(precision: 18, scale: 2), nullable: false),
            Field("refund", .decimal(precision: 18, scale: 2)),
        ])
    }

    @Test func refusesWhatCannotBeAColumn() throws {
        struct Node: Codable { var value: Int; var children: [Node] }
        let recursive = try #require(throws: ParquetError.self) { try Schema(deriving: Node.self) }
        #expect(recursive.code == .invalidSchema)
        #expect(recursive.message.contains("recursive"))

        enum Color: String, Codable { case red }  // not CaseIterable: no value to make up
        struct Paint: Codable { var color: Color }
        let color = try #require(throws: ParquetError.self) { try Schema(deriving: Paint.self) }
        #expect(color.message.contains("Color"))
        #expect(color.message.contains("DerivableColumnValue"))

        let scalar = try #require(throws: ParquetError.self) { try Schema(deriving: Int.self) }
        #expect(scalar.message.contains("keyed container"))

        struct Empty: Codable {}
        struct Holder: Codable { var id: Int; var empty: Empty }
        let empty = try #require(throws: ParquetError.self) { try Schema(deriving: Holder.self) }
        #expect(empty.message.contains("'empty'"))

        struct Keyed: Codable { var byItem: [SchemaDerivingTests.Status?: Int] }
        let optionalKey = try #require(throws: ParquetError.self) { try Schema(deriving: Keyed.self) }
        #expect(optionalKey.message.contains("keys"))
    }

    /// A derived schema takes the same type's values: rows in, levels out.
    @Test func derivedSchemaTakesTheTypesRows() throws {
        let schema = try Schema(deriving: Order.self)
        var batch = ColumnBatch(schema: schema)
        let order = Order(
            id: 1, customer: nil, items: [Item(sku: "a", qty: 2, price: nil)], tags: ["x", nil], attrs: ["k": 3],
            counts: [7: [true, false]], matrix: [[1.5], []], unique: [9], payload: [0xFF, 0], status: .shipped,
            level: .high, small: 65_535, wide: UInt.max)
        try batch.append(rows: [order, order])
        #expect(batch.rowCount == 2)
        #expect(batch.builders.allSatisfy { $0.rowCount == 2 })
        let wide = try #require(schema.columns.firstIndex { $0.path == ["wide"] })
        #expect(batch.builders[wide].int64s == [-1, -1])  // uint64 keeps its bit pattern
        let level = try #require(schema.columns.firstIndex { $0.path == ["level"] })
        #expect(batch.builders[level].int32s == [2, 2])
    }
}
