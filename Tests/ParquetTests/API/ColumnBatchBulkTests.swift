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
