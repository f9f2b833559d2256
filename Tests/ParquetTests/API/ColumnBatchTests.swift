import Testing
@testable import Parquet

/// Everything a builder has staged, comparable, so a rejected append can be shown to change nothing.
struct StagedState: Equatable {
    var definitionLevels: [UInt8]
    var booleans: [Bool]
    var int32s: [Int32]
    var int64s: [Int64]
    var floats: [UInt32]
    var doubles: [UInt64]
    var bytes: [UInt8]
    var offsets: [Int]
    var rowCount: Int

    init(_ builder: ColumnBuilder) {
        definitionLevels = builder.definitionLevels
        booleans = builder.booleans
        int32s = builder.int32s
        int64s = builder.int64s
        floats = builder.floats.map(\.bitPattern)
        doubles = builder.doubles.map(\.bitPattern)
        bytes = builder.bytes.bytes
        offsets = builder.offsets
        rowCount = builder.rowCount
    }
}

/// `ColumnBatch.append` checks every value: each failure names the column and row and leaves
/// the column exactly as it was.
@Suite struct ColumnBatchTests {
    /// Appends `good` rows to column "col" of `type`, then checks that `bad` throws `code`
    /// at `row` and leaves the column's staged values and row count untouched.
    func expectRejected(
        _ type: DataType, nullable: Bool = true, code: ParquetError.Code, row: Int,
        good: (inout ColumnBatch) throws -> Void,
        bad: (inout ColumnBatch) throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let schema = try Schema([Field("other", .int32), Field("col", type, nullable: nullable)])
        var batch = ColumnBatch(schema: schema)
        try batch.append([1, 2] as [Int32], to: "other")
        try good(&batch)
        let before = StagedState(batch.builders[1])
        let rowsBefore = batch.rowCount(of: "col")
        let error = #expect(throws: ParquetError.self, sourceLocation: sourceLocation) { try bad(&batch) }
        #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "no error")", sourceLocation: sourceLocation)
        #expect(error?.column == "col", sourceLocation: sourceLocation)
        #expect(error?.row == row, sourceLocation: sourceLocation)
        #expect(StagedState(batch.builders[1]) == before, "column changed by a rejected append", sourceLocation: sourceLocation)
        #expect(batch.rowCount(of: "col") == rowsBefore, sourceLocation: sourceLocation)
        #expect(batch.rowCount(of: "other") == 2, sourceLocation: sourceLocation)
    }

    // MARK: Type mismatch

