import Testing
@testable import Parquet
@testable import ParquetJSON

/// `ColumnBuilder.appendRows` is how a dataset splits a batch between files and partitions.
/// The oracle: gathering any rows of a decoded batch must give exactly the builders that
/// decoding only those records gives, for flat, nullable, fixed-size and nested columns.
@Suite struct RowGatheringTests {
    static let schema = try! Schema(
        StagedAppendTests.flatFields + [
            Field("tags", .list(.struct(fields: [Field("k", .string), Field("n", .int32)]))),
            Field("grid", .list(.list(.int64))),
            Field("attrs", .map(.string, .float64)),
        ])

    /// Record `i`, valid for ``schema``: nulls, empty and missing nested values vary with i.
    static func record(_ i: Int) -> String {
        var text = StagedAppendTests.record(i)
        if text.contains("bad uuid") { text = #"{"id": \#(i), "name": "fixed \#(i)"}"# }
        let grid = i % 4 == 0 ? "null" : i % 4 == 1 ? "[]" : "[[\(i), \(i + 1)], [], null, [\(-i)]]"
        let attrs = i % 3 == 0 ? "{}" : #"{"a": \#(Double(i) / 4), "b": null}"#
        return String(text.dropLast()) + #", "grid": \#(grid), "attrs": \#(attrs)}"#
    }

    /// A deterministic pseudo-random subset of 0..<count as runs.
    static func runs(count: Int, seed: UInt64) -> [Range<Int>] {
        var state = seed
        var runs: [Range<Int>] = []
        var row = 0
        while row < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 59) + 1
            let end = Swift.min(count, row + length)
            if state & 0x100 != 0 { runs.append(row..<end) }
            row = end
        }
        return runs
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func gatheredRowsEqualDecodingThoseRecords(seed: UInt64) throws {
        let count = 700
        let records = (0..<count).map(Self.record)
        var batch = makeBuilders(Self.schema)
        try decode(records.joined(separator: "\n"), Self.schema, into: &batch)
        #expect(batch[0].rowCount == count)
        let indexes = batch.map { $0.rowIndex() }
        let runs = Self.runs(count: count, seed: seed)
        var gathered = makeBuilders(Self.schema)
        for run in runs {
            for column in gathered.indices { gathered[column].appendRows(run, of: batch[column], index: indexes[column]) }
        }
        var expected = makeBuilders(Self.schema)
        let chosen = runs.flatMap { Array($0) }
        try decode(chosen.map { records[$0] }.joined(separator: "\n"), Self.schema, into: &expected)
        let equal = StagedAppendTests.same(gathered, expected)
        #expect(equal)
        #expect(gathered.allSatisfy { $0.rowCount == chosen.count })
    }

    /// The listed-rows form (how a batch is sorted into partitions): rows in no order, some
    /// runs of consecutive rows among them, some rows twice, into builders that already hold
    /// rows, for every kind of column (the nested ones are gathered run by run).
    @Test(arguments: [5 as UInt64, 6, 7])
    func listedRowsEqualDecodingThoseRecordsInThatOrder(seed: UInt64) throws {
        let count = 700
        let records = (0..<count).map(Self.record)
        var batch = makeBuilders(Self.schema)
        try decode(records.joined(separator: "\n"), Self.schema, into: &batch)
        let indexes = batch.map { $0.rowIndex() }
        // Runs from the seed, visited in a scrambled order, each now and then reversed
        // (single rows) or listed twice.
        var state = seed
        var listed: [Int32] = []
        for run in Self.runs(count: count, seed: seed).reversed() {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let rows = run.map { Int32($0) }
            listed += state & 0x200 != 0 ? rows.reversed() : rows
            if state & 0x400 != 0 { listed += rows }
        }
        let already = [3, 1, 4]
        var gathered = makeBuilders(Self.schema)
        try decode(already.map { records[$0] }.joined(separator: "\n"), Self.schema, into: &gathered)
        listed.withUnsafeBufferPointer { listed in
            for column in gathered.indices { gathered[column].appendRows(at: listed, of: batch[column], index: indexes[column]) }
        }
        var expected = makeBuilders(Self.schema)
        let chosen = already + listed.map { Int($0) }
        try decode(chosen.map { records[$0] }.joined(separator: "\n"), Self.schema, into: &expected)
        #expect(StagedAppendTests.same(gathered, expected))
        #expect(gathered.allSatisfy { $0.rowCount == chosen.count })
    }

    @Test func valueIndexOfRowFollowsNulls() throws {
        let schema = try Schema([Field("n", .int64), Field("s", .string, nullable: false)])
        var batch = makeBuilders(schema)
        try decode(#"{"n": 1, "s": "a"}"# + "\n" + #"{"n": null, "s": "b"}"# + "\n" + #"{"n": 3, "s": "c"}"#, schema, into: &batch)
        let nullable = batch[0].rowIndex()
        #expect([0, 1, 2].map { nullable.valueIndex(ofRow: $0) } == [0, nil, 1])
        let required = batch[1].rowIndex()
        #expect([0, 1, 2].map { required.valueIndex(ofRow: $0) } == [0, 1, 2])
    }
}
