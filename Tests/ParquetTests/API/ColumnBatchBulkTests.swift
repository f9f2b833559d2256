import Testing
@testable import Parquet

/// Contiguous arrays of a column's exact storage type go in with one copy; the result must be
/// what the per-value path stores, and every other case must still be checked value by value.
@Suite struct ColumnBatchBulkTests {
    static let schema = try! Schema([
        Field("i64", .int64, nullable: false), Field("ts", .timestamp(.nanoseconds)),
        Field("i32", .int32), Field("day", .date, nullable: false),
        Field("f64", .float64), Field("f32", .float32, nullable: false), Field("flag", .boolean),
    ])

    /// Appends through the bulk path (arrays) and through the per-value path (a lazy sequence,
    /// which has no contiguous storage), and returns both batches.
    static func both(_ fill: (inout ColumnBatch, Bool) throws -> Void) throws -> (ColumnBatch, ColumnBatch) {
        var bulk = ColumnBatch(schema: schema)
        var single = ColumnBatch(schema: schema)
        try fill(&bulk, true)
        try fill(&single, false)
        return (bulk, single)
    }

    static func append<T: ColumnValue>(_ values: [T], _ column: String, to batch: inout ColumnBatch, bulk: Bool) throws {
        if bulk { try batch.append(values, to: column) } else { try batch.append(values.lazy.map { $0 }, to: column) }
    }

    @Test func bulkAppendsStoreWhatSingleAppendsStore() throws {
        let (bulk, single) = try Self.both { batch, isBulk in
            try Self.append([Int64.min, 0, Int64.max], "i64", to: &batch, bulk: isBulk)
            try Self.append([Int64(-1), 0, 1_700_000_000_000_000_000], "ts", to: &batch, bulk: isBulk)
            try Self.append([Int32.min, 7, Int32.max], "i32", to: &batch, bulk: isBulk)
            try Self.append([Int32(-719_162), 0, 2_932_896], "day", to: &batch, bulk: isBulk)
            try Self.append([-0.0, .nan, .infinity], "f64", to: &batch, bulk: isBulk)
            try Self.append([Float(1.5), -0.0, .greatestFiniteMagnitude], "f32", to: &batch, bulk: isBulk)
            try Self.append([true, false, true], "flag", to: &batch, bulk: isBulk)
        }
        for (a, b) in zip(bulk.builders, single.builders) {
            #expect(a.rowCount == 3 && b.rowCount == 3, "\(a.descriptor.name)")
            #expect(a.definitionLevels == b.definitionLevels, "\(a.descriptor.name)")
            #expect(a.int64s == b.int64s && a.int32s == b.int32s && a.booleans == b.booleans, "\(a.descriptor.name)")
            #expect(a.doubles.map(\.bitPattern) == b.doubles.map(\.bitPattern), "\(a.descriptor.name)")
            #expect(a.floats.map(\.bitPattern) == b.floats.map(\.bitPattern), "\(a.descriptor.name)")
        }
        #expect(bulk.builders[1].definitionLevels == [1, 1, 1])  // nullable: present levels
        #expect(bulk.builders[0].definitionLevels.isEmpty)      // required: no levels
    }

