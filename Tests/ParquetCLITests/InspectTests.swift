import Testing
import Parquet
import ParquetJSON
import ParquetThrift
@testable import ParquetCLI

/// `parquet-writer inspect` on files this package writes: the report model, the JSON a user
/// gets, and the text layout.
@Suite struct InspectTests {
    /// Writes a 6-row file of flat columns of many types in two row groups (zstd), with nulls
    /// and key-value metadata.
    static func writeFlatFile(_ path: String) throws -> WriteSummary {
        let schema = try Schema([
            Field("id", .int64, nullable: false),
            Field("name", .string),
            Field("amount", .decimal(precision: 12, scale: 2)),
            Field("wide", .decimal(precision: 30, scale: 3)),
            Field("at", .timestamp(.milliseconds, utc: true)),
            Field("local", .timestamp(.microseconds, utc: false)),
            Field("day", .date),
            Field("clock", .time(.milliseconds)),
            Field("ratio", .float32),
            Field("score", .float64),
            Field("flag", .boolean),
            Field("count", .uint32),
            Field("uid", .uuid),
            Field("blob", .binary),
        ])
        let options = WriterOptions(
            compression: .zstd(level: 3), rowGroupRows: 3, metadata: [(key: "source", value: "inspect-test")])
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var batch = ColumnBatch(schema: schema)
        try batch.append([1, 2, 3, 4, 5, 6] as [Int64], to: "id")
        try batch.append(["alpha", nil, "ç", "delta", "", nil] as [String?], to: "name")
        try batch.append(["12.50", "-0.01", nil, "-1234567890.12", nil, "0.00"] as [String?], to: "amount")
        try batch.append(
            ["-123456789012345678901234567.890", "0.001", nil, nil, "5", "1.5"] as [String?], to: "wide")
        try batch.append([1_700_000_000_000, -1, nil, 0, nil, 86_400_000] as [Int64?], to: "at")
        try batch.append([1_000_000, nil, 2_500_000, nil, nil, nil] as [Int64?], to: "local")
        try batch.append([0, 19_723, nil, -1, 11_016, nil] as [Int32?], to: "day")
        try batch.append([3_723_004, 0, nil, nil, 86_399_999, 1] as [Int32?], to: "clock")
        try batch.append([0.1, nil, -2.5, 1.5, 3.25, nil] as [Float?], to: "ratio")
        try batch.append([1e300, -0.5, nil, 2, 2, 2] as [Double?], to: "score")
        try batch.append([true, nil, true, false, false, nil] as [Bool?], to: "flag")
        try batch.append([1, 4_294_967_295, nil, 7, nil, 0] as [UInt32?], to: "count")
        try batch.append(
            ["123e4567-e89b-12d3-a456-426614174000", nil, "00000000-0000-0000-0000-000000000001", nil, nil, nil]
                as [String?], to: "uid")
        try batch.append([[0xDE, 0xAD], nil, [], [0x01], nil, nil] as [[UInt8]?], to: "blob")
        try writer.write(batch)
        return try writer.close()
    }

    /// The statistics of column `path` in row group `group`.
    static func statistics(_ report: InspectReport, _ group: Int, _ path: String) -> InspectStatistics? {
        report.rowGroups[group].columns.first { $0.path == path }?.statistics
    }

    @Test func reportsTheFactsOfAFlatFile() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("flat.parquet")
        let summary = try Self.writeFlatFile(path)
        let report = try InspectCommand.report(path: path)

        #expect(report.path == path)
        #expect(report.fileSize == Int64(summary.bytes))
        #expect(report.rows == 6)
        #expect(report.rowGroups.count == 2)
        #expect(report.rowGroups.map(\.rows) == [3, 3])
        #expect(report.createdBy == ParquetWriter.createdBy)
        #expect(report.keyValueMetadata.map(\.key) == ["source"])
        #expect(report.keyValueMetadata.first?.value == "inspect-test")
        #expect(report.warnings.isEmpty)
        let names = ["id", "name", "amount", "wide", "at", "local", "day", "clock", "ratio", "score", "flag", "count",
                     "uid", "blob"]
        #expect(report.columns.map(\.path) == names)
        for group in report.rowGroups {
            #expect(group.columns.map(\.path) == names)
            #expect(group.columns.allSatisfy { $0.metadata?.codec == .zstd })
            #expect(group.columns.allSatisfy { ($0.metadata?.numValues ?? 0) == 3 })
            let compressed = group.columns.reduce(Int64(0)) { $0 + ($1.metadata?.totalCompressedSize ?? 0) }
            #expect(group.totalCompressedSize == compressed)
        }
        // Dictionary encoding is on by default, but the id chunk's values are all distinct: its
        // first page's check finds the dictionary does not pay, so it is PLAIN, with no dictionary page.
        let id = report.rowGroups[0].columns[0]
        #expect(!id.hasDictionaryPage)
        #expect(id.metadata?.encodings.contains(.rleDictionary) == false)
        #expect(id.metadata?.encodings.contains(.plain) == true)
        #expect(report.columns[0].codecs == [.zstd])
        #expect(report.columns[0].numValues == 6)
        #expect(report.columns.first { $0.path == "name" }?.nullCount == 2)
        #expect(report.columns.first { $0.path == "count" }?.nullCount == 2)

