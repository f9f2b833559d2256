#if canImport(Glibc)
import Glibc
#endif
import Parquet
@testable import ParquetDataset
import ParquetThrift
import Testing

/// Rolling, partitioning, open-file limits and commits of ``DatasetWriter``, checked on the
/// files themselves (names on disk, footers decoded with the project's Thrift code). The
/// values are read back by pyarrow and DuckDB in Tests/ABI/test_abi_dataset.py.
@Suite struct DatasetWriterTests {
    static let schema = try! Schema([
        Field("id", .int64, nullable: false),
        Field("currency", .string),
        Field("at", .timestamp(.milliseconds)),
    ])

    /// Rows `ids` with currency `currency(id)` and `at` = id hours after 2024-01-01.
    static func batch(_ ids: Range<Int>, currency: (Int) -> String? = { ["EUR", "USD"][$0 % 2] }) throws -> ColumnBatch {
        var batch = ColumnBatch(schema: schema)
        try batch.append(ids.map { Int64($0) }, to: "id")
        try batch.append(ids.map(currency), to: "currency")
        try batch.append(ids.map { Int64(1_704_067_200_000 + $0 * 3_600_000) }, to: "at")
        return batch
    }

    static func ids(_ summary: WriteSummary) -> (Int64, Int64)? {
        guard case .int(let low)? = summary.columns[0].minimum, case .int(let high)? = summary.columns[0].maximum else {
            return nil
        }
        return (low, high)
    }

