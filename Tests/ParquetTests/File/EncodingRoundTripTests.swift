import Testing
@testable import Parquet
import ParquetThrift

/// Every field `encoding` on every type it applies to, read back value for value with the
/// test reader's own decoders, across pages, row groups and codecs; the chunk's `encodings`
/// and `encoding_stats`, the page index and page CRCs are validated by the reader.
@Suite struct EncodingRoundTripTests {
    /// One column per (type, encoding) pair the schema allows, with values that cross pages,
    /// miniblocks and blocks: runs, sorted stretches, extremes and nulls.
    static let columns: [(DataType, ColumnEncoding)] = [
        (.int32, .deltaBinaryPacked), (.int64, .deltaBinaryPacked), (.date, .deltaBinaryPacked),
        (.timestamp(.microseconds), .deltaBinaryPacked), (.decimal(precision: 9, scale: 2), .deltaBinaryPacked),
        (.uint64, .deltaBinaryPacked),
        (.float32, .byteStreamSplit), (.float64, .byteStreamSplit), (.int32, .byteStreamSplit), (.int64, .byteStreamSplit),
        (.uuid, .byteStreamSplit), (.fixedBinary(length: 3), .byteStreamSplit),
        (.string, .deltaLengthByteArray), (.binary, .deltaLengthByteArray),
        (.string, .deltaByteArray), (.uuid, .deltaByteArray), (.decimal(precision: 30, scale: 4), .deltaByteArray),
        (.int64, .plain), (.string, .plain), (.boolean, .plain), (.int32, .dictionary), (.string, .dictionary),
    ]

    static func value(_ type: DataType, _ row: Int) -> PhysicalValue? {
        if row % 11 == 3 || (900..<1100).contains(row) { return nil }
        let step = Int64(row) &* 1_000_003
        switch type {
        case .date:
            return .int32(row % 97 == 0 ? (row % 2 == 0 ? -719_162 : 2_932_896) : Int32(18_000 + row / 3))
        case .decimal(precision: 9, _):
            return .int32(row % 97 == 0 ? (row % 2 == 0 ? -999_999_999 : 999_999_999) : Int32(row * 37 % 900_000) - 450_000)
        case .int32:
            return .int32(row % 97 == 0 ? (row % 2 == 0 ? .min : .max) : Int32(truncatingIfNeeded: step >> 4))
        case .int64, .uint64, .timestamp:
            return .int64(row % 89 == 0 ? (row % 2 == 0 ? .min : .max) : 1_700_000_000_000_000 + step)
        case .float32: return .float(Float(row % 300) * 0.25)
        case .float64: return .double(row % 50 == 0 ? .nan : Double(row) / 7)
        case .uuid, .decimal:
            // Big-endian and positive: a valid decimal too, with a long shared prefix.
            let width = type == .uuid ? 16 : DataType.decimalByteLength(precision: 30)
            var bytes = [UInt8](repeating: 0, count: width)
            bytes[width - 1] = UInt8(truncatingIfNeeded: row)
            bytes[width - 2] = UInt8(truncatingIfNeeded: row >> 8)
            return .bytes(bytes)
        case .fixedBinary(let length): return .bytes((0..<length).map { UInt8(truncatingIfNeeded: row &* ($0 + 1)) })
        case .string: return .string(row % 13 == 0 ? "" : "item/\(row / 10)/\(String(repeating: "x", count: row % 9))")
        case .binary: return .bytes(Array(repeating: UInt8(truncatingIfNeeded: row), count: row % 5))
        case .boolean: return .boolean(row % 3 == 0)
        default: preconditionFailure("no values for \(type)")
        }
    }

    /// Appends `values` to column `name` as the type's input form.
    static func append(_ values: [PhysicalValue?], type: DataType, to name: String, in batch: inout ColumnBatch) throws {
        switch type {
        case .int32, .date, .decimal(precision: 9, _):
            try batch.append(values.map { if case .int32(let v)? = $0 { v } else { nil } } as [Int32?], to: name)
        case .int64, .timestamp:
            try batch.append(values.map { if case .int64(let v)? = $0 { v } else { nil } } as [Int64?], to: name)
        case .uint64:
            try batch.append(values.map { if case .int64(let v)? = $0 { UInt64(bitPattern: v) } else { nil } } as [UInt64?], to: name)
        case .float32:
            try batch.append(values.map { if case .floatBits(let v)? = $0 { Float(bitPattern: v) } else { nil } } as [Float?], to: name)
        case .float64:
            try batch.append(values.map { if case .doubleBits(let v)? = $0 { Double(bitPattern: v) } else { nil } } as [Double?], to: name)
        case .boolean:
            try batch.append(values.map { if case .boolean(let v)? = $0 { v } else { nil } } as [Bool?], to: name)
        default:
            try batch.append(values.map { if case .bytes(let v)? = $0 { v } else { nil } } as [[UInt8]?], to: name)
        }
    }

    static let layouts: [WriterOptions] = [
        WriterOptions(compression: .uncompressed, pageRows: 257),
        WriterOptions(compression: .snappy, rowGroupRows: 1500, pageBytes: 700, pageChecksum: true),
        WriterOptions(compression: .zstd, dictionary: false),
        WriterOptions(compression: .gzip, pageRows: 128),
        WriterOptions(compression: .lz4Raw, rowGroupRows: 129, pageRows: 33),
        WriterOptions(compression: .brotli, pageRows: 1000, bloomFilterColumns: ["c0", "c12", "c7", "c14"]),
    ]

