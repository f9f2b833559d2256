#if canImport(Glibc)
import Glibc
#endif
import Parquet
@testable import ParquetDataset
import Testing

/// ``OutputMode`` for datasets: `error` (the local default) refuses visible entries,
/// `append` adds files, `overwrite` swaps a staged sibling in, `overwrite_partitions` replaces
/// only the partitions written; staging never outlives the writer, and a dead writer's is swept.
@Suite struct OutputModeDatasetTests {
    static let schema = DatasetWriterTests.schema

    /// A dataset directory `ds` in a fresh parent, so staging siblings can be seen.
    final class Place {
        let parent = makeTemporaryDirectory()
        var root: String { parent + "/ds" }
        deinit { removeTree(parent) }
        /// The parent's entries other than `ds`: staging left behind.
        var leftovers: [String] { listFiles(parent).filter { !$0.hasPrefix("ds/") } }
        /// Every file in the dataset (hidden ones included).
        var files: [String] { listFiles(root) }
    }

    static func write(
        _ root: String, _ ids: Range<Int>, mode: OutputMode?, partitioned: Bool = false
    ) throws(ParquetError) -> [WriteSummary] {
        var options = DatasetOptions(mode: mode)
        if partitioned { options.partitionBy = [PartitionField(column: "currency")] }
        let dataset = try DatasetWriter(directory: root, schema: schema, dataset: options)
        try dataset.write(try! DatasetWriterTests.batch(ids))
        return try dataset.close()
    }

    /// Rows in every Parquet file under `root`, from the footers.
    static func rowCount(_ root: String) throws -> Int64 {
        try listFiles(root).filter { $0.hasSuffix(".parquet") }.reduce(0) { $0 + (try readFooter(root + "/" + $1).numRows) }
    }

    @Test func errorIsTheDefaultAndRefusesVisibleEntries() throws {
        let place = Place()
        // Missing, then empty: both fine.
        _ = try Self.write(place.root, 0..<4, mode: nil)
        do {
            _ = try Self.write(place.root, 0..<4, mode: nil)
            Issue.record("a non-empty directory was accepted")
        } catch {
            #expect(error.code == .io)
            #expect(error.message.contains("'\(place.root)' is not empty") && error.message.contains("'append'"))
        }
        #expect(throws: ParquetError.self) { _ = try Self.write(place.root, 0..<4, mode: .error) }
        #expect(try Self.rowCount(place.root) == 4)
    }

    @Test func errorIgnoresHiddenEntries() throws {
        let place = Place()
        mkdir(place.root, 0o755)
        close(open(place.root + "/_SUCCESS", O_CREAT | O_WRONLY, 0o644))
        close(open(place.root + "/.crc", O_CREAT | O_WRONLY, 0o644))
        _ = try Self.write(place.root, 0..<4, mode: .error)
        #expect(try Self.rowCount(place.root) == 4)
    }

    @Test func appendAddsFilesBesideTheOldOnes() throws {
        let place = Place()
        _ = try Self.write(place.root, 0..<4, mode: .append, partitioned: true)
        _ = try Self.write(place.root, 4..<10, mode: .append, partitioned: true)
        #expect(try Self.rowCount(place.root) == 10)
        #expect(place.files.count == 4)
        #expect(place.leftovers.isEmpty)
    }

    @Test func overwriteReplacesTheWholeDataset() throws {
        let place = Place()
        _ = try Self.write(place.root, 0..<4, mode: .append, partitioned: true)
        let summaries = try Self.write(place.root, 100..<106, mode: .overwrite)
        #expect(try Self.rowCount(place.root) == 6)
        #expect(place.files.count == 1 && !place.files[0].contains("="))
        // Summaries name the files where they ended up, not where they were staged.
        #expect(summaries.map(\.path) == place.files.map { place.root + "/" + $0 })
        #expect(place.leftovers.isEmpty)
    }

    @Test func overwriteCreatesAMissingRootAndEmptiesItWithNoRows() throws {
        let place = Place()
        _ = try Self.write(place.root, 0..<4, mode: .overwrite)
        #expect(try Self.rowCount(place.root) == 4)
        let dataset = try DatasetWriter(directory: place.root, schema: Self.schema, dataset: DatasetOptions(mode: .overwrite))
        #expect(try dataset.close().isEmpty)
        #expect(place.files.isEmpty)
        #expect(listFiles(place.parent).isEmpty)
        #expect(DatasetDirectory.kind(place.root) == .directory)
    }

    @Test func overwriteAbortedOrDroppedLeavesTheRootAndNoStaging() throws {
        let place = Place()
        _ = try Self.write(place.root, 0..<4, mode: .append)
        let before = place.files
        var options = DatasetOptions(maxRowsPerFile: 2, mode: .overwrite)
        let aborted = try DatasetWriter(directory: place.root, schema: Self.schema, dataset: options)
        // Finished (staged) files and an open one.
        #expect(try aborted.write(DatasetWriterTests.batch(100..<105)).count == 2)
        #expect(place.leftovers.count > 0)
        aborted.abort()
        #expect(place.files == before && place.leftovers.isEmpty)
        options.partitionBy = [PartitionField(column: "currency")]
        do {
            let dropped = try DatasetWriter(directory: place.root, schema: Self.schema, dataset: options)
            try dropped.write(DatasetWriterTests.batch(100..<105))
        }
        #expect(place.files == before && place.leftovers.isEmpty)
        #expect(try Self.rowCount(place.root) == 4)
    }

