import Parquet
import ParquetJSON
import Testing
@testable import ParquetCLI

/// The destination run on in-memory input with real datasets on disk: when states are
/// echoed, what passes through, and what malformed lines and invalid records do.
@Suite struct AirbyteTests {
    static let usersSchema = #"{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":["null","string"]}}}"#
    static let ordersSchema = #"{"type":"object","properties":{"id":{"type":"integer"},"amount":{"type":"number"}}}"#

    /// A destination over two streams (`users`, `orders`) in a fresh directory.
    final class Harness {
        let root = makeAirbyteTestDirectory()
        let messages = AirbyteRecordingSink()
        let diagnostics = AirbyteRecordingSink()
        var destination: AirbyteDestination!

        init(
            options: AirbyteDestinationOptions = AirbyteDestinationOptions(), extra: [(key: String, value: JSONValue)] = [],
            streams: [AirbyteConfiguredStream] = [
                AirbyteConfiguredStream(name: "users", jsonSchema: try! JSONValue.parse(AirbyteTests.usersSchema)),
                AirbyteConfiguredStream(name: "orders", jsonSchema: try! JSONValue.parse(AirbyteTests.ordersSchema)),
            ]
        ) throws {
            let configured = try streams.map { stream in
                (stream, try airbyteConfiguration(root + "/" + stream.relativeDirectory(), jsonSchema: stream.jsonSchema, extra: extra))
            }
            destination = try AirbyteDestination(
                streams: configured.map { (stream: $0.0, configuration: $0.1) }, options: options, messages: messages,
                diagnostics: diagnostics)
        }

        deinit { airbyteRemoveTree(root) }

        func rows(_ stream: String) -> Int { (try? airbyteCommittedRows(root + "/" + stream)) ?? -1 }

        func run(_ lines: [String], chunk: Int = 13) -> AirbyteRunFailure? {
            destination.run(AirbyteMemorySource(lines.joined(separator: "\n") + "\n", chunk: chunk))
        }

        /// Our own LOG messages at `level`.
        func logs(_ level: String) -> [String] {
            messages.lines.compactMap { line in
                guard let value = try? JSONValue.parse(line), value["type"] == .string("LOG"),
                    value["log"]?["level"] == .string(level), case .string(let text)? = value["log"]?["message"]
                else { return nil }
                return text
            }
        }

