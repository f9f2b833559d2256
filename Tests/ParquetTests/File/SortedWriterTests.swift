import Testing
@testable import Parquet
import ParquetThrift

/// `sort_by` on a single file: rows come out in the key order (stable for ties), spilled
/// runs merge back exactly, and every row group records its `sorting_columns`.
@Suite struct SortedWriterTests {
    static let schema = try! Schema([
        Field("key", .int64), Field("name", .string), Field("sequence", .int64, nullable: false),
    ])

    /// Rows with few distinct keys (so ties are common), some null keys and names.
    static func rows(_ count: Int, seed: UInt64) -> [(key: Int64?, name: String?, sequence: Int64)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let key: Int64? = random.next() % 17 == 0 ? nil : Int64(random.next() % 50) - 25
            let name: String? = random.next() % 11 == 0 ? nil : "n\(random.next() % 1000)"
            return (key, name, Int64(index))
        }
    }

    static func write(
        _ rows: [(key: Int64?, name: String?, sequence: Int64)], to path: String, options: WriterOptions,
        batchRows: Int = 10_000
    ) throws -> WriteSummary {
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var start = 0
        while start < rows.count {
            let slice = rows[start..<Swift.min(rows.count, start + batchRows)]
            try writer.write(makeBatch(schema) { batch in
                try batch.append(slice.map(\.key), to: "key")
                try batch.append(slice.map(\.name), to: "name")
                try batch.append(slice.map(\.sequence), to: "sequence")
            })
            start += batchRows
        }
        return try writer.close()
    }

    /// Ascending keys with nulls last, then descending names with nulls first, ties in arrival order.
    static func expectedOrder(_ rows: [(key: Int64?, name: String?, sequence: Int64)]) -> [Int64] {
        func keyOrder(_ a: Int64?, _ b: Int64?) -> Int {
            switch (a, b) {
            case (nil, nil): 0
            case (nil, _): 1
            case (_, nil): -1
            case let (x?, y?): x < y ? -1 : (x > y ? 1 : 0)
            }
        }
        func nameOrder(_ a: String?, _ b: String?) -> Int {
            switch (a, b) {
            case (nil, nil): 0
            case (nil, _): -1
            case (_, nil): 1
            case let (x?, y?): Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? 1 : (x == y ? 0 : -1)
            }
        }
        return rows.sorted { a, b in
            let first = keyOrder(a.key, b.key)
            if first != 0 { return first < 0 }
            let second = nameOrder(a.name, b.name)
            if second != 0 { return second < 0 }
            return a.sequence < b.sequence
        }.map(\.sequence)
    }

    static let keys = [SortKey("key"), SortKey("name", descending: true, nullsFirst: true)]

    func check(rows: [(key: Int64?, name: String?, sequence: Int64)], options: WriterOptions) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("sorted.parquet")
        let summary = try Self.write(rows, to: path, options: options)
        #expect(summary.rows == rows.count)
        let reader = try ParquetFileReader(path: path)
        try reader.validate()
        let sequences = try reader.values(ofColumn: 2).map { $0?.int64Value ?? -1 }
        #expect(sequences == Self.expectedOrder(rows))
        let bySequence = Dictionary(uniqueKeysWithValues: rows.map { ($0.sequence, $0) })
        let keys = try reader.values(ofColumn: 0).map { $0?.int64Value }
        let names = try reader.values(ofColumn: 1).map { $0?.stringValue }
        #expect(keys == sequences.map { bySequence[$0]!.key })
        #expect(names == sequences.map { bySequence[$0]!.name })
        let expected = [
            SortingColumn(columnIndex: 0, descending: false, nullsFirst: false),
            SortingColumn(columnIndex: 1, descending: true, nullsFirst: true),
        ]
        #expect(!reader.metadata.rowGroups.isEmpty)
        for group in reader.metadata.rowGroups { #expect(group.sortingColumns == expected) }
    }

    @Test func rowsHeldInMemoryComeOutSortedAndStable() throws {
        try check(rows: Self.rows(30_000, seed: 1), options: WriterOptions(rowGroupRows: 7_000, sortBy: Self.keys))
    }

    @Test func spilledRunsMergeBackInOrder() throws {
        // 4 MiB: runs spill at 2 MiB of staged rows, chunks of 256 KiB, merges of 1 MiB, so
        // 400k rows take several runs and a merge pass before the final merge.
        let options = WriterOptions(
            compression: .uncompressed, rowGroupRows: 100_000, sortBy: Self.keys,
            sortMemoryBytes: WriterOptions.minimumSortMemoryBytes)
        try check(rows: Self.rows(400_000, seed: 2), options: options)
    }

    @Test func withABackgroundThreadTheOrderIsTheSame() throws {
        let options = WriterOptions(
            rowGroupRows: 50_000, threads: 2, sortBy: Self.keys, sortMemoryBytes: WriterOptions.minimumSortMemoryBytes)
        try check(rows: Self.rows(200_000, seed: 3), options: options)
    }

    @Test func badKeysAreRejectedBeforeAnythingIsWritten() throws {
        let directory = try TemporaryDirectory()
        let nested = try Schema(Self.schema.fields + [Field("tags", .list(element: Field("item", .string)))])
        for (keys, fragment) in [
            ([SortKey("missing")], "not a column"),
            ([SortKey("tags")], "top-level primitive"),
            ([SortKey("key"), SortKey("key", descending: true)], "twice"),
        ] {
            let path = directory.file("bad.parquet")
            let error = #expect(throws: ParquetError.self) {
                _ = try ParquetWriter(path: path, schema: nested, options: WriterOptions(sortBy: keys))
            }
            #expect(error?.code == .invalidOptions)
            #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
            #expect(!fileExists(path))
        }
        let small = #expect(throws: ParquetError.self) {
            _ = try ParquetWriter(
                path: directory.file("small.parquet"), schema: Self.schema,
                options: WriterOptions(sortBy: [SortKey("key")], sortMemoryBytes: 1 << 20))
        }
        #expect(small?.code == .invalidOptions)
    }

    @Test func extremeValuesAndNullsKeepTheirPlaces() throws {
        // Int64.max's prefix equals a null's (nulls last), Int64.min's a null's when nulls
        // come first descending: those ties are compared in full.
        let schema = try Schema([Field("k", .int64), Field("s", .int64, nullable: false)])
        let keys: [Int64?] = [nil, .max, 3, .min, nil, .max, 0, .min]
        let directory = try TemporaryDirectory()
        for (key, expected) in [
            (SortKey("k"), [Int64.min, .min, 0, 3, .max, .max]),
            (SortKey("k", descending: true, nullsFirst: true), [Int64.max, .max, 3, 0, .min, .min]),
        ] {
            let path = directory.file("extremes.parquet")
            try writeFile(path, schema: schema, options: WriterOptions(sortBy: [key]), batches: [
                makeBatch(schema) { batch in
                    try batch.append(keys, to: "k")
                    try batch.append((0..<Int64(keys.count)).map { $0 }, to: "s")
                }
            ])
            let values = try ParquetFileReader(path: path).values(ofColumn: 0).map { $0?.int64Value }
            let present = values.compactMap { $0 }
            #expect(present == expected)
            #expect(key.nullsFirst ? values.prefix(2) == [nil, nil] : values.suffix(2) == [nil, nil])
        }
    }

    @Test func floatsSortWithNaNLastAndUnsignedIntegersUnsigned() throws {
        let schema = try Schema([Field("f", .float64, nullable: false), Field("u", .uint32, nullable: false)])
        let directory = try TemporaryDirectory()
        let path = directory.file("f.parquet")
        let floats: [Double] = [3, .nan, -1, 0, -0.0, .infinity, -.infinity, 2]
        let unsigned: [UInt32] = [5, 4_000_000_000, 1, 7, 3, 2, 0, 6]
        try writeFile(path, schema: schema, options: WriterOptions(sortBy: [SortKey("f")]), batches: [
            makeBatch(schema) { batch in
                try batch.append(floats, to: "f")
                try batch.append(unsigned, to: "u")
            }
        ])
        let values = try ParquetFileReader(path: path).values(ofColumn: 0).map { value -> Double in
            guard case .doubleBits(let bits)? = value else { return 99 }
            return Double(bitPattern: bits)
        }
        #expect(values.prefix(3) == [-.infinity, -1, 0])
        #expect(values[3] == 0 && values[4] == 2 && values[5] == 3 && values[6] == .infinity && values[7].isNaN)
        let upath = directory.file("u.parquet")
        try writeFile(upath, schema: schema, options: WriterOptions(sortBy: [SortKey("u", descending: true)]), batches: [
            makeBatch(schema) { batch in
                try batch.append(floats, to: "f")
                try batch.append(unsigned, to: "u")
            }
        ])
        let sortedUnsigned = try ParquetFileReader(path: upath).values(ofColumn: 1).map { value -> UInt32 in
            guard case .int32(let bits)? = value else { return 99 }
            return UInt32(bitPattern: bits)
        }
        #expect(sortedUnsigned == unsigned.sorted(by: >))
    }
}
