#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Parquet
import ParquetJSON

/// `parquet-writer airbyte`: an Airbyte destination writing one Parquet dataset per stream.
///
/// A thin shell: it reads the catalog, turns the flags into each stream's writer
/// configuration, and hands standard input, output and error to ``AirbyteDestination``,
/// which does the work.
struct AirbyteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "airbyte",
        abstract: "Act as an Airbyte destination: Airbyte protocol messages on stdin, a Parquet dataset per stream.",
        discussion: """
            Reads the messages an Airbyte source writes (`source read ... | parquet-writer airbyte ...`), \
            one JSON message per line. Each stream of the configured catalog is written as a dataset at \
            OUTPUT/<stream> (OUTPUT/<namespace>/<stream> with a namespace; '/', '\\', '%', control \
            characters and a leading '.' in names are written as %XX), with the stream's json_schema as \
            its schema unless --schema or --json-schema is given.

            At every STATE message, every stream's buffered records are written and its open files \
            committed (fsynced and renamed into place); only then is the STATE echoed to stdout, \
            unchanged, so a sync resumed from the last echoed state loses nothing. LOG, TRACE and \
            CONTROL messages are passed through to stdout. The destination's own reports are LOG \
            messages on stdout and plain lines on stderr; a fatal error also emits a TRACE ERROR.

            A malformed line (not JSON, not an object, an unknown type, a RECORD without stream or \
            data or of a stream not in the catalog, a line longer than --max-line-bytes) stops the \
            sync under --on-malformed fail: open files are discarded and the exit status is 1. Under \
            skip it is reported and counted. Records that do not fit the schema follow --on-invalid. \
            Each stream's destination_sync_mode sets its dataset's mode: append (or none) adds files \
            beside those of earlier syncs; overwrite writes the sync into a hidden staging directory and \
            swaps it in atomically at the first STATE (or the end), after which the old files are removed \
            and later files are added to the new data; append_dedup is refused (no deduplication here). \
            --mode is therefore not taken.

            Exit status: 0 when the input was written in full; 1 when the sync failed; 2 when the \
            catalog or the options cannot be used.
            """)

    @Option(help: ArgumentHelp("The configured catalog (ConfiguredAirbyteCatalog JSON).", valueName: "file"))
    var catalog: String

    @Option(help: ArgumentHelp("The directory the streams' datasets go in.", valueName: "directory"))
    var output: String

    @Option(
        name: .customLong("on-malformed"),
        help: "fail (stop the sync) or skip (report the line and go on) for lines that are not usable messages.")
    var onMalformed = AirbyteMalformedPolicy.fail

    @Option(name: .customLong("batch-rows"), help: "Records a stream buffers before writing them.")
    var batchRows = 10_000

    @Option(name: .customLong("batch-bytes"), help: "Bytes of records a stream buffers before writing them.")
    var batchBytes = 8 << 20

    @Option(name: .customLong("max-line-bytes"), help: "The longest input line accepted; longer ones are malformed.")
    var maxLineBytes = 256 << 20

    @OptionGroup(title: "Writer options")
    var writer: WriterFlags

    func validate() throws {
        guard batchRows > 0 else { throw ValidationError("--batch-rows must be at least 1") }
        guard batchBytes > 0 else { throw ValidationError("--batch-bytes must be at least 1") }
        guard maxLineBytes > 0 else { throw ValidationError("--max-line-bytes must be at least 1") }
        guard !output.isEmpty else { throw ValidationError("--output must not be empty") }
    }

    func run() throws {
        // A closed stdout must be an error we report and exit on, not a silent kill
        // in the middle of a commit.
        signal(SIGPIPE, SIG_IGN)
        let messages = FileDescriptorSink(descriptor: STDOUT_FILENO, name: "standard output")
        let diagnostics = FileDescriptorSink(descriptor: STDERR_FILENO, name: "standard error", bufferBytes: 0)

        let destination: AirbyteDestination
        do {
            destination = try makeDestination(messages: messages, diagnostics: diagnostics)
        } catch {
            let text = "cannot start: \(error.message)"
            try? messages.writeLine(AirbyteMessageText.log(level: "ERROR", text))
            try? messages.writeLine(AirbyteMessageText.traceError(text, failureType: error.failureType))
            try? messages.flush()
            try? diagnostics.writeLine("parquet-writer airbyte: ERROR: \(text)")
            throw ExitCode(2)
        }
        if destination.run(FileDescriptorByteSource(descriptor: STDIN_FILENO)) != nil {
            throw ExitCode(1)
        }
    }

    /// Reads the catalog and opens every stream's dataset.
    /// - Throws: `AirbyteRunFailure` (`config_error`) naming the file or stream at fault.
    private func makeDestination(
        messages: any AirbyteOutputSink, diagnostics: any AirbyteOutputSink
    ) throws(AirbyteRunFailure) -> AirbyteDestination {
        func configError(_ text: String) -> AirbyteRunFailure {
            AirbyteRunFailure(message: text, failureType: "config_error")
        }
        let catalog: AirbyteCatalog
        do {
            catalog = try AirbyteCatalog(json: try CLIFiles.readJSON(self.catalog, what: "catalog"))
        } catch let error as AirbyteCatalogError {
            throw configError("the catalog '\(self.catalog)': \(error.message)")
        } catch {
            throw configError("\(error)")
        }
        guard writer.mode == nil else {
            throw configError("--mode is not taken: each stream's destination_sync_mode in the catalog sets its mode")
        }
        var streams: [(stream: AirbyteConfiguredStream, configuration: WriterConfiguration)] = []
        for stream in catalog.streams {
            let mode: String
            switch stream.destinationSyncMode {
            case nil, "append"?: mode = "append"
            case "overwrite"?: mode = "overwrite"
            case let other?:
                throw configError(
                    "stream '\(stream.displayName)': destination_sync_mode '\(other)' is not supported; "
                        + "this destination takes 'append' or 'overwrite' (it does not deduplicate)")
            }
            do {
                let directory = try stream.relativeDirectory()
                let path = output.hasSuffix("/") ? output + directory : output + "/" + directory
                streams.append((
                    stream,
                    try writer.configuration(
                        output: path, dataset: true, schemaOverride: stream.jsonSchema, modeOverride: mode)
                ))
            } catch {
                throw configError("stream '\(stream.displayName)': \(error)")
            }
        }
        var options = AirbyteDestinationOptions()
        options.onMalformed = onMalformed
        options.batchRows = batchRows
        options.batchBytes = batchBytes
        options.maximumLineBytes = maxLineBytes
        return try AirbyteDestination(streams: streams, options: options, messages: messages, diagnostics: diagnostics)
    }
}
