import Testing
@testable import ParquetBytes

@Suite struct ByteBufferTests {
    @Test func littleEndianWrites() {
        var buffer = ByteBuffer()
        buffer.appendLittleEndian(UInt32(0x0403_0201))
        buffer.appendLittleEndian(Int16(-2))
        buffer.appendLittleEndian(1.0 as Double)
        #expect(buffer.bytes == [1, 2, 3, 4, 0xFE, 0xFF, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    @Test func varints() {
        let cases: [(UInt64, [UInt8])] = [
            (0, [0]), (1, [1]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
            (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ]
        for (value, expected) in cases {
            var buffer = ByteBuffer()
            buffer.appendVarint(value)
            #expect(buffer.bytes == expected, "varint \(value)")
            #expect(ByteBuffer.varintSize(value) == expected.count)
        }
    }

    @Test func zigZag() {
        #expect(ByteBuffer.zigZag(0) == 0)
        #expect(ByteBuffer.zigZag(-1) == 1)
        #expect(ByteBuffer.zigZag(1) == 2)
        #expect(ByteBuffer.zigZag(-2) == 3)
        #expect(ByteBuffer.zigZag(Int64.max) == UInt64.max - 1)
        #expect(ByteBuffer.zigZag(Int64.min) == UInt64.max)
    }

    @Test func growthAndCopyOnWrite() {
        var a = ByteBuffer(capacity: 1)
        for i in 0..<1000 { a.append(UInt8(truncatingIfNeeded: i)) }
        var b = a
        b.append(7)
        #expect(a.count == 1000)
        #expect(b.count == 1001)
        #expect(a[999] == UInt8(truncatingIfNeeded: 999))
        a.removeAll()
        #expect(a.isEmpty && b.count == 1001)
    }

    @Test func patchAndUnsafeWrite() {
        var buffer = ByteBuffer()
        buffer.appendLittleEndian(UInt32(0))
        let written = buffer.writeUnsafe(maxBytes: 8) { pointer in
            pointer.storeBytes(of: 9, as: UInt8.self)
            return 1
        }
        #expect(written == 1)
        buffer.setLittleEndian(0xAABB_CCDD, at: 0)
        #expect(buffer.bytes == [0xDD, 0xCC, 0xBB, 0xAA, 9])
        buffer.append(repeating: 0xFF, count: 3)
        buffer.append(utf8: "é")
        #expect(buffer.bytes.suffix(5) == [0xFF, 0xFF, 0xFF, 0xC3, 0xA9])
        buffer.truncate(to: 1)
        #expect(buffer.bytes == [0xDD])
    }
}
