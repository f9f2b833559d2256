import Testing
@testable import ParquetThrift

@Suite struct LogicalTypeTests {
    @Test func timestampMicros() throws {
        let value = LogicalType.timestamp(isAdjustedToUTC: true, unit: .micros)
        let expected: [UInt8] = [
            0x8C,  // LogicalType member TIMESTAMP = 8: delta 8 << 4 | STRUCT (12)
            0x11,  //   TimestampType.isAdjustedToUTC (1): BOOLEAN_TRUE in the nibble
            0x1C,  //   TimestampType.unit (2): delta 1, STRUCT
            0x2C,  //     TimeUnit member MICROS = 2: delta 2 from a fresh 0, STRUCT
            0x00,  //       MicroSeconds is empty: just stop
            0x00,  //     TimeUnit stop
            0x00,  //   TimestampType stop
            0x00,  // LogicalType stop
        ]
        #expect(value.serialized().bytes == expected)
        #expect(try LogicalType.decode(from: expected) == value)
    }

    @Test func integerEightSigned() throws {
        let value = LogicalType.integer(bitWidth: 8, isSigned: true)
        let expected: [UInt8] = [
            0xAC,  // member INTEGER = 10: delta 10 << 4 | STRUCT
            0x13, 0x08,  //   IntType.bitWidth (1): BYTE (3), raw byte 8
            0x11,  //   IntType.isSigned (2): delta 1, BOOLEAN_TRUE
            0x00,  //   IntType stop
            0x00,  // LogicalType stop
        ]
        #expect(value.serialized().bytes == expected)
        #expect(try LogicalType.decode(from: expected) == value)
    }

    @Test func otherShapes() throws {
        // DECIMAL = 5 { scale (1) = zigzag(2) = 4, precision (2) = zigzag(10) = 20 }
        #expect(LogicalType.decimal(scale: 2, precision: 10).serialized().bytes
            == [0x5C, 0x15, 0x04, 0x15, 0x14, 0x00, 0x00])
        // STRING = 1 holds the empty StringType.
        #expect(LogicalType.string.serialized().bytes == [0x1C, 0x00, 0x00])
        // TIME = 7 { isAdjustedToUTC (1) false = nibble 2, unit (2, delta 1) { MILLIS = 1 {} } }
        #expect(LogicalType.time(isAdjustedToUTC: false, unit: .millis).serialized().bytes
            == [0x7C, 0x12, 0x1C, 0x1C, 0x00, 0x00, 0x00, 0x00])
        // FLOAT16 = 15 is the largest id that still fits the short form from 0.
        #expect(LogicalType.float16.serialized().bytes == [0xFC, 0x00, 0x00])
    }

    @Test func everyCaseRoundTrips() throws {
        let all: [LogicalType] = [
            .string, .map, .list, .enum, .decimal(scale: 0, precision: 38), .date,
            .time(isAdjustedToUTC: true, unit: .nanos), .timestamp(isAdjustedToUTC: false, unit: .millis),
            .integer(bitWidth: 64, isSigned: false), .integer(bitWidth: 16, isSigned: true),
            .unknown, .json, .bson, .uuid, .float16, .other(fieldID: 16), .other(fieldID: 200),
        ]
        for value in all {
            #expect(try LogicalType.decode(from: value.serialized()) == value, "\(value)")
        }
    }

    @Test func unmodelledMemberWithPayloadDecodesAsOther() throws {
        // GEOMETRY = 17 { crs (1) = "x" }: long-form header since 17 > 15.
        let bytes: [UInt8] = [0x0C, 0x22, 0x18, 0x01, 0x78, 0x00, 0x00]
        #expect(try LogicalType.decode(from: bytes) == .other(fieldID: 17))
    }

    @Test func schemaElementWithLogicalType() throws {
        let element = SchemaElement(
            name: "ts", type: .int64, repetitionType: .optional,
            logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros)
        )
        let expected: [UInt8] = [
            0x15, 0x04,  // type (1) = INT64 (2), zigzag 4
            0x25, 0x02,  // repetition_type (3): delta 2, OPTIONAL (1), zigzag 2
            0x18, 0x02, 0x74, 0x73,  // name (4): delta 1, BINARY, "ts"
            0x6C,  // logicalType (10): delta 6, STRUCT
            0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00,  // the TIMESTAMP union as above
            0x00,
        ]
        #expect(element.serialized().bytes == expected)
        #expect(try SchemaElement.decode(from: expected) == element)
    }

    @Test func unionsRejectZeroOrTwoMembers() {
        #expect(throws: ThriftError.invalidUnion(type: "LogicalType")) {
            try LogicalType.decode(from: [0x00])
        }
        #expect(throws: ThriftError.invalidUnion(type: "LogicalType")) {
            try LogicalType.decode(from: [0x1C, 0x00, 0x1C, 0x00, 0x00])  // STRING and MAP
        }
        #expect(throws: ThriftError.invalidUnion(type: "TimeUnit")) {
            try TimeUnit.decode(from: [0x4C, 0x00, 0x00])  // member 4 does not exist
        }
        #expect(throws: ThriftError.invalidUnion(type: "ColumnOrder")) {
            try ColumnOrder.decode(from: [0x00])
        }
    }

    @Test func columnOrderKeepsUnknownMembers() throws {
        // IEEE_754_TOTAL_ORDER = 2 in newer parquet.thrift.
        let bytes: [UInt8] = [0x2C, 0x00, 0x00]
        let order = try ColumnOrder.decode(from: bytes)
        #expect(order == .other(fieldID: 2))
        #expect(order.serialized().bytes == bytes)
    }
}