    @Test func typeMismatches() throws {
        let int64Rows: (inout ColumnBatch) throws -> Void = { try $0.append([1, 2] as [Int64], to: "col") }
        try expectRejected(.int64, code: .typeMismatch, row: 0, good: int64Rows, bad: { try $0.append([true], to: "col") })
        try expectRejected(.int64, code: .typeMismatch, row: 0, good: int64Rows, bad: { try $0.append(["1"], to: "col") })
        try expectRejected(.int64, code: .typeMismatch, row: 0, good: int64Rows, bad: { try $0.append([1.0], to: "col") })
        try expectRejected(.int64, code: .typeMismatch, row: 0, good: int64Rows, bad: { try $0.append([[1] as [UInt8]], to: "col") })
        try expectRejected(.int64, code: .typeMismatch, row: 2, good: int64Rows, bad: { try $0.append([nil, nil, 1.5] as [Double?], to: "col") })
        let stringRows: (inout ColumnBatch) throws -> Void = { try $0.append(["a", nil], to: "col") }
        try expectRejected(.string, code: .typeMismatch, row: 0, good: stringRows, bad: { try $0.append([1], to: "col") })
        try expectRejected(.string, code: .typeMismatch, row: 1, good: stringRows, bad: { try $0.append([nil, false] as [Bool?], to: "col") })
        try expectRejected(.string, code: .typeMismatch, row: 0, good: stringRows, bad: { try $0.append([Float(1)], to: "col") })
        try expectRejected(.boolean, code: .typeMismatch, row: 0, good: { try $0.append([true], to: "col") }, bad: { try $0.append([1], to: "col") })
        try expectRejected(.boolean, code: .typeMismatch, row: 0, good: { try $0.append([true], to: "col") }, bad: { try $0.append(["true"], to: "col") })
        try expectRejected(.date, code: .typeMismatch, row: 0, good: { try $0.append([1], to: "col") }, bad: { try $0.append([1.0], to: "col") })
        try expectRejected(.fixedBinary(length: 2), code: .typeMismatch, row: 0, good: { try $0.append([[1, 2] as [UInt8]], to: "col") }, bad: { try $0.append(["ab"], to: "col") })
        try expectRejected(.fixedBinary(length: 2), code: .typeMismatch, row: 0, good: { _ in }, bad: { try $0.append([7], to: "col") })
        try expectRejected(.decimal(precision: 9, scale: 2), code: .typeMismatch, row: 0, good: { try $0.append(["1.5"], to: "col") }, bad: { try $0.append([[0, 0, 0, 1] as [UInt8]], to: "col") })
        try expectRejected(.decimal(precision: 9, scale: 2), code: .typeMismatch, row: 0, good: { _ in }, bad: { try $0.append([1.5], to: "col") })
        try expectRejected(.uuid, code: .typeMismatch, row: 0, good: { _ in }, bad: { try $0.append([1], to: "col") })
        try expectRejected(.float32, code: .typeMismatch, row: 0, good: { try $0.append([Float(1)], to: "col") }, bad: { try $0.append(["1"], to: "col") })
        try expectRejected(.json, code: .typeMismatch, row: 0, good: { _ in }, bad: { try $0.append([true], to: "col") })
        try expectRejected(.time(.microseconds), code: .typeMismatch, row: 0, good: { _ in }, bad: { try $0.append(["12:00"], to: "col") })
    }

    // MARK: Ranges

