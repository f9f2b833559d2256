import Parquet
import ParquetJSON

/// The Airbyte destination: reads the protocol from a byte source, writes each configured
/// stream's records into its own dataset, and echoes every STATE once the records before it
/// are committed.
///
/// The order of effects is what makes a sync resumable: at a STATE, every stream's batch is
/// written and every stream's open files are committed (finished, fsynced, renamed), and only
/// then is the STATE line written and flushed to the messages sink. A sync restarted from the
/// last state echoed therefore loses no record. LOG, TRACE and CONTROL messages pass through
/// unchanged, in input order; the destination's own reports are LOG messages there and plain
/// lines on the diagnostics sink.
///
/// Each stream's writer (``AirbyteStreamWriter``) adds the Destinations V2 columns to its
/// records and, under `overwrite`, holds the new generation back until ``run(_:)`` reaches the
/// end of the input: a run that stops early leaves every stream's previous data as it was.
///
/// Not thread-safe: one run at a time.
final class AirbyteDestination {
    /// The options of the run.
    let options: AirbyteDestinationOptions
    /// The streams, in catalog order.
    let streams: [AirbyteStreamWriter]
    private let messages: any AirbyteOutputSink
    private let diagnostics: any AirbyteOutputSink

    /// A stream's identity in records.
    private struct StreamKey: Hashable {
        var namespace: String?
        var name: String
    }

    private let streamIndex: [StreamKey: Int]
    /// The stream of the last record, tried first: sources send records of one stream in runs.
    private var lastStream = 0

    /// STATE lines echoed so far.
    private(set) var statesEmitted = 0
    /// Malformed lines skipped (under `--on-malformed skip`).
    private(set) var malformedLines = 0
    /// Rejections reported one by one so far, per stream.
    private var reportedRejections: [Int]

    /// Opens every stream's dataset.
    /// - Parameters:
    ///   - streams: Each catalog stream with its writer configuration (directory output).
    ///   - options: Batching and bad-input handling.
    ///   - messages: Where Airbyte messages go (standard output).
    ///   - diagnostics: Where plain report lines go (standard error).
    /// - Throws: `AirbyteRunFailure` (`config_error`) naming the stream whose dataset cannot
    ///   be opened; the datasets opened before it are discarded.
    init(
        streams: [(stream: AirbyteConfiguredStream, configuration: WriterConfiguration)], options: AirbyteDestinationOptions,
        messages: any AirbyteOutputSink, diagnostics: any AirbyteOutputSink
    ) throws(AirbyteRunFailure) {
        self.options = options
        self.messages = messages
        self.diagnostics = diagnostics
        var writers: [AirbyteStreamWriter] = []
        var index: [StreamKey: Int] = [:]
        for (stream, configuration) in streams {
            do {
                writers.append(
                    try AirbyteStreamWriter(
                        stream: stream, configuration: configuration, batchRows: options.batchRows,
                        batchBytes: options.batchBytes, nullsInvalidValues: options.nullsInvalidValues))
            } catch {
                for writer in writers { writer.abort() }
                throw AirbyteRunFailure(
                    message: "stream '\(stream.displayName)': cannot open its dataset: \(error)", failureType: "config_error")
            }
            index[StreamKey(namespace: stream.namespace, name: stream.name)] = writers.count - 1
        }
        self.streams = writers
        streamIndex = index
        reportedRejections = Array(repeating: 0, count: writers.count)
    }

    // MARK: Running

    /// Reads the protocol to its end (or to a fatal error) and writes the streams.
    /// - Parameter source: The input.
    /// - Returns: nil when the input was written in full and every dataset closed; otherwise
    ///   why the run stopped (open files were then discarded, and no state after the failure
    ///   was echoed). Either way the outcome has been reported on both sinks.
    func run<Source: AirbyteByteSource>(_ source: Source) -> AirbyteRunFailure? {
        var reader = AirbyteLineReader(source: source, maximumLineBytes: options.maximumLineBytes)
        do throws(AirbyteRunFailure) {
            try reportSyncModes()
            while true {
                let next: AirbyteLineReader<Source>.Line?
                do {
                    next = try reader.next()
                } catch {
                    throw AirbyteRunFailure(message: error.message)
                }
                guard let line = next else { break }
                switch line {
                case .text(let bytes):
                    try handle(bytes, line: reader.lineNumber)
                case .tooLong(let length):
                    try malformed(
                        line: reader.lineNumber,
                        "the line is \(length) bytes, longer than the limit of \(options.maximumLineBytes)")
                }
            }
            try finish()
            return nil
        } catch {
            fail(error)
            return error
        }
    }

