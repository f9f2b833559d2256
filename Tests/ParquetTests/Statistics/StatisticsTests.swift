import Testing
@testable import Parquet
import ParquetThrift

/// Min/max/null_count in each column order, as written to the footer and to WriteSummary.
@Suite struct StatisticsTests {
    /// Writes one column of `type` holding `values` and returns the chunk statistics of each
    /// row group plus the file summary of the column.
    static func statistics<V: ColumnValue>(
        _ type: DataType, nullable: Bool = true, _ values: [V], options: WriterOptions = WriterOptions()
    ) throws -> (groups: [ParquetThrift.Statistics], summary: ColumnSummary) {
        let directory = try TemporaryDirectory()
        let schema = try Schema([Field("c", type, nullable: nullable)])
        let batch = try makeBatch(schema) { try $0.append(values, to: "c") }
        let (reader, summary) = try writeAndRead(in: directory, schema: schema, options: options, batches: [batch])
        let groups = try reader.metadata.rowGroups.map { group in
            try #require(group.columns[0].metaData?.statistics)
        }
        return (groups, summary.columns[0])
    }

    static func single<V: ColumnValue>(
        _ type: DataType, nullable: Bool = true, _ values: [V], options: WriterOptions = WriterOptions()
    ) throws -> (ParquetThrift.Statistics, ColumnSummary) {
        let (groups, summary) = try statistics(type, nullable: nullable, values, options: options)
        #expect(groups.count == 1)
        return (try #require(groups.first), summary)
    }

    // MARK: Integers

    @Test func signedIntegersCompareSigned() throws {
        let (int32, summary32) = try Self.single(.int32, [5, -7, 3, nil] as [Int32?])
        #expect(int32.minValue == littleEndianBytes(Int32(-7)) && int32.maxValue == littleEndianBytes(Int32(5)))
        #expect(int32.isMinValueExact == true && int32.isMaxValueExact == true)
        #expect(int32.nullCount == 1)
        #expect(summary32 == ColumnSummary(name: "c", nullCount: 1, minimum: .int(-7), maximum: .int(5)))

        let (int64, summary64) = try Self.single(.int64, [Int64.max, -1, Int64.min])
        #expect(int64.minValue == littleEndianBytes(Int64.min) && int64.maxValue == littleEndianBytes(Int64.max))
        #expect(summary64.minimum == .int(.min) && summary64.maximum == .int(.max))

        let (int8, _) = try Self.single(.int8, [-128, 127, 0] as [Int8])
        #expect(int8.minValue == littleEndianBytes(Int32(-128)) && int8.maxValue == littleEndianBytes(Int32(127)))
    }

    @Test func unsignedIntegersCompareUnsigned() throws {
        let (uint32, summary32) = try Self.single(.uint32, [1, 3_000_000_000, 2, UInt32(Int32.max)] as [UInt32])
        #expect(uint32.minValue == littleEndianBytes(UInt32(1)))
        #expect(uint32.maxValue == littleEndianBytes(UInt32(3_000_000_000)))
        #expect(summary32.minimum == .uint(1) && summary32.maximum == .uint(3_000_000_000))

        let big = UInt64(Int64.max) + 10
        let (uint64, summary64) = try Self.single(.uint64, [5, big, 10, UInt64(Int64.max)] as [UInt64])
        #expect(uint64.minValue == littleEndianBytes(UInt64(5)) && uint64.maxValue == littleEndianBytes(big))
        #expect(summary64.minimum == .uint(5) && summary64.maximum == .uint(big))

        let (uint8, summary8) = try Self.single(.uint8, [200, 0, 255, 128] as [UInt8])
        #expect(uint8.minValue == littleEndianBytes(Int32(0)) && uint8.maxValue == littleEndianBytes(Int32(255)))
        #expect(summary8.maximum == .uint(255))

        // Unsigned order also holds through the dictionary-off path and across pages.
        let values = (0..<5000).map { UInt32(2_147_483_000 + $0) }
        let (paged, _) = try Self.single(.uint32, values, options: WriterOptions(dictionary: false, pageRows: 1000))
        #expect(paged.minValue == littleEndianBytes(UInt32(2_147_483_000)))
        #expect(paged.maxValue == littleEndianBytes(UInt32(2_147_487_999)))
    }

    @Test func datesTimesTimestampsAndNarrowDecimalsCompareSigned() throws {
        let (date, _) = try Self.single(.date, [10, -3, 7] as [Int32])
        #expect(date.minValue == littleEndianBytes(Int32(-3)) && date.maxValue == littleEndianBytes(Int32(10)))
        let (timestamp, _) = try Self.single(.timestamp(.nanoseconds), [-5, 9] as [Int64])
        #expect(timestamp.minValue == littleEndianBytes(Int64(-5)))
        let (decimal, summary) = try Self.single(.decimal(precision: 12, scale: 2), ["-1.50", "0.25", "-100"])
        #expect(decimal.minValue == littleEndianBytes(Int64(-10_000)) && decimal.maxValue == littleEndianBytes(Int64(25)))
        #expect(summary.minimum == .int(-10_000) && summary.maximum == .int(25))
    }

    // MARK: Floats

    @Test func nanIsExcludedFromFloatStatistics() throws {
        let (double, summary) = try Self.single(.float64, [.nan, 2.5, -1, .nan, nil] as [Double?])
        #expect(double.minValue == littleEndianBytes(-1.0) && double.maxValue == littleEndianBytes(2.5))
        #expect(double.nullCount == 1)
        #expect(summary.minimum == .float(-1) && summary.maximum == .float(2.5))

        let (float, _) = try Self.single(.float32, [Float.nan, 3, Float.infinity, -2] as [Float])
        #expect(float.minValue == littleEndianBytes(Float(-2)) && float.maxValue == littleEndianBytes(Float.infinity))

        // NaN first in a later page, after a page without NaN, and with dictionaries off.
        let values = (0..<3000).map { $0 >= 1500 && $0 % 2 == 0 ? Double.nan : Double($0) }
        let (paged, _) = try Self.single(.float64, values, options: WriterOptions(dictionary: false, pageRows: 1000))
        #expect(paged.minValue == littleEndianBytes(-0.0 as Double) && paged.maxValue == littleEndianBytes(2999.0))
    }

    @Test(arguments: [true, false])
    func onlyNaNHasNoMinMax(dictionary: Bool) throws {
        let (stats, summary) = try Self.single(
            .float64, [.nan, .nan, nil] as [Double?], options: WriterOptions(dictionary: dictionary))
        #expect(stats.minValue == nil && stats.maxValue == nil)
        #expect(stats.min == nil && stats.max == nil)
        #expect(stats.nullCount == 1)
        #expect(summary == ColumnSummary(name: "c", nullCount: 1, minimum: nil, maximum: nil))

        let (float, _) = try Self.single(.float32, [Float.nan], options: WriterOptions(dictionary: dictionary))
        #expect(float.minValue == nil && float.maxValue == nil && float.nullCount == 0)
    }

    @Test func zerosAreNormalised() throws {
        let negativeZero = littleEndianBytes(-0.0 as Double)
        let positiveZero = littleEndianBytes(0.0 as Double)
        #expect(negativeZero != positiveZero)

        let (positiveMin, _) = try Self.single(.float64, [0.0, 1.0])
        #expect(positiveMin.minValue == negativeZero && positiveMin.maxValue == littleEndianBytes(1.0))

        let (negativeMax, _) = try Self.single(.float64, [-1.0, -0.0])
        #expect(negativeMax.minValue == littleEndianBytes(-1.0) && negativeMax.maxValue == positiveZero)

        let (onlyZero, summary) = try Self.single(.float64, [0.0])
        #expect(onlyZero.minValue == negativeZero && onlyZero.maxValue == positiveZero)
        #expect(summary.minimum.map { if case .float(let v) = $0 { v.sign == .minus && v == 0 } else { false } } == true)

        let (onlyNegativeZero, _) = try Self.single(.float64, [-0.0])
        #expect(onlyNegativeZero.minValue == negativeZero && onlyNegativeZero.maxValue == positiveZero)

        let (float, _) = try Self.single(.float32, [Float(0), Float(-0.0), Float.nan] as [Float])
        #expect(float.minValue == littleEndianBytes(Float(-0.0)) && float.maxValue == littleEndianBytes(Float(0)))
    }

    // MARK: Bytes

    @Test(arguments: [true, false])
    func stringsCompareAsUnsignedBytes(dictionary: Bool) throws {
        let (stats, summary) = try Self.single(
            .string, ["a", "é", "Z", nil, "ab"] as [String?], options: WriterOptions(dictionary: dictionary))
        #expect(stats.minValue == Array("Z".utf8) && stats.maxValue == Array("é".utf8))
        #expect(stats.isMinValueExact == true && stats.isMaxValueExact == true)
        #expect(summary == ColumnSummary(name: "c", nullCount: 1, minimum: .string("Z"), maximum: .string("é")))

        let (binary, binarySummary) = try Self.single(.binary, [[0x80], [0x7F, 0xFF], [], [0x80, 0x00]] as [[UInt8]])
        #expect(binary.minValue == [] && binary.maxValue == [0x80, 0x00])
        #expect(binarySummary.minimum == .bytes([]) && binarySummary.maximum == .bytes([0x80, 0x00]))

        let (uuid, _) = try Self.single(.uuid, ["ffffffff-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000001"])
        #expect(uuid.minValue == Array(repeating: 0, count: 15) + [1])
        #expect(uuid.maxValue == [0xFF, 0xFF, 0xFF, 0xFF] + Array(repeating: 0, count: 12))
    }

    @Test(arguments: [true, false])
    func wideDecimalsCompareSigned(dictionary: Bool) throws {
        let (stats, summary) = try Self.single(
            .decimal(precision: 20, scale: 2), ["-5", "3.01", "-100.5", "0", nil] as [String?],
            options: WriterOptions(dictionary: dictionary))
        #expect(stats.minValue == bigEndianBytes(-10_050, width: 9))
        #expect(stats.maxValue == bigEndianBytes(301, width: 9))
        #expect(summary.minimum == .bytes(bigEndianBytes(-10_050, width: 9)))
        #expect(summary.maximum == .bytes(bigEndianBytes(301, width: 9)))

        let (wide, _) = try Self.single(.decimal(precision: 38, scale: 0), [Int128(1) << 100, -(Int128(1) << 100), -1, 1] as [Int128])
        #expect(wide.minValue == bigEndianBytes(-(Int128(1) << 100), width: 16))
        #expect(wide.maxValue == bigEndianBytes(Int128(1) << 100, width: 16))
    }

    @Test func booleanStatistics() throws {
        let (both, summary) = try Self.single(.boolean, [true, nil, false] as [Bool?])
        #expect(both.minValue == [0] && both.maxValue == [1] && both.nullCount == 1)
        #expect(summary.minimum == .boolean(false) && summary.maximum == .boolean(true))
        let (onlyTrue, _) = try Self.single(.boolean, [true, true])
        #expect(onlyTrue.minValue == [1] && onlyTrue.maxValue == [1])
    }

    // MARK: Null counts

    @Test func nullCountIsAlwaysPresent() throws {
        let (required, _) = try Self.single(.int64, nullable: false, [1, 2] as [Int64])
        #expect(required.nullCount == 0)
        let (noNulls, _) = try Self.single(.string, ["x"] as [String?])
        #expect(noNulls.nullCount == 0)
        let (boolean, _) = try Self.single(.boolean, nullable: false, [true])
        #expect(boolean.nullCount == 0)
    }

    @Test(arguments: [DataType.int64, .string, .boolean, .float64, .decimal(precision: 30, scale: 2), .uuid])
    func allNullColumnHasNullCountAndNoMinMax(type: DataType) throws {
        let (stats, summary) = try Self.single(type, Array(repeating: nil, count: 2000) as [Int?])
        #expect(stats.nullCount == 2000)
        #expect(stats.minValue == nil && stats.maxValue == nil && stats.min == nil && stats.max == nil)
        #expect(stats.isMinValueExact == nil && stats.isMaxValueExact == nil)
        #expect(summary == ColumnSummary(name: "c", nullCount: 2000, minimum: nil, maximum: nil))
    }

    @Test func deprecatedMinMaxAreNotWritten() throws {
        // min/max (fields 1-2) have signed-byte semantics in old readers; only min_value/max_value are written.
        let (stats, _) = try Self.single(.string, ["a", "b"])
        #expect(stats.min == nil && stats.max == nil)
    }

    // MARK: Truncation

    @Test func longBinaryBoundsAreTruncated() throws {
        let options = WriterOptions(statisticsTruncateLength: 4)
        let (stats, summary) = try Self.single(
            .binary, [Array("abcdefgh".utf8), Array("zzzzzz".utf8), Array("abc".utf8) + [0xFF, 0xFF]], options: options)
        #expect(stats.minValue == Array("abcd".utf8))
        #expect(stats.isMinValueExact == false)
        #expect(stats.maxValue == Array("zzz{".utf8))
        #expect(stats.isMaxValueExact == false)
        #expect(summary.maximum == .bytes(Array("zzz{".utf8)))

        // Bounds that fit the limit stay exact.
        let (short, _) = try Self.single(.binary, [Array("abcd".utf8), Array("ab".utf8)], options: options)
        #expect(short.minValue == Array("ab".utf8) && short.maxValue == Array("abcd".utf8))
        #expect(short.isMinValueExact == true && short.isMaxValueExact == true)

        // The increment carries past trailing 0xFF bytes.
        let (carry, _) = try Self.single(.binary, [[0x01, 0x02, 0xFF, 0xFF, 0x07]], options: options)
        #expect(carry.maxValue == [0x01, 0x03])
        #expect(carry.minValue == [0x01, 0x02, 0xFF, 0xFF])
    }

    @Test func allFFBinaryMaxIsDropped() throws {
        let options = WriterOptions(statisticsTruncateLength: 4)
        let (stats, summary) = try Self.single(.binary, [Array(repeating: 0xFF, count: 10), [0x00]], options: options)
        #expect(stats.minValue == [0x00] && stats.isMinValueExact == true)
        #expect(stats.maxValue == nil && stats.isMaxValueExact == nil)
        #expect(summary.minimum == .bytes([0x00]) && summary.maximum == nil)
    }

    @Test func truncatedStringBoundsStayValidUTF8() throws {
        let options = WriterOptions(statisticsTruncateLength: 5)
        // "ééééé" is 10 bytes; a 5-byte cut would split the third é.
        let (stats, summary) = try Self.single(.string, ["ééééé", "aaaaaaaa"], options: options)
        let min = try #require(stats.minValue)
        let max = try #require(stats.maxValue)
        #expect(min == Array("aaaaa".utf8) && stats.isMinValueExact == false)
        #expect(String(validating: max, as: UTF8.self) == "éê")
        #expect(stats.isMaxValueExact == false)
        #expect(max.lexicographicallyPrecedes(Array("ééééé".utf8)) == false)
        #expect(summary.maximum == .string("éê") && summary.minimum == .string("aaaaa"))

        // A last character that cannot be incremented within the limit gives way to an earlier one.
        let (carry, _) = try Self.single(.string, ["a\u{10FFFF}\u{10FFFF}"], options: WriterOptions(statisticsTruncateLength: 6))
        #expect(carry.maxValue == Array("b".utf8))
        #expect(carry.minValue == Array("a\u{10FFFF}".utf8))

        // U+007F grows to two bytes when incremented: it must still fit the limit.
        let (grow, _) = try Self.single(.string, ["ab\u{7F}cdef"], options: WriterOptions(statisticsTruncateLength: 3))
        let grown = try #require(grow.maxValue)
        #expect(grown.count <= 3 && String(validating: grown, as: UTF8.self) != nil)
        #expect(grown == Array("ac".utf8))

        // Skips the surrogate range: U+D7FF increments to U+E000.
        let (surrogate, _) = try Self.single(.string, ["\u{D7FF}xyz"], options: WriterOptions(statisticsTruncateLength: 3))
        #expect(surrogate.maxValue == Array("\u{E000}".utf8))
    }

    @Test func fixedWidthBoundsAreNeverTruncated() throws {
        let options = WriterOptions(statisticsTruncateLength: 2)
        let (uuid, _) = try Self.single(.uuid, ["01234567-89ab-cdef-0123-456789abcdef"], options: options)
        #expect(uuid.minValue?.count == 16 && uuid.maxValue?.count == 16)
        #expect(uuid.isMinValueExact == true && uuid.isMaxValueExact == true)
        let (decimal, _) = try Self.single(.decimal(precision: 30, scale: 0), ["12345"], options: options)
        #expect(decimal.maxValue == bigEndianBytes(12345, width: 13))
        let (fixed, _) = try Self.single(.fixedBinary(length: 5), [[1, 2, 3, 4, 5]] as [[UInt8]], options: options)
        #expect(fixed.maxValue == [1, 2, 3, 4, 5])
    }

    @Test func noTruncationWhenTheLimitIsNil() throws {
        let long = String(repeating: "x", count: 500)
        let (stats, _) = try Self.single(.string, [long], options: WriterOptions(statisticsTruncateLength: nil))
        #expect(stats.minValue == Array(long.utf8) && stats.maxValue == Array(long.utf8))
        let (defaulted, _) = try Self.single(.string, [long])
        #expect(defaulted.minValue?.count == 64 && defaulted.isMinValueExact == false)
    }

    // MARK: Whole-file summary

    @Test func summaryMergesRowGroups() throws {
        let options = WriterOptions(rowGroupRows: 3)
        let ints: [Int64?] = [5, 6, 7, 1, nil, 8, 4, 4, 9, nil]
        let (groups, summary) = try Self.statistics(.int64, ints, options: options)
        #expect(groups.count == 4)
        #expect(groups.map(\.nullCount) == [0, 1, 0, 1])
        #expect(groups[1].minValue == littleEndianBytes(Int64(1)))
        #expect(groups[3].minValue == nil)
        #expect(summary == ColumnSummary(name: "c", nullCount: 2, minimum: .int(1), maximum: .int(9)))

        let strings: [String?] = ["m", "n", nil, nil, nil, nil, "b", "zz", "c"]
        let (_, stringSummary) = try Self.statistics(.string, strings, options: options)
        #expect(stringSummary == ColumnSummary(name: "c", nullCount: 4, minimum: .string("b"), maximum: .string("zz")))

        let unsigned: [UInt64] = [1, UInt64.max, 2, 3]
        let (_, unsignedSummary) = try Self.statistics(.uint64, unsigned, options: options)
        #expect(unsignedSummary.minimum == .uint(1) && unsignedSummary.maximum == .uint(.max))

        let decimals = ["1", "2", "3", "-4"]
        let (_, decimalSummary) = try Self.statistics(.decimal(precision: 25, scale: 0), decimals, options: options)
        #expect(decimalSummary.minimum == .bytes(bigEndianBytes(-4, width: 11)))
        #expect(decimalSummary.maximum == .bytes(bigEndianBytes(3, width: 11)))

        let doubles: [Double] = [.nan, .nan, .nan, 2, -0.0, 3]
        let (_, doubleSummary) = try Self.statistics(.float64, doubles, options: options)
        #expect(doubleSummary.minimum == .float(-0.0) && doubleSummary.maximum == .float(3))
    }

    @Test func summaryHasNoMaximumWhenAGroupDroppedIt() throws {
        let options = WriterOptions(rowGroupRows: 1, statisticsTruncateLength: 2)
        let (groups, summary) = try Self.statistics(.binary, [[0x01], [0xFF, 0xFF, 0xFF]] as [[UInt8]], options: options)
        #expect(groups.count == 2 && groups[1].maxValue == nil)
        #expect(summary.minimum == .bytes([0x01]))
        #expect(summary.maximum == nil)
    }

    // MARK: Helpers

    @Test func byteArrayBoundHelpers() {
        #expect(ByteArrayStatistics.incrementedPrefix([0x01, 0xFF], 2) == [0x02])
        #expect(ByteArrayStatistics.incrementedPrefix([0xFF, 0xFF, 0x00], 2) == nil)
        #expect(ByteArrayStatistics.incrementedPrefix([0x41, 0x42, 0x43], 5) == [0x41, 0x42, 0x44])
        #expect(ByteArrayStatistics.utf8Prefix(Array("aé".utf8), 2) == Array("a".utf8))
        #expect(ByteArrayStatistics.utf8Prefix(Array("é".utf8), 1) == [])
        #expect(ByteArrayStatistics.incrementedUTF8Prefix(Array("az".utf8), 1) == Array("b".utf8))
        #expect(ByteArrayStatistics.incrementedUTF8Prefix(Array("\u{10FFFF}x".utf8), 4) == nil)
        func signed(_ a: [UInt8], _ b: [UInt8]) -> Int {
            a.withUnsafeBytes { x in b.withUnsafeBytes { y in ByteArrayStatistics.compareSignedBigEndian(x, y) } }
        }
        #expect(signed([0xFF, 0x00], [0x00, 0x01]) < 0)
        #expect(signed([0x80, 0x00], [0xFF, 0xFF]) < 0)
        #expect(signed([0x00, 0x80], [0x00, 0x7F]) > 0)
        #expect(signed([0x12, 0x34], [0x12, 0x34]) == 0)
    }
}
