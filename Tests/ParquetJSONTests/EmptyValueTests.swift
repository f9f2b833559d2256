import Testing
@testable import Parquet
@testable import ParquetJSON

/// Empty byte-array values as the first value a column gets in a batch (issue 11, finding 1).
///
/// The decoder writes byte values in place through `_ByteCursor`, whose storage pointer is
/// taken on the first reservation of a batch. A zero-byte reservation used to return that
/// pointer before it was taken, which traps in debug builds ("unsafelyUnwrapped of nil").
/// These run in the debug build of `make test`, where the trap was.
@Suite struct EmptyValueTests {
    @Test func emptyStringFirst() throws {
        let schema = try Schema([Field("id", .int64, nullable: false), Field("s", .string)])
        var builders = makeBuilders(schema)
        try decode(#"[{"id":1,"s":""},{"id":2,"s":"x"},{"id":3,"s":""}]"#, schema, into: &builders)
        #expect(stringValues(builders[1]) == ["", "x", ""])
        checkConsistent(builders, rows: 3)
    }

    @Test func emptyValuesOfEveryByteArrayKind() throws {
        // Each column's first value is empty; a second batch starts from a non-empty buffer.
        let schema = try Schema([
            Field("s", .string), Field("b", .binary), Field("j", .json),
            Field("l", .list(.string)), Field("m", .map(.string, .binary)),
        ])
        var builders = makeBuilders(schema)
        try decode(#"{"s":"","b":"","j":"","l":[""],"m":{"":""}}"#, schema, into: &builders)
        try decode(#"{"s":"a","b":"AQ==","j":"1","l":["y",""],"m":{"k":"AA=="}} {"s":"","b":"","j":"","l":[""],"m":{"":""}}"#, schema, into: &builders)
        #expect(stringValues(builders[0]) == ["", "a", ""])
        #expect(byteValues(builders[1]) == [[], [1], []])
        #expect(stringValues(builders[2]) == ["\"\"", "\"1\"", "\"\""])
        #expect(stringValues(builders[3]) == ["", "y", "", ""])
        #expect(stringValues(builders[4]) == ["", "k", ""])
        #expect(byteValues(builders[5]) == [[], [0], []])
    }

    @Test func emptyStringThroughInferenceAndTheWriter() throws {
        for batch in [#"[{"a":""}]"#, #"[{"bin":""}]"#, #"[{"id":1,"s":""}]"#] {
            let path = JSONBatchWriterTests.temporaryPath("empty.parquet")
            let text = Array(#"{"path":"\#(path)"}"#.utf8)
            let configuration = try text.withUnsafeBytes { (bytes) throws(ParquetError) in
                try WriterConfiguration(jsonText: bytes)
            }
            let writer = try ConfiguredJSONWriter(configuration: configuration)
            let result = try writer.write(batch)
            #expect(result.rowsWritten == 1)
            let files = try writer.close()
            #expect(files.first?.rows == 1)
        }
    }
}