    @Test func overwriteCommitsOnceThenAddsToTheNewData() throws {
        let place = Place()
        _ = try Self.write(place.root, 0..<4, mode: .append)
        let dataset = try DatasetWriter(directory: place.root, schema: Self.schema, dataset: DatasetOptions(mode: .overwrite))
        try dataset.write(DatasetWriterTests.batch(100..<103))
        #expect(try Self.rowCount(place.root) == 4)
        let first = try dataset.commitFiles()
        #expect(try Self.rowCount(place.root) == 3)
        try dataset.write(DatasetWriterTests.batch(103..<110))
        let last = try dataset.close()
        #expect(try Self.rowCount(place.root) == 10)
        #expect((first + last).map(\.path).sorted() == place.files.map { place.root + "/" + $0 })
        #expect(place.leftovers.isEmpty)
    }

    @Test func overwritePartitionsKeepsUntouchedPartitions() throws {
        let place = Place()
        // EUR and USD partitions (ids alternate).
        _ = try Self.write(place.root, 0..<6, mode: .append, partitioned: true)
        let usdBefore = place.files.filter { $0.hasPrefix("currency=USD/") }
        // Only EUR rows (even ids) this time, plus a new partition.
        var options = DatasetOptions(mode: .overwritePartitions)
        options.partitionBy = [PartitionField(column: "currency")]
        let dataset = try DatasetWriter(directory: place.root, schema: Self.schema, dataset: options)
        try dataset.write(DatasetWriterTests.batch(0..<5, currency: { $0 % 2 == 0 ? "EUR" : "GBP" }))
        let summaries = try dataset.close()
        let files = place.files
        #expect(files.filter { $0.hasPrefix("currency=USD/") } == usdBefore)
        #expect(files.filter { $0.hasPrefix("currency=EUR/") }.count == 1)
        #expect(files.filter { $0.hasPrefix("currency=GBP/") }.count == 1)
        #expect(Set(summaries.map(\.path)) == Set(files.filter { !$0.hasPrefix("currency=USD/") }.map { place.root + "/" + $0 }))
        #expect(try Self.rowCount(place.root + "/currency=EUR") == 3)
        #expect(try Self.rowCount(place.root + "/currency=USD") == 3)
        #expect(place.leftovers.isEmpty)
    }

    @Test func overwritePartitionsWithoutPartitioningIsOverwrite() throws {
        let place = Place()
        _ = try Self.write(place.root, 0..<4, mode: .append)
        _ = try Self.write(place.root, 0..<7, mode: .overwritePartitions)
        #expect(try Self.rowCount(place.root) == 7)
        #expect(place.files.count == 1 && place.leftovers.isEmpty)
    }

    @Test func overwriteRefusesASymbolicLinkRoot() throws {
        let place = Place()
        mkdir(place.parent + "/target", 0o755)
        symlink(place.parent + "/target", place.root)
        #expect(throws: ParquetError.self) { _ = try Self.write(place.root, 0..<4, mode: .overwrite) }
        #expect(listFiles(place.parent + "/target").isEmpty)
    }

    @Test func deadWritersStagingIsSweptAndLiveOnesKept() throws {
        let place = Place()
        let prefix = DatasetDirectory.stagingPrefix(forRootNamed: "ds")
        // A pid above any pid_max: no such process.
        let dead = place.parent + "/" + prefix + "\(FileSystemCalls.hostToken)-999999999-abc"
        let live = place.parent + "/" + prefix + "\(FileSystemCalls.hostToken)-\(getpid())-abc"
        let otherHost = place.parent + "/" + prefix + "zzzzzzzz-999999999-abc"
        for directory in [dead, live, otherHost] {
            mkdir(directory, 0o755)
            close(open(directory + "/part-0.parquet", O_CREAT | O_WRONLY, 0o644))
        }
        _ = try Self.write(place.root, 0..<4, mode: .append)
        #expect(DatasetDirectory.kind(dead) == .missing)
        #expect(DatasetDirectory.kind(live) == .directory)
        #expect(DatasetDirectory.kind(otherHost) == .directory)
    }

    @Test func factorySinksTakeOnlyAppend() throws {
        for mode in [OutputMode.error, .overwrite, .overwritePartitions] {
            do {
                _ = try DatasetWriter(
                    directory: "mem://ds", sinks: DatasetSinkTests.MemoryStore(), schema: Self.schema,
                    dataset: DatasetOptions(mode: mode))
                Issue.record("mode \(mode) was accepted for a factory")
            } catch {
                #expect(error.code == .invalidOptions && error.message.contains("'append'"))
            }
        }
        let store = DatasetSinkTests.MemoryStore()
        let dataset = try DatasetWriter(directory: "mem://ds", sinks: store, schema: Self.schema)
        #expect(dataset.mode == .append)
        try dataset.write(DatasetWriterTests.batch(0..<3))
        #expect(try dataset.close().count == 1)
    }

    @Test func stagingNamesStayShort() {
        let long = String(repeating: "é", count: 120)
        let name = DatasetDirectory.stagingName(forRootNamed: long)
        #expect(name.utf8.count < 255 && name.hasPrefix("."))
    }
}
