import Testing
@testable import Parquet

/// The writer's state machine and its file guarantees: nothing at the path until close()
/// succeeds, nothing left behind on abort or drop, clear errors.
@Suite struct ParquetWriterTests {
    static let schema = try! Schema([Field("a", .int64, nullable: false), Field("b", .string)])

    static func batch(_ values: [Int64], _ strings: [String?]) throws -> ColumnBatch {
        try makeBatch(schema) { batch in
            try batch.append(values, to: "a")
            try batch.append(strings, to: "b")
        }
    }

    @Test func mismatchedRowCountsAreRejectedAndTheWriterStaysUsable() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("rows.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema)
        try writer.write(Self.batch([1], ["one"]))
        let shortColumn = try Self.batch([2, 3, 4], ["two", "three"])
        let error = #expect(throws: ParquetError.self) { try writer.write(shortColumn) }
        #expect(error?.code == .rowCountMismatch)
        #expect(error?.column == "b")
        let emptyColumn = try makeBatch(Self.schema) { try $0.append([5] as [Int64], to: "a") }
        #expect(throws: ParquetError.self) { try writer.write(emptyColumn) }
        try writer.write(Self.batch([6, 7], [nil, "seven"]))
        let summary = try writer.close()
        #expect(summary.rows == 3)
        let reader = try ParquetFileReader(path: path)
        try reader.validate()
        #expect(try reader.values(ofColumn: 0) == [.int64(1), .int64(6), .int64(7)])
        #expect(try reader.values(ofColumn: 1) == [.string("one"), nil, .string("seven")])
    }

    @Test func aBatchForAnotherSchemaIsRejected() throws {
        let directory = try TemporaryDirectory()
        let writer = try ParquetWriter(path: directory.file("x.parquet"), schema: Self.schema)
        let other = try Schema([Field("a", .int64, nullable: false), Field("b", .binary)])
        var batch = ColumnBatch(schema: other)
        try batch.append([1] as [Int64], to: "a")
        try batch.append(["x"], to: "b")
        let error = #expect(throws: ParquetError.self) { try writer.write(batch) }
        #expect(error?.code == .invalidSchema)
        try writer.write(Self.batch([1], [nil]))
        #expect(try writer.close().rows == 1)
    }

    @Test func closedWritersRefuseEverything() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("closed.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema)
        try writer.write(Self.batch([1, 2], ["a", "b"]))
        try writer.close()
        let bytes = try readWholeFile(path)
        let secondClose = #expect(throws: ParquetError.self) { try writer.close() }
        #expect(secondClose?.code == .writerClosed)
        let write = #expect(throws: ParquetError.self) { try writer.write(Self.batch([3], ["c"])) }
        #expect(write?.code == .writerClosed)
        let flush = #expect(throws: ParquetError.self) { try writer.flushRowGroup() }
        #expect(flush?.code == .writerClosed)
        writer.abort()  // harmless after close: the finished file stays
        #expect(try readWholeFile(path) == bytes)
        #expect(directory.entries() == ["closed.parquet"])
    }