    /// Acts on one line.
    /// - Parameters:
    ///   - line: The line's bytes, without the newline.
    ///   - number: Its line number (1-based), for reports.
    /// - Throws: `AirbyteRunFailure` when the run must stop.
    private func handle(_ line: UnsafeRawBufferPointer, line number: Int) throws(AirbyteRunFailure) {
        // Blank lines carry no message; sources and shells add them harmlessly.
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        let envelope: AirbyteEnvelope
        do {
            envelope = try AirbyteEnvelope.scan(line)
        } catch {
            return try malformed(line: number, "not a valid Airbyte message: \(error)")
        }
        switch envelope.kind {
        case .record:
            guard let stream = stream(of: envelope, in: line) else {
                let scanner = AirbyteJSONScanner(line)
                let name = envelope.stream.map { scanner.decodeString(from: $0.range.lowerBound, to: $0.range.upperBound) } ?? ""
                let namespace = envelope.namespace.map {
                    scanner.decodeString(from: $0.range.lowerBound, to: $0.range.upperBound)
                }
                return try malformed(
                    line: number,
                    "a record of the stream '\(namespace.map { "\($0)." } ?? "")\(name)', which is not in the catalog")
            }
            let data = UnsafeRawBufferPointer(rebasing: line[envelope.data!])
            let emittedAt = envelope.emittedAtMilliseconds(in: line)
            let changes = envelope.sourceChanges(in: line).map { UnsafeRawBufferPointer(rebasing: line[$0]) }
            let rejections = try write(streams[stream]) { writer throws(AirbyteWriteFailure) in
                try writer.append(data, emittedAt: emittedAt, sourceChanges: changes, line: number)
            }
            try report(rejections, of: stream)
        case .state:
            try commitAll()
            try io { () throws(AirbyteIOError) in
                try messages.writeLine(line)
                try messages.flush()
            }
            statesEmitted += 1
        case .log, .trace, .control:
            try io { () throws(AirbyteIOError) in try messages.writeLine(line) }
        case .other(let type):
            try malformed(line: number, "unknown message type '\(type)'")
        }
    }

    /// The stream a record belongs to.
    /// - Parameters:
    ///   - envelope: The record's envelope.
    ///   - line: The line it was scanned from.
    /// - Returns: The stream's index in ``streams``, nil when the catalog has no such stream.
    private func stream(of envelope: AirbyteEnvelope, in line: UnsafeRawBufferPointer) -> Int? {
        guard let name = envelope.stream else { return nil }
        // The fast path: the same stream as the last record, compared as raw bytes.
        if !name.escaped && envelope.namespace?.escaped != true, !streams.isEmpty {
            let candidate = streams[lastStream]
            func equal(_ span: AirbyteEnvelope.StringSpan, _ bytes: [UInt8]) -> Bool {
                let content = line[(span.range.lowerBound + 1)..<(span.range.upperBound - 1)]
                return content.elementsEqual(bytes)
            }
            let namespaceMatches =
                switch (envelope.namespace, candidate.namespaceUTF8) {
                case (nil, nil): true
                case (let span?, let bytes?): equal(span, bytes)
                default: false
                }
            if namespaceMatches && equal(name, candidate.nameUTF8) { return lastStream }
        }
        let scanner = AirbyteJSONScanner(line)
        let key = StreamKey(
            namespace: envelope.namespace.map { scanner.decodeString(from: $0.range.lowerBound, to: $0.range.upperBound) },
            name: scanner.decodeString(from: name.range.lowerBound, to: name.range.upperBound))
        guard let found = streamIndex[key] else { return nil }
        lastStream = found
        return found
    }

    /// Writes every stream's batch and commits every stream's files.
    /// - Throws: `AirbyteRunFailure` when a stream cannot be written or committed.
    private func commitAll() throws(AirbyteRunFailure) {
        for (index, stream) in streams.enumerated() {
            let rejections = try write(stream) { writer throws(AirbyteWriteFailure) in try writer.commit() }
            try report(rejections, of: index)
        }
    }

    /// The end of the input: writes the batches, closes every dataset, reports the counts.
    /// - Throws: `AirbyteRunFailure` when a stream cannot be written or closed.
    private func finish() throws(AirbyteRunFailure) {
        for (index, stream) in streams.enumerated() {
            let rejections = try write(stream) { writer throws(AirbyteWriteFailure) in try writer.close() }
            try report(rejections, of: index)
        }
        for stream in streams {
            try report(
                level: "INFO",
                "stream '\(stream.stream.displayName)': \(stream.recordsWritten) records written, "
                    + "\(stream.recordsRejected) rejected, \(stream.valuesNulled) values nulled, "
                    + "\(stream.filesCommitted) file\(stream.filesCommitted == 1 ? "" : "s"), "
                    + "\(stream.bytesCommitted) bytes in '\(stream.directory)'")
        }
        var total = "\(streams.reduce(0) { $0 + $1.recordsWritten }) records written in \(streams.count) streams, "
            + "\(statesEmitted) states echoed"
        if malformedLines > 0 { total += ", \(malformedLines) malformed lines skipped" }
        try report(level: "INFO", total)
        try io { () throws(AirbyteIOError) in
            try messages.flush()
            try diagnostics.flush()
        }
    }

