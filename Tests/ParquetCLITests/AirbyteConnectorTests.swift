#if canImport(Glibc)
import Glibc
#endif
import Parquet
import ParquetJSON
import ParquetThrift
import Testing
@testable import ParquetCLI

/// The connector's side of the protocol: its configuration, its SPEC, the Destinations V2
/// columns and the envelope members they come from, and overwrite as a generation swap.
@Suite struct AirbyteConnectorTests {
    // MARK: Configuration and SPEC

    @Test func configurationIsReadAndItsWriterKeysPassedOn() throws {
        let config = try AirbyteConfig(json: JSONValue.parse(
            #"{"destination_path":"/data/lake/","compression":"zstd","partition_by":["_airbyte_extracted_at:day"],"sort_by":["id:desc"],"batch_rows":50,"on_malformed":"skip"}"#))
        #expect(config.destinationPath == "/data/lake/")
        #expect(config.options.batchRows == 50 && config.options.onMalformed == .skip)
        // null_field is the default: records invalid otherwise are skipped.
        #expect(config.options.nullsInvalidValues)
        let stream = AirbyteConfiguredStream(
            name: "users", namespace: "public", jsonSchema: try JSONValue.parse(#"{"type":"object","properties":{"id":{"type":"integer"}}}"#),
            destinationSyncMode: "overwrite")
        let configuration = try config.configuration(for: stream)
        #expect(configuration.path == "/data/lake/public/users")
        #expect(configuration.mode == .overwrite && configuration.onInvalid == .skip)
        #expect(configuration.dataset?.partitionBy.first?.column == "_airbyte_extracted_at")
        #expect(configuration.options.sortBy.first?.descending == true)
        let failing = try AirbyteConfig(json: JSONValue.parse(#"{"destination_path":"d","on_invalid":"fail"}"#))
        #expect(!failing.options.nullsInvalidValues)
        #expect(try failing.configuration(for: stream).onInvalid == .fail)
    }

    @Test func badConfigurationsAreRefusedNamingTheKey() throws {
        let cases: [(String, String)] = [
            (#"[]"#, "must be a JSON object"),
            (#"{}"#, "'destination_path' is required"),
            (#"{"destination_path":""}"#, "must not be empty"),
            (#"{"destination_path":"d","bogus":1}"#, "unknown key 'bogus'"),
            (#"{"destination_path":"d","mode":"append"}"#, "'mode' is not taken"),
            (#"{"destination_path":"d","on_invalid":"drop"}"#, "'on_invalid' must be null_field, skip or fail"),
            (#"{"destination_path":"d","batch_rows":0}"#, "'batch_rows' must be a positive integer"),
            (#"{"destination_path":"d","partition_by":"x"}"#, "'partition_by' must be an array"),
        ]
        for (text, expected) in cases {
            do {
                _ = try AirbyteConfig(json: JSONValue.parse(text))
                Issue.record("accepted \(text)")
            } catch let error as AirbyteConfigError {
                #expect(error.message.contains(expected), "\(text): \(error.message)")
            }
        }
        // Writer values are checked by the writer configuration, naming the key.
        let config = try AirbyteConfig(json: JSONValue.parse(#"{"destination_path":"d","compression":"lz5"}"#))
        #expect(throws: ParquetError.self) { try config.validate() }
    }

    @Test func specIsOneValidMessageWhoseSchemaDescribesTheConfiguration() throws {
        let message = AirbyteSpecification.message()
        #expect(!message.contains("\n"))
        let parsed = try JSONValue.parse(message)
        #expect(parsed["type"] == .string("SPEC"))
        #expect(parsed["spec"]?["supported_destination_sync_modes"] == .array([.string("overwrite"), .string("append")]))
        guard case .object(let properties)? = parsed["spec"]?["connectionSpecification"]?["properties"] else {
            Issue.record("no properties")
            return
        }
        // Every key the configuration takes is described, and nothing else.
        let described = Set(properties.map(\.key))
        let taken = AirbyteConfig.writerKeys.union([
            "destination_path", "on_invalid", "on_malformed", "batch_rows", "batch_bytes", "max_line_bytes",
            "partition_by", "sort_by",
        ])
        #expect(described == taken)
    }

    @Test func checkProbesTheDestinationPath() throws {
        let root = makeAirbyteTestDirectory()
        defer { airbyteRemoveTree(root) }
        #expect(AirbyteConnectionCheck.probe(root + "/a/b") == nil)
        #expect(airbyteListFiles(root).isEmpty)
        let blocker = root + "/file"
        close(open(blocker, O_CREAT | O_WRONLY, 0o600))
        #expect(AirbyteConnectionCheck.probe(blocker + "/x")?.contains("cannot create the directory") == true)
    }

    // MARK: Envelope members and V2 values

    @Test func envelopeFindsEmittedAtAndTheSourcesChanges() throws {
        let line = #"{"type":"RECORD","record":{"meta":{"changes":[ {"field":"a","change":"NULLED","reason":"SOURCE_SERIALIZATION_ERROR"} ]},"stream":"s","data":{},"emitted_at":1700000000123}}"#
        let envelope = try airbyteScan(line)
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { raw in
            #expect(envelope.emittedAtMilliseconds(in: raw) == 1_700_000_000_123)
            let changes = envelope.sourceChanges(in: raw).map { String(decoding: raw[$0], as: UTF8.self) }
            #expect(changes == #"{"field":"a","change":"NULLED","reason":"SOURCE_SERIALIZATION_ERROR"}"#)
        }
        let plain = #"{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1.7e12,"meta":{"changes":[]}}}"#
        let other = try airbyteScan(plain)
        Array(plain.utf8).withUnsafeBytes { raw in
            #expect(other.emittedAtMilliseconds(in: raw) == 1_700_000_000_000)
            #expect(other.sourceChanges(in: raw) == nil)
        }
        #expect(throws: AirbyteScanError.self) {
            try airbyteScan(#"{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1,"emitted_at":2}}"#)
        }
    }

    @Test func recordIdsAreVersion4UUIDs() {
        var text: [UInt8] = []
        AirbyteRecordColumns.appendUUID(ArraySlice(repeating: 0xFF, count: 16), to: &text)
        #expect(String(decoding: text, as: UTF8.self) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        text.removeAll()
        AirbyteRecordColumns.appendUUID(ArraySlice(repeating: 0, count: 16), to: &text)
        #expect(String(decoding: text, as: UTF8.self) == "00000000-0000-4000-8000-000000000000")
        #expect(AirbyteRecordColumns.nulledChange(field: #"a"b"#)
            == #"{"field":"a\"b","change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}"#)
    }

    // MARK: Runs

    static let schema = #"{"type":"object","properties":{"id":{"type":"integer"},"age":{"type":["null","integer"]}}}"#

    func destination(
        _ root: String, mode: String, messages: AirbyteRecordingSink, generation: Int64? = 0, nulls: Bool = true
    ) throws -> AirbyteDestination {
        var stream = AirbyteConfiguredStream(
            name: "users", jsonSchema: try JSONValue.parse(Self.schema), destinationSyncMode: mode)
        stream.generationID = generation
        stream.syncID = 9
        let config = try AirbyteConfig(json: .object([
            ("destination_path", .string(root)), ("on_invalid", .string(nulls ? "null_field" : "skip")),
        ]))
        return try AirbyteDestination(
            streams: [(stream, try config.configuration(for: stream))], options: config.options, messages: messages,
            diagnostics: AirbyteRecordingSink())
    }

    static func record(_ data: String, at: Int = 1_700_000_000_000) -> String {
        #"{"type":"RECORD","record":{"stream":"users","data":"# + data + #","emitted_at":\#(at)}}"#
    }

    static let state = #"{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"}}}}"#

    /// The column names of the first committed file of the stream, from its footer.
    func columnNames(_ root: String) throws -> [String] {
        let file = try #require(airbyteListFiles(root + "/users").first { $0.hasSuffix(".parquet") })
        let descriptor = open(root + "/users/" + file, O_RDONLY)
        defer { close(descriptor) }
        let size = Int(lseek(descriptor, 0, SEEK_END))
        var tail = [UInt8](repeating: 0, count: 8)
        _ = tail.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 8, off_t(size - 8)) }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        var footer = [UInt8](repeating: 0, count: length)
        _ = footer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, off_t(size - 8 - length)) }
        return try FileMetaData.decode(from: footer).schema.dropFirst().map(\.name)
    }

    @Test func valuesThatDoNotFitAreNulledAndTheRecordsKept() throws {
        let root = makeAirbyteTestDirectory()
        defer { airbyteRemoveTree(root) }
        let messages = AirbyteRecordingSink()
        let destination = try destination(root, mode: "append", messages: messages)
        let input = [Self.record(#"{"id":1,"age":"old"}"#), Self.record(#"{"id":2,"id":2}"#), Self.record(#"{"id":3,"age":3}"#)]
        #expect(destination.run(AirbyteMemorySource(input.joined(separator: "\n"))) == nil)
        #expect(try airbyteCommittedRows(root + "/users") == 2)
        #expect(try columnNames(root) == AirbyteRecordColumns.names + ["id", "age"])
        let stream = destination.streams[0]
        #expect(stream.recordsWritten == 2 && stream.recordsRejected == 1 && stream.valuesNulled == 1)
        let warnings = messages.lines.filter { $0.contains(#""level":"WARN""#) }
        #expect(warnings.count == 2)
        #expect(warnings[0].contains("line 1, column 'age': value nulled: type_mismatch"))
        #expect(warnings[1].contains("line 2, column 'id': record skipped: invalid_record"))
    }

    @Test func aStreamColumnNamedAsAV2ColumnIsRefused() throws {
        let root = makeAirbyteTestDirectory()
        defer { airbyteRemoveTree(root) }
        let stream = AirbyteConfiguredStream(
            name: "users", jsonSchema: try JSONValue.parse(#"{"type":"object","properties":{"_airbyte_raw_id":{"type":"string"}}}"#))
        let config = try AirbyteConfig(json: .object([("destination_path", .string(root))]))
        #expect(throws: AirbyteRunFailure.self) {
            try AirbyteDestination(
                streams: [(stream, try config.configuration(for: stream))], options: config.options,
                messages: AirbyteRecordingSink(), diagnostics: AirbyteRecordingSink())
        }
    }

    @Test func overwriteKeepsTheOldGenerationUntilTheSyncEnds() throws {
        let root = makeAirbyteTestDirectory()
        defer { airbyteRemoveTree(root) }
        let first = try destination(root, mode: "overwrite", messages: AirbyteRecordingSink(), generation: 1)
        #expect(first.run(AirbyteMemorySource([Self.record(#"{"id":1}"#), Self.state].joined(separator: "\n"))) == nil)
        #expect(try airbyteCommittedRows(root + "/users") == 1)

        // The second generation: at its states, readers still see the first; at the end, only it.
        let messages = AirbyteRecordingSink()
        var rowsAtStates: [Int] = []
        messages.onLine = { line in
            if line.contains(#""type":"STATE""#) { rowsAtStates.append((try? airbyteCommittedRows(root + "/users")) ?? -1) }
        }
        let second = try destination(root, mode: "overwrite", messages: messages, generation: 2)
        let input = [Self.record(#"{"id":2}"#), Self.state, Self.record(#"{"id":3}"#), Self.state, Self.record(#"{"id":4}"#)]
        #expect(second.run(AirbyteMemorySource(input.joined(separator: "\n"))) == nil)
        #expect(rowsAtStates == [1, 1])
        #expect(try airbyteCommittedRows(root + "/users") == 3)
        #expect(airbyteListFiles(root).allSatisfy { $0.hasPrefix("users/") })
        #expect(AirbyteGeneration.marker(in: root + "/users") == 2)

        // A failed attempt (a malformed line after a STATE) leaves the second generation where
        // readers see it, and its committed records staged for the retry.
        let third = try destination(root, mode: "overwrite", messages: AirbyteRecordingSink(), generation: 3)
        let broken = [Self.record(#"{"id":5}"#), Self.state, Self.record(#"{"id":6}"#), "{not json"]
        #expect(third.run(AirbyteMemorySource(broken.joined(separator: "\n"))) != nil)
        #expect(try airbyteCommittedRows(root + "/users") == 3)
        #expect(try airbyteCommittedRows(root + "/.users.airbyte-generation-3") == 1)
        // The retry (the source resumed after the last echoed STATE) completes the generation.
        let retry = try destination(root, mode: "overwrite", messages: AirbyteRecordingSink(), generation: 3)
        #expect(retry.run(AirbyteMemorySource([Self.record(#"{"id":6}"#), Self.record(#"{"id":7}"#)].joined(separator: "\n"))) == nil)
        #expect(try airbyteCommittedRows(root + "/users") == 3)
        #expect(AirbyteGeneration.marker(in: root + "/users") == 3)
        #expect(airbyteListFiles(root).allSatisfy { $0.hasPrefix("users/") })

        // The next sync replaces the data even with the same generation id (PyAirbyte gives
        // every sync generation 1): a published generation is never resumed.
        let again = try destination(root, mode: "overwrite", messages: AirbyteRecordingSink(), generation: 3)
        #expect(again.run(AirbyteMemorySource(Self.record(#"{"id":8}"#))) == nil)
        #expect(try airbyteCommittedRows(root + "/users") == 1)

        // Without generation ids every run starts afresh, a failed one's records included.
        let unversioned = try destination(root, mode: "overwrite", messages: AirbyteRecordingSink(), generation: nil)
        #expect(unversioned.run(AirbyteMemorySource([Self.record(#"{"id":9}"#), Self.state, "{not json"].joined(separator: "\n"))) != nil)
        let next = try destination(root, mode: "overwrite", messages: AirbyteRecordingSink(), generation: nil)
        #expect(next.run(AirbyteMemorySource(Self.record(#"{"id":10}"#))) == nil)
        #expect(try airbyteCommittedRows(root + "/users") == 1)
        #expect(AirbyteGeneration.marker(in: root + "/users") == nil)

        // An overwrite that receives nothing replaces the data with an empty generation.
        let empty = try destination(root, mode: "overwrite", messages: AirbyteRecordingSink(), generation: 4)
        #expect(empty.run(AirbyteMemorySource("")) == nil)
        #expect(try airbyteCommittedRows(root + "/users") == 0)
    }
}