    @Test(arguments: layouts.indices, [false, true])
    func everyEncodingRoundTrips(layout: Int, required: Bool) throws {
        let directory = try TemporaryDirectory()
        let rows = 3_000
        let fields = Self.columns.enumerated().map { index, column in
            Field("c\(index)", column.0, nullable: !required, encoding: column.1)
        }
        let schema = try Schema(fields)
        let expected = Self.columns.map { column in
            (0..<rows).map { row -> PhysicalValue? in
                let value = Self.value(column.0, row)
                return required ? (value ?? Self.value(column.0, 1)) : value
            }
        }
        let batches = try [0..<1700, 1700..<rows].map { range in
            try makeBatch(schema) { batch in
                for (index, column) in Self.columns.enumerated() {
                    try Self.append(Array(expected[index][range]), type: column.0, to: "c\(index)", in: &batch)
                }
            }
        }
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: Self.layouts[layout], batches: batches)
        let groups = try reader.validate()
        for (index, column) in Self.columns.enumerated() {
            #expect(try reader.values(ofColumn: index) == expected[index], "c\(index) \(column.0.name) \(column.1)")
            let wanted: ParquetThrift.Encoding = switch column.1 {
            case .deltaBinaryPacked: .deltaBinaryPacked
            case .deltaLengthByteArray: .deltaLengthByteArray
            case .deltaByteArray: .deltaByteArray
            case .byteStreamSplit: .byteStreamSplit
            case .plain: .plain
            case .dictionary: .rleDictionary
            }
            for group in groups {
                let encodings = group[index].dataPages.map { $0.header.dataPageHeader!.encoding }
                #expect(encodings.allSatisfy { $0 == wanted }, "c\(index): \(encodings)")
                #expect((group[index].dictionaryPage != nil) == (column.1 == .dictionary), "c\(index)")
            }
        }
    }

    /// A column of distinct values drops an automatic dictionary after its first page, but
    /// keeps one it was told to use until the byte limit, then goes PLAIN.
    @Test func dictionaryIsKeptWhenAskedFor() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([
            Field("auto", .int64, nullable: false), Field("forced", .int64, nullable: false, encoding: .dictionary),
            Field("plain", .string, nullable: false, encoding: .plain),
        ])
        let values = (0..<5_000).map { Int64($0) * 3 }
        let batch = try makeBatch(schema) { batch in
            try batch.append(values, to: "auto")
            try batch.append(values, to: "forced")
            try batch.append((0..<5_000).map { "v\($0 % 3)" }, to: "plain")
        }
        let options = WriterOptions(pageRows: 1_000, dictionaryPageBytes: 16_000)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        let chunks = try reader.validate()[0]
        #expect(chunks[0].dictionaryPage == nil)
        #expect(chunks[0].dataPages.allSatisfy { $0.header.dataPageHeader!.encoding == .plain })
        // 2,000 entries of 8 bytes reach the 16,000-byte limit after two pages.
        #expect(chunks[1].dictionaryPage?.header.dictionaryPageHeader?.numValues == 2_000)
        #expect(chunks[1].dataPages.map { $0.header.dataPageHeader!.encoding } == [.rleDictionary, .rleDictionary, .plain, .plain, .plain])
        #expect(chunks[2].dictionaryPage == nil)
        #expect(try reader.values(ofColumn: 1) == values.map(PhysicalValue.int64))
        #expect(try reader.values(ofColumn: 2) == (0..<5_000).map { .string("v\($0 % 3)") })
    }

    /// What the encodings buy on the shapes they are for.
    @Test func encodingsShrinkTheirShapes() throws {
        let directory = try TemporaryDirectory()
        func size(_ type: DataType, _ encoding: ColumnEncoding?, _ fill: (inout ColumnBatch) throws -> Void) throws -> Int {
            let schema = try Schema([Field("v", type, nullable: false, encoding: encoding)])
            let path = directory.file("\(type.name)-\(encoding?.rawValue ?? "auto").parquet")
            let summary = try writeFile(path, schema: schema, options: WriterOptions(compression: .uncompressed),
                                        batches: [try makeBatch(schema, fill)])
            return summary.bytes
        }
        let timestamps = (0..<20_000).map { Int64(1_700_000_000_000) + Int64($0) * 1_000 + Int64($0 % 13) }
        let plain = try size(.int64, .plain) { try $0.append(timestamps, to: "v") }
        let delta = try size(.int64, .deltaBinaryPacked) { try $0.append(timestamps, to: "v") }
        #expect(delta * 4 < plain)
        let paths = (0..<20_000).map { "s3://bucket/warehouse/table/part-\($0 / 100)/file-\($0).parquet" }
        let plainPaths = try size(.string, .plain) { try $0.append(paths, to: "v") }
        let deltaPaths = try size(.string, .deltaByteArray) { try $0.append(paths, to: "v") }
        #expect(deltaPaths * 3 < plainPaths)
    }
}
