import Testing
@testable import Parquet
@testable import ParquetJSON

@Suite struct TemporalDecodingTests {
    @Test func dates() throws {
        let schema = single(.date)
        var builders = makeBuilders(schema)
        let texts = ["1970-01-01", "1969-12-31", "2000-02-29", "2024-02-29", "0001-01-01", "9999-12-31", "0000-01-01", "2024-03-15"]
        try decode(texts.map { "{\"v\": \"\($0)\"}" }.joined(separator: "\n") + "\n{\"v\": 19797}\n{\"v\": -1}\n{\"v\": 2.0e1}", schema, into: &builders)
        #expect(builders[0].int32s == [0, -1, 11016, 19782, -719_162, 2_932_896, -719_528, 19797, 19797, -1, 20])
        for bad in ["1900-02-29", "2023-02-29", "2021-04-31", "2021-13-01", "2021-00-10", "2021-01-00", "2021-1-01", "20210101", "2021-01-01T00:00:00", "abcd-ef-gh", " 2021-01-01"] {
            let error = oneError("\"\(bad)\"", .date)
            #expect(error?.code == .invalidValue, "\(bad)")
            #expect(error?.column == "v")
            #expect(error?.offset == 6)
        }
        #expect(oneError("2147483648", .date)?.code == .valueOutOfRange)
        #expect(oneError("true", .date)?.code == .typeMismatch)
    }

    @Test func timesOfDay() throws {
        let ms = single(.time(.milliseconds))
        var builders = makeBuilders(ms)
        try decode(#"{"v": "12:34:56.789"} {"v": "00:00:00"} {"v": "23:59:59.999"} {"v": "23:59:59.999000"} {"v": 86399999} {"v": 5}"#, ms, into: &builders)
        #expect(builders[0].int32s == [45_296_789, 0, 86_399_999, 86_399_999, 86_399_999, 5])

        #expect(try decodeOne(#""12:34:56.789""#, .time(.microseconds)).int64s == [45_296_789_000])
        #expect(try decodeOne(#""00:00:00.000100""#, .time(.microseconds)).int64s == [100])
        #expect(try decodeOne(#""00:00:00.123456789""#, .time(.nanoseconds)).int64s == [123_456_789])
        #expect(try decodeOne(#""23:59:59.999999999""#, .time(.nanoseconds)).int64s == [86_399_999_999_999])

        let lossy = oneError(#""12:00:00.0001""#, .time(.milliseconds))
        #expect(lossy?.code == .invalidValue)
        #expect(lossy?.message.contains("would lose precision") == true)
        #expect(oneError(#""12:00:00.1234567""#, .time(.microseconds))?.code == .invalidValue)
        #expect(oneError(#""12:00:00.1234567891""#, .time(.nanoseconds))?.code == .invalidValue)
        // A time of day is in [0, 86400 s): 24:00:00 is refused (issue 11, finding 4).
        for bad in ["24:00:00", "24:00:00.000", "24:00:01", "24:00:00.001", "25:00:00", "12:60:00", "12:00:60", "12:00", "12:00:00.", "1:00:00", "12:00:00Z"] {
            #expect(oneError("\"\(bad)\"", .time(.milliseconds))?.code == .invalidValue, "\(bad)")
        }
        for unit in [TimeUnit.milliseconds, .microseconds, .nanoseconds] {
            #expect(oneError(#""24:00:00""#, .time(unit))?.code == .invalidValue, "\(unit)")
            let day = 86_400 * Int64(unit.perSecond)
            #expect(oneError("\(day)", .time(unit))?.code == .valueOutOfRange, "\(unit)")
            #expect(try decodeOne("\(day - 1)", .time(unit)).valueCount == 1, "\(unit)")
        }
        #expect(oneError("86400001", .time(.milliseconds))?.code == .valueOutOfRange)
        #expect(oneError("-1", .time(.microseconds))?.code == .valueOutOfRange)
    }

    @Test func rfc3339Timestamps() throws {
        let schema = single(.timestamp(.microseconds))
        var builders = makeBuilders(schema)
        let base: Int64 = 1_710_506_096_000_000  // 2024-03-15T12:34:56Z
        try decode(
            """
            {"v": "2024-03-15T12:34:56Z"}
            {"v": "2024-03-15t12:34:56z"}
            {"v": "2024-03-15 12:34:56"}
            {"v": "2024-03-15T18:04:56+05:30"}
            {"v": "2024-03-15T04:34:56-08:00"}
            {"v": "2024-03-15T12:34:56.789012Z"}
            {"v": "2024-03-15T12:34:56.5+00:00"}
            {"v": "1970-01-01T00:00:00Z"}
            {"v": "1969-12-31T23:59:59.999999Z"}
            {"v": "0001-01-01T00:00:00Z"}
            {"v": "2024-03-15T12:34:56.789012000Z"}
            {"v": 1710506096000000}
            {"v": -1}
            """, schema, into: &builders)
        #expect(builders[0].int64s == [
            base, base, base, base, base, base + 789_012, base + 500_000, 0, -1, -62_135_596_800_000_000, base + 789_012,
            base, -1,
        ])
    }

