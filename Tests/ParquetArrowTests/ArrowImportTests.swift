#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CArrowInterface
import Parquet
@testable import ParquetArrow
import Testing

@Suite("Arrow record batches into column batches")
struct ArrowImportTests {
    static let schema = try! Schema([
        Field("id", .int64, nullable: false),
        Field("name", .string),
        Field("score", .float64),
        Field("flag", .boolean),
    ])

    static let columns: [ArrowTestColumn] = [
        .int64("id", [10, 11, 12, 13, 14], nullable: false),
        .string("name", ["zero", nil, "two", "", "a value longer than twelve bytes"]),
        .double("score", [0.5, nil, 2.5, nil, -1]),
        .boolean("flag", [true, false, nil, true, false]),
    ]

    @Test("a sliced Arrow batch writes the same file, byte for byte, as the same rows through ColumnBatch")
    func sameFileAsColumnBatch() throws {
        let directory = try TemporaryDirectory()
        // Rows 1...4 of the batch: the root struct's offset applies to every column.
        let arrow = ArrowTestBatch(Self.columns, offset: 1)
        let root = try ArrowField(arrow.schema)
        let importer = try ArrowBatchImporter(arrow.array, root: root, schema: Self.schema)
        #expect(importer.rowCount == 4)
        var fromArrow = ColumnBatch(schema: Self.schema)
        let appended = try importer.append(rows: 0..<4, to: &fromArrow, skipInvalidRows: false)
        #expect(appended.rows == 4 && appended.rejected.isEmpty)

        var typed = ColumnBatch(schema: Self.schema)
        try typed.append([11, 12, 13, 14] as [Int64], to: "id")
        try typed.append([nil, "two", "", "a value longer than twelve bytes"] as [String?], to: "name")
        try typed.append([nil, 2.5, nil, -1] as [Double?], to: "score")
        try typed.append([false, nil, true, false] as [Bool?], to: "flag")

        for (name, batch) in [("arrow", fromArrow), ("typed", typed)] {
            let writer = try ParquetWriter(path: directory.file(name + ".parquet"), schema: Self.schema)
            try writer.write(batch)
            _ = try writer.close()
        }
        let arrowBytes = try readBytes(directory.file("arrow.parquet"))
        #expect(!arrowBytes.isEmpty)
        #expect(arrowBytes == (try readBytes(directory.file("typed.parquet"))))
    }

    @Test("row ranges append in slices, and a rejected value leaves the batch as it was")
    func slicesAndRollback() throws {
        let narrow = try Schema([Field("id", .int8, nullable: false), Field("name", .string)])
        let arrow = ArrowTestBatch([
            .int64("id", [1, 2, 300, 4], nullable: false),
            .string("name", ["a", "b", "c", "d"]),
        ])
        let importer = try ArrowBatchImporter(arrow.array, root: try ArrowField(arrow.schema), schema: narrow)
        var batch = ColumnBatch(schema: narrow)
        _ = try importer.append(rows: 0..<2, to: &batch, skipInvalidRows: false)
        #expect(batch.rowCount == 2)
        let error = #expect(throws: ParquetError.self) {
            _ = try importer.append(rows: 2..<4, to: &batch, skipInvalidRows: false)
        }
        #expect(error?.code == .valueOutOfRange && error?.column == "id" && error?.row == 2)
        #expect(batch.rowCount == 2 && batch.rowCount(of: "name") == 2)
        let skipped = try importer.append(rows: 2..<4, to: &batch, skipInvalidRows: true)
        #expect(skipped.rows == 1 && skipped.rejected.map(\.row) == [2])
        #expect(batch.rowCount == 3 && batch.rowCount(of: "name") == 3)
    }

    @Test("the writer's fields must be the Arrow batch's, by name")
    func fieldsMatchByName() throws {
        let arrow = ArrowTestBatch(Self.columns)
        let root = try ArrowField(arrow.schema)
        let missing = try Schema(Self.schema.fields + [Field("extra", .int32)])
        let error = #expect(throws: ParquetError.self) {
            _ = try ArrowBatchImporter(arrow.array, root: root, schema: missing)
        }
        #expect(error?.code == .invalidSchema && error?.column == "extra")
        let reordered = try Schema(Self.schema.fields.reversed())
        #expect(throws: Never.self) { _ = try ArrowBatchImporter(arrow.array, root: root, schema: reordered) }
        let mismatched = try Schema([
            Field("id", .string), Field("name", .string), Field("score", .float64), Field("flag", .boolean),
        ])
        let typeError = #expect(throws: ParquetError.self) {
            _ = try ArrowBatchImporter(arrow.array, root: root, schema: mismatched)
        }
        #expect(typeError?.code == .typeMismatch && typeError?.column == "id")
    }

    @Test("format strings parse as the C Data Interface defines them")
    func formats() {
        #expect(ArrowType(format: "l") == .integer(bits: 64, signed: true))
        #expect(ArrowType(format: "C") == .integer(bits: 8, signed: false))
        #expect(ArrowType(format: "tsu:Europe/Oslo") == .timestamp(.microseconds, timeZone: "Europe/Oslo"))
        #expect(ArrowType(format: "tsn:") == .timestamp(.nanoseconds, timeZone: ""))
        #expect(ArrowType(format: "d:38,10") == .decimal(precision: 38, scale: 10, bits: 128))
        #expect(ArrowType(format: "d:76,2,256") == .decimal(precision: 76, scale: 2, bits: 256))
        #expect(ArrowType(format: "w:16") == .fixedSizeBinary(16))
        #expect(ArrowType(format: "+w:3") == .fixedSizeList(3))
        #expect(ArrowType(format: "vu") == .utf8(.views))
        #expect(ArrowType(format: "ttm") == .time(.milliseconds))
        #expect(ArrowType(format: "+ud:0,1") == .unsupported("+ud:0,1"))
        #expect(ArrowType(format: "w:0") == nil)
        #expect(ArrowType(format: "d:10") == nil)
        #expect(ArrowType(format: "d:10,2,100") == nil)
        #expect(ArrowType(format: "tsx:") == nil)
        #expect(ArrowType(format: "") == nil)
    }

    @Test("Arrow types map to the native schema as pyarrow.parquet writes them")
    func schemaMapping() throws {
        let arrow = ArrowTestBatch(Self.columns)
        let schema = try Schema(arrowSchema: arrow.schema)
        #expect(schema.fields == [
            Field("id", .int64, nullable: false), Field("name", .string), Field("score", .float64), Field("flag", .boolean),
        ])
        #expect(arrow.schema.pointee.release != nil)  // only read
    }

    @Test("half floats widen exactly")
    func halfFloats() {
        #expect(_ArrowConversion.float(halfBits: 0x3C00) == 1)
        #expect(_ArrowConversion.float(halfBits: 0xC000) == -2)
        #expect(_ArrowConversion.float(halfBits: 0x0001) == 0x1p-24)
        #expect(_ArrowConversion.float(halfBits: 0x7C00) == .infinity)
        #expect(_ArrowConversion.float(halfBits: 0x7E00).isNaN)
        #expect(_ArrowConversion.float(halfBits: 0x7BFF) == 65504)
    }
}

/// The bytes of a file.
func readBytes(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw TestFailure("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        bytes += chunk[..<count]
    }
    return bytes
}