    // MARK: Reporting

    /// A malformed line: fatal under `fail`, reported and counted under `skip`.
    /// - Parameters:
    ///   - line: Its line number.
    ///   - message: What is wrong with it.
    /// - Throws: `AirbyteRunFailure` under `fail` (or when the report cannot be written).
    private func malformed(line: Int, _ message: String) throws(AirbyteRunFailure) {
        guard options.onMalformed == .skip else {
            throw AirbyteRunFailure(message: "line \(line): \(message)")
        }
        malformedLines += 1
        if malformedLines <= options.maximumReports {
            try report(level: "WARN", "line \(line) skipped: \(message)")
            if malformedLines == options.maximumReports {
                try report(level: "WARN", "further malformed lines are counted, not reported")
            }
        }
    }

    /// Reports records the writer left out of a stream, up to ``AirbyteDestinationOptions/maximumReports``.
    /// - Parameters:
    ///   - rejections: The records left out.
    ///   - stream: The stream's index.
    /// - Throws: `AirbyteRunFailure` when the report cannot be written.
    private func report(_ rejections: [AirbyteRejection], of stream: Int) throws(AirbyteRunFailure) {
        for rejection in rejections {
            reportedRejections[stream] += 1
            guard reportedRejections[stream] <= options.maximumReports else { continue }
            let error = rejection.error
            var text = "stream '\(streams[stream].stream.displayName)', line \(rejection.line)"
            if let column = error.column { text += ", column '\(column)'" }
            text += rejection.nulled ? ": value nulled" : ": record skipped"
            text += ": \(error.code.rawValue): \(error.message)"
            try report(level: "WARN", text)
            if reportedRejections[stream] == options.maximumReports {
                try report(
                    level: "WARN",
                    "stream '\(streams[stream].stream.displayName)': further rejected records and nulled values are counted, not reported")
            }
        }
    }

    /// Reports a message as an Airbyte LOG and as a plain line.
    /// - Parameters:
    ///   - level: `INFO`, `WARN` or `ERROR`.
    ///   - message: The text.
    /// - Throws: `AirbyteRunFailure` when a sink cannot be written.
    private func report(level: String, _ message: String) throws(AirbyteRunFailure) {
        try io { () throws(AirbyteIOError) in
            try messages.writeLine(AirbyteMessageText.log(level: level, message))
            try diagnostics.writeLine("parquet-writer airbyte: \(level): \(message)")
            try diagnostics.flush()
        }
    }

    /// Refuses the sync when a stream asks for a sync mode this destination does not
    /// implement (the command refuses them before opening anything; a destination built
    /// otherwise still must not pass them off as `append`).
    /// - Throws: `AirbyteRunFailure` (`config_error`) naming the stream and the mode.
    private func reportSyncModes() throws(AirbyteRunFailure) {
        for stream in streams {
            if let refusal = AirbyteSyncModes.refusal(of: stream.stream) {
                throw AirbyteRunFailure(message: refusal, failureType: "config_error")
            }
        }
    }

    /// Stops the run: discards what is not committed and reports why, as best the sinks allow.
    /// - Parameter failure: Why the run stops.
    private func fail(_ failure: AirbyteRunFailure) {
        for stream in streams { stream.abort() }
        let text = failure.message + "; uncommitted files were discarded"
        try? messages.writeLine(AirbyteMessageText.log(level: "ERROR", text))
        try? messages.writeLine(AirbyteMessageText.traceError(text, failureType: failure.failureType))
        try? messages.flush()
        try? diagnostics.writeLine("parquet-writer airbyte: ERROR: \(text)")
        try? diagnostics.flush()
    }

    // MARK: Errors

    /// Runs a stream writer operation, turning its failure into the run's.
    /// - Parameters:
    ///   - stream: The stream.
    ///   - body: The operation.
    /// - Returns: What the operation returns.
    /// - Throws: `AirbyteRunFailure` naming the stream, and the line and column when known.
    private func write<T>(
        _ stream: AirbyteStreamWriter, _ body: (AirbyteStreamWriter) throws(AirbyteWriteFailure) -> T
    ) throws(AirbyteRunFailure) -> T {
        do {
            return try body(stream)
        } catch {
            var text = "stream '\(stream.stream.displayName)'"
            if let line = error.line { text += ", line \(line)" }
            if let column = error.error.column { text += ", column '\(column)'" }
            throw AirbyteRunFailure(message: text + ": \(error.error.code.rawValue): \(error.error.message)")
        }
    }

    /// Runs an I/O operation, turning its failure into the run's.
    /// - Parameter body: The operation.
    /// - Returns: What the operation returns.
    /// - Throws: `AirbyteRunFailure` with the I/O error's message.
    private func io<T>(_ body: () throws(AirbyteIOError) -> T) throws(AirbyteRunFailure) -> T {
        do {
            return try body()
        } catch {
            throw AirbyteRunFailure(message: error.message)
        }
    }
}