    /// Runs of strings and of optionals go in at once (text columns, and columns that keep
    /// the wrapped type exactly); each must stage what the per-value path stages, after rows
    /// already there, and reject what it rejects at the same row.
    @Test func stringAndOptionalRunsStoreWhatSingleAppendsStore() throws {
        let schema = try Schema([
            Field("s", .string, nullable: false), Field("ns", .string), Field("j", .json), Field("b", .binary),
            Field("u", .uuid), Field("d", .decimal(precision: 9, scale: 2)),
            Field("i64", .int64), Field("ts", .timestamp(.milliseconds, utc: true)), Field("small", .int16),
            Field("day", .date), Field("f64", .float64), Field("f32", .float32), Field("flag", .boolean),
            Field("r64", .int64, nullable: false),
        ])
        let long = String(repeating: "ünïcödé ", count: 40)  // a native (not small) string
        func fill(_ batch: inout ColumnBatch, bulk: Bool) throws {
            for round in 0..<2 {  // the second round lands after rows already staged
                try Self.append(["", "a", long, "€uro", "x\u{0}y"], "s", to: &batch, bulk: bulk)
                try Self.append([nil, "b", nil, long, ""] as [String?], "ns", to: &batch, bulk: bulk)
                try Self.append(["{}", "[1]", nil, nil, "\"é\""] as [String?], "j", to: &batch, bulk: bulk)
                try Self.append(["bytes", nil, "", long, "z"] as [String?], "b", to: &batch, bulk: bulk)
                try Self.append(["00112233-4455-6677-8899-aabbccddeeff", nil, nil, nil, "00000000-0000-0000-0000-000000000000"] as [String?], "u", to: &batch, bulk: bulk)
                try Self.append(["1.5", nil, "-2", "0.01", "1234567.89"] as [String?], "d", to: &batch, bulk: bulk)
                try Self.append([nil, Int64.min, 0, nil, Int64(round)], "i64", to: &batch, bulk: bulk)
                try Self.append([Int64(1_700_000_000_000), nil, nil, -1, 0], "ts", to: &batch, bulk: bulk)
                try Self.append([Int64(-32768), nil, 32767, 0, nil], "small", to: &batch, bulk: bulk)
                try Self.append([Int32(-719_162), nil, 0, 2_932_896, nil], "day", to: &batch, bulk: bulk)
                try Self.append([-0.0, nil, .nan, .infinity, nil] as [Double?], "f64", to: &batch, bulk: bulk)
                try Self.append([nil, Float(1.5), -0.0, nil, .greatestFiniteMagnitude], "f32", to: &batch, bulk: bulk)
                try Self.append([true, nil, false, nil, true] as [Bool?], "flag", to: &batch, bulk: bulk)
                try Self.append([Int64(1), 2, 3, 4, 5] as [Int64?], "r64", to: &batch, bulk: bulk)
            }
        }
        var bulk = ColumnBatch(schema: schema)
        var single = ColumnBatch(schema: schema)
        try fill(&bulk, bulk: true)
        try fill(&single, bulk: false)
        for (a, b) in zip(bulk.builders, single.builders) {
            #expect(a.rowCount == 10, "\(a.descriptor.name)")
            #expect(StagedState(a) == StagedState(b), "\(a.descriptor.name)")
        }
        // Rejections: the same code and row on both paths, and the column as it was.
        typealias Bad = (inout ColumnBatch, Bool) throws -> Void
        let bad: [(Bad, ParquetError.Code, Int)] = [
            ({ try Self.append(["a", nil, nil] as [String?], "s", to: &$0, bulk: $1) }, .invalidValue, 1),
            ({ try Self.append([1, 2, nil] as [Int64?], "r64", to: &$0, bulk: $1) }, .invalidValue, 2),
            ({ try Self.append(["00112233-4455-6677-8899-aabbccddeeff", "nope"] as [String?], "u", to: &$0, bulk: $1) }, .invalidValue, 1),
            ({ try Self.append([nil, "1.234"] as [String?], "d", to: &$0, bulk: $1) }, .invalidValue, 1),
            ({ try Self.append([nil, 1, 40_000] as [Int64?], "small", to: &$0, bulk: $1) }, .valueOutOfRange, 2),
        ]
        for (index, (append, code, row)) in bad.enumerated() {
            for isBulk in [true, false] {
                var batch = isBulk ? bulk : single
                let before = batch.builders.map(StagedState.init)
                let error = #expect(throws: ParquetError.self, "case \(index)") { try append(&batch, isBulk) }
                #expect(error?.code == code && error?.row == row, "case \(index), bulk \(isBulk): \(String(describing: error))")
                #expect(batch.builders.map(StagedState.init) == before, "case \(index)")
            }
        }
    }

    @Test func otherColumnsStillCheckEveryValue() throws {
        let schema = try Schema([Field("small", .int8), Field("time", .time(.milliseconds))])
        var batch = ColumnBatch(schema: schema)
        // [Int64] into an int8 column is not its storage type: each value is range-checked.
        #expect {
            try batch.append([Int64(1), 300], to: "small")
        } throws: { error in
            let error = error as? ParquetError
            return error?.code == .valueOutOfRange && error?.row == 1 && error?.column == "small"
        }
        // [Int32] into a time column is its storage type, but times are range-checked too.
        #expect {
            try batch.append([Int32(0), -1], to: "time")
        } throws: { error in
            (error as? ParquetError)?.row == 1
        }
        #expect(batch.rowCount(of: "small") == 0 && batch.rowCount(of: "time") == 0)
    }

    @Test func bulkBatchesWriteAValidFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bulk.parquet")
        let schema = try Schema([Field("v", .int64, nullable: false), Field("w", .float64)])
        let writer = try ParquetWriter(path: path, schema: schema, options: WriterOptions(rowGroupRows: 40_000))
        var batch = ColumnBatch(schema: schema)
        for start in stride(from: 0, to: 100_000, by: 25_000) {
            batch.removeAll()
            try batch.append((start..<start + 25_000).map(Int64.init), to: "v")
            try batch.append((start..<start + 25_000).map { Double($0) / 2 }, to: "w")
            try writer.write(batch)
        }
        let summary = try writer.close()
        #expect(summary.rows == 100_000 && summary.rowGroups == 3)
        #expect(summary.columns[0].minimum == .int(0) && summary.columns[0].maximum == .int(99_999))
        _ = try ParquetFileReader(bytes: readWholeFile(path)).validate()
    }
}
