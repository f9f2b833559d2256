import ParquetBytes
import Testing
@testable import ParquetEncoding

@Suite struct PlainEncoderTests {
    @Test func booleans() {
        // LSB first: 1,0,1,1,0,0,0,0 → 0b0000_1101 = 0x0D; the ninth value pads to 0x01.
        var encoder = PlainBooleanEncoder()
        for value in [true, false, true, true, false, false, false, false, true] { encoder.append(value) }
        #expect(encoder.count == 9)
        #expect(encoder.estimatedByteSize == 2)
        var output = ByteBuffer()
        encoder.flush(into: &output)
        #expect(output.bytes == [0x0D, 0x01])
        #expect(encoder.count == 0)
    }

    @Test func booleansAcrossWordBoundary() {
        var random = SplitMix64(seed: 3)
        var encoder = PlainBooleanEncoder()
        let values = (0..<203).map { _ in random.next() & 1 == 1 }
        for value in values { encoder.append(value) }
        var output = ByteBuffer()
        encoder.flush(into: &output)
        let bytes = output.bytes
        #expect(bytes.count == 26)
        for (index, value) in values.enumerated() {
            #expect((bytes[index / 8] >> (index % 8)) & 1 == (value ? 1 : 0))
        }
        #expect(bytes[25] >> 3 == 0)  // padding bits are zero
    }

    @Test func fixedWidthValues() {
        var output = ByteBuffer()
        PlainEncoder.append(Int32(-2), into: &output)
        PlainEncoder.append(Int64(0x0102_0304_0506_0708), into: &output)
        PlainEncoder.append(Float(1.0), into: &output)  // 0x3F800000
        PlainEncoder.append(Double(-0.0), into: &output)  // sign bit only
        #expect(output.bytes == [
            0xFE, 0xFF, 0xFF, 0xFF,
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
            0x00, 0x00, 0x80, 0x3F,
            0, 0, 0, 0, 0, 0, 0, 0x80,
        ])
    }

    @Test func fixedWidthBuffers() {
        var output = ByteBuffer()
        [Int32(1), 256, -1].withUnsafeBufferPointer { PlainEncoder.append(contentsOf: $0, into: &output) }
        #expect(output.bytes == [1, 0, 0, 0, 0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        output.removeAll()
        [2.0, 0.5].withUnsafeBufferPointer { PlainEncoder.append(contentsOf: $0, into: &output) }
        #expect(output.bytes == [0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F])
        output.removeAll()
        [Int64]().withUnsafeBufferPointer { PlainEncoder.append(contentsOf: $0, into: &output) }
        #expect(output.isEmpty)
    }

    @Test func byteArrays() {
        /// Appends `entries` of the values `values` (back to back, as a column holds them).
        func plain(_ values: [[UInt8]], _ entries: [Int], to output: inout ByteBuffer) {
            let bytes = values.flatMap { $0 }
            let offsets = values.reduce(into: [0]) { $0.append($0.last! + $1.count) }
            let byteCount = entries.reduce(0) { $0 + values[$1].count }
            bytes.withUnsafeBytes { bytes in
                offsets.withUnsafeBufferPointer { offsets in
                    PlainEncoder.appendByteArrays(entries, of: bytes, offsets: offsets, byteCount: byteCount, into: &output)
                }
            }
        }
        var output = ByteBuffer()
        plain([Array("abc".utf8), []], [0, 1], to: &output)
        #expect(output.bytes == [3, 0, 0, 0, 0x61, 0x62, 0x63, 0, 0, 0, 0])
        // Entries in any order, repeated, and after what the buffer holds.
        plain([Array("x".utf8), Array("yz".utf8)], [1, 0, 1], to: &output)
        #expect(Array(output.bytes.dropFirst(11)) == [2, 0, 0, 0, 0x79, 0x7A, 1, 0, 0, 0, 0x78, 2, 0, 0, 0, 0x79, 0x7A])
        output.removeAll()
        // Only empty values: no bytes to copy from at all.
        plain([[], []], [0, 1], to: &output)
        #expect(output.bytes == [0, 0, 0, 0, 0, 0, 0, 0])
        output.removeAll()
        plain([[UInt8](repeating: 0x11, count: 300)], [0], to: &output)
        #expect(output.bytes.prefix(4) == [0x2C, 0x01, 0, 0])  // 300 = 0x012C
        #expect(output.count == 304)
    }

    @Test func fixedLengthByteArrays() {
        var output = ByteBuffer()
        [UInt8]([1, 2]).withUnsafeBytes { PlainEncoder.appendFixedLengthByteArray($0, into: &output) }
        [UInt8]([3, 4]).withUnsafeBytes { PlainEncoder.appendFixedLengthByteArray($0, into: &output) }
        #expect(output.bytes == [1, 2, 3, 4])
    }
}
