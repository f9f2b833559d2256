import Testing
@testable import Parquet
@testable import ParquetJSON

/// `SchemaInference` over strings: timestamps, dates and exact decimals, and what keeps text
/// a string; then the decoder reading the inferred schema back from the same batch.
@Suite struct StringInferenceTests {
    func infer(_ text: String, inferStrings: Bool = true) throws(ParquetError) -> [Field]? {
        try Array(text.utf8).withUnsafeBufferPointer { (buffer) throws(ParquetError) -> [Field]? in
            try SchemaInference.infer(UnsafeRawBufferPointer(buffer), inferStrings: inferStrings)?.fields
        }
    }

    /// The type inferred for key `v` over the given JSON values.
    func type(_ values: String...) throws(ParquetError) -> DataType? {
        try infer(values.map { "{\"v\": \($0)}" }.joined(separator: "\n"))?.first?.type
    }

    @Test func timestampsWithAZoneAreUTC() throws {
        #expect(try type(#""2024-01-02T03:04:05Z""#, #""2024-01-02T03:04:05.123+01:00""#, "null")
            == .timestamp(.microseconds, utc: true))
        #expect(try type(#""2024-01-02t03:04:05.123456z""#, #""1999-12-31 23:59:59-08:00""#)
            == .timestamp(.microseconds, utc: true))
    }

    @Test func timestampsWithoutAZoneAreLocal() throws {
        #expect(try type(#""2024-01-02T03:04:05""#, #""2024-01-02 03:04:05.5""#) == .timestamp(.microseconds, utc: false))
    }

    @Test func zonedAndNaiveTogetherStayStrings() throws {
        #expect(try type(#""2024-01-02T03:04:05Z""#, #""2024-01-02T03:04:05""#) == .string)
    }

    @Test func notQuiteTimestampsStayStrings() throws {
        // Out of range, below microseconds, a bad offset, trailing text, no seconds.
        #expect(try type(#""2024-13-02T03:04:05Z""#) == .string)
        #expect(try type(#""2024-01-02T03:04:05.1234567Z""#) == .string)
        #expect(try type(#""2024-01-02T03:04:05+25:00""#) == .string)
        #expect(try type(#""2024-01-02T03:04:05Z trailing""#) == .string)
        #expect(try type(#""2024-01-02T03:04""#) == .string)
    }

    @Test func datesAreDates() throws {
        #expect(try type(#""2024-02-29""#, #""0001-01-01""#) == .date)
        #expect(try type(#""2023-02-29""#) == .string)
        #expect(try type(#""2024-01-02""#, #""2024-01-02T00:00:00""#) == .string)
    }

    @Test func exactDecimalsAreDecimals() throws {
        #expect(try type(#""12.50""#, #""-0.125""#, #""007.5""#) == .decimal(precision: 5, scale: 3))
        #expect(try type(#""0.5""#) == .decimal(precision: 1, scale: 1))
        let wide = String(repeating: "9", count: 30) + "." + String(repeating: "1", count: 8)
        #expect(try type("\"\(wide)\"") == .decimal(precision: 38, scale: 8))
        // 39 digits overall, even when spread over two values, do not fit.
        #expect(try type("\"\(wide)1\"") == .string)
        #expect(try type("\"\(String(repeating: "9", count: 31)).1\"", #""0.12345678""#) == .string)
    }

    @Test func notQuiteDecimalsStayStrings() throws {
        for text in [#""1""#, #""1.""#, #"".5""#, #""+1.5""#, #""1e5""#, #""1.5e2""#, #""1,5""#, #""-""#, #""1.2.3""#] {
            #expect(try type(text) == .string, "\(text)")
        }
        #expect(try type(#""1.5""#, #""abc""#) == .string)
        #expect(try type(#""1.5""#, #""2024-01-02""#) == .string)
    }

    @Test func stringsWithOtherKindsAreStillJSON() throws {
        #expect(try type(#""2024-01-02""#, "1") == .json)
        #expect(try type(#""1.5""#, "true") == .json)
    }

    @Test func inferStringsOffKeepsText() throws {
        let fields = try infer(#"{"t": "2024-01-02T03:04:05Z", "d": "2024-01-02", "m": "1.5"}"#, inferStrings: false)
        #expect(fields == [Field("t", .string), Field("d", .string), Field("m", .string)])
    }

    @Test func nestedStringsAreInferredToo() throws {
        let fields = try infer(#"{"o": {"d": "2024-01-02"}, "l": ["1.25", "2.5"]}"#)
        #expect(fields == [
            Field("o", .struct(fields: [Field("d", .date)])), Field("l", .list(.decimal(precision: 3, scale: 2))),
        ])
    }

    @Test func theDecoderReadsTheBatchInferredFrom() throws {
        let text = """
            {"t": "2024-01-02T03:04:05.000001Z", "n": "1970-01-01 00:00:01", "d": "1970-01-02", "m": "-1.5"}
            {"t": "2024-01-02T04:04:05+01:00", "n": "1970-01-01T00:00:00.25", "d": "2024-02-29", "m": "12.25"}
            """
        let schema = try #require(try Array(text.utf8).withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            try SchemaInference.infer(UnsafeRawBufferPointer(buffer))
        })
        var builders = makeBuilders(schema)
        let outcome = try decode(text, schema, into: &builders)
        #expect(outcome.rowsAccepted == 2)
        #expect(builders[0].int64s == [1_704_164_645_000_001, 1_704_164_645_000_000])
        #expect(builders[1].int64s == [1_000_000, 250_000])
        #expect(builders[2].int32s == [1, 19_782])
        #expect(builders[3].int32s == [-150, 1_225])
        // A later value that does not parse is an invalid record, as for a given schema.
        let error = decodeError(#"{"d": "not a date"}"#, schema)
        #expect(error?.column == "d")
    }
}
