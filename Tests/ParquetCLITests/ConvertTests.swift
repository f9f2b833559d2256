import Parquet
@testable import ParquetCLI
import Testing

/// The JSON-array framing of `convert`: whatever the chunk boundaries, the same elements.
@Suite struct ConvertTests {
    /// Splits `text` fed in chunks of `size` bytes, as the read loop does (bytes are kept from
    /// the first unfinished element on).
    static func split(_ text: String, chunk size: Int) throws(JSONArraySplitter.FrameError) -> [String] {
        let input = Array(text.utf8)
        var splitter = JSONArraySplitter()
        var pending: [UInt8] = []
        var found: [String] = []
        var index = 0
        while index < input.count {
            let end = min(input.count, index + size)
            let from = pending.count
            pending += input[index..<end]
            index = end
            var elements: [Range<Int>] = []
            let snapshot = pending
            var copy = splitter
            try snapshot.withUnsafeBytes { raw in
                Result { () throws(JSONArraySplitter.FrameError) in try copy.scan(raw, from: from, into: &elements) }
            }.get()
            splitter = copy
            found += elements.map { String(decoding: pending[$0], as: UTF8.self) }
            let drop = splitter.elementStart ?? pending.count
            pending.removeFirst(drop)
            splitter.shift(by: drop)
        }
        try splitter.finish(at: input.count)
        return found
    }

    static let tricky = #" [ {"a": "x]}", "b": [1, [2, {"c": "\"]"}]]}, "str,]\\" , 12.5e3,{"d":{}} ,[ ],true , null ]  "#
    static let trickyElements = [
        #"{"a": "x]}", "b": [1, [2, {"c": "\"]"}]]}"#, #""str,]\\""#, "12.5e3", #"{"d":{}}"#, "[ ]", "true", "null",
    ]

    @Test func elementsAreTheSameForEveryChunkSize() throws {
        for size in 1...Self.tricky.utf8.count {
            #expect(try Self.split(Self.tricky, chunk: size) == Self.trickyElements, "chunk size \(size)")
        }
    }

    @Test func emptyArraysAndWhitespace() throws {
        #expect(try Self.split("[]", chunk: 1).isEmpty)
        #expect(try Self.split(" \n[ \t\r\n ] \n", chunk: 3).isEmpty)
        #expect(try Self.split("[{}]", chunk: 1) == ["{}"])
    }

    @Test(arguments: [
        ("", "empty"), ("{\"a\": 1}", "expected a JSON array"), ("[{}", "']' is missing"), ("[{},]", "trailing comma"),
        ("[,{}]", "element is missing"), ("[{} {}]", "expected ',' or ']'"), ("[{}] x", "after the end of the array"),
        ("[\"abc", "']' is missing"), ("[{\"a\": [1, 2}", "']' is missing"),
    ])
    func framingErrors(input: String, words: String) {
        for size in [1, 2, 100] {
            do {
                _ = try Self.split(input, chunk: size)
                Issue.record("no error for \(input)")
            } catch {
                #expect(error.message.contains(words), "\(error.message)")
            }
        }
    }

    @Test func errorPositionsAreInputOffsets() {
        do {
            _ = try Self.split("[{}, {} x]", chunk: 100)  // one chunk: buffer positions are input offsets
            Issue.record("no error")
        } catch {
            #expect(error.position == 8)
        }
    }

    @Test func partitionSpecsOfTheWriterFlags() throws {
        #expect(try WriterFlags.partition("currency") == .object([("column", .string("currency"))]))
        #expect(try WriterFlags.partition("at:day")
            == .object([("column", .string("at")), ("transform", .string("day"))]))
        #expect(try WriterFlags.partition("d=at:hour")
            == .object([("column", .string("at")), ("transform", .string("hour")), ("name", .string("d"))]))
        #expect(throws: (any Error).self) { try WriterFlags.partition("d=") }
    }

    @Test func sortSpecsOfTheWriterFlags() throws {
        #expect(try WriterFlags.sortKey("day") == .object([("column", .string("day"))]))
        #expect(try WriterFlags.sortKey("amount:desc:nulls_first")
            == .object([("column", .string("amount")), ("descending", .bool(true)), ("nulls_first", .bool(true))]))
        #expect(throws: (any Error).self) { try WriterFlags.sortKey(":desc") }
        #expect(throws: (any Error).self) { try WriterFlags.sortKey("amount:down") }
        let flags = try WriterFlags.parse(["--sort-by", "b:desc", "--sort-by", "a"])
        let configuration = try flags.configuration(output: "/tmp/never-written.parquet", dataset: false)
        #expect(configuration.options.sortBy == [SortKey("b", descending: true), SortKey("a")])
    }

    @Test func unknownKeyFlagsBecomeConfigurationKeys() throws {
        let flags = try WriterFlags.parse(["--unknown-keys", "collect", "--unknown-keys-column", "extras", "--no-infer-strings"])
        let configuration = try flags.configuration(output: "/tmp/x.parquet", dataset: false)
        #expect(configuration.unknownKeys == .collect)
        #expect(configuration.unknownKeysColumn == "extras")
        #expect(configuration.inferStrings == false)
        let defaults = try WriterFlags.parse([]).configuration(output: "/tmp/x.parquet", dataset: false)
        #expect(defaults.unknownKeys == .ignore && defaults.unknownKeysColumn == "_unknown" && defaults.inferStrings)
        #expect(throws: (any Error).self) {
            try WriterFlags.parse(["--unknown-keys", "drop"]).configuration(output: "/tmp/x.parquet", dataset: false)
        }
    }

    @Test func threadFlagsTakeACountOrAuto() throws {
        func threads(_ arguments: [String]) throws -> ThreadCount {
            try WriterFlags.parse(arguments).configuration(output: "/tmp/x.parquet", dataset: false).options.threads
        }
        #expect(try threads([]) == 1)
        #expect(try threads(["--threads", "8"]) == 8)
        #expect(try threads(["--threads", "auto"]) == .auto)
        for bad in ["0", "two", "1025", "-1"] {
            #expect(throws: (any Error).self) { try threads(["--threads", bad]) }
        }
    }

    @Test(arguments: [
        (["--compression", "lz4_raw"], Compression.lz4Raw(level: 1)),
        (["--compression", "lz4_raw", "--compression-level", "12"], .lz4Raw(level: 12)),
        (["--compression", "brotli"], .brotli(level: 8)),
        (["--compression", "brotli", "--compression-level", "0"], .brotli(level: 0)),
    ])
    func codecFlags(arguments: [String], expected: Compression) throws {
        let configuration = try WriterFlags.parse(arguments).configuration(output: "/tmp/x.parquet", dataset: false)
        #expect(configuration.options.compression == expected)
    }

    @Test func codecLevelOutOfRangeNamesTheCodecAndRange() throws {
        let error = #expect(throws: ParquetError.self) {
            try WriterFlags.parse(["--compression", "brotli", "--compression-level", "12"])
                .configuration(output: "/tmp/x.parquet", dataset: false)
        }
        #expect(error?.message.contains("outside brotli's 0...11") == true, "\(String(describing: error))")
    }

    @Test func numbersForPeople() {
        #expect(ConvertProgress.grouped(1_234_567) == "1,234,567")
        #expect(ConvertProgress.grouped(12) == "12")
        #expect(ConvertProgress.decimal(3.14159, 2) == "3.14")
        #expect(ConvertProgress.decimal(1234.05, 1) == "1,234.1")
        #expect(ConvertProgress.duration(75) == "1m15s")
    }
}