        #expect(Self.statistics(report, 0, "id")?.min == .integer(1))
        #expect(Self.statistics(report, 1, "id")?.max == .integer(6))
        #expect(Self.statistics(report, 0, "name")?.nullCount == 1)
        #expect(Self.statistics(report, 0, "name")?.min == .text("alpha"))
        #expect(Self.statistics(report, 0, "name")?.max == .text("ç"))
        #expect(Self.statistics(report, 1, "name")?.min == .text(""))
        #expect(Self.statistics(report, 0, "amount")?.min == .text("-0.01"))
        #expect(Self.statistics(report, 0, "amount")?.max == .text("12.50"))
        #expect(Self.statistics(report, 1, "amount")?.min == .text("-1234567890.12"))
        #expect(Self.statistics(report, 0, "wide")?.min == .text("-123456789012345678901234567.890"))
        #expect(Self.statistics(report, 0, "wide")?.max == .text("0.001"))
        #expect(Self.statistics(report, 1, "wide")?.max == .text("5.000"))
        #expect(Self.statistics(report, 0, "at")?.min == .text("1969-12-31T23:59:59.999Z"))
        #expect(Self.statistics(report, 0, "at")?.max == .text("2023-11-14T22:13:20.000Z"))
        #expect(Self.statistics(report, 1, "at")?.max == .text("1970-01-02T00:00:00.000Z"))
        #expect(Self.statistics(report, 0, "local")?.max == .text("1970-01-01T00:00:02.500000"))
        #expect(Self.statistics(report, 0, "day")?.min == .text("1970-01-01"))
        #expect(Self.statistics(report, 0, "day")?.max == .text("2024-01-01"))
        #expect(Self.statistics(report, 1, "day")?.min == .text("1969-12-31"))
        #expect(Self.statistics(report, 1, "day")?.max == .text("2000-02-29"))
        #expect(Self.statistics(report, 0, "clock")?.max == .text("01:02:03.004"))
        #expect(Self.statistics(report, 1, "clock")?.max == .text("23:59:59.999"))
        #expect(Self.statistics(report, 0, "ratio")?.min == .float(-2.5))
        #expect(Self.statistics(report, 0, "ratio")?.max == .float(0.1))
        #expect(Self.statistics(report, 0, "score")?.max == .double(1e300))
        #expect(Self.statistics(report, 0, "flag")?.min == .boolean(true))
        #expect(Self.statistics(report, 1, "flag")?.max == .boolean(false))
        #expect(Self.statistics(report, 0, "count")?.max == .unsigned(4_294_967_295))
        #expect(Self.statistics(report, 1, "count")?.min == .unsigned(0))
        #expect(Self.statistics(report, 0, "uid")?.min == .text("00000000-0000-0000-0000-000000000001"))
        #expect(Self.statistics(report, 0, "uid")?.max == .text("123e4567-e89b-12d3-a456-426614174000"))
        #expect(Self.statistics(report, 0, "blob")?.min == .text("0x"))
        #expect(Self.statistics(report, 0, "blob")?.max == .text("0xdead"))
        // The writer only sets min_value/max_value.
        #expect(report.rowGroups.allSatisfy { $0.columns.allSatisfy { $0.statistics?.deprecatedMinMax == false } })