    @Test func rollsAtMaxRowsSplittingBatches() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let dataset = try DatasetWriter(
            directory: root, schema: Self.schema, dataset: DatasetOptions(maxRowsPerFile: 10))
        #expect(try dataset.write(Self.batch(0..<9)).isEmpty)
        let second = try dataset.write(Self.batch(9..<18))
        let third = try dataset.write(Self.batch(18..<27))
        let last = try dataset.close()
        let files = second + third + last
        #expect(files.map(\.rows) == [10, 10, 7])
        #expect(files.compactMap(Self.ids).map { [$0.0, $0.1] } == [[0, 9], [10, 19], [20, 26]])
        let names = listFiles(root)
        #expect(names.count == 3)
        #expect(names == files.map { String($0.path.dropFirst(root.count + 1)) }.sorted())
        for (index, name) in names.enumerated() {
            #expect(name.hasPrefix("part-0000\(index)-") && name.hasSuffix(".parquet"))
            #expect(try readFooter(root + "/" + name).numRows == Int64(files[index].rows))
        }
    }

    @Test func rollsAtMaxBytes() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let options = WriterOptions(compression: .uncompressed, rowGroupRows: 100)
        let dataset = try DatasetWriter(
            directory: root, schema: Self.schema, options: options, dataset: DatasetOptions(maxBytesPerFile: 8_000))
        var files: [WriteSummary] = []
        for start in stride(from: 0, to: 5_000, by: 100) { files += try dataset.write(Self.batch(start..<(start + 100))) }
        files += try dataset.close()
        #expect(files.count > 3)
        #expect(files.reduce(0) { $0 + $1.rows } == 5_000)
        for file in files.dropLast() { #expect(file.bytes >= 8_000) }
        // Rolled between batches: no file is larger than the limit plus one batch's worth.
        for file in files { #expect(file.bytes < 8_000 + 6_000) }
        #expect(listFiles(root).count == files.count)
    }

    @Test func partitionsByValueAndDay() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let layout = DatasetOptions(partitionBy: [
            PartitionField(column: "currency"), PartitionField(column: "at", transform: .day),
        ])
        let dataset = try DatasetWriter(directory: root, schema: Self.schema, dataset: layout)
        // 0..<48: two days, two currencies, one null currency and one that needs escaping.
        let currency: (Int) -> String? = { $0 == 5 ? nil : $0 == 7 ? "a/b c%é" : ["EUR", "USD"][$0 % 2] }
        try dataset.write(Self.batch(0..<48, currency: currency))
        let files = try dataset.close()
        let directories = files.map { String($0.path.dropFirst(root.count + 1).split(separator: "/").dropLast().joined(separator: "/")) }
        var rowsByDirectory: [String: Int] = [:]
        for (directory, file) in zip(directories, files) { rowsByDirectory[directory, default: 0] += file.rows }
        #expect(rowsByDirectory == [
            "currency=EUR/at_day=2024-01-01": 12,
            "currency=USD/at_day=2024-01-01": 10,
            "currency=__HIVE_DEFAULT_PARTITION__/at_day=2024-01-01": 1,
            "currency=a%2Fb c%25é/at_day=2024-01-01": 1,
            "currency=EUR/at_day=2024-01-02": 12,
            "currency=USD/at_day=2024-01-02": 12,
        ])
        // The identity column lives in the path only; the transformed one stays in the file.
        let footer = try readFooter(files[0].path)
        #expect(footer.schema.map(\.name) == ["schema", "id", "at"])
        #expect(dataset.fileSchema.fields.map(\.name) == ["id", "at"])
    }

    @Test func keepsPartitionColumnsWhenAsked() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let layout = DatasetOptions(partitionBy: [PartitionField(column: "currency")], writePartitionColumns: true)
        let dataset = try DatasetWriter(directory: root, schema: Self.schema, dataset: layout)
        try dataset.write(Self.batch(0..<4))
        let files = try dataset.close()
        #expect(try readFooter(files[0].path).schema.map(\.name) == ["schema", "id", "currency", "at"])
    }

    /// Iceberg's texts for each transform, UTC, floored for instants before the epoch.
    @Test(arguments: [
        (PartitionTransform.year, "at_year=1969", "at_year=2024"),
        (.month, "at_month=1969-12", "at_month=2024-02"),
        (.day, "at_day=1969-12-31", "at_day=2024-02-29"),
        (.hour, "at_hour=1969-12-31-23", "at_hour=2024-02-29-23"),
    ])
    func transformTexts(transform: PartitionTransform, before: String, leap: String) throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let schema = try Schema([Field("at", .timestamp(.microseconds), nullable: false), Field("n", .int32)])
        let dataset = try DatasetWriter(
            directory: root, schema: schema,
            dataset: DatasetOptions(partitionBy: [PartitionField(column: "at", transform: transform)]))
        var batch = ColumnBatch(schema: schema)
        try batch.append([-1, 1_709_251_199_999_999] as [Int64], to: "at")  // 1969-12-31T23:59:59.999999, 2024-02-29T23:59:59.999999
        try batch.append([1, 2] as [Int32?], to: "n")
        try dataset.write(batch)
        let directories = try dataset.close().map { String($0.path.dropFirst(root.count + 1).split(separator: "/")[0]) }
        #expect(directories.sorted() == [before, leap].sorted())
    }

    /// 600 partitions in one batch from 300 ids × 290 currencies: the second field's fold,
    /// 300 partitions × 291 codes, goes through the router's hash table instead of its dense
    /// one (65,536 slots). Each id and each currency is in two or three rows, so a fold that
    /// lost either field would put two rows in one file.
    @Test func manyDistinctPairsInOneBatchFoldThroughTheHashTable() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let layout = DatasetOptions(
            partitionBy: [PartitionField(column: "id"), PartitionField(column: "currency")], writePartitionColumns: true)
        let dataset = try DatasetWriter(directory: root, schema: Self.schema, dataset: layout)
        var batch = ColumnBatch(schema: Self.schema)
        try batch.append((0..<600).map { Int64($0 % 300) }, to: "id")
        try batch.append((0..<600).map { "c\($0 % 290)" } as [String?], to: "currency")
        try batch.append((0..<600).map { Int64($0) } as [Int64?], to: "at")
        try dataset.write(batch)
        let files = try dataset.close()
        #expect(files.count == 600)
        for file in files {
            let directory = file.path.dropFirst(root.count + 1).split(separator: "/").dropLast().joined(separator: "/")
            guard case .int(let row)? = file.columns[2].minimum else {
                Issue.record("no minimum of 'at' in \(file.path)")
                continue
            }
            #expect(file.rows == 1)
            #expect(directory == "id=\(row % 300)/currency=c\(row % 290)")
        }
    }

    @Test func datesIntegersAndBooleansAsValues() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let schema = try Schema([
            Field("d", .date), Field("u", .uint64), Field("b", .boolean), Field("x", .int8), Field("v", .string),
        ])
        let dataset = try DatasetWriter(
            directory: root, schema: schema,
            dataset: DatasetOptions(partitionBy: ["d", "u", "b", "x"].map { PartitionField(column: $0) }))
        var batch = ColumnBatch(schema: schema)
        try batch.append([19_782] as [Int32?], to: "d")  // 2024-02-29
        try batch.append([UInt64.max] as [UInt64?], to: "u")
        try batch.append([true] as [Bool?], to: "b")
        try batch.append([-5] as [Int8?], to: "x")
        try batch.append(["value"] as [String?], to: "v")
        try dataset.write(batch)
        let path = try dataset.close()[0].path.dropFirst(root.count + 1)
        #expect(path.hasPrefix("d=2024-02-29/u=18446744073709551615/b=true/x=-5/part-00000-"))
    }

    @Test func partitionsBeyondMaxOpenFilesWaitInsteadOfSplittingFiles() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        // Row groups of 2 rows: A and B open their files at once; C has none free.
        let layout = DatasetOptions(partitionBy: [PartitionField(column: "currency")], maxOpenFiles: 2)
        let dataset = try DatasetWriter(
            directory: root, schema: Self.schema, options: WriterOptions(rowGroupRows: 2), dataset: layout)
        for (start, currency) in [(0, "A"), (2, "B"), (4, "A"), (6, "C"), (8, "B"), (10, "C"), (12, "A")] {
            #expect(try dataset.write(Self.batch(start..<(start + 2), currency: { _ in currency })).isEmpty)
        }
        let files = try dataset.close()
        // One file per partition however the rows arrived, each with all of its rows.
        #expect(files.count == 3)
        let rows = Dictionary(uniqueKeysWithValues: files.map { summary in
            (summary.path.split(separator: "/").first { $0.hasPrefix("currency=") }.map(String.init) ?? "", summary.rows)
        })
        #expect(rows == ["currency=A": 6, "currency=B": 4, "currency=C": 4])
        #expect(listFiles(root).count == 3)
    }

    @Test func spilledRowsComeBackInOrderAsOneFilePerPartition() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        // The smallest budget, one open file, 300 partitions in turn: most rows are spilled.
        let layout = DatasetOptions(
            partitionBy: [PartitionField(column: "currency")], maxOpenFiles: 1,
            memoryLimitBytes: DatasetOptions.minimumMemoryLimitBytes)
        let dataset = try DatasetWriter(directory: root, schema: Self.schema, dataset: layout)
        let rows = 60_000
        var start = 0
        while start < rows {
            let end = Swift.min(rows, start + 7_000)
            try dataset.write(Self.batch(start..<end, currency: { "C\($0 % 300)" }))
            start = end
        }
        let files = try dataset.close()
        #expect(files.count == 300)
        #expect(files.reduce(0) { $0 + $1.rows } == rows)
        // Each file holds exactly its partition's ids (values are checked by pyarrow in the
        // ABI suite's fan-out tests).
        for summary in files {
            let partition = Int(summary.path.split(separator: "currency=C")[1].split(separator: "/")[0])!
            #expect(summary.rows == 200)
            #expect(summary.columns[0].minimum == .int(Int64(partition)))
            #expect(summary.columns[0].maximum == .int(Int64(rows - 300 + partition)))
            #expect(try readFooter(summary.path).numRows == 200)
        }
    }

    @Test func sortedFilesHoldTheirRowsInOrderWhateverTheBudget() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        // 4 MiB budget and 300 partitions in turn: partitions spill sorted runs, and each file
        // (150 rows at most) is merged back in order, in row groups of 40 rows.
        let layout = DatasetOptions(
            maxRowsPerFile: 150, partitionBy: [PartitionField(column: "currency")], maxOpenFiles: 2,
            memoryLimitBytes: DatasetOptions.minimumMemoryLimitBytes)
        let options = WriterOptions(rowGroupRows: 40, sortBy: [SortKey("id", descending: true)])
        let dataset = try DatasetWriter(directory: root, schema: Self.schema, options: options, dataset: layout)
        let rows = 90_000
        var start = 0
        var files: [WriteSummary] = []
        while start < rows {
            let end = Swift.min(rows, start + 7_000)
            files += try dataset.write(Self.batch(start..<end, currency: { "C\($0 % 300)" }))
            start = end
        }
        files += try dataset.close()
        // 300 rows per partition: two files of 150 each, the first holding the first 150 to arrive.
        #expect(files.count == 600)
        #expect(files.reduce(0) { $0 + $1.rows } == rows)
        for summary in files {
            #expect(summary.rows == 150)
            let footer = try readFooter(summary.path)
            #expect(footer.rowGroups.count == 4)
            var previousMinimum = Int64.max
            for group in footer.rowGroups {
                #expect(group.sortingColumns == [SortingColumn(columnIndex: 0, descending: true, nullsFirst: false)])
                let statistics = group.columns[0].metaData!.statistics!
                let low = statistics.minValue!.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
                let high = statistics.maxValue!.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
                #expect(high <= previousMinimum)
                previousMinimum = low
            }
        }
    }

    @Test func sortingByAPartitionColumnIsRefused() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let error = #expect(throws: ParquetError.self) {
            _ = try DatasetWriter(
                directory: root, schema: Self.schema, options: WriterOptions(sortBy: [SortKey("currency")]),
                dataset: DatasetOptions(partitionBy: [PartitionField(column: "currency")]))
        }
        #expect(error?.code == .invalidOptions)
        #expect(error?.message.contains("partition column") == true)
    }

    @Test func commitFilesFinishesOpenFilesAndWritingGoesOn() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let dataset = try DatasetWriter(directory: root, schema: Self.schema)
        try dataset.write(Self.batch(0..<5))
        let committed = try dataset.commitFiles()
        #expect(committed.map(\.rows) == [5])
        #expect(listFiles(root).count == 1)
        #expect(try dataset.commitFiles().isEmpty)
        try dataset.write(Self.batch(5..<8))
        let last = try dataset.close()
        #expect(last.map(\.rows) == [3])
        #expect(last[0].path.contains("/part-00001-"))
        #expect(throws: ParquetError.self) { try dataset.write(Self.batch(8..<9)) }
    }

    @Test func aTooLongPartitionValueRejectsTheBatchAndTheWriterGoesOn() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let dataset = try DatasetWriter(
            directory: root, schema: Self.schema, dataset: DatasetOptions(partitionBy: [PartitionField(column: "currency")]))
        let long = String(repeating: "x", count: 300)
        #expect {
            try dataset.write(Self.batch(0..<3, currency: { $0 == 2 ? long : "EUR" }))
        } throws: { error in
            (error as? ParquetError)?.code == .invalidValue && (error as? ParquetError)?.row == 2
        }
        #expect(listFiles(root).isEmpty)
        try dataset.write(Self.batch(3..<5, currency: { _ in "EUR" }))
        #expect(try dataset.close().map(\.rows) == [2])
    }

    @Test func abortKeepsFinishedFilesOnly() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let dataset = try DatasetWriter(directory: root, schema: Self.schema, dataset: DatasetOptions(maxRowsPerFile: 4))
        let finished = try dataset.write(Self.batch(0..<6))
        dataset.abort()
        #expect(finished.map(\.rows) == [4])
        #expect(listFiles(root) == [String(finished[0].path.dropFirst(root.count + 1))])
        #expect(throws: ParquetError.self) { try dataset.write(Self.batch(6..<7)) }
    }

    @Test func aDroppedWriterLeavesNoTemporaryFiles() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        do {
            // Row groups of 2 rows, so both partitions' files are open after 6 rows.
            let dataset = try DatasetWriter(
                directory: root, schema: Self.schema, options: WriterOptions(rowGroupRows: 2),
                dataset: DatasetOptions(partitionBy: [PartitionField(column: "currency")]))
            try dataset.write(Self.batch(0..<6))
            #expect(listFiles(root).count == 2)  // the two hidden temporary files
        }
        #expect(listFiles(root).isEmpty)
    }

    @Test func removesTemporaryFilesOfDeadWritersOnly() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        // A pid that cannot be running: above the kernel's pid_max (at most 2^22).
        let host = FileSystemCalls.hostToken
        let dead = "/.parquet-\(host)-\(1 << 23)-abc.tmp"
        let live = "/.parquet-\(host)-\(getpid())-def.tmp"
        // Another host's file (a shared file system): its pid means nothing here.
        let otherHost = "/.parquet-\(host == "zzzzzzzz" ? "yyyyyyyy" : "zzzzzzzz")-\(1 << 23)-ghi.spool"
        // The older name without a host: whose it was is unknown, so it stays.
        let legacy = "/.parquet-\(1 << 23)-jkl.tmp"
        mkdir(root + "/k=v", 0o755)
        for path in [root + dead, root + "/k=v" + dead, root + live, root + otherHost, root + legacy, root + "/other.tmp"] {
            close(open(path, O_CREAT | O_WRONLY, 0o644))
        }
        // "other.tmp" and "k=v" are visible: the default mode (error) would refuse the directory.
        _ = try DatasetWriter(directory: root, schema: Self.schema, dataset: DatasetOptions(mode: .append))
        #expect(listFiles(root) == [live, otherHost, legacy, "/other.tmp"].map { String($0.dropFirst()) }.sorted())
        #expect(listFiles(root + "/k=v").isEmpty)
    }

    @Test func createsMissingDirectories() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let dataset = try DatasetWriter(directory: root + "/a/b/c", schema: Self.schema)
        try dataset.write(Self.batch(0..<1))
        #expect(try dataset.close()[0].path.hasPrefix(root + "/a/b/c/part-00000-"))
    }

    /// The bytes of the files `summaries` name, by their path under `root` without the run
    /// token (which differs between writers; the partition and sequence must not).
    static func contents(of summaries: [WriteSummary], under root: String) -> [String: [UInt8]] {
        var contents: [String: [UInt8]] = [:]
        for summary in summaries {
            let name = String(summary.path.dropFirst(root.count)).split(separator: "-").dropLast().joined(separator: "-")
            let descriptor = open(summary.path, O_RDONLY)
            defer { close(descriptor) }
            var bytes = [UInt8](repeating: 0, count: summary.bytes)
            #expect(bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, summary.bytes) } == summary.bytes)
            contents[name] = bytes
        }
        return contents
    }

    /// Rows with a partition key and a note, for the partition-close tests.
    static let keyedSchema = try! Schema([
        Field("id", .int64, nullable: false), Field("key", .string, nullable: false), Field("note", .string),
    ])

    /// A dataset of ``keyedSchema`` partitioned by `key`, with 1,000-row groups and the
    /// smallest budget (4 MiB), so partitions spill.
    static func keyedDataset(
        _ root: String, threads: Int, maxRowsPerFile: Int, maxOpenFiles: Int
    ) throws -> DatasetWriter {
        try DatasetWriter(
            directory: root, schema: keyedSchema,
            options: WriterOptions(compression: .zstd(level: 1), rowGroupRows: 1_000, threads: ThreadCount(threads)),
            dataset: DatasetOptions(
                maxRowsPerFile: maxRowsPerFile, partitionBy: [PartitionField(column: "key")], maxOpenFiles: maxOpenFiles,
                memoryLimitBytes: DatasetOptions.minimumMemoryLimitBytes))
    }

    /// A batch of ``keyedSchema``: ids from `firstID` on, `keys` and `notes` row by row.
    static func keyedBatch(_ keys: [String], notes: [String], firstID: Int) throws -> ColumnBatch {
        var batch = ColumnBatch(schema: keyedSchema)
        try batch.append((firstID..<(firstID + keys.count)).map { Int64($0) }, to: "id")
        try batch.append(keys, to: "key")
        try batch.append(notes, to: "note")
        return batch
    }

    /// Partitioned, with threads the partitions left at close are finished several at a time
    /// (a task per partition file): every file has the name and bytes one thread gives it,
    /// with files already open and new ones, files rolled at `max_rows_per_file`,
    /// `max_open_files` ending a group, partitions too large for one row group drained on
    /// their own, and a small budget that spills. Two one-thread writers too: which partition
    /// spills when must depend on the rows alone (it once depended on what malloc rounded
    /// the builders' capacities to, and the files differed from run to run).
    @Test func partitionsFinishedTogetherAreTheFilesOneThreadWrites() throws {
        func files(threads: Int) throws -> [String: [UInt8]] {
            let root = makeTemporaryDirectory()
            defer { removeTree(root) }
            let dataset = try Self.keyedDataset(root, threads: threads, maxRowsPerFile: 2_500, maxOpenFiles: 3)
            let next = Self.seededNumbers(7)
            var summaries: [WriteSummary] = []
            var id = 0
            for _ in 0..<12 {
                // 40 partitions, three large ones (several files each).
                let keys = (0..<5_000).map { _ in next() % 10 < 3 ? "big\(next() % 3)" : "k\(next() % 37)" }
                let notes = keys.map { _ in String(String(repeating: "n\(next() % 1_000)", count: 20).prefix(80)) }
                summaries += try dataset.write(Self.keyedBatch(keys, notes: notes, firstID: id))
                id += keys.count
            }
            summaries += try dataset.close()
            #expect(summaries.reduce(0) { $0 + $1.rows } == id)
            return Self.contents(of: summaries, under: root)
        }
        let one = try files(threads: 1)
        // 60,000 rows over 40 partitions in files of at most 2,500 rows.
        #expect(one.count > 40 && one.count < 70)
        for threads in [1, 1, 2, 3] {
            let other = try files(threads: threads)
            #expect(other.keys.sorted() == one.keys.sorted())
            for (name, bytes) in one.sorted(by: { $0.key < $1.key }) where other[name] != bytes {
                let first = zip(bytes, other[name] ?? []).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
                Issue.record("\(name), \(threads) threads: \(bytes.count) vs \(other[name]?.count ?? -1) bytes, first difference at \(first)")
            }
        }
    }

    /// Numbers from a linear congruential generator seeded with `seed` (Knuth's MMIX
    /// constants, the high bits): the same sequence on every run, so a test's batches are too.
    static func seededNumbers(_ seed: UInt64) -> () -> Int {
        var state = seed
        return {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
    }

    /// Writes `batches` batches of `batchRows` keyed rows, keys then notes drawn from one
    /// seeded generator, into a dataset partitioned by `key`, and closes it.
    /// - Parameters:
    ///   - key: A row's key, from the generator.
    ///   - note: A row's note, from the generator.
    ///   - check: Looks at the files before they are removed.
    /// - Returns: The files' bytes by name (``contents(of:under:)``) and the writer's counts
    ///   before the close.
    static func writeKeyedBatches(
        threads: Int, rowGroupRows: Int, maxRowsPerFile: Int, memoryLimitBytes: Int, batches: Int, batchRows: Int,
        key: (() -> Int) -> String, note: (() -> Int) -> String, check: ([WriteSummary]) throws -> Void = { _ in }
    ) throws -> (contents: [String: [UInt8]], counts: (steps: Int, pagesClosed: Int)) {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let dataset = try DatasetWriter(
            directory: root, schema: keyedSchema,
            options: WriterOptions(compression: .zstd(level: 1), rowGroupRows: rowGroupRows, threads: ThreadCount(threads)),
            dataset: DatasetOptions(
                maxRowsPerFile: maxRowsPerFile, partitionBy: [PartitionField(column: "key")],
                memoryLimitBytes: memoryLimitBytes))
        let next = Self.seededNumbers(11)
        var summaries: [WriteSummary] = []
        var id = 0
        for _ in 0..<batches {
            let keys = (0..<batchRows).map { _ in key(next) }
            let notes = keys.map { _ in note(next) }
            summaries += try dataset.write(keyedBatch(keys, notes: notes, firstID: id))
            id += keys.count
        }
        let counts = dataset.counts
        summaries += try dataset.close()
        #expect(summaries.reduce(0) { $0 + $1.rows } == id)
        try check(summaries)
        return (contents(of: summaries, under: root), counts)
    }

    /// Row groups stay open across batches and take rows a step at a time (2,048 staged
    /// rows), several partitions at once with threads; 40 partitions fill a 24 MiB budget
    /// with staged rows and open row groups, and the largest has its open pages compressed,
    /// its row group written once it reaches the floor, its staged rows spilled, or the
    /// capacity its staging kept freed. Every thread count writes the bytes one thread
    /// writes, and the large partitions' files have full row groups.
    @Test func rowGroupsBuiltInStepsAreTheSameOnEveryThreadCount() throws {
        func files(threads: Int) throws -> (contents: [String: [UInt8]], counts: (steps: Int, pagesClosed: Int)) {
            // 40 partitions, two of them large (several files each); notes of random digits.
            try Self.writeKeyedBatches(
                threads: threads, rowGroupRows: 10_000, maxRowsPerFile: 12_000, memoryLimitBytes: 24 << 20,
                batches: 16, batchRows: 10_000,
                key: { next in next() % 4 == 0 ? "big\(next() % 2)" : "k\(next() % 38)" },
                note: { next in String((0..<8).map { _ in String(next() % 100_000_000) }.joined().prefix(60)) }
            ) { summaries throws in
                for summary in summaries where summary.rows == 12_000 {
                    // Full row groups, in steps across batches.
                    let groups = try readFooter(summary.path).rowGroups.map { Int($0.numRows) }
                    #expect(groups == [10_000, 2_000])
                }
            }
        }
        let one = try files(threads: 1)
        // 26 steps and 20 open row groups' pages closed when this was written.
        #expect(one.counts.steps > 10 && one.counts.pagesClosed > 0, "\(one.counts)")
        for threads in [2, 3] {
            let other = try files(threads: threads)
            #expect(other.contents.keys.sorted() == one.contents.keys.sorted())
            for (name, bytes) in one.contents.sorted(by: { $0.key < $1.key }) where other.contents[name] != bytes {
                Issue.record("\(name), \(threads) threads: \(bytes.count) vs \(other.contents[name]?.count ?? -1) bytes")
            }
        }
    }

    /// With the smallest budget (4 MiB), partitions whose staging is empty after a step still
    /// hold the capacity it kept, which can be most of what is over the budget: it is freed.
    /// The budget loop once picked such a partition again and again and never ended.
    @Test func capacityKeptByEmptyStagingIsFreedUnderTheBudget() throws {
        func files(threads: Int) throws -> [String: [UInt8]] {
            try Self.writeKeyedBatches(
                threads: threads, rowGroupRows: 20_000, maxRowsPerFile: 30_000,
                memoryLimitBytes: DatasetOptions.minimumMemoryLimitBytes, batches: 24, batchRows: 8_000,
                key: { next in next() % 4 == 0 ? "big\(next() % 2)" : "k\(next() % 10)" },
                note: { next in String(String(repeating: "n\(next() % 5_000)", count: 12).prefix(60)) }
            ).contents
        }
        #expect(try files(threads: 2) == files(threads: 1))
    }

    /// A partition finished at close with part of a spilled run still waiting (a row group
    /// ended inside the run) gets the rest of the run, then its staged rows, as on one thread.
    @Test func aPartitionFinishedTogetherWithPartOfASpilledRunLeft() throws {
        func files(threads: Int) throws -> [String: [UInt8]] {
            let root = makeTemporaryDirectory()
            defer { removeTree(root) }
            // One open file at a time, 4 MiB budget: B spills a 256 KiB run while A holds the
            // file, gets the file when A's is full, and writes two 1,000-row groups from the run.
            let dataset = try Self.keyedDataset(root, threads: threads, maxRowsPerFile: 3_000, maxOpenFiles: 1)
            var id = 0
            func batch(_ keys: [String]) throws -> ColumnBatch {
                let notes = keys.indices.map { String(String(repeating: "n\(($0 + id) % 97)", count: 40).prefix(100)) }
                defer { id += keys.count }
                return try Self.keyedBatch(keys, notes: notes, firstID: id)
            }
            var summaries: [WriteSummary] = []
            summaries += try dataset.write(batch(["A"] + (0..<2_700).flatMap { $0 < 1_499 ? ["A", "B"] : ["B"] }))
            summaries += try dataset.write(batch(Array(repeating: "A", count: 1_500)))
            summaries += try dataset.write(batch(Array(repeating: "B", count: 100)))
            summaries += try dataset.close()
            #expect(summaries.map(\.rows) == [3_000, 2_800])
            return Self.contents(of: summaries, under: root)
        }
        let one = try files(threads: 1)
        #expect(try files(threads: 2) == one)
    }

    /// A partition whose rows all went into files already (its last file full at
    /// `max_rows_per_file`) has nothing left at close, also when it is the last one there.
    @Test func partitionsWithNothingLeftAtCloseAreSkipped() throws {
        for threads in [1, 2] {
            let root = makeTemporaryDirectory()
            defer { removeTree(root) }
            let dataset = try DatasetWriter(
                directory: root, schema: Self.schema, options: WriterOptions(threads: ThreadCount(threads)),
                dataset: DatasetOptions(maxRowsPerFile: 100, partitionBy: [PartitionField(column: "currency")]))
            // Four partitions fill a group of the two-thread close; the fifth, last in order,
            // has nothing left.
            var files = try dataset.write(Self.batch(0..<140) { $0 < 40 ? ["A", "B", "C", "D"][$0 % 4] : "Z" })
            #expect(files.map(\.rows) == [100])
            files += try dataset.close()
            #expect(files.map(\.rows) == [100, 10, 10, 10, 10])
        }
    }

    /// With more threads, rolling by rows gives the same files, byte for byte, and rolling by
    /// size bounds every file.
    @Test func everyThreadCountRollsTheSameFiles() throws {
        func contents(threads: Int) throws -> [[UInt8]] {
            let root = makeTemporaryDirectory()
            defer { removeTree(root) }
            let dataset = try DatasetWriter(
                directory: root, schema: Self.schema, options: WriterOptions(threads: ThreadCount(threads)),
                dataset: DatasetOptions(maxRowsPerFile: 250))
            var files: [WriteSummary] = []
            for start in stride(from: 0, to: 2_000, by: 170) {
                files += try dataset.write(Self.batch(start..<Swift.min(start + 170, 2_000)))
            }
            files += try dataset.close()
            #expect(files.map(\.rows) == Array(repeating: 250, count: 8))
            return files.map { file in
                let descriptor = open(file.path, O_RDONLY)
                defer { close(descriptor) }
                var bytes = [UInt8](repeating: 0, count: file.bytes)
                #expect(bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, file.bytes) } == file.bytes)
                return bytes
            }
        }
        let one = try contents(threads: 1)
        for threads in [2, 3, 8] { #expect(try contents(threads: threads) == one) }

        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        let dataset = try DatasetWriter(
            directory: root, schema: Self.schema, options: WriterOptions(compression: .uncompressed, rowGroupRows: 100, threads: 2),
            dataset: DatasetOptions(maxBytesPerFile: 8_000))
        var files: [WriteSummary] = []
        for start in stride(from: 0, to: 5_000, by: 100) { files += try dataset.write(Self.batch(start..<(start + 100))) }
        files += try dataset.close()
        #expect(files.count > 3 && files.reduce(0) { $0 + $1.rows } == 5_000)
        for file in files.dropLast() { #expect(file.bytes >= 8_000 && file.bytes < 8_000 + 6_000) }
    }

    @Test func rejectsBadOptions() throws {
        let root = makeTemporaryDirectory()
        defer { removeTree(root) }
        func rejection(_ dataset: DatasetOptions, options: WriterOptions = WriterOptions(), schema: Schema = Self.schema) -> String? {
            let made = Result { () throws(ParquetError) in
                try DatasetWriter(directory: root, schema: schema, options: options, dataset: dataset)
            }
            guard case .failure(let failure) = made else { return nil }
            #expect(failure.code == .invalidOptions)
            return failure.message
        }
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "nope")]))?.contains("'nope'") == true)
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "at")]))?.contains("identity") == true)
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "id", transform: .day)])) != nil)
        let dated = try Schema([Field("d", .date), Field("x", .float64), Field("s", .struct(fields: [Field("a", .int32)]))])
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "d", transform: .hour)]), schema: dated) != nil)
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "x")]), schema: dated) != nil)
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "s")]), schema: dated)?.contains("struct") == true)
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "d"), PartitionField(column: "x", name: "d")]), schema: dated) != nil)
        let single = try Schema([Field("k", .string)])
        #expect(rejection(DatasetOptions(partitionBy: [PartitionField(column: "k")]), schema: single)?.contains("write_partition_columns") == true)
        #expect(rejection(DatasetOptions(filePrefix: ".hidden")) != nil)
        #expect(rejection(DatasetOptions(filePrefix: "a/b")) != nil)
        #expect(rejection(DatasetOptions(maxRowsPerFile: 0)) != nil)
        #expect(rejection(DatasetOptions(maxOpenFiles: 0)) != nil)
        #expect(rejection(DatasetOptions(memoryLimitBytes: 1 << 20))?.contains("memory_limit_bytes") == true)
    }
}
