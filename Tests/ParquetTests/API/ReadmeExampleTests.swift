import Testing
@testable import Parquet

/// The README's Swift example, compiled and run as written, so the front page cannot rot.
@Suite struct ReadmeExampleTests {
    @Test func readmeExampleWritesTheFileItDescribes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.parquet")

        // --- README example (path aside) ---
        let schema = try Schema([
            Field("id", .int64, nullable: false),
            Field("name", .string),
            Field("amount", .decimal(precision: 12, scale: 2)),
            Field("at", .timestamp(.microseconds, utc: true)),
        ])
        let writer = try ParquetWriter(
            path: path, schema: schema,
            options: WriterOptions(compression: .zstd(level: 3), metadata: [(key: "source", value: "api")]))

        var batch = ColumnBatch(schema: schema)
        try batch.append([1, 2, 3] as [Int64], to: "id")
        try batch.append(["a", nil, "ç"], to: "name")
        try batch.append(["12.50", "-0.01", nil], to: "amount")
        try batch.append([1_700_000_000_000_000, 0, -1] as [Int64], to: "at")
        try writer.write(batch)

        let summary = try writer.close()   // the file appears at its path only now
        print(summary.rows, summary.rowGroups, summary.bytes)
        // --- end of example ---

        #expect(summary.rows == 3 && summary.rowGroups == 1)
        let file = try ParquetFileReader(bytes: readWholeFile(path))
        _ = try file.validate()
        #expect(file.metadata.keyValueMetadata?.first { $0.key == "source" }?.value == "api")
        let amount = summary.columns[2]
        #expect(amount.minimum == .int(-1) && amount.maximum == .int(1250) && amount.nullCount == 1)
    }
}

/// The README's "Rows from Swift types" example, as written.
@Suite struct ReadmeRowsExampleTests {
    struct Item: Codable { var sku: String; var qty: Int32; var price: Double }
    struct Order: Codable {
        var id: Int64
        var items: [Item]             // list<struct<sku, qty, price>>
        var attrs: [String: String]   // map<string, string>
        var note: String?             // nullable; a non-optional field is not
    }

    @Test func readmeRowsExampleWritesTheFileItDescribes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("orders.parquet")

        // --- README example (path aside) ---
        let orders = [Order(id: 1, items: [Item(sku: "A-1", qty: 2, price: 9.5)], attrs: ["channel": "web"], note: nil)]
        let schema = try Schema(deriving: Order.self)
        let writer = try ParquetWriter(path: path, schema: schema)
        try writer.write(rows: orders)        // or ColumnBatch.append(rows:), then write(batch)
        let summary = try writer.close()
        // --- end of example ---

        #expect(summary.rows == 1)
        #expect(schema.columns.map(\.name) == [
            "id", "items.list.element.sku", "items.list.element.qty", "items.list.element.price",
            "attrs.key_value.key", "attrs.key_value.value", "note",
        ])
        let file = try ParquetFileReader(bytes: readWholeFile(path))
        _ = try file.validate()
        #expect(try file.values(ofColumn: 0) == [.int64(1)])  // nested columns are read back by the interop suite
        #expect(try file.values(ofColumn: 6) == [nil])
    }
}

/// The README's "Swift concurrency" example, as written.
@Suite struct ReadmeAsyncExampleTests {
    struct Event: Codable, Sendable {
        var id: Int64
        var kind: String
    }

    struct Source: Sendable {
        let pages: AsyncThrowingStream<[Event], any Error>

        init(first: Int64) {
            pages = AsyncThrowingStream { continuation in
                for page in 0..<5 {
                    let start = first + Int64(page * 100)
                    continuation.yield((start..<(start + 100)).map { Event(id: $0, kind: "k\($0 % 3)") })
                }
                continuation.finish()
            }
        }
    }

    @Test func readmeAsyncExampleWritesEveryPage() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("events.parquet")
        let sources = (0..<4).map { Source(first: Int64($0) * 10_000) }

        // --- README example (path aside) ---
        let writer = try AsyncParquetWriter(path: path, schema: try Schema(deriving: Event.self))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask { for try await page in source.pages { try await writer.write(rows: page) } }
            }
            try await group.waitForAll()
        }
        let summary = try await writer.close()
        // --- end of example ---

        #expect(summary.rows == 4 * 5 * 100)
        let file = try ParquetFileReader(bytes: readWholeFile(path))
        _ = try file.validate()
        #expect(Set(try file.values(ofColumn: 0)).count == 2_000)
    }
}

@Suite struct PageRowLimitTests {
    @Test func pagesEndExactlyAtThePageRowLimit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("pages.parquet")
        let schema = try Schema([Field("v", .int64), Field("s", .string), Field("b", .boolean, nullable: false)])
        let writer = try ParquetWriter(
            path: path, schema: schema, options: WriterOptions(compression: .uncompressed, pageRows: 100))
        var batch = ColumnBatch(schema: schema)
        try batch.append((0..<1050).map { $0 % 9 == 0 ? nil : Int64($0) }, to: "v")
        try batch.append((0..<1050).map { "s\($0 % 40)" }, to: "s")
        try batch.append((0..<1050).map { $0 % 2 == 0 }, to: "b")
        try writer.write(batch)
        try writer.close()
        let file = try ParquetFileReader(bytes: readWholeFile(path))
        for column in 0..<3 {
            let pages = try file.chunk(rowGroup: 0, column: column).dataPages.map { Int($0.header.dataPageHeader!.numValues) }
            #expect(pages == Array(repeating: 100, count: 10) + [50], "column \(column)")
        }
    }
}
