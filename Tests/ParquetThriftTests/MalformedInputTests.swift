import Testing
import ParquetBytes
@testable import ParquetThrift

/// Hostile or damaged input must throw, never trap or over-allocate.
@Suite struct MalformedInputTests {
    @Test func emptyInput() {
        #expect(throws: ThriftError.truncated) { try PageHeader.decode(from: [UInt8]()) }
    }

    @Test func truncatedVarint() {
        // type (1) I32 whose varint has its continuation bit set and then ends.
        #expect(throws: ThriftError.truncated) { try PageHeader.decode(from: [0x15, 0x80]) }
        // Skipping an unknown i64 hits the same end.
        #expect(throws: ThriftError.truncated) { try KeyValue.decode(from: [0x36, 0xFF, 0xFF]) }
    }

    @Test func overlongVarint() {
        // An i32 varint may have at most 5 bytes.
        #expect(throws: ThriftError.invalidVarint) {
            try PageHeader.decode(from: [0x15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        }
        // 5 bytes but above UInt32.max.
        #expect(throws: ThriftError.invalidVarint) {
            try PageHeader.decode(from: [0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        }
        // An i64 varint may have at most 10 bytes, and the 10th only carries bit 63.
        #expect(throws: ThriftError.invalidVarint) {
            try reading([UInt8](repeating: 0xFF, count: 9) + [0x02]) { (r) throws(ThriftError) in try r.readI64() }
        }
        #expect(throws: ThriftError.invalidVarint) {
            try reading([UInt8](repeating: 0xFF, count: 11)) { (r) throws(ThriftError) in try r.readI64() }
        }
    }

