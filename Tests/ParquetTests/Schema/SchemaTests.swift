import Testing
@testable import Parquet
import ParquetThrift

/// Schema validation and the column descriptors derived from it.
@Suite struct SchemaTests {
    func expectInvalid(_ fields: [Field], column: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ParquetError.self, sourceLocation: sourceLocation) { _ = try Schema(fields) }
        #expect(error?.code == .invalidSchema, sourceLocation: sourceLocation)
        #expect(error?.column == column, sourceLocation: sourceLocation)
    }

    @Test func emptySchemaIsInvalid() { expectInvalid([], column: nil) }

    @Test func namesMustBeNonEmptyAndUnique() {
        expectInvalid([Field("", .int64)], column: nil)
        expectInvalid([Field("a", .int64), Field("b", .string), Field("a", .boolean)], column: "a")
        // Names differing only in case or normalisation are distinct.
        #expect(throws: Never.self) { _ = try Schema([Field("a", .int64), Field("A", .int64), Field("é", .int64), Field("e\u{301}x", .int64)]) }
    }

    @Test(arguments: [0, -1, 39, 100])
    func decimalPrecisionMustBe1Through38(precision: Int) {
        expectInvalid([Field("ok", .int32), Field("d", .decimal(precision: precision, scale: 0))], column: "d")
    }

    @Test func decimalScaleMustBeWithinPrecision() {
        expectInvalid([Field("d", .decimal(precision: 5, scale: 6))], column: "d")
        expectInvalid([Field("d", .decimal(precision: 5, scale: -1))], column: "d")
        #expect(throws: Never.self) {
            _ = try Schema([Field("a", .decimal(precision: 1, scale: 0)), Field("b", .decimal(precision: 38, scale: 38)),
                            Field("c", .decimal(precision: 5, scale: 5))])
        }
    }

    @Test(arguments: [0, -4, Int(Int32.max) + 1])
    func fixedBinaryLengthMustBePositive(length: Int) {
        expectInvalid([Field("f", .fixedBinary(length: length))], column: "f")
    }

    @Test func fieldsAndIndexes() throws {
        let schema = try Schema([Field("x", .int64), Field("y", .string, nullable: false)])
        #expect(schema.fields.map(\.name) == ["x", "y"])
        #expect(schema.fields[0].nullable && !schema.fields[1].nullable)
        #expect(schema.index(of: "y") == 1 && schema.index(of: "z") == nil)
        #expect(schema.columns.map(\.index) == [0, 1])
        #expect(schema.columns.map(\.maxDefinitionLevel) == [1, 0])
        #expect(schema.columns.allSatisfy { $0.maxRepetitionLevel == 0 })
        #expect(schema.columns.map(\.path) == [["x"], ["y"]])
        #expect(try Schema([Field("x", .int64)]) != schema)
    }

    @Test func storageAndStatisticsOrderPerType() throws {
        let table: [(DataType, ColumnStorage, StatisticsOrder)] = [
            (.boolean, .boolean, .boolean),
            (.int8, .int32, .signed), (.int16, .int32, .signed), (.int32, .int32, .signed), (.int64, .int64, .signed),
            (.uint8, .int32, .unsigned), (.uint16, .int32, .unsigned), (.uint32, .int32, .unsigned), (.uint64, .int64, .unsigned),
            (.float32, .float, .float), (.float64, .double, .float),
            (.string, .byteArray, .unsignedBytes), (.binary, .byteArray, .unsignedBytes), (.json, .byteArray, .unsignedBytes),
            (.fixedBinary(length: 3), .fixedLenByteArray(3), .unsignedBytes), (.uuid, .fixedLenByteArray(16), .unsignedBytes),
            (.date, .int32, .signed), (.time(.milliseconds), .int32, .signed), (.time(.microseconds), .int64, .signed),
            (.time(.nanoseconds), .int64, .signed), (.timestamp(.milliseconds), .int64, .signed),
            (.timestamp(.nanoseconds, utc: false), .int64, .signed),
            (.decimal(precision: 9, scale: 0), .int32, .signed), (.decimal(precision: 18, scale: 0), .int64, .signed),
            (.decimal(precision: 19, scale: 0), .fixedLenByteArray(9), .signedBigEndianBytes),
            (.decimal(precision: 38, scale: 0), .fixedLenByteArray(16), .signedBigEndianBytes),
        ]
        let schema = try Schema(table.enumerated().map { Field("c\($0.offset)", $0.element.0) })
        for (column, (type, storage, order)) in zip(schema.columns, table) {
            #expect(column.storage == storage, "\(type)")
            #expect(column.statisticsOrder == order, "\(type)")
            #expect(column.isText == (type == .string || type == .json), "\(type)")
            #expect(column.allowsStatisticsTruncation == (storage == .byteArray), "\(type)")
        }
    }

    @Test func decimalByteLengthIsTheSmallestThatHoldsThePrecision() {
        for precision in 1...38 {
            let bytes = DataType.decimalByteLength(precision: precision)
            let largest = DecimalText.powerOfTen(precision) - 1
            // `bytes` hold it as two's complement, `bytes - 1` do not.
            #expect(largest.magnitude < UInt128(1) << (8 * bytes - 1), "precision \(precision)")
            if bytes > 1 { #expect(largest.magnitude >= UInt128(1) << (8 * (bytes - 1) - 1), "precision \(precision)") }
        }
    }

    @Test func thriftElementsOfAFlatSchema() throws {
        let schema = try Schema([Field("id", .int64, nullable: false), Field("name", .string)])
        let elements = schema.thriftElements
        #expect(elements.count == 3)
        #expect(elements[0] == SchemaElement(name: "schema", numChildren: 2))
        #expect(elements[1].name == "id" && elements[1].type == .int64 && elements[1].repetitionType == .required)
        #expect(elements[2].name == "name" && elements[2].type == .byteArray && elements[2].repetitionType == .optional)
        #expect(elements[2].logicalType == .string && elements[2].convertedType == .utf8)
    }

    @Test func typeNames() {
        #expect(DataType.timestamp(.microseconds).name == "timestamp_us")
        #expect(DataType.time(.nanoseconds).name == "time_ns")
        #expect(DataType.fixedBinary(length: 4).name == "fixed_binary")
        #expect(DataType.decimal(precision: 3, scale: 1).name == "decimal")
        #expect(TimeUnit.allCases.map(\.perSecond) == [1_000, 1_000_000, 1_000_000_000])
    }

    /// A leaf's path may have 99 schema elements below the root; pyarrow opens no deeper file
    /// (issue 11, finding 3). Lists and maps add two elements, structs one.
    @Test func nestingDepthStopsWherePyarrowStops() throws {
        func lists(_ count: Int) -> [Field] {
            var type = DataType.int64
            for _ in 0..<count { type = .list(type) }
            return [Field("x", type)]
        }
        func structs(_ count: Int) -> [Field] {
            var type = DataType.int64
            for _ in 0..<count { type = .struct(fields: [Field("a", type)]) }
            return [Field("x", type)]
        }
        func maps(_ count: Int) -> [Field] {
            var type = DataType.int64
            for _ in 0..<count { type = .map(.string, type) }
            return [Field("x", type)]
        }
        let deepest = try Schema(lists(49)).columns[0]
        #expect(deepest.path.count == 99)
        #expect(deepest.maxRepetitionLevel == 49 && deepest.maxDefinitionLevel == 99)
        #expect(try Schema(structs(98)).columns[0].path.count == 99)
        #expect(try Schema(maps(49)).columns.map(\.path.count).max() == 99)
        for fields in [lists(50), structs(99), maps(50), lists(1000)] {
            let error = #expect(throws: ParquetError.self) { _ = try Schema(fields) }
            #expect(error?.code == .invalidSchema)
            #expect(error?.message.contains("deeper than 99 schema levels") == true)
        }
        // The deepest path decides, whatever the other columns.
        expectInvalid([Field("flat", .int64)] + structs(99).map { Field("y", $0.type) }, column: "y" + String(repeating: ".a", count: 99))
    }
}
