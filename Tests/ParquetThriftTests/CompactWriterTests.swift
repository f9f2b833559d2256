import Testing
import ParquetBytes
@testable import ParquetThrift

/// Byte-exact vectors derived by hand from the Thrift compact protocol spec.
@Suite struct CompactWriterTests {
    @Test func shortFormFieldHeaders() {
        let bytes = writtenStruct { writer in
            writer.writeField(1, i32: 3)
            writer.writeField(5, i64: 1)
        }
        #expect(bytes == [
            0x15,  // delta 1 (from 0) << 4 | I32 (5)
            0x06,  // zigzag(3) = 6
            0x46,  // delta 4 (5 - 1) << 4 | I64 (6)
            0x02,  // zigzag(1) = 2
            0x00,  // stop
        ])
    }

    @Test func longFormFieldHeaders() {
        let bytes = writtenStruct { writer in
            writer.writeField(1, i32: 0)
            writer.writeField(17, i32: 0)
            writer.writeField(3, i32: 0)
            writer.writeField(4, i32: 0)
            writer.writeField(300, i32: 0)
        }
        #expect(bytes == [
            0x15, 0x00,  // field 1: short form, delta 1
            0x05, 0x22, 0x00,  // field 17: delta 16 > 15, so type I32 alone, then zigzag(17) = 34 = 0x22
            0x05, 0x06, 0x00,  // field 3: delta -14 (backwards), so long form, zigzag(3) = 6
            0x15, 0x00,  // field 4: delta 1 from 3, short form again
            0x05, 0xD8, 0x04, 0x00,  // field 300: zigzag(300) = 600 = 0b100_1011000 -> 0xD8 0x04
            0x00,  // stop
        ])
    }

    @Test func firstFieldAbove15UsesLongForm() {
        let bytes = writtenStruct { writer in writer.writeField(20, i64: 0) }
        // delta 20 from 0 does not fit a nibble: type I64 (6), zigzag(20) = 40 = 0x28, value 0, stop.
        #expect(bytes == [0x06, 0x28, 0x00, 0x00])
    }

    @Test func nestedStructResetsAndRestoresFieldID() {
        struct Inner: ThriftEncodable {
            func encode(to writer: inout CompactWriter) {
                writer.writeStructBegin()
                writer.writeField(1, i32: 2)
                writer.writeField(3, bool: true)
                writer.writeStructEnd()
            }
        }
        let bytes = writtenStruct { writer in
            writer.writeField(1, i32: 1)
            writer.writeField(2, struct: Inner())
            writer.writeField(3, i32: 5)
        }
        #expect(bytes == [
            0x15, 0x02,  // outer field 1, zigzag(1) = 2
            0x1C,  // outer field 2: delta 1 << 4 | STRUCT (12)
            0x15, 0x04,  // inner field 1: delta from a fresh 0 (not from 2), zigzag(2) = 4
            0x21,  // inner field 3: delta 2 << 4 | BOOLEAN_TRUE (1), no value byte
            0x00,  // inner stop
            0x15, 0x0A,  // outer field 3: delta 1 from the restored 2 (not from inner 3), zigzag(5) = 10
            0x00,  // outer stop
        ])
    }

    @Test func boolFieldsCarryValueInTypeNibble() {
        let bytes = writtenStruct { writer in
            writer.writeField(1, bool: true)
            writer.writeField(2, bool: false)
            writer.writeField(20, bool: true)
        }
        #expect(bytes == [
            0x11,  // delta 1 << 4 | BOOLEAN_TRUE (1)
            0x12,  // delta 1 (2 - 1) << 4 | BOOLEAN_FALSE (2)
            0x01, 0x28,  // long form: BOOLEAN_TRUE, zigzag(20) = 40; still no value byte
            0x00,
        ])
    }

    @Test func i8IsOneRawByte() {
        let bytes = writtenStruct { writer in
            writer.writeField(1, i8: -1)
            writer.writeField(2, i8: 8)
        }
        // BYTE is type 3, both deltas are 1; the value is the two's-complement byte, not a zigzag varint.
        #expect(bytes == [0x13, 0xFF, 0x13, 0x08, 0x00])
    }

    @Test func zigzagVarints() {
        #expect(written { $0.writeI32(-1) } == [0x01])  // zigzag(-1) = 1
        #expect(written { $0.writeI32(-64) } == [0x7F])  // zigzag(-64) = 127, the largest 1-byte varint
        #expect(written { $0.writeI32(64) } == [0x80, 0x01])  // zigzag(64) = 128 needs a second byte
        // zigzag(Int32.min) = 0xFFFF_FFFF: four 0x7F groups with continuation bits, then 0x0F.
        #expect(written { $0.writeI32(.min) } == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(written { $0.writeI32(.max) } == [0xFE, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(written { $0.writeI16(-2) } == [0x03])  // zigzag(-2) = 3
        #expect(written { $0.writeI64(-1) } == [0x01])
        #expect(written { $0.writeI64(-300) } == [0xD7, 0x04])  // zigzag(-300) = 599 = 0x257
        // zigzag(Int64.min) = UInt64.max: nine 0xFF bytes and a final 0x01.
        #expect(written { $0.writeI64(.min) } == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func doubleIsLittleEndian() {
        let bytes = writtenStruct { writer in writer.writeField(1, double: 1.0) }
        // DOUBLE is type 7; 1.0 = 0x3FF0_0000_0000_0000, low byte first.
        #expect(bytes == [0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x00])
    }

    @Test func binaryAndStrings() {
        let bytes = writtenStruct { writer in
            writer.writeField(1, string: "hi")
            writer.writeField(2, binary: [0xDE, 0xAD])
            writer.writeField(3, string: "")
        }
        #expect(bytes == [
            0x18, 0x02, 0x68, 0x69,  // BINARY (8), varint length 2, "h" "i"
            0x18, 0x02, 0xDE, 0xAD,  // field 2 (delta 1), BINARY, length 2, raw bytes
            0x18, 0x00,  // field 3 (delta 1), BINARY, length 0
            0x00,
        ])
        let long = written { $0.writeBinary([UInt8](repeating: 7, count: 200)) }
        #expect(Array(long.prefix(2)) == [0xC8, 0x01])  // length 200 as varint
        #expect(long.count == 202)
    }

    @Test func listShortHeader() {
        let bytes = writtenStruct { writer in
            writer.writeField(1, i32List: [1, -1, 2])
            writer.writeField(2, i64List: [])
            writer.writeField(3, stringList: ["a"])
        }
        #expect(bytes == [
            0x19,  // field 1, LIST (9)
            0x35, 0x02, 0x01, 0x04,  // size 3 << 4 | I32 (5); zigzag 1, -1, 2
            0x19,  // field 2 (delta 1), LIST
            0x06,  // size 0 << 4 | I64 (6)
            0x19,  // field 3 (delta 1), LIST
            0x18, 0x01, 0x61,  // size 1 << 4 | BINARY (8); "a"
            0x00,
        ])
        // 14 is the largest size that fits the nibble.
        let fourteen = written { $0.writeList(.i32, [Int32](repeating: 0, count: 14)) { $0.writeI32($1) } }
        #expect(fourteen == [0xE5] + [UInt8](repeating: 0, count: 14))
    }

    @Test func listLongHeader() {
        let fifteen = written { $0.writeList(.i32, [Int32](repeating: 0, count: 15)) { $0.writeI32($1) } }
        // 0xF0 | I32, then the size 15 as a varint, then 15 zigzag zeros.
        #expect(fifteen == [0xF5, 0x0F] + [UInt8](repeating: 0, count: 15))
        let many = written { $0.writeListBegin(.struct, count: 300) }
        #expect(many == [0xFC, 0xAC, 0x02])  // 0xF0 | STRUCT (12); 300 = 0x12C -> 0xAC 0x02
    }

    @Test func boolListElementsAreBytes() {
        let bytes = written { $0.writeList(.bool, [true, false]) { $0.writeBool($1) } }
        // size 2 << 4 | element type 1 (as Apache Thrift writes bool), then 1 for true, 2 for false.
        #expect(bytes == [0x21, 0x01, 0x02])
    }

    @Test func mapHeaders() {
        #expect(written { $0.writeMapBegin(keyType: .binary, valueType: .i32, count: 0) } == [0x00])
        // varint size 1, then key type BINARY (8) << 4 | value type I32 (5).
        #expect(written { $0.writeMapBegin(keyType: .binary, valueType: .i32, count: 1) } == [0x01, 0x85])
    }

    @Test func emptyStructIsJustStop() {
        #expect(writtenStruct { _ in } == [0x00])
        #expect(Statistics().serialized().bytes == [0x00])
        // A union is a struct with one field: TYPE_ORDER (1) holding the empty TypeDefinedOrder.
        #expect(ColumnOrder.typeDefinedOrder.serialized().bytes == [0x1C, 0x00, 0x00])
    }

    @Test func serializeAppendingKeepsExistingBytes() {
        var buffer = ByteBuffer([0xAA, 0xBB])
        KeyValue(key: "k").serialize(appendingTo: &buffer)
        #expect(buffer.bytes == [0xAA, 0xBB, 0x18, 0x01, 0x6B, 0x00])
    }
}
