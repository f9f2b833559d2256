import Testing
@testable import ParquetThrift

/// Unknown fields of every wire type must be consumed exactly, leaving the known ones intact.
@Suite struct SkipTests {
    static let keyValueWithEverything: [UInt8] = {
        var bytes: [UInt8] = []
        bytes += [0x18, 0x01, 0x6B]  // 1: key = "k" (known)
        bytes += [0x21]  // 3: bool true, value in the nibble, no payload
        bytes += [0x12]  // 4: bool false
        bytes += [0x13, 0x7F]  // 5: i8, one raw byte
        bytes += [0x14, 0x03]  // 6: i16 zigzag(-2)
        bytes += [0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]  // 7: i32, 5-byte varint
        bytes += [0x16] + [UInt8](repeating: 0x80, count: 9) + [0x01]  // 8: i64, 10-byte varint
        bytes += [0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]  // 9: double 1.0
        bytes += [0x18, 0x03, 0x61, 0x62, 0x63]  // 10: binary "abc"
        bytes += [0x19, 0x25, 0x02, 0x04]  // 11: list<i32> [1, 2]
        bytes += [0x1A, 0x18, 0x01, 0x78]  // 12: set<binary> {"x"}
        // 13: map<i32, struct>, 2 pairs: 1 -> { 1: true }, 2 -> {}
        bytes += [0x1B, 0x02, 0x5C, 0x02, 0x11, 0x00, 0x04, 0x00]
        bytes += [0x1B, 0x00]  // 14: empty map, no type byte
        // 15: struct { 1: struct { 1: i32 1 }, 2: list<list<i32>> [[1]], 3: list<bool> [true, false] }
        bytes += [0x1C, 0x1C, 0x15, 0x02, 0x00, 0x19, 0x19, 0x15, 0x02, 0x19, 0x21, 0x01, 0x02, 0x00]
        bytes += [0x1D] + [UInt8](repeating: 0xAB, count: 16)  // 16: uuid, 16 raw bytes
        bytes += [0x08, 0x04, 0x01, 0x76]  // 2: value = "v" (known), long form since ids go back
        // 300: list<bool> using element type 2 (also legal) and element bytes 1 and 0
        bytes += [0x09, 0xD8, 0x04, 0x22, 0x01, 0x00]
        bytes += [0x00]  // stop
        return bytes
    }()

    @Test func skipsEveryType() throws {
        let (value, size) = try Self.keyValueWithEverything.withUnsafeBytes {
            try KeyValue.decodePrefix(from: $0)
        }
        #expect(value == KeyValue(key: "k", value: "v"))
        #expect(size == Self.keyValueWithEverything.count)
    }

    @Test func skipsInsideNestedKnownStruct() throws {
        // PageHeader whose data_page_header carries an unknown struct field 9 before its stop.
        var bytes = PageHeaderTests.dataPageBytes
        let innerStop = bytes.count - 2
        bytes.insert(contentsOf: [0x5C, 0x15, 0x02, 0x00], at: innerStop)  // 9: delta 5, { 1: i32 1 }
        #expect(try PageHeader.decode(from: bytes) == PageHeaderTests.dataPage)
    }

    @Test func skipValueByValue() throws {
        for type in ThriftType.allCases {
            var value = written { writer in
                switch type {
                case .bool: writer.writeBool(true)
                case .i8: writer.writeI8(-5)
                case .i16: writer.writeI16(-300)
                case .i32: writer.writeI32(.min)
                case .i64: writer.writeI64(.max)
                case .double: writer.writeDouble(-0.5)
                case .binary: writer.writeString("hello")
                case .list, .set: writer.writeList(.i64, [1, 2, 3] as [Int64]) { $0.writeI64($1) }
                case .map: writer.writeMapBegin(keyType: .binary, valueType: .bool, count: 1)
                    writer.writeString("k"); writer.writeBool(false)
                case .struct: KeyValue(key: "a", value: "b").encode(to: &writer)
                case .uuid: writer.buffer.append(repeating: 1, count: 16)
                }
            }
            value.append(0x99)  // sentinel that must remain unread
            let position = try reading(value) { (reader) throws(ThriftError) in
                try reader.skip(type)
                return reader.position
            }
            #expect(position == value.count - 1, "\(type)")
        }
    }
}
