import Testing
@testable import Parquet

/// The staging buffers behind ColumnBatch: counts, marks and roll-back for every storage kind.
@Suite struct ColumnBuilderTests {
    static func builder(_ type: DataType, nullable: Bool = true) throws -> ColumnBuilder {
        ColumnBuilder(descriptor: try Schema([Field("c", type, nullable: nullable)]).columns[0])
    }

    @Test func countsForNullableAndRequiredColumns() throws {
        var nullable = try Self.builder(.string)
        nullable.appendNull()
        try nullable.storeText(UnsafeRawBufferPointer(start: nil, count: 0))
        try [UInt8](arrayLiteral: 0x61, 0x62).withUnsafeBytes { try nullable.storeBytes($0) }
        #expect(nullable.rowCount == 3 && nullable.valueCount == 2 && nullable.levelCount == 3)
        #expect(nullable.definitionLevels == [0, 1, 1])
        #expect(nullable.offsets == [0, 0, 2] && nullable.bytes.bytes == [0x61, 0x62])

        var required = try Self.builder(.int64, nullable: false)
        try required.storeInteger(5)
        try required.storeInteger(-5)
        #expect(required.rowCount == 2 && required.valueCount == 2 && required.levelCount == 2)
        #expect(required.definitionLevels.isEmpty && required.int64s == [5, -5])
    }

    @Test(arguments: [
        DataType.boolean, .int32, .int64, .float32, .float64, .string, .fixedBinary(length: 2), .decimal(precision: 30, scale: 0),
    ])
    func rollBackRestoresTheMark(type: DataType) throws {
        var batch = ColumnBatch(schema: try Schema([Field("c", type)]))
        func appendSome(_ batch: inout ColumnBatch) throws {
            switch type {
            case .boolean: try batch.append([true, nil, false], to: "c")
            case .float32, .float64: try batch.append([1.5, nil, -2], to: "c")
            case .string: try batch.append(["x", nil, "yz"], to: "c")
            case .fixedBinary: try batch.append([[1, 2], nil, [3, 4]] as [[UInt8]?], to: "c")
            default: try batch.append([1, nil, -3] as [Int?], to: "c")
            }
        }
        try appendSome(&batch)
        let before = StagedState(batch.builders[0])
        let mark = batch.builders[0].mark()
        try appendSome(&batch)
        #expect(batch.builders[0].rowCount == 6)
        batch.builders[0].rollBack(to: mark)
        #expect(StagedState(batch.builders[0]) == before)
        try appendSome(&batch)
        #expect(batch.builders[0].rowCount == 6 && batch.builders[0].valueCount == 4)
    }

    @Test func decimalsAreStoredSignExtendedBigEndian() throws {
        var builder = try Self.builder(.decimal(precision: 20, scale: 0))
        try builder.storeUnscaledDecimal(-2, precision: 20)
        try builder.storeUnscaledDecimal(258, precision: 20)
        #expect(builder.bytes.bytes == [UInt8](repeating: 0xFF, count: 8) + [0xFE] + [UInt8](repeating: 0, count: 7) + [0x01, 0x02])
        var narrow = try Self.builder(.decimal(precision: 9, scale: 0))
        try narrow.storeUnscaledDecimal(-999_999_999, precision: 9)
        #expect(narrow.int32s == [-999_999_999])
        #expect(throws: ParquetError.self) { try narrow.storeUnscaledDecimal(1_000_000_000, precision: 9) }
    }
}
