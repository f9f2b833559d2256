import Testing
@testable import Parquet

/// Seeded random schemas, options and data: every file must pass the layout checks and
/// read back exactly, whatever the page, dictionary and row-group limits.
@Suite struct RandomizedRoundTripTests {
    /// One random column: its field and a generator of (Swift value appended, physical value expected).
    struct ColumnPlan {
        var field: Field
        var rows: [PhysicalValue?]
        var append: (inout ColumnBatch, Range<Int>) throws -> Void
    }

    static func plan(_ index: Int, rows: Int, random: inout SplitMix64) -> ColumnPlan {
        let nullable = random.next() % 2 == 0
        let nullEvery = nullable ? Int(random.next() % 5) + 2 : Int.max
        // Small cardinality makes dictionaries stick; large makes them fall back.
        let cardinality = [3, 50, 1000, 100_000][Int(random.next() % 4)]
        let keys = (0..<rows).map { _ in Int(random.next() % UInt64(cardinality)) }
        func isNull(_ row: Int) -> Bool { nullable && (row % nullEvery == 0 || (row / 500) % 7 == 3) }
        let name = "c\(index)"
        switch random.next() % 9 {
        case 0:
            let values = keys.enumerated().map { isNull($0) ? nil : Int64($1) * -7_654_321 }
            return ColumnPlan(field: Field(name, .int64, nullable: nullable), rows: values.map { $0.map(PhysicalValue.int64) }) {
                try $0.append(values[$1], to: name)
            }
        case 1:
            let values = keys.enumerated().map { isNull($0) ? nil : Int32(truncatingIfNeeded: $1 &* 2_654_435_761) }
            return ColumnPlan(field: Field(name, .int32, nullable: nullable), rows: values.map { $0.map(PhysicalValue.int32) }) {
                try $0.append(values[$1], to: name)
            }
        case 2:
            let values = keys.enumerated().map { isNull($0) ? nil : UInt32.max - UInt32($1) }
            return ColumnPlan(field: Field(name, .uint32, nullable: nullable), rows: values.map { $0.map { .int32(Int32(bitPattern: $0)) } }) {
                try $0.append(values[$1], to: name)
            }
        case 3:
            let values = keys.enumerated().map { isNull($0) ? nil : Double($1) / 3 }
            return ColumnPlan(field: Field(name, .float64, nullable: nullable), rows: values.map { $0.map(PhysicalValue.double) }) {
                try $0.append(values[$1], to: name)
            }
        case 4:
            let values = keys.enumerated().map { isNull($0) ? nil : String(repeating: "ß", count: $1 % 5) + "v\($1)" }
            return ColumnPlan(field: Field(name, .string, nullable: nullable), rows: values.map { $0.map(PhysicalValue.string) }) {
                try $0.append(values[$1], to: name)
            }
        case 5:
            let values: [[UInt8]?] = keys.enumerated().map { isNull($0) ? nil : Array(repeating: UInt8($1 % 256), count: $1 % 40) }
            return ColumnPlan(field: Field(name, .binary, nullable: nullable), rows: values.map { $0.map(PhysicalValue.bytes) }) {
                try $0.append(values[$1], to: name)
            }
        case 6:
            let values = keys.enumerated().map { isNull($0) ? nil : $1 % 3 == 0 }
            return ColumnPlan(field: Field(name, .boolean, nullable: nullable), rows: values.map { $0.map(PhysicalValue.boolean) }) {
                try $0.append(values[$1], to: name)
            }
        case 7:
            let values: [[UInt8]?] = keys.enumerated().map { isNull($0) ? nil : [UInt8($1 % 256), UInt8($1 / 256 % 256), 7] }
            return ColumnPlan(field: Field(name, .fixedBinary(length: 3), nullable: nullable), rows: values.map { $0.map(PhysicalValue.bytes) }) {
                try $0.append(values[$1], to: name)
            }
        default:
            let values = keys.enumerated().map { isNull($0) ? nil : Int128($1) * 1_000_000_007 - 50_000_000_000 }
            return ColumnPlan(field: Field(name, .decimal(precision: 22, scale: 3), nullable: nullable),
                              rows: values.map { $0.map { .bytes(bigEndianBytes($0, width: 10)) } }) {
                try $0.append(values[$1], to: name)
            }
        }
    }

