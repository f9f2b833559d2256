import Testing
import ParquetThrift
@testable import Parquet

/// Nested columns written from builders and read back with the package's own footer and page
/// reader: schema elements (LIST/MAP layouts), level counts, and pages that never split a row.
@Suite struct NestedLayoutTests {
    static func schema() throws -> Schema {
        try Schema([
            Field("id", .int64, nullable: false),
            Field("tags", .list(.string)),
            Field("attrs", .map(.string, .int64)),
            Field("s", .struct(fields: [Field("a", .int32), Field("grid", .list(.list(.int64)), nullable: false)])),
        ])
    }

    /// Fills builders with `rows` rows of varied shapes; returns the slots per leaf.
    static func fill(_ builders: inout [ColumnBuilder], rows: Range<Int>) throws -> [Int] {
        var slots = Array(repeating: 0, count: builders.count)
        for row in rows {
            try builders[0].storeInteger(Int64(row))
            slots[0] += 1
            // tags: null, empty, or 1...4 elements with a null second element.
            switch row % 6 {
            case 0: builders[1].appendAbsent(definition: 0, repetition: 0); slots[1] += 1
            case 1: builders[1].appendAbsent(definition: 1, repetition: 0); slots[1] += 1
            default:
                for index in 0..<(row % 4 + 1) {
                    let repetition: UInt8 = index == 0 ? 0 : 1
                    if index == 1 {
                        builders[1].appendAbsent(definition: 2, repetition: repetition)
                    } else {
                        builders[1].pendingRepetitionLevel = repetition
                        try Self.text(&builders[1], "t\(row % 17)-\(index)")
                    }
                    slots[1] += 1
                }
            }
            // attrs: empty or two entries, the second value null.
            if row % 3 == 0 {
                builders[2].appendAbsent(definition: 1, repetition: 0)
                builders[3].appendAbsent(definition: 1, repetition: 0)
                slots[2] += 1; slots[3] += 1
            } else {
                builders[2].pendingRepetitionLevel = 0
                try Self.text(&builders[2], "k\(row)")
                builders[3].pendingRepetitionLevel = 0
                try builders[3].storeInteger(Int64(row) * 1000)
                builders[2].pendingRepetitionLevel = 1
                try Self.text(&builders[2], "z")
                builders[3].appendAbsent(definition: 2, repetition: 1)
                slots[2] += 2; slots[3] += 2
            }
            // s: null, or {a, grid: [[row, row+1], []]}.
            if row % 5 == 0 {
                builders[4].appendAbsent(definition: 0, repetition: 0)
                builders[5].appendAbsent(definition: 0, repetition: 0)
                slots[4] += 1; slots[5] += 1
            } else {
                try builders[4].storeInteger(Int32(row))
                builders[5].pendingRepetitionLevel = 0
                try builders[5].storeInteger(Int64(row))
                builders[5].pendingRepetitionLevel = 2
                try builders[5].storeInteger(Int64(row + 1))
                builders[5].appendAbsent(definition: 3, repetition: 1)
                slots[4] += 1; slots[5] += 3
            }
        }
        return slots
    }

    static func text(_ builder: inout ColumnBuilder, _ value: String) throws {
        let bytes = Array(value.utf8)
        try bytes.withUnsafeBytes { buffer in try builder.storeText(buffer) }
    }

    @Test(arguments: [true, false])
    func footerAndPagesOfNestedColumns(dictionary: Bool) throws {
        let schema = try Self.schema()
        let leaves = schema.leafColumns
        #expect(leaves.map { [$0.maxDefinitionLevel, $0.maxRepetitionLevel] } == [[0, 0], [3, 1], [2, 1], [3, 1], [2, 0], [5, 2]])
        let directory = try TemporaryDirectory()
        let path = directory.file("nested.parquet")
        let options = WriterOptions(dictionary: dictionary, rowGroupRows: 1500, pageBytes: 2048, pageRows: 400)
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var totals = Array(repeating: 0, count: leaves.count)
        for start in stride(from: 0, to: 4000, by: 1000) {
            var builders = leaves.map { ColumnBuilder(descriptor: $0) }
            let slots = try Self.fill(&builders, rows: start..<start + 1000)
            #expect(builders.allSatisfy { $0.rowCount == 1000 })
            #expect(builders.map(\.levelCount) == slots.enumerated().map { $0.offset == 0 ? 1000 : $0.element })
            for index in totals.indices { totals[index] += slots[index] }
            try writer.write(builders: builders, rowCount: 1000)
        }
        let summary = try writer.close()
        #expect(summary.rows == 4000)

        let reader = try ParquetFileReader(path: path)
        let elements = reader.metadata.schema.map { element in
            "\(element.name):\(element.repetitionType.map { "\($0)" } ?? "-"):\(element.numChildren.map(String.init) ?? "leaf")"
                + (element.convertedType.map { ":\($0)" } ?? "")
        }
        #expect(elements == [
            "schema:-:4",
            "id:required:leaf",
            "tags:optional:1:list", "list:repeated:1", "element:optional:leaf:utf8",
            "attrs:optional:1:map", "key_value:repeated:2", "key:required:leaf:utf8", "value:optional:leaf",
            "s:optional:2", "a:optional:leaf", "grid:required:1:list", "list:repeated:1", "element:optional:1:list",
            "list:repeated:1", "element:optional:leaf",
        ])
        let groups = try reader.validate()
        #expect(reader.metadata.rowGroups.map(\.numRows) == [1500, 1500, 1000])
        var valuesPerLeaf = Array(repeating: 0, count: leaves.count)
        for (group, chunks) in groups.enumerated() {
            #expect(chunks.map(\.metaData.pathInSchema) == leaves.map(\.path), "row group \(group)")
            for chunk in chunks {
                valuesPerLeaf[chunk.column] += Int(chunk.metaData.numValues)
                guard leaves[chunk.column].maxRepetitionLevel > 0 else { continue }
                #expect(chunk.dataPages.count > 1, "row group \(group) column \(chunk.column) has several pages")
                for page in chunk.dataPages {
                    #expect(Self.firstRepetitionLevel(page.body, maxLevel: leaves[chunk.column].maxRepetitionLevel) == 0, "a page starts a row")
                }
            }
        }
        #expect(valuesPerLeaf == totals)
    }

    /// The first repetition level of an uncompressed V1 page body: a 4-byte length, then an
    /// RLE/bit-packed hybrid run header and its first value (bit width 1 or 2: one byte).
    static func firstRepetitionLevel(_ body: [UInt8], maxLevel: Int) -> Int {
        var index = 4
        var header = 0
        var shift = 0
        while true {
            let byte = Int(body[index])
            index += 1
            header |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80 { break }
        }
        let value = Int(body[index])
        return header & 1 == 0 ? value : value & (maxLevel == 1 ? 0x1 : 0x3)
    }
}
