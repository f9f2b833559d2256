@testable import Parquet
import ParquetJSON
import Testing

@testable import ParquetCABI

/// The JSON the entry points return: results, errors, summaries, and statistics per type.
@Suite struct RenderingTests {
    func rendered(_ value: StatisticValue, _ type: DataType) -> String {
        var json = JSONWriter()
        StatisticRendering.write(value, type: type, into: &json)
        return json.text
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01"), (-1, "1969-12-31"), (19_723, "2024-01-01"), (19_782, "2024-02-29"),
        (-719_528, "0000-01-01"), (2_932_896, "9999-12-31"), (2_932_897, "+10000-01-01"),
        (-719_529, "-0001-12-31"), (Int64(Int32.max), "+5881580-07-11"), (Int64(Int32.min), "-5877641-06-23"),
    ])
    func dates(_ days: Int64, _ text: String) {
        #expect(StatisticRendering.date(days: days) == text)
        #expect(rendered(.int(days), .date) == "\"\(text)\"")
    }

    @Test func times() {
        #expect(StatisticRendering.time(0, unit: .milliseconds) == "00:00:00.000")
        #expect(StatisticRendering.time(45_296_789, unit: .milliseconds) == "12:34:56.789")
        #expect(StatisticRendering.time(45_296_000_001, unit: .microseconds) == "12:34:56.000001")
        #expect(StatisticRendering.time(86_399_999_999_999, unit: .nanoseconds) == "23:59:59.999999999")
        #expect(StatisticRendering.time(86_400_000, unit: .milliseconds) == "24:00:00.000")
        #expect(rendered(.int(1_000), .time(.microseconds)) == #""00:00:00.001000""#)
    }

    @Test func timestamps() {
        #expect(StatisticRendering.timestamp(0, unit: .microseconds, utc: true) == "1970-01-01T00:00:00.000000Z")
        #expect(StatisticRendering.timestamp(-1, unit: .milliseconds, utc: true) == "1969-12-31T23:59:59.999Z")
        #expect(StatisticRendering.timestamp(1_704_164_645_678, unit: .milliseconds, utc: false) == "2024-01-02T03:04:05.678")
        #expect(StatisticRendering.timestamp(Int64.min, unit: .nanoseconds, utc: true) == "1677-09-21T00:12:43.145224192Z")
        #expect(StatisticRendering.timestamp(Int64.max, unit: .nanoseconds, utc: true) == "2262-04-11T23:47:16.854775807Z")
        #expect(rendered(.int(1), .timestamp(.nanoseconds, utc: false)) == #""1970-01-01T00:00:00.000000001""#)
    }

    @Test func decimals() {
        #expect(StatisticRendering.decimal(unscaled: -12_345, scale: 2) == "-123.45")
        #expect(StatisticRendering.decimal(unscaled: 5, scale: 3) == "0.005")
        #expect(StatisticRendering.decimal(unscaled: -5, scale: 3) == "-0.005")
        #expect(StatisticRendering.decimal(unscaled: 0, scale: 2) == "0.00")
        #expect(StatisticRendering.decimal(unscaled: 150, scale: 2) == "1.50")
        #expect(StatisticRendering.decimal(unscaled: 123, scale: 0) == "123")
        let max38 = Int128("99999999999999999999999999999999999999")!
        #expect(StatisticRendering.decimal(unscaled: -max38, scale: 38) == "-0.99999999999999999999999999999999999999")
        #expect(rendered(.int(-12_345), .decimal(precision: 9, scale: 2)) == #""-123.45""#)
        // Wide decimals come as big-endian two's complement bytes.
        #expect(rendered(.bytes([0xFF, 0xCF, 0xC7]), .decimal(precision: 20, scale: 2)) == #""-123.45""#)
        #expect(rendered(.bytes([0x00, 0x30, 0x39]), .decimal(precision: 20, scale: 1)) == #""1234.5""#)
        #expect(StatisticRendering.bigEndianTwosComplement([0xFF]) == -1)
        #expect(StatisticRendering.bigEndianTwosComplement([0x00, 0xFF]) == 255)
        #expect(StatisticRendering.bigEndianTwosComplement([0x80] + [UInt8](repeating: 0, count: 15)) == Int128.min)
    }

    @Test func bytesUUIDAndBase64() {
        #expect(StatisticRendering.base64([]) == "")
        #expect(StatisticRendering.base64(Array("f".utf8)) == "Zg==")
        #expect(StatisticRendering.base64(Array("fo".utf8)) == "Zm8=")
        #expect(StatisticRendering.base64(Array("foo".utf8)) == "Zm9v")
        #expect(StatisticRendering.base64(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(StatisticRendering.base64([0xFF, 0xFE, 0x00]) == "//4A")
        let uuid: [UInt8] = [0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00]
        #expect(StatisticRendering.uuid(uuid) == "123e4567-e89b-12d3-a456-426614174000")
        #expect(rendered(.bytes(uuid), .uuid) == #""123e4567-e89b-12d3-a456-426614174000""#)
        #expect(rendered(.bytes([0, 1, 2]), .binary) == #""AAEC""#)
        #expect(rendered(.bytes([0, 1, 2]), .fixedBinary(length: 3)) == #""AAEC""#)
    }

    @Test func numbersBooleansAndText() {
        #expect(rendered(.int(-42), .int8) == "-42")
        #expect(rendered(.int(Int64.min), .int64) == "-9223372036854775808")
        #expect(rendered(.uint(UInt64.max), .uint64) == "18446744073709551615")
        #expect(rendered(.uint(4_294_967_295), .uint32) == "4294967295")
        #expect(rendered(.float(Double(Float(0.1))), .float32) == "0.1")
        #expect(rendered(.float(0.1), .float64) == "0.1")
        #expect(rendered(.float(-.infinity), .float32) == #""-Infinity""#)
        #expect(rendered(.float(.infinity), .float64) == #""Infinity""#)
        #expect(rendered(.float(1e300), .float64) == "1e+300")
        #expect(rendered(.boolean(true), .boolean) == "true")
        #expect(rendered(.string("a\"b\n"), .string) == #""a\"b\n""#)
        #expect(rendered(.string(#"{"k":[1]}"#), .json) == #""{\"k\":[1]}""#)
    }

    @Test func errorObjectsAndFailures() {
        let error = ABIError(ParquetError(.valueOutOfRange, "300 is out of range", column: "small", row: 2, offset: 17))
        #expect(ResultRendering.errorObject(error).text
            == #"{"code":"value_out_of_range","message":"300 is out of range","column":"small","row":2,"offset":17}"#)
        #expect(ResultRendering.failure(.invalidArgument("the writer is NULL")).text
            == #"{"ok":false,"error":{"code":"invalid_argument","message":"the writer is NULL","column":null,"row":null,"offset":null}}"#)
        #expect(ABIError.invalidHandle.code == "invalid_handle")
    }

    @Test func batchResults() {
        #expect(ResultRendering.batch(JSONBatchResult(rowsWritten: 3, rejected: []), fileSchema: nil).text
            == #"{"ok":true,"rows_written":3,"rows_rejected":0,"errors":[],"files":[],"unknown_keys":{}}"#)
        let rejected = [
            ParquetError(.typeMismatch, "expected an integer", column: "id", row: 1, offset: 40),
            ParquetError(.invalidRecord, "not an object", row: 3, offset: 90),
        ]
        #expect(ResultRendering.batch(JSONBatchResult(rowsWritten: 2, rejected: rejected), fileSchema: nil).text
            == #"{"ok":true,"rows_written":2,"rows_rejected":2,"errors":["#
            + #"{"code":"type_mismatch","message":"expected an integer","column":"id","row":1,"offset":40},"#
            + #"{"code":"invalid_record","message":"not an object","column":null,"row":3,"offset":90}],"files":[],"#
            + #""unknown_keys":{}}"#)
        // Unknown keys in order of first appearance, names escaped as JSON strings.
        let drifted = JSONBatchResult(
            rowsWritten: 2, rejected: [],
            unknownKeys: [UnknownKeyCount(name: "extra", records: 2), UnknownKeyCount(name: "s.\"q\"", records: 1)])
        #expect(ResultRendering.batch(drifted, fileSchema: nil).text
            == #"{"ok":true,"rows_written":2,"rows_rejected":0,"errors":[],"files":[],"unknown_keys":{"extra":2,"s.\"q\"":1}}"#)
    }

    @Test func closeSummary() throws {
        let schema = try Schema([Field("id", .int64), Field("when", .date), Field("empty", .string)])
        let summary = WriteSummary(
            path: "/tmp/out.parquet", rows: 5, rowGroups: 2, bytes: 1234,
            columns: [
                ColumnSummary(name: "id", nullCount: 1, minimum: .int(-3), maximum: .int(9)),
                ColumnSummary(name: "when", nullCount: 0, minimum: .int(0), maximum: .int(19_723)),
                ColumnSummary(name: "empty", nullCount: 5, minimum: nil, maximum: nil),
            ])
        let finished = WriterHandle.Finished(
            files: [summary], fileSchema: schema, rowsWritten: 5, rowsRejected: 4,
            unknownKeys: [UnknownKeyCount(name: "late", records: 3)])
        #expect(ResultRendering.summary(finished).text
            == #"{"ok":true,"rows_written":5,"rows_rejected":4,"files":[{"path":"/tmp/out.parquet","rows":5,"bytes":1234,"row_groups":2,"columns":{"#
            + #""id":{"null_count":1,"min":-3,"max":9},"#
            + #""when":{"null_count":0,"min":"1970-01-01","max":"2024-01-01"},"#
            + #""empty":{"null_count":5}}}],"unknown_keys":{"late":3}}"#)
    }

    /// Batch results list the files a dataset finished, each rendered with the file schema
    /// (a nested schema's leaves, not its top-level fields, give the types).
    @Test func batchResultsListFinishedFiles() throws {
        let schema = try Schema([Field("point", .struct(fields: [Field("day", .date), Field("n", .int32)])), Field("id", .int64)])
        let file = WriteSummary(
            path: "/d/a=1/part-00000-x.parquet", rows: 2, rowGroups: 1, bytes: 99,
            columns: [
                ColumnSummary(name: "point.day", nullCount: 0, minimum: .int(1), maximum: .int(2)),
                ColumnSummary(name: "point.n", nullCount: 1, minimum: .int(7), maximum: .int(7)),
                ColumnSummary(name: "id", nullCount: 0, minimum: .int(1), maximum: .int(2)),
            ])
        let result = JSONBatchResult(rowsWritten: 2, rejected: [], files: [file])
        #expect(ResultRendering.batch(result, fileSchema: schema).text
            == #"{"ok":true,"rows_written":2,"rows_rejected":0,"errors":[],"files":[{"path":"/d/a=1/part-00000-x.parquet","rows":2,"bytes":99,"row_groups":1,"columns":{"#
            + #""point.day":{"null_count":0,"min":"1970-01-02","max":"1970-01-03"},"#
            + #""point.n":{"null_count":1,"min":7,"max":7},"#
            + #""id":{"null_count":0,"min":1,"max":2}}}],"unknown_keys":{}}"#)
    }
}
