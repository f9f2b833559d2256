import Testing
import ParquetThrift
@testable import ParquetCLI

/// Statistic bytes decoded by type, including layouts the package's writer never produces
/// (FLOAT16, wide and negative-scale decimals, nanosecond timestamps) and bytes that do not
/// fit their type.
@Suite struct InspectValueDecoderTests {
    static func decode(_ bytes: [UInt8], _ physical: PhysicalType, _ kind: InspectValueKind = .plain) -> InspectValue {
        InspectValueDecoder.decode(bytes, physical: physical, kind: kind)
    }

    static func le(_ value: Int64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    @Test func integersByMeaning() {
        #expect(Self.decode(Self.le(-5, 4), .int32) == .integer(-5))
        #expect(Self.decode(Self.le(-1, 4), .int32, .unsigned) == .unsigned(4_294_967_295))
        #expect(Self.decode(Self.le(-1, 8), .int64, .unsigned) == .unsigned(UInt64.max))
        #expect(Self.decode(Self.le(Int64.min, 8), .int64) == .integer(Int64.min))
        #expect(Self.decode([1, 0, 0], .int32) == .text("0x010000"))  // wrong width: raw
        #expect(Self.decode([2], .boolean) == .text("0x02"))  // neither false nor true: raw
        #expect(Self.decode([1], .boolean) == .boolean(true))
        #expect(Self.decode(Array(repeating: 0xAB, count: 12), .int96) == .text("0x" + String(repeating: "ab", count: 12)))
    }

    @Test func datesTimesAndTimestamps() {
        #expect(Self.decode(Self.le(-719_528, 4), .int32, .date) == .text("0000-01-01"))
        #expect(Self.decode(Self.le(2_932_896, 4), .int32, .date) == .text("9999-12-31"))
        #expect(Self.decode(Self.le(-1, 8), .int64, .timestamp(.nanos, utc: true))
            == .text("1969-12-31T23:59:59.999999999Z"))
        #expect(Self.decode(Self.le(1_700_000_000_123_456, 8), .int64, .timestamp(.micros, utc: false))
            == .text("2023-11-14T22:13:20.123456"))
        #expect(Self.decode(Self.le(45_296_789_000, 8), .int64, .time(.micros)) == .text("12:34:56.789000"))
        #expect(Self.decode(Self.le(45_296_789, 4), .int32, .time(.millis)) == .text("12:34:56.789"))
        // Extremes render (with expanded years) instead of trapping.
        if case .text(let text) = Self.decode(Self.le(Int64.min, 8), .int64, .timestamp(.millis, utc: true)) {
            #expect(text.hasPrefix("-") && text.hasSuffix("Z"))
        } else {
            Issue.record("not text")
        }
        _ = Self.decode(Self.le(Int64.max, 8), .int64, .timestamp(.nanos, utc: false))
        _ = Self.decode(Self.le(Int64.min, 8), .int64, .time(.nanos))
    }

    @Test func decimals() {
        #expect(Self.decode(Self.le(-1, 4), .int32, .decimal(scale: 2)) == .text("-0.01"))
        #expect(Self.decode(Self.le(1250, 8), .int64, .decimal(scale: 2)) == .text("12.50"))
        #expect(Self.decode(Self.le(12, 8), .int64, .decimal(scale: -3)) == .text("12000"))
        #expect(Self.decode(Self.le(0, 8), .int64, .decimal(scale: 0)) == .text("0"))
        #expect(Self.decode(Self.le(Int64.min, 8), .int64, .decimal(scale: 4)) == .text("-922337203685477.5808"))
        #expect(Self.decode([0xFF, 0x85], .fixedLenByteArray, .decimal(scale: 1)) == .text("-12.3"))
        #expect(Self.decode([0x80], .byteArray, .decimal(scale: 0)) == .text("-128"))
        // 2^159 - 1 in 20 bytes: wider than Int128.
        let wide: [UInt8] = [0x7F] + Array(repeating: 0xFF, count: 19)
        #expect(Self.decode(wide, .fixedLenByteArray, .decimal(scale: 10))
            == .text("73075081866545145910184241635814150982.7966271487"))
        #expect(Self.decode([0x01], .byteArray, .decimal(scale: 1_000_000)) == .text("1E-1000000"))
        #expect(Self.decode([], .byteArray, .decimal(scale: 2)) == .text("0x"))
    }

    @Test func floatsTextAndBytes() {
        #expect(Self.decode(Array(Float(0.1).bitPattern.littleEndianBytes), .float) == .float(0.1))
        #expect(Self.decode(Array(Double(-2.5).bitPattern.littleEndianBytes), .double) == .double(-2.5))
        #expect(Self.decode([0x00, 0x3E], .fixedLenByteArray, .float16) == .float(1.5))
        #expect(Self.decode([0x01, 0x00], .fixedLenByteArray, .float16) == .float(0x1p-24))
        #expect(Self.decode([0x00, 0xFC], .fixedLenByteArray, .float16) == .float(-.infinity))
        #expect(Self.decode([0xFF, 0x7B], .fixedLenByteArray, .float16) == .float(65504))
        #expect(Self.decode(Array("héllo".utf8), .byteArray, .text) == .text("héllo"))
        #expect(Self.decode([0xC3], .byteArray, .text) == .text("0xc3"))  // invalid UTF-8: raw
        #expect(Self.decode(Array(0..<16), .fixedLenByteArray, .uuid) == .text("00010203-0405-0607-0809-0a0b0c0d0e0f"))
        #expect(Self.decode(Array(0..<15), .fixedLenByteArray, .uuid) == .text("0x" + "000102030405060708090a0b0c0d0e"))
        #expect(Self.decode([0xDE, 0xAD], .byteArray) == .text("0xdead"))
    }

    @Test func annotationsAndKinds() {
        let timestamp = InspectColumnType(SchemaElement(name: "t", type: .int64, convertedType: .timestampMillis))
        #expect(timestamp.valueKind == .timestamp(.millis, utc: true))
        #expect(timestamp.annotation == "TIMESTAMP_MILLIS")
        let unsigned = InspectColumnType(
            SchemaElement(name: "u", type: .int64, logicalType: .integer(bitWidth: 64, isSigned: false)))
        #expect(unsigned.valueKind == .unsigned && !unsigned.deprecatedStatisticsUsable)
        let legacyDecimal = InspectColumnType(
            SchemaElement(name: "d", type: .int32, convertedType: .decimal, scale: 2, precision: 9))
        #expect(legacyDecimal.annotation == "DECIMAL(9,2)" && legacyDecimal.valueKind == .decimal(scale: 2))
        #expect(InspectNames.logical(.other(fieldID: 16)) == "VARIANT")
        #expect(InspectNames.logical(.time(isAdjustedToUTC: true, unit: .nanos)) == "TIME(NANOS, utc)")
    }
}

extension FixedWidthInteger {
    /// The value's bytes, least significant first.
    fileprivate var littleEndianBytes: [UInt8] {
        (0..<(Self.bitWidth / 8)).map { UInt8(truncatingIfNeeded: self >> (8 * $0)) }
    }
}