    @Test(arguments: 0..<12)
    func randomFilesValidateAndRoundTrip(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ 1)
        let rows = Int(random.next() % 6000) + 1
        let columns = (0..<(Int(random.next() % 4) + 2)).map { Self.plan($0, rows: rows, random: &random) }
        let schema = try Schema(columns.map(\.field))
        let codecs: [Compression] = [.uncompressed, .snappy, .gzip(level: 1), .zstd(level: 1), .lz4Raw(level: 1), .brotli(level: 1)]
        let options = WriterOptions(
            compression: codecs[Int(random.next() % UInt64(codecs.count))],
            dictionary: random.next() % 4 != 0,
            rowGroupRows: [100, 1000, 2500, 1_048_576][Int(random.next() % 4)],
            rowGroupBytes: [4096, 128 << 20][Int(random.next() % 2)],
            pageBytes: [64, 1000, 1 << 20][Int(random.next() % 3)],
            pageRows: [1, 700, 20_000][Int(random.next() % 3)],
            dictionaryPageBytes: [16, 2000, 1 << 20][Int(random.next() % 3)],
            statisticsTruncateLength: [nil, 1, 16][Int(random.next() % 3)],
            booleanEncoding: random.next() % 2 == 0 ? .plain : .rle)
        // Random batch boundaries.
        var cuts = [0, rows]
        for _ in 0..<Int(random.next() % 4) { cuts.append(Int(random.next() % UInt64(rows))) }
        cuts = Array(Set(cuts)).sorted()
        let batches = try zip(cuts, cuts.dropFirst()).map { start, end in
            try makeBatch(schema) { batch in for column in columns { try column.append(&batch, start..<end) } }
        }
        let directory = try TemporaryDirectory()
        let (reader, summary) = try writeAndRead(in: directory, schema: schema, options: options, batches: batches)
        #expect(summary.rows == rows && Int(reader.metadata.numRows) == rows)
        for (index, column) in columns.enumerated() {
            #expect(try reader.values(ofColumn: index) == column.rows, "seed \(seed) column \(column.field) options \(options)")
            let nulls = column.rows.count { $0 == nil }
            #expect(summary.columns[index].nullCount == nulls)
            for group in reader.metadata.rowGroups.indices {
                try Self.checkStatistics(reader: reader, rowGroup: group, column: index, type: column.field.type,
                                         truncateTo: options.statisticsTruncateLength)
            }
        }
    }

    /// Recomputes a chunk's min/max from its decoded values and compares with the footer.
    static func checkStatistics(
        reader: ParquetFileReader, rowGroup: Int, column: Int, type: DataType, truncateTo limit: Int?
    ) throws {
        let chunk = try reader.chunk(rowGroup: rowGroup, column: column)
        let values = try reader.values(of: chunk)
        let stats = try #require(chunk.metaData.statistics)
        #expect(stats.nullCount == Int64(values.count { $0 == nil }))
        let present = values.compactMap { $0 }
        guard !present.isEmpty else {
            #expect(stats.minValue == nil && stats.maxValue == nil)
            return
        }
        let isLess: (PhysicalValue, PhysicalValue) -> Bool = { a, b in
            switch (a, b) {
            case (.int32(let x), .int32(let y)): type == .uint32 ? UInt32(bitPattern: x) < UInt32(bitPattern: y) : x < y
            case (.int64(let x), .int64(let y)): x < y
            case (.doubleBits(let x), .doubleBits(let y)): Double(bitPattern: x) < Double(bitPattern: y)
            case (.boolean(let x), .boolean(let y)): !x && y
            case (.bytes(let x), .bytes(let y)):
                if case .decimal = type, x.first! >= 0x80 || y.first! >= 0x80, (x.first! >= 0x80) != (y.first! >= 0x80) {
                    x.first! >= 0x80
                } else {
                    x.lexicographicallyPrecedes(y)
                }
            default: false
            }
        }
        let minimum = present.min(by: isLess)!
        let maximum = present.max(by: isLess)!
        func encoded(_ value: PhysicalValue, isMin: Bool) -> [UInt8] {
            switch value {
            case .int32(let v): littleEndianBytes(v)
            case .int64(let v): littleEndianBytes(v)
            case .doubleBits(let bits):
                Double(bitPattern: bits) == 0 ? littleEndianBytes(isMin ? -0.0 : 0.0) : littleEndianBytes(bits)
            case .floatBits(let bits): littleEndianBytes(bits)
            case .boolean(let v): [v ? 1 : 0]
            case .bytes(let b): b
            }
        }
        let expectedMin = encoded(minimum, isMin: true)
        let expectedMax = encoded(maximum, isMin: false)
        let truncatable = type == .string || type == .binary
        if let limit, truncatable, expectedMin.count > limit {
            let min = try #require(stats.minValue)
            #expect(min.count <= limit && expectedMin.starts(with: min) && stats.isMinValueExact == false)
        } else {
            #expect(stats.minValue == expectedMin && stats.isMinValueExact == true, "\(type) row group \(rowGroup)")
        }
        if let limit, truncatable, expectedMax.count > limit {
            if let max = stats.maxValue {
                #expect(max.count <= limit && !max.lexicographicallyPrecedes(expectedMax) && stats.isMaxValueExact == false)
            }
        } else {
            #expect(stats.maxValue == expectedMax && stats.isMaxValueExact == true, "\(type) row group \(rowGroup)")
        }
    }
}