        var statesEchoed: [String] { messages.lines.filter { $0.contains(#""type":"STATE""#) } }
    }

    static func record(_ stream: String, _ data: String, namespace: String? = nil) -> String {
        let namespaceText = namespace.map { #","namespace":""# + $0 + "\"" } ?? ""
        return #"{"type":"RECORD","record":{"stream":""# + stream + "\"" + namespaceText + #","data":"# + data
            + #","emitted_at":1700000000000}}"#
    }

    static func users(_ ids: ClosedRange<Int>) -> [String] {
        ids.map { record("users", #"{"id":\#($0),"name":"user \#($0)"}"#) }
    }

    static func orders(_ ids: ClosedRange<Int>) -> [String] {
        ids.map { record("orders", #"{"id":\#($0),"amount":\#($0).5}"#) }
    }

    static let streamState = #"{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":5}}}}"#
    static let legacyState = #"{"type":"STATE","data":{"cursor":9}}"#
    static let globalState = #"{"type":"STATE","state":{"type":"GLOBAL","global":{"shared_state":{"lsn":7},"stream_states":[]}}}"#
    static let log = #"{"type":"LOG","log":{"level":"INFO","message":"source says \"hi\""}}"#
    static let trace = #"{"type":"TRACE","trace":{"type":"STREAM_STATUS","emitted_at":1.5,"stream_status":{"status":"RUNNING"}}}"#

    // MARK: States and pass-through

    @Test func eachStateIsEchoedOnlyAfterItsRecordsAreCommitted() throws {
        // Batches of 2 records: most records reach the writer before the state, in open files
        // that are not yet committed; only the commit makes them count.
        var options = AirbyteDestinationOptions()
        options.batchRows = 2
        let harness = try Harness(options: options)
        var seenAtStates: [[Int]] = []
        var flushedAfterState = true
        harness.messages.onLine = { [unowned harness] line in
            if line.contains(#""type":"STATE""#) {
                seenAtStates.append([harness.rows("users"), harness.rows("orders")])
            }
        }
        let input =
            [Self.log] + Self.users(1...5) + Self.orders(1...3) + [Self.streamState, Self.trace] + Self.users(6...9)
            + [Self.legacyState] + Self.orders(4...5) + [Self.globalState] + Self.users(10...12)
        #expect(harness.run(input) == nil)
        #expect(seenAtStates == [[5, 3], [9, 3], [9, 5]])
        // Every state is flushed at once.
        for (index, event) in harness.messages.events.enumerated() where event == .line(Self.globalState) {
            flushedAfterState = flushedAfterState && harness.messages.events[index + 1] == .flush
        }
        #expect(flushedAfterState)
        // Non-record messages come out unchanged and in input order; states exactly once.
        let passed = harness.messages.lines.filter { input.contains($0) }
        #expect(passed == [Self.log, Self.streamState, Self.trace, Self.legacyState, Self.globalState])
        // Records after the last state are committed at the end.
        #expect(harness.rows("users") == 12 && harness.rows("orders") == 5)
        #expect(airbyteListFiles(harness.root).allSatisfy { $0.hasSuffix(".parquet") })
        let summary = harness.logs("INFO")
        #expect(summary.contains { $0.hasPrefix("stream 'users': 12 records written, 0 rejected") })
        #expect(summary.last == "17 records written in 2 streams, 3 states echoed")
        #expect(harness.diagnostics.lines.contains { $0.contains("stream 'orders': 5 records written") })
    }

    @Test func emptyInputLeavesEmptyDatasets() throws {
        let harness = try Harness()
        #expect(harness.destination.run(AirbyteMemorySource("")) == nil)
        #expect(harness.rows("users") == 0)
        #expect(harness.logs("INFO").last == "0 records written in 2 streams, 0 states echoed")
    }

    @Test func largeRecordsAndSmallBatchBytes() throws {
        var options = AirbyteDestinationOptions()
        options.batchBytes = 64
        let harness = try Harness(options: options)
        let long = String(repeating: "n", count: 500)
        let input = Self.users(1...3) + [Self.record("users", #"{"id":4,"name":"\#(long)"}"#)] + Self.users(5...6)
        #expect(harness.run(input, chunk: 1000) == nil)
        #expect(harness.rows("users") == 6)
    }

    // MARK: Malformed lines

    static let brokenInput = Self.users(1...3) + [Self.streamState] + Self.users(4...5) + ["{not json"] + Self.users(6...7)
        + [Self.legacyState]

    @Test func malformedLineFailsTheSyncAndEchoesNoLaterState() throws {
        var options = AirbyteDestinationOptions()
        options.batchRows = 1
        let harness = try Harness(options: options)
        let failure = harness.run(Self.brokenInput)
        #expect(failure?.message.hasPrefix("line 7: not a valid Airbyte message: expected a key string at byte 1") == true)
        #expect(harness.statesEchoed == [Self.streamState])
        // Records 4 and 5 were written (batches of one) but not committed: discarded.
        #expect(harness.rows("users") == 3)
        #expect(airbyteListFiles(harness.root).allSatisfy { $0.hasSuffix(".parquet") })
        #expect(harness.logs("ERROR").first?.contains("line 7") == true)
        #expect(harness.messages.lines.contains { $0.contains(#""type":"TRACE""#) && $0.contains(#""failure_type":"system_error""#) })
        #expect(harness.diagnostics.lines.last?.hasPrefix("parquet-writer airbyte: ERROR: line 7") == true)
    }

    @Test func malformedLineIsSkippedWhenAsked() throws {
        var options = AirbyteDestinationOptions()
        options.onMalformed = .skip
        let harness = try Harness(options: options)
        #expect(harness.run(Self.brokenInput) == nil)
        #expect(harness.statesEchoed == [Self.streamState, Self.legacyState])
        #expect(harness.rows("users") == 7)
        #expect(harness.logs("WARN") == ["line 7 skipped: not a valid Airbyte message: expected a key string at byte 1"])
        #expect(harness.logs("INFO").last == "7 records written in 2 streams, 2 states echoed, 1 malformed lines skipped")
    }

    @Test func everyKindOfMalformedLineIsReportedWithItsNumber() throws {
        var options = AirbyteDestinationOptions()
        options.onMalformed = .skip
        options.maximumLineBytes = 200
        let harness = try Harness(
            options: options,
            streams: [
                AirbyteConfiguredStream(name: "users", jsonSchema: try JSONValue.parse(Self.usersSchema)),
                AirbyteConfiguredStream(name: "users", namespace: "ns", jsonSchema: try JSONValue.parse(Self.usersSchema)),
            ])
        let input = [
            "[1]",  // 1
            #"{"type":"SPEC","spec":{}}"#,  // 2
            Self.record("nobody", #"{"id":1}"#),  // 3
            Self.record("users", #"{"id":1}"#, namespace: "other"),  // 4
            #"{"type":"RECORD","record":{"stream":"users"}}"#,  // 5
            Self.record("users", #"{"id":2,"name":"\#(String(repeating: "x", count: 300))"}"#),  // 6
            "",  // 7: blank lines are ignored
            Self.record("users", #"{"id":3}"#, namespace: "ns"),  // 8
            Self.record("users", #"{"id":4}"#),  // 9
        ]
        #expect(harness.run(input) == nil)
        let warnings = harness.logs("WARN")
        #expect(warnings.count == 6)
        #expect(warnings[0] == "line 1 skipped: not a valid Airbyte message: the message is JSON but not an object at byte 0")
        #expect(warnings[1] == "line 2 skipped: unknown message type 'SPEC'")
        #expect(warnings[2] == "line 3 skipped: a record of the stream 'nobody', which is not in the catalog")
        #expect(warnings[3] == "line 4 skipped: a record of the stream 'other.users', which is not in the catalog")
        #expect(warnings[4] == "line 5 skipped: not a valid Airbyte message: the record has no 'data' at byte 26")
        #expect(warnings[5].hasPrefix("line 6 skipped: the line is 3"))
        // The namespaced stream has its own directory; records go by namespace and name.
        #expect(harness.rows("users") == 1 && harness.rows("ns/users") == 1)
    }

    // MARK: Invalid records

    static let invalidInput = Self.users(1...2) + [Self.streamState, Self.record("users", #"{"id":"three"}"#)]
        + Self.users(4...4) + [Self.legacyState]

    @Test func invalidRecordsAreSkippedAndReportedUnderSkip() throws {
        let harness = try Harness(extra: [("on_invalid", .string("skip"))])
        #expect(harness.run(Self.invalidInput) == nil)
        #expect(harness.statesEchoed == [Self.streamState, Self.legacyState])
        #expect(harness.rows("users") == 3)
        let warning = try #require(harness.logs("WARN").first)
        #expect(warning.hasPrefix("stream 'users', line 4, column 'id': record skipped: "))
        #expect(harness.logs("INFO").contains { $0.hasPrefix("stream 'users': 3 records written, 1 rejected") })
    }

    @Test func invalidRecordFailsTheSyncUnderFail() throws {
        let harness = try Harness()
        let failure = try #require(harness.run(Self.invalidInput))
        #expect(failure.message.hasPrefix("stream 'users', line 4, column 'id': "))
        #expect(harness.statesEchoed == [Self.streamState])
        #expect(harness.rows("users") == 2)
    }

    // MARK: Catalog

    @Test func syncModesNotImplementedAreRefused() throws {
        let harness = try Harness(streams: [
            AirbyteConfiguredStream(name: "a", destinationSyncMode: "overwrite"),
            AirbyteConfiguredStream(name: "b", destinationSyncMode: "append_dedup"),
            AirbyteConfiguredStream(name: "c", destinationSyncMode: "append"),
        ])
        let failure = try #require(harness.run([Self.record("a", #"{"x":1}"#)]))
        #expect(failure.failureType == "config_error")
        #expect(failure.message.contains("stream 'b': destination_sync_mode 'append_dedup' is not supported"))
        #expect(harness.messages.lines.contains { $0.contains(#""type":"TRACE""#) && $0.contains("append_dedup") })
        #expect(harness.rows("a") == 0 && harness.rows("c") == 0)
    }

    @Test func schemaIsInferredWithoutAJSONSchema() throws {
        let harness = try Harness(streams: [AirbyteConfiguredStream(name: "a", destinationSyncMode: "append")])
        #expect(harness.run([Self.record("a", #"{"x":1}"#), Self.record("a", #"{"x":2}"#)]) == nil)
        #expect(harness.rows("a") == 2)
    }

    @Test func catalogIsRead() throws {
        let catalog = try AirbyteCatalog(
            json: JSONValue.parse(
                #"{"streams":[{"stream":{"name":"users","namespace":null,"json_schema":{"type":"object"},"supported_sync_modes":["full_refresh"]},"sync_mode":"full_refresh","destination_sync_mode":"overwrite"},{"stream":{"name":"x","namespace":"public"}}]}"#
            ))
        #expect(catalog.streams.map(\.displayName) == ["users", "public.x"])
        #expect(catalog.streams[0].destinationSyncMode == "overwrite" && catalog.streams[0].jsonSchema != nil)
        #expect(try catalog.streams[1].relativeDirectory() == "public/x")
    }

    @Test func badCatalogsAreRefused() throws {
        let cases: [(String, String)] = [
            (#"{}"#, "no 'streams'"),
            (#"{"streams":[{"stream":{}}]}"#, "no string 'stream.name'"),
            (#"{"streams":[{"stream":{"name":""}}]}"#, "name is empty"),
            (#"{"streams":[{"stream":{"name":"a"}},{"stream":{"name":"a"}}]}"#, "in the catalog twice"),
            (#"{"streams":[{"stream":{"name":"a","json_schema":[]}}]}"#, "must be an object"),
            (#"{"streams":[{"stream":{"name":"a"}},{"stream":{"name":"b","namespace":"a"}}]}"#, "would share the directory 'a'"),
        ]
        for (text, expected) in cases {
            do {
                _ = try AirbyteCatalog(json: JSONValue.parse(text))
                Issue.record("accepted \(text)")
            } catch let error as AirbyteCatalogError {
                #expect(error.message.contains(expected), "\(text): \(error.message)")
            }
        }
    }

    @Test func namesCannotLeaveTheOutputDirectory() throws {
        let cases: [(String, String)] = [
            ("users", "users"), ("..", "%2E."), (".", "%2E"), (".hidden", "%2Ehidden"), ("a/../../b", "a%2F..%2F..%2Fb"),
            ("/etc", "%2Fetc"), ("100%", "100%25"), ("a\\b", "a%5Cb"), ("tab\there", "tab%09here"), ("public.users", "public.users"),
            ("ünïcode", "ünïcode"),
        ]
        for (name, expected) in cases {
            #expect(try AirbytePathComponent.escape(name, what: "stream") == expected)
        }
        #expect(throws: AirbyteCatalogError.self) { try AirbytePathComponent.escape(String(repeating: "/", count: 90), what: "stream") }
        let stream = AirbyteConfiguredStream(name: "..", namespace: "..")
        #expect(try stream.relativeDirectory() == "%2E./%2E.")
    }

    @Test func commandParsesItsOptions() throws {
        // The command-line form: `write` is the default subcommand.
        let parsed = try ParquetWriterCommand.parseAsRoot([
            "airbyte", "--catalog", "c.json", "--output", "out", "--on-malformed", "skip", "--batch-rows", "5",
            "--compression", "zstd",
        ])
        let command = try #require(parsed as? AirbyteWriteCommand)
        #expect(command.onMalformed == .skip && command.batchRows == 5 && command.batchBytes == nil)
        #expect(command.writer.compression == "zstd")
        #expect(throws: (any Error).self) {
            try ParquetWriterCommand.parseAsRoot(["airbyte", "--catalog", "c", "--output", "o", "--on-malformed", "maybe"])
        }
        #expect(throws: (any Error).self) {
            try ParquetWriterCommand.parseAsRoot(["airbyte", "--catalog", "c", "--output", "o", "--batch-rows", "0"])
        }
        // The connector form, and its refusal of flags beside the config.
        let write = try #require(
            try ParquetWriterCommand.parseAsRoot(["airbyte", "write", "--config", "d.json", "--catalog", "c.json"])
                as? AirbyteWriteCommand)
        #expect(write.config == "d.json" && write.output == nil)
        #expect(throws: (any Error).self) {
            try ParquetWriterCommand.parseAsRoot(["airbyte", "write", "--config", "d", "--catalog", "c", "--compression", "zstd"])
        }
        #expect(throws: (any Error).self) { try ParquetWriterCommand.parseAsRoot(["airbyte", "write", "--catalog", "c"]) }
        #expect(try ParquetWriterCommand.parseAsRoot(["airbyte", "spec"]) is AirbyteSpecCommand)
        let check = try #require(try ParquetWriterCommand.parseAsRoot(["airbyte", "check", "--config", "d"]) as? AirbyteCheckCommand)
        #expect(check.config == "d" && check.catalog == nil)
    }
}