    @Test func timestampUnitsAndRange() throws {
        #expect(try decodeOne(#""2024-03-15T12:34:56.123Z""#, .timestamp(.milliseconds)).int64s == [1_710_506_096_123])
        #expect(try decodeOne(#""2024-03-15T12:34:56.123456789Z""#, .timestamp(.nanoseconds)).int64s == [1_710_506_096_123_456_789])
        #expect(try decodeOne(#""2262-04-11T23:47:16.854775807Z""#, .timestamp(.nanoseconds)).int64s == [.max])
        // The lowest second of the ns range: its whole seconds alone overflow Int64.
        #expect(try decodeOne(#""1677-09-21T00:12:43.145224192Z""#, .timestamp(.nanoseconds)).int64s == [.min])
        #expect(try decodeOne(#""1677-09-21T00:12:43.999999999Z""#, .timestamp(.nanoseconds)).int64s == [-9_223_372_036_000_000_001])
        #expect(oneError(#""1677-09-21T00:12:43.145224191Z""#, .timestamp(.nanoseconds))?.code == .valueOutOfRange)
        #expect(try decodeOne(#""9999-12-31T23:59:59Z""#, .timestamp(.microseconds)).int64s == [253_402_300_799_000_000])
        #expect(oneError(#""2262-04-11T23:47:16.854775808Z""#, .timestamp(.nanoseconds))?.code == .valueOutOfRange)
        #expect(oneError(#""1000-01-01T00:00:00Z""#, .timestamp(.nanoseconds))?.code == .valueOutOfRange)
        let lossy = oneError(#""2024-03-15T12:34:56.1234Z""#, .timestamp(.milliseconds))
        #expect(lossy?.code == .invalidValue)
        #expect(lossy?.message.contains("would lose precision") == true)
    }

    @Test func localTimestampsKeepTheWallClock() throws {
        let schema = single(.timestamp(.milliseconds, utc: false))
        var builders = makeBuilders(schema)
        try decode(#"{"v": "2024-03-15T12:34:56"} {"v": "2024-03-15T12:34:56Z"} {"v": "2024-03-15T14:34:56+02:00"}"#, schema, into: &builders)
        #expect(builders[0].int64s == [1_710_506_096_000, 1_710_506_096_000, 1_710_506_096_000])
    }

    @Test func invalidTimestamps() {
        for bad in [
            "2024-03-15", "2024-03-15T12:34", "2024-03-15X12:34:56Z", "2024-03-15T25:00:00Z", "2024-03-15T24:00:00Z",
            "2024-03-15T12:34:56+24:00", "2024-03-15T12:34:56+05:60", "2024-03-15T12:34:56+0530", "2024-03-15T12:34:56 Z",
            "2024-02-30T00:00:00Z", "2024-03-15T12:34:56.Z", "2024-03-15T12:34:56ZZ", "2024-03-15T12:34:56.1234567890Z",
        ] {
            let error = oneError("\"\(bad)\"", .timestamp(.nanoseconds))
            #expect(error?.code == .invalidValue, "\(bad)")
            #expect(error?.column == "v")
            #expect(error?.offset == 6)
        }
        #expect(oneError("true", .timestamp(.microseconds))?.code == .typeMismatch)
        #expect(oneError("1.5", .timestamp(.microseconds))?.code == .invalidValue)
    }
}