    @Test func integerRanges() throws {
        let none: (inout ColumnBatch) throws -> Void = { _ in }
        try expectRejected(.uint8, code: .valueOutOfRange, row: 2, good: { try $0.append([0, 255] as [Int], to: "col") }, bad: { try $0.append([1, 2, 256] as [Int], to: "col") })
        try expectRejected(.uint8, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([-1] as [Int], to: "col") })
        try expectRejected(.int8, code: .valueOutOfRange, row: 1, good: { try $0.append([-128, 127] as [Int], to: "col") }, bad: { try $0.append([-128, -129] as [Int], to: "col") })
        try expectRejected(.int8, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([128] as [Int16], to: "col") })
        try expectRejected(.int16, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([32_768] as [Int], to: "col") })
        try expectRejected(.int16, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([-32_769] as [Int], to: "col") })
        try expectRejected(.uint16, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([65_536] as [UInt32], to: "col") })
        try expectRejected(.int32, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([Int64(Int32.max) + 1], to: "col") })
        try expectRejected(.int32, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([Int64(Int32.min) - 1], to: "col") })
        try expectRejected(.uint32, code: .valueOutOfRange, row: 1, good: { try $0.append([UInt32.max], to: "col") }, bad: { try $0.append([0, -1] as [Int], to: "col") })
        try expectRejected(.uint32, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([UInt64(UInt32.max) + 1], to: "col") })
        try expectRejected(.uint64, code: .valueOutOfRange, row: 0, good: { try $0.append([UInt64.max], to: "col") }, bad: { try $0.append([Int64(-1)], to: "col") })
        try expectRejected(.uint64, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([Int128(UInt64.max) + 1], to: "col") })
        try expectRejected(.int64, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([UInt64.max], to: "col") })
        try expectRejected(.int64, code: .valueOutOfRange, row: 1, good: none, bad: { try $0.append([Int128(Int64.min), Int128(Int64.min) - 1], to: "col") })
        try expectRejected(.timestamp(.milliseconds), code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([Int128(Int64.max) + 1], to: "col") })
        try expectRejected(.float32, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([16_777_217] as [Int], to: "col") })
        try expectRejected(.float64, code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([(Int64(1) << 53) + 1], to: "col") })
    }

    @Test func dateAndTimeRanges() throws {
        let none: (inout ColumnBatch) throws -> Void = { _ in }
        try expectRejected(.date, code: .valueOutOfRange, row: 0, good: { try $0.append([Int32.min, Int32.max], to: "col") }, bad: { try $0.append([Int64(Int32.min) - 1], to: "col") })
        try expectRejected(.time(.milliseconds), code: .valueOutOfRange, row: 0, good: { try $0.append([0, 86_399_999] as [Int], to: "col") }, bad: { try $0.append([-1] as [Int], to: "col") })
        try expectRejected(.time(.milliseconds), code: .valueOutOfRange, row: 1, good: { try $0.append([5] as [Int], to: "col") }, bad: { try $0.append([1, 86_400_000] as [Int], to: "col") })
        try expectRejected(.time(.milliseconds), code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([86_400_001] as [Int], to: "col") })
        try expectRejected(.time(.microseconds), code: .valueOutOfRange, row: 0, good: { try $0.append([86_399_999_999] as [Int], to: "col") }, bad: { try $0.append([86_400_000_000] as [Int], to: "col") })
        try expectRejected(.time(.nanoseconds), code: .valueOutOfRange, row: 1, good: { try $0.append([86_399_999_999_999] as [Int64], to: "col") }, bad: { try $0.append([0, 86_400_000_000_000] as [Int64], to: "col") })
        try expectRejected(.time(.nanoseconds), code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([-1] as [Int64], to: "col") })
    }

    @Test func decimalDigitsAndScale() throws {
        let none: (inout ColumnBatch) throws -> Void = { _ in }
        let decimal52 = DataType.decimal(precision: 5, scale: 2)
        let good: (inout ColumnBatch) throws -> Void = { try $0.append(["999.99", "-999.99", "1.230", "1e2"], to: "col") }
        // Too many digits for the precision.
        try expectRejected(decimal52, code: .valueOutOfRange, row: 1, good: good, bad: { try $0.append(["1", "1000"], to: "col") })
        try expectRejected(decimal52, code: .valueOutOfRange, row: 0, good: good, bad: { try $0.append(["-1234.5"], to: "col") })
        try expectRejected(decimal52, code: .valueOutOfRange, row: 0, good: good, bad: { try $0.append([100_000] as [Int], to: "col") })
        try expectRejected(.decimal(precision: 38, scale: 0), code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append([DecimalText.powerOfTen(38)], to: "col") })
        try expectRejected(.decimal(precision: 20, scale: 0), code: .valueOutOfRange, row: 0, good: none, bad: { try $0.append(["1" + String(repeating: "0", count: 20)], to: "col") })
        // More fractional digits than the scale, and text that is not a decimal.
        try expectRejected(decimal52, code: .invalidValue, row: 1, good: good, bad: { try $0.append(["1.23", "1.234"], to: "col") })
        try expectRejected(decimal52, code: .invalidValue, row: 0, good: good, bad: { try $0.append(["1e-3"], to: "col") })
        try expectRejected(decimal52, code: .invalidValue, row: 0, good: good, bad: { try $0.append(["abc"], to: "col") })
        try expectRejected(decimal52, code: .invalidValue, row: 0, good: good, bad: { try $0.append([""], to: "col") })
        // FLBA decimals take raw bytes of exactly their width.
        try expectRejected(.decimal(precision: 20, scale: 0), code: .invalidValue, row: 0, good: { try $0.append(["-7"], to: "col") }, bad: { try $0.append([[UInt8](repeating: 0, count: 8)], to: "col") })
    }

    @Test func uuidText() throws {
        let good: (inout ColumnBatch) throws -> Void = { try $0.append(["00000000-0000-0000-0000-000000000000"], to: "col") }
        for text in ["not-a-uuid", "00112233-4455-6677-8899-AABBCCDDEEF", "{00112233-4455-6677-8899-AABBCCDDEEFF}",
                     "00112233445566778899AABBCCDDEEFF", "0011223-34455-6677-8899-AABBCCDDEEFF", "0011223g-4455-6677-8899-aabbccddeeff", ""] {
            try expectRejected(.uuid, code: .invalidValue, row: 1, good: good, bad: { try $0.append(["00112233-4455-6677-8899-aabbccddeeff", text], to: "col") })
        }
    }

    @Test func invalidUTF8IsRejectedFromTextColumns() throws {
        let good: (inout ColumnBatch) throws -> Void = { try $0.append([Array("ok".utf8), nil], to: "col") }
        for bytes: [UInt8] in [[0xFF], [0x61, 0xC3], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            try expectRejected(.string, code: .invalidValue, row: 1, good: good, bad: { try $0.append([Array("fine".utf8), bytes], to: "col") })
            try expectRejected(.json, code: .invalidValue, row: 0, good: good, bad: { try $0.append([bytes], to: "col") })
        }
        // Binary takes any bytes.
        var batch = ColumnBatch(schema: try Schema([Field("b", .binary)]))
        try batch.append([[0xFF, 0xC0]] as [[UInt8]], to: "b")
        #expect(batch.rowCount == 1)
    }

    @Test func fixedWidthBytesMustHaveTheColumnWidth() throws {
        let fixed: (inout ColumnBatch) throws -> Void = { try $0.append([[1, 2, 3, 4]] as [[UInt8]], to: "col") }
        try expectRejected(.fixedBinary(length: 4), code: .invalidValue, row: 1, good: fixed, bad: { try $0.append([[9, 9, 9, 9], [1, 2, 3]] as [[UInt8]], to: "col") })
        try expectRejected(.fixedBinary(length: 4), code: .invalidValue, row: 0, good: fixed, bad: { try $0.append([[1, 2, 3, 4, 5]] as [[UInt8]], to: "col") })
        try expectRejected(.fixedBinary(length: 4), code: .invalidValue, row: 0, good: fixed, bad: { try $0.append([[]] as [[UInt8]], to: "col") })
        let uuid: (inout ColumnBatch) throws -> Void = { try $0.append([[UInt8](repeating: 1, count: 16)], to: "col") }
        try expectRejected(.uuid, code: .invalidValue, row: 0, good: uuid, bad: { try $0.append([[UInt8](repeating: 0, count: 15)], to: "col") })
        try expectRejected(.uuid, code: .invalidValue, row: 0, good: uuid, bad: { try $0.append([[UInt8](repeating: 0, count: 17)], to: "col") })
        // A text-shaped fixed_binary value: a String is text, which fixed_binary does not take.
        try expectRejected(.fixedBinary(length: 4), code: .typeMismatch, row: 0, good: fixed, bad: { try $0.append(["abcd"], to: "col") })
    }

    @Test func nullIntoANonNullableColumn() throws {
        try expectRejected(.int64, nullable: false, code: .invalidValue, row: 1, good: { try $0.append([7] as [Int64], to: "col") }, bad: { try $0.append([1, nil] as [Int64?], to: "col") })
        try expectRejected(.string, nullable: false, code: .invalidValue, row: 0, good: { try $0.append(["x"], to: "col") }, bad: { try $0.append([nil] as [String?], to: "col") })
        try expectRejected(.boolean, nullable: false, code: .invalidValue, row: 2, good: { _ in }, bad: { try $0.append([true, false, nil] as [Bool?], to: "col") })
        try expectRejected(.uuid, nullable: false, code: .invalidValue, row: 0, good: { _ in }, bad: { try $0.append([nil] as [[UInt8]?], to: "col") })
        // Nulls are fine in a nullable column.
        var batch = ColumnBatch(schema: try Schema([Field("n", .int64)]))
        try batch.append([nil, 1, nil] as [Int64?], to: "n")
        #expect(batch.rowCount == 3)
    }

    // MARK: Columns

    @Test func unknownColumnsAreRejected() throws {
        let schema = try Schema([Field("a", .int64)])
        var batch = ColumnBatch(schema: schema)
        let byName = #expect(throws: ParquetError.self) { try batch.append([1] as [Int64], to: "missing") }
        #expect(byName?.code == .invalidSchema && byName?.column == "missing")
        let byIndex = #expect(throws: ParquetError.self) { try batch.append([1] as [Int64], toColumnAt: 1) }
        #expect(byIndex?.code == .invalidSchema)
        let negative = #expect(throws: ParquetError.self) { try batch.append([1] as [Int64], toColumnAt: -1) }
        #expect(negative?.code == .invalidSchema)
        #expect(batch.rowCount == 0)
        #expect(batch.rowCount(of: "missing") == nil)
    }

    @Test func rowCountsAndRemoveAll() throws {
        let schema = try Schema([Field("a", .int64), Field("b", .string)])
        var batch = ColumnBatch(schema: schema)
        #expect(batch.rowCount == 0)
        try batch.append([1, 2, 3] as [Int64], to: "a")
        try batch.append(["x"], toColumnAt: 1)
        #expect(batch.rowCount == 3)  // the largest column
        #expect(batch.rowCount(of: "a") == 3 && batch.rowCount(of: "b") == 1)
        try batch.append(AnySequence([4, 5] as [Int64]), to: "a")  // any Sequence
        #expect(batch.rowCount(of: "a") == 5)
        batch.removeAll()
        #expect(batch.rowCount == 0 && batch.rowCount(of: "a") == 0 && batch.rowCount(of: "b") == 0)
        #expect(StagedState(batch.builders[1]) == StagedState(ColumnBuilder(descriptor: schema.columns[1])))
        try batch.append([9] as [Int64], to: "a")
        try batch.append([nil] as [String?], to: "b")
        #expect(batch.rowCount == 1)
    }

    @Test func aBatchStillWritesCorrectlyAfterRejectedAppends() throws {
        let directory = try TemporaryDirectory()
        let schema = try Schema([
            Field("s", .string), Field("d", .decimal(precision: 20, scale: 1)), Field("u", .uint8), Field("f", .fixedBinary(length: 2)),
        ])
        var batch = ColumnBatch(schema: schema)
        try batch.append(["a", nil], to: "s")
        #expect(throws: ParquetError.self) { try batch.append([Array("b".utf8), [0xFF]], to: "s") }
        try batch.append(["c"], to: "s")
        try batch.append(["1.5", "-2"], to: "d")
        #expect(throws: ParquetError.self) { try batch.append(["3", "1.25"], to: "d") }
        try batch.append([nil] as [String?], to: "d")
        try batch.append([255, 0, 1] as [Int], to: "u")
        #expect(throws: ParquetError.self) { try batch.append([1, 2, 300] as [Int], to: "u") }
        try batch.append([[1, 2], nil] as [[UInt8]?], to: "f")
        #expect(throws: ParquetError.self) { try batch.append([[3, 4], [5]] as [[UInt8]], to: "f") }
        try batch.append([[6, 7]] as [[UInt8]], to: "f")
        let (reader, _) = try writeAndRead(in: directory, schema: schema, batches: [batch])
        #expect(try reader.values(ofColumn: 0) == [.string("a"), nil, .string("c")])
        #expect(try reader.values(ofColumn: 1) == [.bytes(bigEndianBytes(15, width: 9)), .bytes(bigEndianBytes(-20, width: 9)), nil])
        #expect(try reader.values(ofColumn: 2) == [.int32(255), .int32(0), .int32(1)])
        #expect(try reader.values(ofColumn: 3) == [.bytes([1, 2]), nil, .bytes([6, 7])])
    }

    @Test func rawDecimalBytesAreCheckedAgainstThePrecision() throws {
        // decimal(20, 0) is stored in 9 bytes, which can hold 10^20, a 21-digit value.
        let tooLarge = bigEndianBytes(DecimalText.powerOfTen(20), width: 9)
        let largest = bigEndianBytes(DecimalText.powerOfTen(20) - 1, width: 9)
        try expectRejected(.decimal(precision: 20, scale: 0), code: .valueOutOfRange, row: 1,
                           good: { try $0.append([largest], to: "col") },
                           bad: { try $0.append([largest, tooLarge], to: "col") })
        try expectRejected(.decimal(precision: 38, scale: 0), code: .valueOutOfRange, row: 0, good: { _ in },
                           bad: { try $0.append([bigEndianBytes(DecimalText.powerOfTen(38), width: 16)], to: "col") })
    }
}
