import Testing
@testable import Parquet
import ParquetThrift

/// Values decoded back from the pages with our own level, dictionary and PLAIN decoders:
/// proof of the encoder that does not depend on another Parquet implementation.
@Suite struct ValueRoundTripTests {
    static let layouts: [WriterOptions] = [
        WriterOptions(compression: .uncompressed),
        WriterOptions(compression: .snappy, dictionary: false),
        WriterOptions(compression: .zstd, rowGroupRows: 700, pageRows: 300, dictionaryPageBytes: 1024),
        WriterOptions(compression: .gzip, dictionary: false, rowGroupRows: 1500, pageBytes: 512),
    ]

    @Test(arguments: layouts.indices)
    func int64NullableStringAndBooleanRoundTrip(layout: Int) throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([
            Field("i", .int64, nullable: false),
            Field("s", .string),
            Field("b", .boolean),
            Field("rb", .boolean, nullable: false),
        ])
        var random = SplitMix64(seed: 42)
        let extremes: [Int64] = [.min, .max, 0, -1, 1]
        let ints: [Int64] = (0..<4000).map { i in i < extremes.count ? extremes[i] : Int64(bitPattern: random.next()) % 50 }
        let words = ["", "a", "é", "日本語", "emoji 🎉", String(repeating: "long ", count: 40)]
        // Runs of nulls longer than a page, so some pages are all null.
        let strings: [String?] = (0..<4000).map { i in
            (1000..<1800).contains(i) || i % 7 == 0 ? nil : words[i % words.count] + (i % 3 == 0 ? "\(i)" : "")
        }
        let booleans: [Bool?] = (0..<4000).map { i in i % 5 == 0 ? nil : (i / 3) % 2 == 0 }
        let required = (0..<4000).map { $0 % 17 < 9 }
        // Two batches, so pages and row groups straddle batch boundaries.
        let batches = try [0..<2500, 2500..<4000].map { range in
            try makeBatch(schema) { batch in
                try batch.append(ints[range], to: "i")
                try batch.append(strings[range], to: "s")
                try batch.append(booleans[range], to: "b")
                try batch.append(required[range], to: "rb")
            }
        }
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: Self.layouts[layout], batches: batches)
        #expect(try reader.values(ofColumn: 0) == ints.map(PhysicalValue.int64))
        #expect(try reader.values(ofColumn: 1) == strings.map { $0.map(PhysicalValue.string) })
        #expect(try reader.values(ofColumn: 2) == booleans.map { $0.map(PhysicalValue.boolean) })
        #expect(try reader.values(ofColumn: 3) == required.map(PhysicalValue.boolean))
    }

    @Test(arguments: [true, false])
    func everyTypeStoresItsPhysicalRepresentation(dictionary: Bool) throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([
            Field("i8", .int8), Field("u8", .uint8), Field("i16", .int16), Field("u16", .uint16),
            Field("i32", .int32), Field("u32", .uint32), Field("u64", .uint64),
            Field("f32", .float32), Field("f64", .float64),
            Field("date", .date), Field("tms", .time(.milliseconds)), Field("tns", .time(.nanoseconds)),
            Field("ts", .timestamp(.microseconds)),
            Field("d9", .decimal(precision: 9, scale: 2)), Field("d18", .decimal(precision: 18, scale: 3)),
            Field("d38", .decimal(precision: 38, scale: 0)),
            Field("bin", .binary), Field("fix", .fixedBinary(length: 3)), Field("json", .json), Field("uuid", .uuid),
        ])
        let batch = try makeBatch(schema) { batch in
            try batch.append([Int8.min, nil, 127] as [Int8?], to: "i8")
            try batch.append([0, 255, nil] as [UInt8?], to: "u8")
            try batch.append([Int16.min, Int16.max, 0] as [Int16?], to: "i16")
            try batch.append([UInt16.max, nil, 1] as [UInt16?], to: "u16")
            try batch.append([Int32.min, Int32.max, nil] as [Int32?], to: "i32")
            try batch.append([UInt32.max, 0, 3_000_000_000] as [UInt32?], to: "u32")
            try batch.append([UInt64.max, nil, 1 << 63] as [UInt64?], to: "u64")
            try batch.append([Float.nan, -0.0, 1.5] as [Float?], to: "f32")
            try batch.append([Double.infinity, -Double.greatestFiniteMagnitude, nil] as [Double?], to: "f64")
            try batch.append([-719_162, 0, 2_932_896] as [Int32?], to: "date")
            try batch.append([0, 86_399_999, nil] as [Int?], to: "tms")
            try batch.append([86_399_999_999_999, nil, 0] as [Int64?], to: "tns")
            try batch.append([Int64.min, 0, Int64.max] as [Int64?], to: "ts")
            try batch.append(["-9999999.99", "0.5", nil] as [String?], to: "d9")
            try batch.append([-999_999_999_999_999_999, nil, 7] as [Int64?], to: "d18")
            try batch.append(["-" + String(repeating: "9", count: 38), String(repeating: "9", count: 38), "-1"], to: "d38")
            try batch.append([[0, 255], [], nil] as [[UInt8]?], to: "bin")
            try batch.append([[1, 2, 3], nil, [255, 0, 255]] as [[UInt8]?], to: "fix")
            try batch.append(["{\"a\": 1}", nil, "[]"] as [String?], to: "json")
            try batch.append(["00112233-4455-6677-8899-AABBCCDDEEFF", nil, "ffffffff-ffff-ffff-ffff-ffffffffffff"] as [String?], to: "uuid")
        }
        let (reader, _) = try writeAndRead(
            in: directory, schema: schema, options: WriterOptions(dictionary: dictionary), batches: [batch])
        let nines = DecimalText.powerOfTen(38) - 1
        let expected: [[PhysicalValue?]] = [
            [.int32(-128), nil, .int32(127)],
            [.int32(0), .int32(255), nil],
            [.int32(-32768), .int32(32767), .int32(0)],
            [.int32(65535), nil, .int32(1)],
            [.int32(.min), .int32(.max), nil],
            [.int32(-1), .int32(0), .int32(Int32(bitPattern: 3_000_000_000))],
            [.int64(-1), nil, .int64(.min)],
            [.float(Float.nan), .float(-0.0 as Float), .float(1.5 as Float)],
            [.double(Double.infinity), .double(-Double.greatestFiniteMagnitude), nil],
            [.int32(-719_162), .int32(0), .int32(2_932_896)],
            [.int32(0), .int32(86_399_999), nil],
            [.int64(86_399_999_999_999), nil, .int64(0)],
            [.int64(.min), .int64(0), .int64(.max)],
            [.int32(-999_999_999), .int32(50), nil],
            [.int64(-999_999_999_999_999_999), nil, .int64(7)],
            [.bytes(bigEndianBytes(-nines, width: 16)), .bytes(bigEndianBytes(nines, width: 16)), .bytes(Array(repeating: 0xFF, count: 16))],
            [.bytes([0, 255]), .bytes([]), nil],
            [.bytes([1, 2, 3]), nil, .bytes([255, 0, 255])],
            [.string("{\"a\": 1}"), nil, .string("[]")],
            [.bytes([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF]), nil,
             .bytes(Array(repeating: 0xFF, count: 16))],
        ]
        for column in expected.indices {
            #expect(try reader.values(ofColumn: column) == expected[column], "\(schema.fields[column].name)")
        }
    }

    @Test func rawBytesGoToFixedWidthColumnsAsGiven() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("u", .uuid), Field("d", .decimal(precision: 20, scale: 0)), Field("s", .string)])
        let uuid = Array(UInt8(100)..<UInt8(116))
        let decimal = bigEndianBytes(-12345, width: 9)
        let batch = try makeBatch(schema) { batch in
            try batch.append([uuid], to: "u")
            try batch.append([decimal], to: "d")
            try batch.append([Array("żółw".utf8)], to: "s")
        }
        let (reader, _) = try writeAndRead(in: directory, schema: schema, batches: [batch])
        #expect(try reader.values(ofColumn: 0) == [.bytes(uuid)])
        #expect(try reader.values(ofColumn: 1) == [.bytes(decimal)])
        #expect(try reader.values(ofColumn: 2) == [.string("żółw")])
    }

    @Test func integersConvertToFloatColumnsOnlyWhenExact() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("f", .float32), Field("d", .float64)])
        var batch = ColumnBatch(schema: schema)
        try batch.append([1, 16_777_216, -3] as [Int], to: "f")
        try batch.append([Int64(1) << 53, -7, 0] as [Int64], to: "d")
        let error = #expect(throws: ParquetError.self) { try batch.append([16_777_217] as [Int], to: "f") }
        #expect(error?.code == .valueOutOfRange)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, batches: [batch])
        #expect(try reader.values(ofColumn: 0) == [.float(1 as Float), .float(16_777_216 as Float), .float(-3 as Float)])
        #expect(try reader.values(ofColumn: 1) == [.double(9_007_199_254_740_992), .double(-7), .double(0)])
    }

    @Test func floatBitPatternsSurviveDictionaryEncoding() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("d", .float64, nullable: false), Field("f", .float32)])
        let negativeNaN = Double(bitPattern: 0xFFF8_0000_0000_0001)
        let doubles: [Double] = (0..<3000).map { [0.0, -0.0, .nan, negativeNaN, 1.0, -.infinity][$0 % 6] }
        let floats: [Float?] = (0..<3000).map { $0 % 4 == 3 ? nil : [Float(0), Float(-0.0), Float.nan][$0 % 4] }
        let batch = try makeBatch(schema) { batch in
            try batch.append(doubles, to: "d")
            try batch.append(floats, to: "f")
        }
        let (reader, _) = try writeAndRead(in: directory, schema: schema, batches: [batch])
        let chunks = try reader.validate()[0]
        // 0.0, -0.0 and each NaN payload are distinct dictionary entries.
        #expect(chunks[0].dictionaryPage?.header.dictionaryPageHeader?.numValues == 6)
        #expect(try reader.values(ofColumn: 0) == doubles.map(PhysicalValue.double))
        #expect(try reader.values(ofColumn: 1) == floats.map { $0.map(PhysicalValue.float) })
    }

    @Test func wideDictionaryIndices() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("i", .int32, nullable: false), Field("s", .string)])
        // 5000 distinct values need 13-bit indices; repeats make RLE and bit-packed runs mix.
        let ints: [Int32] = (0..<12_000).map { i in i % 3 == 0 ? 7 : Int32((i * 7919) % 5000) }
        // (A third repeat one value, as in the ints: a column whose first values are nine in ten
        // distinct leaves its dictionary early.)
        let strings: [String?] = (0..<12_000).map { i in i % 10 == 0 ? nil : i % 3 == 0 ? "k7" : "k\((i * 31) % 5000)" }
        let batch = try makeBatch(schema) { batch in
            try batch.append(ints, to: "i")
            try batch.append(strings, to: "s")
        }
        let (reader, _) = try writeAndRead(in: directory, schema: schema, batches: [batch])
        let chunks = try reader.validate()[0]
        #expect(chunks.allSatisfy { $0.dictionaryPage != nil && $0.dataPages.allSatisfy { $0.body.first! >= 13 || $0.header.dataPageHeader!.encoding != .rleDictionary } })
        #expect(try reader.values(ofColumn: 0) == ints.map(PhysicalValue.int32))
        #expect(try reader.values(ofColumn: 1) == strings.map { $0.map(PhysicalValue.string) })
    }

    @Test func dictionaryResumesInTheNextRowGroupAfterAFallback() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("v", .int64, nullable: false), Field("s", .string, nullable: false)])
        // Row group 0: all distinct (falls back); row group 1: few distinct (stays dictionary).
        let ints: [Int64] = (0..<6000).map { $0 < 3000 ? Int64($0) : Int64($0 % 3) }
        let strings: [String] = (0..<6000).map { $0 < 3000 ? "unique \($0)" : "rep \($0 % 3)" }
        let batch = try makeBatch(schema) { batch in
            try batch.append(ints, to: "v")
            try batch.append(strings, to: "s")
        }
        let options = WriterOptions(rowGroupRows: 3000, dictionaryPageBytes: 2000)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        let groups = try reader.validate()
        #expect(groups.count == 2)
        for chunk in groups[0] {
            #expect(chunk.dataPages.contains { $0.header.dataPageHeader?.encoding == .plain })
        }
        for chunk in groups[1] {
            #expect(chunk.dataPages.allSatisfy { $0.header.dataPageHeader?.encoding == .rleDictionary })
            #expect(chunk.dictionaryPage?.header.dictionaryPageHeader?.numValues == 3)
        }
        #expect(try reader.values(ofColumn: 0) == ints.map(PhysicalValue.int64))
        #expect(try reader.values(ofColumn: 1) == strings.map(PhysicalValue.string))
    }

    @Test func firstPageDecidesWhetherTheDictionaryPays() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([
            Field("id", .int64, nullable: false), Field("text", .string, nullable: false),
            Field("code", .int64, nullable: false), Field("tag", .string, nullable: false),
        ])
        // ids and texts are all distinct: their first page shows the dictionary cannot pay, so
        // it is written PLAIN, as is the rest of the chunk, and no dictionary page is written.
        // codes and tags repeat: dictionary throughout.
        let rows = 10_000
        let ids = (0..<rows).map { Int64($0) * 7_919 }
        let texts = (0..<rows).map { "row number \($0)" }
        let codes = (0..<rows).map { Int64($0 % 40) }
        let tags = (0..<rows).map { "tag-\($0 % 25)" }
        let batch = try makeBatch(schema) { batch in
            try batch.append(ids, to: "id")
            try batch.append(texts, to: "text")
            try batch.append(codes, to: "code")
            try batch.append(tags, to: "tag")
        }
        let options = WriterOptions(pageRows: 1000)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        let chunks = try reader.validate()[0]
        for unique in chunks[0...1] {
            let encodings = unique.dataPages.map { $0.header.dataPageHeader!.encoding }
            #expect(encodings.count == 10 && encodings.allSatisfy { $0 == .plain })
            #expect(unique.dictionaryPage == nil && unique.metaData.dictionaryPageOffset == nil)
        }
        for repeating in chunks[2...3] {
            #expect(repeating.dataPages.count == 10)
            #expect(repeating.dataPages.allSatisfy { $0.header.dataPageHeader!.encoding == .rleDictionary })
        }
        #expect(try reader.values(ofColumn: 0) == ids.map(PhysicalValue.int64))
        #expect(try reader.values(ofColumn: 1) == texts.map(PhysicalValue.string))
        #expect(try reader.values(ofColumn: 2) == codes.map(PhysicalValue.int64))
        #expect(try reader.values(ofColumn: 3) == tags.map(PhysicalValue.string))
    }

    @Test func valuesLargerThanAPage() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("b", .binary)])
        let values: [[UInt8]?] = (0..<20).map { i in i % 4 == 1 ? nil : [UInt8](repeating: UInt8(i), count: 5000 + i) }
        let batch = try makeBatch(schema) { try $0.append(values, to: "b") }
        let (reader, _) = try writeAndRead(
            in: directory, schema: schema, options: WriterOptions(dictionary: false, pageBytes: 1024), batches: [batch])
        let chunk = try reader.validate()[0][0]
        #expect(chunk.dataPages.count >= 14)
        #expect(try reader.values(ofColumn: 0) == values.map { $0.map(PhysicalValue.bytes) })
    }
}