    @Test func truncatedBinary() {
        // key (1): length 5 but only "ab" follows. A length prefix the input cannot hold is
        // reported as an invalid length (a cut-off payload looks the same as a corrupt length).
        #expect(throws: ThriftError.invalidLength(5)) { try KeyValue.decode(from: [0x18, 0x05, 0x61, 0x62]) }
        // Input ending inside the 16 raw bytes of a skipped uuid field.
        #expect(throws: ThriftError.truncated) { try KeyValue.decode(from: [0x3D, 0x01, 0x02]) }
        #expect(throws: ThriftError.truncated) {
            try reading([0x01, 0x02, 0x03]) { (r) throws(ThriftError) in try r.readDouble() }
        }
    }

    @Test func absurdLengths() {
        // key length Int32.max (0xFF 0xFF 0xFF 0xFF 0x07) with nothing behind it.
        #expect(throws: ThriftError.invalidLength(Int64(Int32.max))) {
            try KeyValue.decode(from: [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x07])
        }
        // A length above Int32.max is never valid.
        #expect(throws: ThriftError.invalidLength(Int64(UInt32.max))) {
            try KeyValue.decode(from: [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        }
        // schema (2) claims Int32.max structs: rejected before any allocation.
        #expect(throws: ThriftError.invalidLength(Int64(Int32.max))) {
            try FileMetaData.decode(from: [0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07])
        }
        // A short-form count of 14 with 2 bytes left.
        #expect(throws: ThriftError.invalidLength(14)) {
            try FileMetaData.decode(from: [0x15, 0x02, 0x19, 0xEC, 0x00, 0x00])
        }
        // A map claiming 1000 pairs in a few bytes.
        #expect(throws: ThriftError.invalidLength(1000)) {
            try KeyValue.decode(from: [0x3B, 0xE8, 0x07, 0x55, 0x00])
        }
    }

    @Test func excessiveNesting() throws {
        // An unknown field 3 holding structs nested 100 deep.
        let structs: [UInt8] = [0x3C] + [UInt8](repeating: 0x1C, count: 99) + [UInt8](repeating: 0x00, count: 101)
        #expect(throws: ThriftError.depthLimitExceeded(64)) { try KeyValue.decode(from: structs) }
        // An unknown field 3 holding lists of lists 1000 deep (no structs in between).
        let lists: [UInt8] = [0x39] + [UInt8](repeating: 0x19, count: 1000) + [0x05, 0x00]
        #expect(throws: ThriftError.depthLimitExceeded(64)) { try KeyValue.decode(from: lists) }
        // An unknown field 3 holding map<i32, map<i32, ...>> 500 deep: each level is size 1,
        // types I32 << 4 | MAP, key 0; the innermost map is empty.
        let maps: [UInt8] = [0x3B] + [UInt8]((0..<500).flatMap { _ in [0x01, 0x5B, 0x00] as [UInt8] }) + [0x00, 0x00]
        #expect(throws: ThriftError.depthLimitExceeded(64)) { try KeyValue.decode(from: maps) }
        // KeyValue { 3: { 1: {} }, 1 (long form, going back): "k" } nests 3 deep: fine at a
        // limit of 3, rejected at 2.
        let shallow: [UInt8] = [0x3C, 0x1C, 0x00, 0x00, 0x08, 0x02, 0x01, 0x6B, 0x00]
        let decoded = try reading(shallow) { (r) throws(ThriftError) in
            var reader = CompactReader(r.bytes, maxDepth: 3)
            return try KeyValue(from: &reader)
        }
        #expect(decoded == KeyValue(key: "k"))
        #expect(throws: ThriftError.depthLimitExceeded(2)) {
            try reading(shallow) { (r) throws(ThriftError) in
                var reader = CompactReader(r.bytes, maxDepth: 2)
                return try KeyValue(from: &reader)
            }
        }
    }

    @Test func invalidCodes() {
        // Type nibble 14 is unassigned.
        #expect(throws: ThriftError.invalidType(14)) { try KeyValue.decode(from: [0x1E]) }
        // List element type 15 (0x0F nibble) in a skipped field.
        #expect(throws: ThriftError.invalidType(15)) { try KeyValue.decode(from: [0x39, 0x1F, 0x00]) }
        // A bool list element must be 0, 1 or 2.
        #expect(throws: ThriftError.invalidBool(5)) {
            try ColumnIndex.decode(from: [0x19, 0x11, 0x05])
        }
        // PageType 99 does not exist.
        #expect(throws: ThriftError.unknownEnumValue(type: "PageType", value: 99)) {
            try PageHeader.decode(from: [0x15, 0xC6, 0x01])
        }
        // Field id 32767 (long form, zigzag 65534) then a short delta pushes past Int16.max.
        #expect(throws: ThriftError.valueOutOfRange) {
            try KeyValue.decode(from: [0x03, 0xFE, 0xFF, 0x03, 0x00, 0x13, 0x00])
        }
        // encodings (2) declared as list<binary> instead of list<i32>.
        #expect(throws: ThriftError.unexpectedElementType(expected: .i32, found: .binary)) {
            try ColumnMetaData.decode(from: [0x15, 0x02, 0x19, 0x18, 0x00])
        }
    }

    @Test func everyTruncationOfAFooterThrows() {
        let bytes = FileMetaDataTests.sample.serialized().bytes
        for length in 0..<bytes.count {
            #expect(throws: ThriftError.self, "prefix \(length)") {
                try FileMetaData.decode(from: Array(bytes.prefix(length)))
            }
        }
    }

    @Test func randomCorruptionNeverTraps() {
        let original = FileMetaDataTests.sample.serialized().bytes
        var random = SplitMix64(state: 0x5EED)
        var failures = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = UInt8.random(in: 0...255, using: &random)
            }
            // Either outcome is fine; reaching the next iteration is the test.
            if (try? FileMetaData.decode(from: bytes)) == nil { failures += 1 }
        }
        #expect(failures > 0)
        // Pure noise too.
        for _ in 0..<3000 {
            let noise = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? FileMetaData.decode(from: noise)
            _ = try? PageHeader.decode(from: noise)
            _ = try? LogicalType.decode(from: noise)
        }
    }
}