        // The whole-file column summary adds the chunks up.
        for (index, column) in report.columns.enumerated() {
            let chunks = report.rowGroups.map { $0.columns[index] }
            #expect(column.chunks == 2)
            #expect(column.totalCompressedSize == chunks.reduce(0) { $0 + ($1.metadata?.totalCompressedSize ?? 0) })
            #expect(column.totalUncompressedSize == chunks.reduce(0) { $0 + ($1.metadata?.totalUncompressedSize ?? 0) })
            #expect(Set(column.encodings) == Set(chunks.flatMap { $0.metadata?.encodings ?? [] }))
        }
    }

    @Test func namesTypesInTheSchemaTree() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("flat.parquet")
        _ = try Self.writeFlatFile(path)
        let report = try InspectCommand.report(path: path)
        let byName = Dictionary(uniqueKeysWithValues: report.schema.dropFirst().map { ($0.element.name, $0) })
        #expect(report.schema.first?.depth == 0)
        #expect(report.schema.dropFirst().allSatisfy { $0.depth == 1 && $0.isLeaf })
        #expect(byName["id"]?.element.repetitionType == .required)
        #expect(byName["name"]?.element.repetitionType == .optional)
        #expect(byName["name"]?.type.annotation == "STRING")
        #expect(byName["amount"]?.type.annotation == "DECIMAL(12,2)")
        #expect(byName["at"]?.type.annotation == "TIMESTAMP(MILLIS, utc)")
        #expect(byName["local"]?.type.annotation == "TIMESTAMP(MICROS, local)")
        #expect(byName["day"]?.type.annotation == "DATE")
        #expect(byName["count"]?.type.annotation == "INT(32, unsigned)")
        #expect(byName["uid"]?.type.physicalName == "FIXED_LEN_BYTE_ARRAY(16)")
        #expect(byName["uid"]?.type.annotation == "UUID")
        #expect(byName["blob"]?.type.annotation == nil)
        #expect(report.schema.last?.isLastChild == true)
    }

    @Test func jsonCarriesTheSameFacts() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("flat.parquet")
        let summary = try Self.writeFlatFile(path)
        let text = try InspectCommand.render(path: path, json: true)
        let json = try JSONValue.parse(text)

        #expect(json.at("path")?.stringValue == path)
        #expect(json.at("size_bytes")?.numberText == String(summary.bytes))
        #expect(json.at("rows")?.numberText == "6")
        #expect(json.at("row_group_count")?.numberText == "2")
        #expect(json.at("created_by")?.stringValue == ParquetWriter.createdBy)
        #expect(json.at("format_version") != nil)
        #expect(json.at("key_value_metadata", 0, "key")?.stringValue == "source")
        #expect(json.at("key_value_metadata", 0, "value")?.stringValue == "inspect-test")
        #expect(json.at("schema")?.items.count == 15)
        #expect(json.at("schema", 3, "name")?.stringValue == "amount")
        #expect(json.at("schema", 3, "logical_type")?.stringValue == "DECIMAL(12,2)")
        #expect(json.at("schema", 1, "repetition")?.stringValue == "required")
        #expect(json.at("row_groups")?.items.count == 2)
        #expect(json.at("row_groups", 1, "rows")?.numberText == "3")
        #expect(json.at("warnings")?.items.isEmpty == true)

        let chunk = json.at("row_groups", 0, "columns", 0)
        #expect(chunk?.at("path")?.stringValue == "id")
        #expect(chunk?.at("physical_type")?.stringValue == "INT64")
        #expect(chunk?.at("codec")?.stringValue == "ZSTD")
        #expect(chunk?.at("encodings")?.items.contains(.string("PLAIN")) == true)
        #expect(chunk?.at("num_values")?.numberText == "3")
        #expect(chunk?.at("has_dictionary_page") == .bool(false))
        #expect(chunk?.at("statistics", "null_count")?.numberText == "0")
        #expect(chunk?.at("statistics", "min")?.numberText == "1")
        #expect(chunk?.at("statistics", "max")?.numberText == "3")
        #expect(chunk?.at("statistics", "deprecated_min_max") == .bool(false))
        let report = try InspectCommand.report(path: path)
        #expect(chunk?.at("total_compressed_size")?.numberText
            == String(report.rowGroups[0].columns[0].metadata!.totalCompressedSize))

        func stat(_ group: Int, _ column: Int, _ bound: String) -> JSONValue? {
            json.at("row_groups", group, "columns", column, "statistics", bound)
        }
        #expect(stat(0, 1, "max") == .string("ç"))
        #expect(stat(0, 2, "min") == .string("-0.01"))
        #expect(stat(0, 4, "max") == .string("2023-11-14T22:13:20.000Z"))
        #expect(stat(1, 6, "max") == .string("2000-02-29"))
        #expect(stat(0, 8, "max") == .number("0.1"))  // float32 in its shortest form
        #expect(stat(0, 9, "max") == .number("1e+300"))
        #expect(stat(0, 10, "min") == .bool(true))
        #expect(stat(0, 11, "max") == .number("4294967295"))
        #expect(stat(0, 13, "max") == .string("0xdead"))
        #expect(json.at("row_groups", 0, "columns", 1, "statistics", "null_count")?.numberText == "1")

        #expect(json.at("columns")?.items.count == 14)
        #expect(json.at("columns", 1, "path")?.stringValue == "name")
        #expect(json.at("columns", 1, "logical_type")?.stringValue == "STRING")
        #expect(json.at("columns", 1, "null_count")?.numberText == "2")
        #expect(json.at("columns", 1, "codecs")?.items == [.string("ZSTD")])
        #expect(json.at("columns", 0, "num_values")?.numberText == "6")
    }

    @Test func textShowsEveryColumnAligned() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("flat.parquet")
        _ = try Self.writeFlatFile(path)
        let text = try InspectCommand.render(path: path, json: false)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        #expect(lines.first == "file            " + path)
        #expect(lines.contains("rows            6"))
        #expect(lines.contains("row groups      2"))
        #expect(lines.contains("metadata        source = inspect-test"))
        #expect(lines.contains("  ├── amount  optional  INT64                     DECIMAL(12,2)"))
        #expect(lines.contains("  └── blob    optional  BYTE_ARRAY"))
        #expect(lines.contains { $0.hasPrefix("row group 0: 3 rows, ") })
        #expect(lines.contains { $0.hasPrefix("row group 1: 3 rows, ") })
        #expect(lines.contains("columns (whole file)"))
        #expect(!text.contains("warnings"))

        // Each row group table: a header, then one line per column, every cell lined up
        // under its header.
        let header = try #require(lines.firstIndex { $0.hasPrefix("  column ") })
        let headerLine = lines[header]
        func start(of column: String) -> Int {
            guard let range = headerLine.firstRange(of: "  " + column + " ") ?? headerLine.firstRange(of: "  " + column)
            else { return -1 }
            return headerLine.distance(from: headerLine.startIndex, to: range.lowerBound) + 2
        }
        let starts = ["type", "codec", "encodings", "dict", "min", "max"].map(start(of:))
        #expect(starts == starts.sorted() && !starts.contains(1))
        for (index, name) in ["id", "name", "amount", "wide", "at"].enumerated() {
            let line = lines[header + 1 + index]
            #expect(line.hasPrefix("  " + name + " "))
            #expect(String(line.dropFirst(start(of: "codec"))).hasPrefix("ZSTD "))
            // Three distinct values per chunk: PLAIN, no dictionary page.
            #expect(String(line.dropFirst(start(of: "dict"))).hasPrefix("no "))
        }
        let atLine = lines[header + 5]
        #expect(String(atLine.dropFirst(start(of: "min"))).hasPrefix("1969-12-31T23:59:59.999Z "))
        #expect(String(atLine.dropFirst(start(of: "max"))) == "2023-11-14T22:13:20.000Z")
        let nameLine = lines[header + 2]
        #expect(String(nameLine.dropFirst(start(of: "min"))).hasPrefix("alpha "))
        #expect(String(nameLine.dropFirst(start(of: "max"))) == "ç")
        // Right-aligned numbers end under their header's end.
        let valuesEnd = start(of: "values") + "values".count
        #expect(lines[header + 1].prefix(valuesEnd).hasSuffix(" 3"))
    }

    @Test func nestedColumnsShowAsATree() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("nested.parquet")
        let schema = try Schema([
            Field("id", .int64, nullable: false),
            Field("tags", .list(.string)),
            Field("address", .struct(fields: [Field("city", .string), Field("zip", .int32)])),
            Field("attrs", .map(.string, .int64)),
        ])
        let writer = try ParquetWriter(path: path, schema: schema, options: WriterOptions(compression: .snappy))
        let records = JSONBatchWriter(writer: writer)
        _ = try records.write("""
            {"id": 1, "tags": ["b", null, "a"], "address": {"city": "Oslo", "zip": 150}, "attrs": {"x": 10}}
            {"id": 2, "tags": [], "address": null, "attrs": {}}
            {"id": 3, "tags": null, "address": {"city": null, "zip": 7}, "attrs": {"y": -4, "z": null}}
            """)
        _ = try writer.close()
        let report = try InspectCommand.report(path: path)

        #expect(report.columns.map(\.path) == [
            "id", "tags.list.element", "address.city", "address.zip", "attrs.key_value.key", "attrs.key_value.value",
        ])
        let tree = report.schema.map { "\(String(repeating: " ", count: $0.depth))\($0.element.name)" }
        #expect(tree == [
            "schema", " id", " tags", "  list", "   element", " address", "  city", "  zip",
            " attrs", "  key_value", "   key", "   value",
        ])
        let tags = report.schema[2]
        #expect(tags.type.annotation == "LIST" && !tags.isLeaf)
        #expect(report.schema[3].element.repetitionType == .repeated)
        #expect(report.schema[8].type.annotation == "MAP")
        #expect(report.schema[9].element.repetitionType == .repeated)
        #expect(report.rowGroups[0].columns.allSatisfy { $0.metadata?.codec == .snappy })
        #expect(Self.statistics(report, 0, "tags.list.element")?.min == .text("a"))
        #expect(Self.statistics(report, 0, "tags.list.element")?.max == .text("b"))
        // Nulls count null slots: one null element, an empty list and a null list.
        #expect(Self.statistics(report, 0, "tags.list.element")?.nullCount == 3)
        #expect(Self.statistics(report, 0, "attrs.key_value.value")?.min == .integer(-4))
        #expect(Self.statistics(report, 0, "address.zip")?.max == .integer(150))

        let text = try InspectCommand.render(path: path, json: false)
        #expect(text.contains("""

            schema
              schema
              ├── id               required  INT64
              ├── tags             optional              LIST
              │   └── list         repeated
              │       └── element  optional  BYTE_ARRAY  STRING
              ├── address          optional
              │   ├── city         optional  BYTE_ARRAY  STRING
              │   └── zip          optional  INT32
              └── attrs            optional              MAP
                  └── key_value    repeated
                      ├── key      required  BYTE_ARRAY  STRING
                      └── value    optional  INT64

            """))
        #expect(text.contains("\n  attrs.key_value.value  INT64       SNAPPY  "))
    }

    @Test func plainUncompressedChunksHaveNoDictionary() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("plain.parquet")
        let schema = try Schema([Field("n", .int32), Field("s", .string)])
        let writer = try ParquetWriter(
            path: path, schema: schema, options: WriterOptions(compression: .uncompressed, dictionary: false))
        var batch = ColumnBatch(schema: schema)
        try batch.append([5, nil, -7] as [Int32?], to: "n")
        try batch.append(["x", "y", nil] as [String?], to: "s")
        try writer.write(batch)
        _ = try writer.close()
        let report = try InspectCommand.report(path: path)
        let chunks = report.rowGroups[0].columns
        #expect(chunks.allSatisfy { !$0.hasDictionaryPage })
        #expect(chunks.allSatisfy { $0.metadata?.codec == .uncompressed })
        #expect(chunks.allSatisfy { !($0.metadata?.encodings.contains(.rleDictionary) ?? true) })
        #expect(chunks[0].metadata?.encodings.contains(.plain) == true)
        #expect(chunks[0].statistics?.min == .integer(-7))
        #expect(chunks[0].statistics?.nullCount == 1)
        // Uncompressed: stored and uncompressed sizes agree.
        #expect(chunks.allSatisfy { $0.compressionRatio == 1 })
        let text = try InspectCommand.render(path: path, json: false)
        #expect(text.contains("UNCOMPRESSED"))
        #expect(text.contains("1.00x"))
    }

    @Test func truncatedStringBoundsAreMarked() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("long.parquet")
        let schema = try Schema([Field("s", .string)])
        let writer = try ParquetWriter(path: path, schema: schema, options: WriterOptions(statisticsTruncateLength: 8))
        var batch = ColumnBatch(schema: schema)
        try batch.append([String(repeating: "a", count: 100), String(repeating: "b", count: 100)], to: "s")
        try writer.write(batch)
        _ = try writer.close()
        let statistics = try #require(try InspectCommand.report(path: path).rowGroups[0].columns[0].statistics)
        #expect(statistics.minExact == false)
        #expect(statistics.min == .text("aaaaaaaa"))
        #expect(statistics.maxExact == false)
        let json = try JSONValue.parse(try InspectCommand.render(path: path, json: true))
        #expect(json.at("row_groups", 0, "columns", 0, "statistics", "min_exact") == .bool(false))
        #expect(try InspectCommand.render(path: path, json: false).contains("~aaaaaaaa"))
    }

    @Test func parsesTheCommandLine() throws {
        let command = try ParquetWriterCommand.parseAsRoot(["inspect", "--json", "some.parquet"])
        let inspect = try #require(command as? InspectCommand)
        #expect(inspect.file == "some.parquet")
        #expect(inspect.json)
        #expect(throws: (any Error).self) { try ParquetWriterCommand.parseAsRoot(["inspect"]) }
    }
}
