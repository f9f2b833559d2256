import Testing
@testable import Parquet
import ParquetThrift

/// Files read back with the package's own Thrift decoder: magic, footer, pages, offsets and sizes.
@Suite struct FileLayoutTests {
    static let codecs: [Compression] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .brotli, .lz4Raw(level: 12), .brotli(level: 0)]

    @Test(arguments: codecs)
    func everyCodecWritesAValidFileThatRoundTrips(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let options = WriterOptions(compression: compression, rowGroupRows: 2000, pageRows: 1000)
        let (reader, summary) = try writeAndRead(
            in: directory, schema: Mixed.schema, options: options, batches: [Mixed.batch(0..<3000)])
        #expect(reader.metadata.numRows == 3000)
        #expect(reader.metadata.rowGroups.map(\.numRows) == [2000, 1000])
        #expect(summary.rows == 3000 && summary.rowGroups == 2 && summary.bytes == reader.bytes.count)
        let codec = try ParquetFileReader.compression(of: reader.metadata.rowGroups[0].columns[0].metaData!.codec)
        for group in reader.metadata.rowGroups {
            for chunk in group.columns { #expect(chunk.metaData?.codec == compression.thriftCodec) }
        }
        #expect(codec.thriftCodec == compression.thriftCodec)
        let expected = Mixed.expected(0..<3000)
        for column in expected.indices {
            #expect(try reader.values(ofColumn: column) == expected[column], "column \(column)")
        }
    }

    @Test func codecIdsAreParquetThrifts() {
        // parquet.thrift: BROTLI = 4, LZ4 = 5 (deprecated, Hadoop-framed, never written), LZ4_RAW = 7.
        let codecs: [Compression] = [.uncompressed, .snappy, .gzip, .brotli(level: 0), .zstd, .lz4Raw(level: 12)]
        #expect(codecs.map(\.thriftCodec.rawValue) == [0, 1, 2, 4, 6, 7])
    }

    @Test(arguments: [true, false])
    func dictionaryOnAndOff(dictionary: Bool) throws {
        let directory = try TemporaryDirectory()
        let (reader, _) = try writeAndRead(
            in: directory, schema: Mixed.schema, options: WriterOptions(dictionary: dictionary),
            batches: [Mixed.batch(0..<500)])
        let chunks = try reader.validate()[0]
        // name (37 distinct values) and key (50) repeat; the other columns' 500 values are all
        // distinct, so the first page's check finds the dictionary does not pay and writes PLAIN.
        let repetitive: Set<Int> = [1, 5]
        for chunk in chunks {
            let optional = reader.leaves[chunk.column].repetitionType == .optional
            if dictionary && repetitive.contains(chunk.column) {
                #expect(chunk.metaData.dictionaryPageOffset != nil, "column \(chunk.column)")
                #expect(chunk.pages.first?.header.type == .dictionaryPage)
                #expect(chunk.dataPages.allSatisfy { $0.header.dataPageHeader?.encoding == .rleDictionary })
                #expect(Set(chunk.metaData.encodings) == Set([.plain, .rleDictionary] + (optional ? [.rle] : [])))
            } else {
                #expect(chunk.metaData.dictionaryPageOffset == nil, "column \(chunk.column)")
                #expect(chunk.dictionaryPage == nil)
                #expect(chunk.dataPages.allSatisfy { $0.header.dataPageHeader?.encoding == .plain })
                #expect(Set(chunk.metaData.encodings) == Set([.plain] + (optional ? [.rle] : [])))
            }
        }
        let expected = Mixed.expected(0..<500)
        for column in expected.indices { #expect(try reader.values(ofColumn: column) == expected[column]) }
    }

    @Test func booleansCanUseTheRLEEncoding() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("b", .boolean), Field("r", .boolean, nullable: false)])
        let flags: [Bool?] = (0..<3000).map { $0 % 13 == 0 ? nil : ($0 / 100) % 2 == 0 }
        let required = (0..<3000).map { $0 % 3 == 0 }
        let batch = try makeBatch(schema) { batch in
            try batch.append(flags, to: "b")
            try batch.append(required, to: "r")
        }
        let (reader, _) = try writeAndRead(
            in: directory, schema: schema, options: WriterOptions(booleanEncoding: .rle), batches: [batch])
        for chunk in try reader.validate()[0] {
            #expect(chunk.dataPages.allSatisfy { $0.header.dataPageHeader?.encoding == .rle })
            #expect(chunk.dictionaryPage == nil)
        }
        #expect(try reader.values(ofColumn: 0) == flags.map { $0.map(PhysicalValue.boolean) })
        #expect(try reader.values(ofColumn: 1) == required.map(PhysicalValue.boolean))
    }

    @Test func rowGroupRowsSplitsRowGroups() throws {
        let directory = try TemporaryDirectory()
        let options = WriterOptions(rowGroupRows: 1000)
        // Batches of 700 rows straddle row-group boundaries.
        let batches = try stride(from: 0, to: 4200, by: 700).map { try Mixed.batch($0..<($0 + 700)) }
        let (reader, summary) = try writeAndRead(in: directory, schema: Mixed.schema, options: options, batches: batches)
        #expect(reader.metadata.rowGroups.map(\.numRows) == [1000, 1000, 1000, 1000, 200])
        #expect(reader.metadata.rowGroups.map(\.ordinal) == [0, 1, 2, 3, 4])
        #expect(summary.rowGroups == 5)
        let expected = Mixed.expected(0..<4200)
        for column in expected.indices { #expect(try reader.values(ofColumn: column) == expected[column]) }
    }

    @Test func rowGroupRowsAcrossTheInternalEncodingStride() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("v", .int64, nullable: false)])
        let values = (0..<25_000).map { Int64($0) }
        let batch = try makeBatch(schema) { try $0.append(values, to: "v") }
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: WriterOptions(rowGroupRows: 10_000), batches: [batch])
        #expect(reader.metadata.rowGroups.map(\.numRows) == [10_000, 10_000, 5_000])
        #expect(try reader.values(ofColumn: 0) == values.map(PhysicalValue.int64))

        let (single, _) = try writeAndRead(
            in: directory, name: "single.parquet", schema: Mixed.schema, options: WriterOptions(rowGroupRows: 1),
            batches: [Mixed.batch(0..<20)])
        #expect(single.metadata.rowGroups.count == 20)
        #expect(single.metadata.rowGroups.allSatisfy { $0.numRows == 1 })
        let expected = Mixed.expected(0..<20)
        for column in expected.indices { #expect(try single.values(ofColumn: column) == expected[column]) }
    }

    @Test func flushRowGroupClosesTheGroupEarly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("flush.parquet")
        let writer = try ParquetWriter(path: path, schema: Mixed.schema)
        try writer.write(Mixed.batch(0..<10))
        try writer.flushRowGroup()
        try writer.flushRowGroup()  // nothing buffered: no empty row group
        try writer.write(Mixed.batch(10..<25))
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        try reader.validate()
        #expect(reader.metadata.rowGroups.map(\.numRows) == [10, 15])
    }

    @Test func rowGroupBytesSplitsRowGroups() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("v", .int64, nullable: false)])
        var random = SplitMix64(seed: 7)
        let values = (0..<40_000).map { _ in Int64(bitPattern: random.next()) }
        // One write of 40,000 rows: the byte budget is checked after each step of an eighth
        // of it (781 rows of 8 bytes), so a row group passes it by at most that.
        let options = WriterOptions(dictionary: false, rowGroupBytes: 50_000)
        let (reader, _) = try writeAndRead(
            in: directory, schema: schema, options: options,
            batches: [makeBatch(schema) { try $0.append(values, to: "v") }])
        let groups = reader.metadata.rowGroups
        #expect(groups.count >= 4)
        #expect(groups.reduce(0) { $0 + $1.numRows } == 40_000)
        #expect(groups.dropLast().allSatisfy {
            ($0.totalCompressedSize ?? 0) >= 50_000 && ($0.totalCompressedSize ?? 0) <= 50_000 + 50_000 / 8 + 1_000
        })
        #expect(try reader.values(ofColumn: 0) == values.map(PhysicalValue.int64))
    }

    /// Pages are compressed a step after they close (``PendingPage``), so while the row group
    /// grows its waiting pages count at their uncompressed bound. The cut must still come
    /// where the compressed size reaches the limit, never at the bound: every row group but
    /// the last holds the limit compressed, less what compression takes off the pages still
    /// open at the cut (counted at their encoded size, one page of each column at most), and
    /// more than twice the limit uncompressed, where a cut at the bound would hold about the
    /// limit. The same bytes for every thread count.
    @Test(arguments: [CompressionChoice.zstd, .snappy, .gzip])
    func rowGroupBytesCutAtCompressedSizeWhilePagesWaitForCompression(_ codec: CompressionChoice) throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("v", .int64, nullable: false), Field("s", .string)])
        var random = SplitMix64(seed: 11)
        let ints = (0..<120_000).map { _ in Int64(random.next() % 1000) }
        let strings: [String?] = (0..<120_000).map { $0 % 7 == 0 ? nil : "value \($0 % 300)" }
        let limit = 60_000
        var files: [[UInt8]] = []
        for threads in [1, 3] {
            let options = WriterOptions(
                compression: codec.compression, dictionary: false, rowGroupBytes: limit, pageBytes: 4096,
                threads: ThreadCount(threads))
            let path = directory.file("t\(threads).parquet")
            let writer = try ParquetWriter(path: path, schema: schema, options: options)
            for start in stride(from: 0, to: ints.count, by: 30_000) {
                try writer.write(try makeBatch(schema) { batch in
                    try batch.append(Array(ints[start..<start + 30_000]), to: "v")
                    try batch.append(Array(strings[start..<start + 30_000]), to: "s")
                })
            }
            try writer.close()
            let reader = try ParquetFileReader(path: path)
            try reader.validate()
            let groups = reader.metadata.rowGroups
            #expect(groups.count >= 2)
            #expect(groups.reduce(0) { $0 + $1.numRows } == ints.count)
            for group in groups.dropLast() {
                // Two columns' open pages of at most 4,096 bytes (and a mini-batch past it).
                #expect((group.totalCompressedSize ?? 0) >= Int64(limit - 2 * 2 * 4096))
                #expect(group.totalByteSize > 2 * Int64(limit))
            }
            #expect(try reader.values(ofColumn: 0) == ints.map(PhysicalValue.int64))
            #expect(try reader.values(ofColumn: 1) == strings.map { $0.map(PhysicalValue.string) })
            files.append(try readWholeFile(path))
        }
        #expect(files[0] == files[1])
    }

    @Test func smallPageBytesMakesManyPages() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("v", .int64, nullable: false), Field("s", .string)])
        let ints = (0..<20_000).map { Int64($0) * 3 }
        let strings: [String?] = (0..<20_000).map { $0 % 4 == 0 ? nil : "value number \($0)" }
        let batch = try makeBatch(schema) { batch in
            try batch.append(ints, to: "v")
            try batch.append(strings, to: "s")
        }
        let options = WriterOptions(dictionary: false, pageBytes: 2048)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        let chunks = try reader.validate()[0]
        // Fixed-width pages are checked every 1024 values (8 KiB of int64).
        #expect(chunks[0].dataPages.count >= 19)
        // Byte-array mini-batches shrink with the page budget, so pages stay near it.
        #expect(chunks[1].dataPages.count >= 100)
        #expect(chunks[1].dataPages.dropLast().allSatisfy { $0.header.uncompressedPageSize < 2 * 2048 })
        #expect(try reader.values(ofColumn: 0) == ints.map(PhysicalValue.int64))
        #expect(try reader.values(ofColumn: 1) == strings.map { $0.map(PhysicalValue.string) })
    }

    @Test func pageRowsMakesManyPages() throws {
        let directory = try TemporaryDirectory()
        let options = WriterOptions(pageRows: 2000)
        let (reader, _) = try writeAndRead(
            in: directory, schema: Mixed.schema, options: options, batches: [Mixed.batch(0..<10_000)])
        for chunk in try reader.validate()[0] {
            let counts = chunk.dataPages.map { Int($0.header.dataPageHeader!.numValues) }
            #expect(counts.count >= 4, "column \(chunk.column): \(counts)")
            // Pages close at the first mini-batch (1024 slots) boundary past the limit.
            #expect(counts.dropLast().allSatisfy { $0 >= 2000 && $0 < 2000 + 1024 }, "column \(chunk.column): \(counts)")
        }
        let expected = Mixed.expected(0..<10_000)
        for column in expected.indices { #expect(try reader.values(ofColumn: column) == expected[column]) }
    }

    @Test func dictionaryFallsBackToPlainMidChunk() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("v", .int64, nullable: false), Field("s", .string)])
        // The first 1,000 values repeat (the dictionary pays on the first page), the rest are
        // distinct and fill the dictionary past its 4 KiB limit.
        let ints = (0..<6000).map { Int64($0 < 1000 ? $0 % 10 : $0) * 1_000_003 }
        let strings: [String?] = (0..<6000).map { $0 % 9 == 0 ? nil : "distinct-\($0 < 1000 ? $0 % 10 : $0)" }
        let batch = try makeBatch(schema) { batch in
            try batch.append(ints, to: "v")
            try batch.append(strings, to: "s")
        }
        let options = WriterOptions(pageRows: 1000, dictionaryPageBytes: 4096)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        for chunk in try reader.validate()[0] {
            let stats = try #require(chunk.metaData.encodingStats)
            #expect(stats.first == PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
            #expect(stats.contains { $0.pageType == .dataPage && $0.encoding == .rleDictionary })
            #expect(stats.contains { $0.pageType == .dataPage && $0.encoding == .plain })
            #expect(chunk.pages.first?.header.type == .dictionaryPage)
            // Dictionary-encoded pages come first, then PLAIN to the end of the chunk.
            let encodings = chunk.dataPages.map { $0.header.dataPageHeader!.encoding }
            let firstPlain = try #require(encodings.firstIndex(of: .plain))
            #expect(firstPlain > 0)
            #expect(encodings[..<firstPlain].allSatisfy { $0 == .rleDictionary })
            #expect(encodings[firstPlain...].allSatisfy { $0 == .plain })
            #expect(Set(chunk.metaData.encodings).isSuperset(of: [.plain, .rleDictionary]))
        }
        #expect(try reader.values(ofColumn: 0) == ints.map(PhysicalValue.int64))
        #expect(try reader.values(ofColumn: 1) == strings.map { $0.map(PhysicalValue.string) })
    }

    @Test func zeroRowFileHasAValidFooterAndNoRowGroups() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.parquet")
        let writer = try ParquetWriter(path: path, schema: Mixed.schema)
        try writer.write(ColumnBatch(schema: Mixed.schema))  // an empty batch is a no-op
        try writer.flushRowGroup()
        let summary = try writer.close()
        let reader = try ParquetFileReader(path: path)
        try reader.validate()
        #expect(reader.metadata.numRows == 0)
        #expect(reader.metadata.rowGroups.isEmpty)
        #expect(reader.metadata.schema.count == Mixed.schema.fields.count + 1)
        #expect(reader.bytes.count == 4 + reader.footerLength + 8)
        #expect(summary.rows == 0 && summary.rowGroups == 0 && summary.bytes == reader.bytes.count)
        #expect(summary.columns.allSatisfy { $0.nullCount == 0 && $0.minimum == nil && $0.maximum == nil })
    }

    // MARK: Footer

    /// Every DataType's schema element: (type, physical, type_length, logical, converted).
    static let typeTable: [(DataType, PhysicalType, Int32?, LogicalType?, ConvertedType?)] = [
        (.boolean, .boolean, nil, nil, nil),
        (.int8, .int32, nil, .integer(bitWidth: 8, isSigned: true), .int8),
        (.int16, .int32, nil, .integer(bitWidth: 16, isSigned: true), .int16),
        (.int32, .int32, nil, nil, nil),
        (.int64, .int64, nil, nil, nil),
        (.uint8, .int32, nil, .integer(bitWidth: 8, isSigned: false), .uint8),
        (.uint16, .int32, nil, .integer(bitWidth: 16, isSigned: false), .uint16),
        (.uint32, .int32, nil, .integer(bitWidth: 32, isSigned: false), .uint32),
        (.uint64, .int64, nil, .integer(bitWidth: 64, isSigned: false), .uint64),
        (.float32, .float, nil, nil, nil),
        (.float64, .double, nil, nil, nil),
        (.string, .byteArray, nil, .string, .utf8),
        (.binary, .byteArray, nil, nil, nil),
        (.fixedBinary(length: 5), .fixedLenByteArray, 5, nil, nil),
        (.date, .int32, nil, .date, .date),
        (.time(.milliseconds), .int32, nil, .time(isAdjustedToUTC: false, unit: .millis), .timeMillis),
        (.time(.microseconds), .int64, nil, .time(isAdjustedToUTC: false, unit: .micros), .timeMicros),
        (.time(.nanoseconds), .int64, nil, .time(isAdjustedToUTC: false, unit: .nanos), nil),
        (.timestamp(.milliseconds), .int64, nil, .timestamp(isAdjustedToUTC: true, unit: .millis), .timestampMillis),
        (.timestamp(.microseconds, utc: false), .int64, nil, .timestamp(isAdjustedToUTC: false, unit: .micros), .timestampMicros),
        (.timestamp(.nanoseconds), .int64, nil, .timestamp(isAdjustedToUTC: true, unit: .nanos), nil),
        (.decimal(precision: 9, scale: 2), .int32, nil, .decimal(scale: 2, precision: 9), .decimal),
        (.decimal(precision: 10, scale: 0), .int64, nil, .decimal(scale: 0, precision: 10), .decimal),
        (.decimal(precision: 18, scale: 18), .int64, nil, .decimal(scale: 18, precision: 18), .decimal),
        (.decimal(precision: 19, scale: 4), .fixedLenByteArray, 9, .decimal(scale: 4, precision: 19), .decimal),
        (.decimal(precision: 38, scale: 10), .fixedLenByteArray, 16, .decimal(scale: 10, precision: 38), .decimal),
        (.uuid, .fixedLenByteArray, 16, .uuid, nil),
        (.json, .byteArray, nil, .json, .json),
    ]

    @Test func schemaElementsCarryPhysicalLogicalAndConvertedTypes() throws {
        let directory = try TemporaryDirectory()
        let table = Self.typeTable
        let fields = table.enumerated().map { index, row in Field("c\(index)", row.0, nullable: index % 2 == 0) }
        let schema = try Schema(fields)
        let (reader, _) = try writeAndRead(in: directory, schema: schema, batches: [])
        let root = reader.metadata.schema[0]
        #expect(root.name == "schema")
        #expect(root.numChildren == Int32(table.count))
        #expect(root.type == nil && root.repetitionType == nil)
        #expect(reader.leaves.count == table.count)
        for (index, (type, physical, length, logical, converted)) in table.enumerated() {
            let element = reader.leaves[index]
            #expect(element.name == "c\(index)")
            #expect(element.type == physical, "\(type)")
            #expect(element.typeLength == length, "\(type)")
            #expect(element.logicalType == logical, "\(type)")
            #expect(element.convertedType == converted, "\(type)")
            #expect(element.repetitionType == (index % 2 == 0 ? .optional : .required), "\(type)")
            #expect(element.numChildren == nil)
            if case .decimal(let precision, let scale) = type {
                #expect(element.precision == Int32(precision) && element.scale == Int32(scale), "\(type)")
            } else {
                #expect(element.precision == nil && element.scale == nil, "\(type)")
            }
        }
        // The footer's schema is exactly what the schema says it is.
        #expect(reader.metadata.schema == schema.thriftElements)
    }

    @Test(arguments: [(1, 1), (2, 1), (3, 2), (4, 2), (9, 4), (10, 5), (18, 8), (19, 9), (20, 9), (21, 9), (22, 10), (28, 12), (29, 13), (38, 16)])
    func decimalByteLengths(precision: Int, bytes: Int) {
        #expect(DataType.decimalByteLength(precision: precision) == bytes)
    }

    @Test func decimalPhysicalTypeFollowsPrecision() throws {
        let directory = try TemporaryDirectory()
        let precisions = [1, 9, 10, 18, 19, 38]
        let schema = try Schema(precisions.map { Field("d\($0)", .decimal(precision: $0, scale: 0)) })
        let (reader, _) = try writeAndRead(in: directory, schema: schema, batches: [])
        let found = reader.leaves.map { ($0.type, $0.typeLength) }
        #expect(found.map(\.0) == [.int32, .int32, .int64, .int64, .fixedLenByteArray, .fixedLenByteArray])
        #expect(found.map(\.1) == [nil, nil, nil, nil, 9, 16])
    }

    @Test func columnOrdersArePresentForEveryLeaf() throws {
        let directory = try TemporaryDirectory()
        let (reader, _) = try writeAndRead(
            in: directory, schema: Mixed.schema, batches: [Mixed.batch(0..<5)])
        #expect(reader.metadata.columnOrders == Array(repeating: .typeDefinedOrder, count: Mixed.schema.fields.count))
    }

    @Test func keyValueMetadataIsStoredInOrder() throws {
        let directory = try TemporaryDirectory()
        let pairs: [(key: String, value: String)] = [("b", "2"), ("a", "1"), ("ünïcode", "välue"), ("empty", "")]
        let (reader, _) = try writeAndRead(
            in: directory, schema: Mixed.schema, options: WriterOptions(metadata: pairs), batches: [Mixed.batch(0..<3)])
        #expect(reader.metadata.keyValueMetadata == pairs.map { KeyValue(key: $0.key, value: $0.value) })

        let (plain, _) = try writeAndRead(in: directory, name: "none.parquet", schema: Mixed.schema, batches: [])
        #expect(plain.metadata.keyValueMetadata == nil)
    }

    @Test func createdByNamesThisWriter() throws {
        let directory = try TemporaryDirectory()
        let (reader, _) = try writeAndRead(in: directory, schema: Mixed.schema, batches: [])
        let createdBy = try #require(reader.metadata.createdBy)
        #expect(createdBy == ParquetWriter.createdBy)
        #expect(createdBy.wholeMatch(of: #/parquet-writer version \d+\.\d+\.\d+ \(build [0-9a-f]{7,40}\)/#) != nil, "\(createdBy)")
        #expect(createdBy.hasPrefix("parquet-writer version \(ParquetWriter.version) (build "))
        #expect(reader.metadata.version == 1)
    }
}

/// The codecs a layout test runs with.
enum CompressionChoice: CaseIterable, Sendable {
    case zstd, snappy, gzip

    var compression: Compression {
        switch self {
        case .zstd: .zstd(level: 3)
        case .snappy: .snappy
        case .gzip: .gzip(level: 6)
        }
    }
}