    @Test func anUnwritablePathFailsAtInit() throws {
        let directory = try TemporaryDirectory()
        let missing = #expect(throws: ParquetError.self) {
            _ = try ParquetWriter(path: directory.file("no/such/dir/x.parquet"), schema: Self.schema)
        }
        #expect(missing?.code == .io)
        let trailingSlash = #expect(throws: ParquetError.self) {
            _ = try ParquetWriter(path: directory.path + "/", schema: Self.schema)
        }
        #expect(trailingSlash?.code == .io)
        #expect(directory.entries().isEmpty)
    }

    @Test(arguments: [
        WriterOptions(rowGroupRows: 0), WriterOptions(rowGroupBytes: -1), WriterOptions(pageBytes: 0),
        WriterOptions(pageBytes: (1 << 30) + 1), WriterOptions(pageRows: 0), WriterOptions(pageRows: Int(Int32.max) + 1),
        WriterOptions(dictionaryPageBytes: 0), WriterOptions(statisticsTruncateLength: 0),
        WriterOptions(compression: .gzip(level: 42)), WriterOptions(compression: .zstd(level: 10_000)),
        WriterOptions(compression: .lz4Raw(level: 0)), WriterOptions(compression: .brotli(level: 12)),
    ])
    func invalidOptionsAreRejected(options: WriterOptions) throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: ParquetError.self) {
            _ = try ParquetWriter(path: directory.file("x.parquet"), schema: Self.schema, options: options)
        }
        #expect(error?.code == .invalidOptions)
        #expect(directory.entries().isEmpty)
    }

    @Test func abortLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("aborted.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: WriterOptions(rowGroupRows: 2))
        try writer.write(Self.batch([1, 2, 3, 4, 5], ["a", nil, "c", nil, "e"]))  // row groups already on disk
        #expect(directory.entries().count == 1)  // the temporary file
        writer.abort()
        #expect(!fileExists(path))
        #expect(directory.entries().isEmpty)
        writer.abort()  // idempotent
        let close = #expect(throws: ParquetError.self) { try writer.close() }
        #expect(close?.code == .writerClosed)
        let write = #expect(throws: ParquetError.self) { try writer.write(Self.batch([1], ["a"])) }
        #expect(write?.code == .writerClosed)
        #expect(directory.entries().isEmpty)
    }

    @Test func droppingAWriterWithoutCloseLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("dropped.parquet")
        func writeAndDrop() throws {
            let writer = try ParquetWriter(path: path, schema: Self.schema, options: WriterOptions(rowGroupRows: 2))
            try writer.write(Self.batch([1, 2, 3], ["a", "b", "c"]))
            #expect(directory.entries().count == 1)
        }
        try writeAndDrop()
        #expect(!fileExists(path))
        #expect(directory.entries().isEmpty)
    }

    @Test func theFileAppearsOnlyWhenCloseReturns() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("atomic.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: WriterOptions(rowGroupRows: 2))
        #expect(!fileExists(path))
        try writer.write(Self.batch([1, 2, 3], ["a", "b", "c"]))
        try writer.flushRowGroup()
        #expect(!fileExists(path))
        let temporary = directory.entries()
        #expect(temporary.count == 1 && temporary.first != "atomic.parquet")
        #expect(temporary.first?.hasPrefix(".parquet-") == true && temporary.first?.hasSuffix(".tmp") == true)
        let summary = try writer.close()
        #expect(directory.entries() == ["atomic.parquet"])
        let bytes = try readWholeFile(path)
        #expect(summary.path == path && summary.bytes == bytes.count && summary.rows == 3 && summary.rowGroups == 2)
        try ParquetFileReader(bytes: bytes).validate()
    }

    @Test func anExistingFileIsReplacedOnlyOnClose() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("existing.parquet")
        let old: [UInt8] = Array("old content".utf8)
        try writeWholeFile(path, old)

        let aborted = try ParquetWriter(path: path, schema: Self.schema)
        try aborted.write(Self.batch([1], ["x"]))
        #expect(try readWholeFile(path) == old)
        aborted.abort()
        #expect(try readWholeFile(path) == old)
        #expect(directory.entries() == ["existing.parquet"])

        let writer = try ParquetWriter(path: path, schema: Self.schema)
        try writer.write(Self.batch([1], ["x"]))
        #expect(try readWholeFile(path) == old)
        try writer.close()
        #expect(directory.entries() == ["existing.parquet"])
        let reader = try ParquetFileReader(path: path)
        #expect(reader.metadata.numRows == 1)
    }

    @Test func independentWritersInOneDirectory() throws {
        let directory = try TemporaryDirectory()
        let first = try ParquetWriter(path: directory.file("one.parquet"), schema: Self.schema)
        let second = try ParquetWriter(path: directory.file("two.parquet"), schema: Mixed.schema)
        try first.write(Self.batch([1], ["a"]))
        try second.write(Mixed.batch(0..<10))
        second.abort()
        try first.close()
        #expect(directory.entries() == ["one.parquet"])
    }

    @Test func summaryDescribesTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("summary.parquet")
        let summary = try writeFile(
            path, schema: Self.schema, options: WriterOptions(rowGroupRows: 4),
            batches: [Self.batch([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], ["p", nil, "i", nil, nil, "e", "x", "a", "m", "p"])])
        #expect(summary.rows == 10 && summary.rowGroups == 3)
        #expect(summary.bytes == (try readWholeFile(path)).count)
        #expect(summary.columns == [
            ColumnSummary(name: "a", nullCount: 0, minimum: .int(1), maximum: .int(9)),
            ColumnSummary(name: "b", nullCount: 3, minimum: .string("a"), maximum: .string("x")),
        ])
    }

    @Test func errorDescriptionsNameColumnAndRow() {
        #expect(ParquetError(.valueOutOfRange, "too big", column: "c", row: 3).description == "value_out_of_range: too big (column 'c', row 3)")
        #expect(ParquetError(.io, "disk full").description == "io_error: disk full")
        #expect(ParquetError(.invalidValue, "bad", row: 2).description == "invalid_value: bad (row 2)")
        #expect(ParquetError.Code.writerClosed.rawValue == "writer_closed")
    }

    @Test func aDirectoryAtThePathFailsOnCloseAndLeavesNoTemporaryFile() throws {
        let inner = try TemporaryDirectory()
        let writer = try ParquetWriter(path: inner.path, schema: Self.schema)
        try writer.write(Self.batch([1], ["a"]))
        let error = #expect(throws: ParquetError.self) { try writer.close() }
        #expect(error?.code == .io)
        #expect(!listDirectory("/tmp").contains { $0.hasPrefix("." + inner.path.split(separator: "/").last!) })
        let again = #expect(throws: ParquetError.self) { try writer.write(Self.batch([2], ["b"])) }
        #expect(again?.code == .writerClosed)
    }

    @Test func aLongButLegalFileNameCanBeWritten() throws {
        let directory = try TemporaryDirectory()
        // 250 bytes: within NAME_MAX (255); the temporary name must not be derived from it.
        let name = String(repeating: "n", count: 242) + ".parquet"
        try writeFile(directory.file(name), schema: Self.schema, batches: [Self.batch([1], ["a"])])
        #expect(directory.entries() == [name])
        #expect(directory.entries().allSatisfy { $0 == name })
    }

    @Test(arguments: [Compression.uncompressed, .zstd(level: 3)])
    func parkedPagesGiveTheSameFileAsPagesKeptInMemory(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        var generator = SplitMix64(seed: 11)
        let rows = 25_000
        let values = (0..<rows).map { _ in Int64(bitPattern: generator.next()) }
        let strings: [String?] = (0..<rows).map { $0 % 7 == 0 ? nil : "value \($0 % 3_000) \(generator.next() % 100)" }
        let batch = try Self.batch(values, strings)
        var options = WriterOptions(compression: compression, rowGroupRows: 10_000, pageRows: 500)
        var files: [[UInt8]] = []
        // nil: every page in memory; 1: every page parked as soon as it closes; 4096: a mix.
        for buffer in [nil, 1, 4096] as [Int?] {
            options.columnBufferBytes = buffer
            let name = "buffer-\(buffer.map(String.init) ?? "none").parquet"
            try writeFile(directory.file(name), schema: Self.schema, options: options, batches: [batch, batch])
            files.append(try readWholeFile(directory.file(name)))
        }
        for file in files.dropFirst() { #expect(file == files[0]) }
        // The scratch file has no name: only the outputs are in the directory.
        #expect(directory.entries().sorted() == ["buffer-1.parquet", "buffer-4096.parquet", "buffer-none.parquet"])
        let reader = try ParquetFileReader(bytes: files[1])
        #expect(try reader.validate().count == 5)
        #expect(try reader.values(ofColumn: 0) == (values + values).map(PhysicalValue.int64))
    }

    @Test func anAbandonedWriterWithParkedPagesLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        var options = WriterOptions(pageRows: 100)
        options.columnBufferBytes = 1
        do {
            let writer = try ParquetWriter(path: directory.file("gone.parquet"), schema: Self.schema, options: options)
            try writer.write(Self.batch((0..<5_000).map(Int64.init), (0..<5_000).map { "s\($0)" }))
            writer.abort()
        }
        #expect(directory.entries().isEmpty)
        options.columnBufferBytes = 0
        #expect(throws: ParquetError.self) { try ParquetWriter(path: directory.file("x.parquet"), schema: Self.schema, options: options) }
        #expect(directory.entries().isEmpty)
    }

    @Test func everyThreadCountWritesTheSameFileFromReusedAndAlternatingBatches() throws {
        let directory = try TemporaryDirectory()
        let rows = 4_000
        var files: [[UInt8]] = []
        for (name, threads, alternate) in [("one", 1, false), ("reused", 2, false), ("alternating", 2, true), ("three", 3, false), ("eight", 8, true)] {
            let options = WriterOptions(compression: .snappy, rowGroupRows: 9_000, pageRows: 700, threads: ThreadCount(threads))
            let writer = try ParquetWriter(path: directory.file("\(name).parquet"), schema: Self.schema, options: options)
            var batches = [ColumnBatch(schema: Self.schema), ColumnBatch(schema: Self.schema)]
            for round in 0..<12 {
                let slot = alternate ? round % 2 : 0
                batches[slot].removeAll()
                let base = Int64(round * rows)
                try batches[slot].append((0..<Int64(rows)).map { base + $0 }, to: "a")
                try batches[slot].append((0..<rows).map { $0 % 9 == 0 ? nil : "r\(round) v\($0 % 50)" }, to: "b")
                try writer.write(batches[slot])
            }
            let summary = try writer.close()
            #expect(summary.rows == 12 * rows)
            files.append(try readWholeFile(directory.file("\(name).parquet")))
        }
        for file in files.dropFirst() { #expect(file == files[0]) }
    }

    @Test func aThreadedWriterDroppedUnclosedLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        do {
            let writer = try ParquetWriter(
                path: directory.file("dropped.parquet"), schema: Self.schema,
                options: WriterOptions(compression: .zstd(level: 3), threads: 2))
            for round in 0..<5 {
                let base = Int64(round * 50_000)
                try writer.write(Self.batch((0..<50_000).map { base + Int64($0) }, (0..<50_000).map { "v\($0)" }))
            }
            // Dropped here: deinit stops the threads, then discards the file.
        }
        #expect(directory.entries().isEmpty)
    }
}
