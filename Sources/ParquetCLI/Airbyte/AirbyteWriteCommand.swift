#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Parquet
import ParquetJSON

/// `parquet-writer airbyte write`: the destination itself, writing one Parquet dataset per stream.
///
/// A thin shell: it reads the catalog and the settings (a `--config` file, or `--output` and
/// flags), turns them into each stream's writer configuration, and hands standard input,
/// output and error to ``AirbyteDestination``, which does the work.
struct AirbyteWriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write: Airbyte protocol messages on stdin, a Parquet dataset per stream.",
        discussion: """
            Reads the messages an Airbyte source writes (`source read ... | parquet-writer airbyte write \
            --config C --catalog K`), one JSON message per line. The settings come from --config (the \
            JSON object `airbyte spec` describes) or, in the command-line form, from --output and the \
            flags below; not both. Each stream of the configured catalog is written as a dataset at \
            DEST/<stream> (DEST/<namespace>/<stream> with a namespace; '/', '\\', '%', control \
            characters and a leading '.' in names are written as %XX), with the stream's json_schema \
            as its schema (--schema or --json-schema replace it in the command-line form).

            Every record gets the Destinations V2 columns, first in each file: _airbyte_raw_id (a \
            random UUID v4, string), _airbyte_extracted_at (the record's emitted_at, timestamp UTC), \
            _airbyte_meta (json: {"sync_id": the stream's sync_id or 0, "changes": the source's \
            meta.changes then the destination's}) and _airbyte_generation_id (the stream's \
            generation_id or 0). A value that does not fit its column is written as a null and \
            recorded in _airbyte_meta.changes as {"field", "change": "NULLED", "reason": \
            "DESTINATION_SERIALIZATION_ERROR"} under on_invalid null_field (the default); skip leaves \
            the record out, fail fails the sync. Records invalid otherwise are left out and reported.

            At every STATE message, every stream's buffered records are written and its open files \
            committed (fsynced and renamed into place); only then is the STATE echoed to stdout, \
            unchanged, so a sync resumed from the last echoed state loses nothing. LOG, TRACE and \
            CONTROL messages are passed through to stdout. The destination's own reports are LOG \
            messages on stdout and plain lines on stderr; a fatal error also emits a TRACE ERROR.

            Each stream's destination_sync_mode sets its dataset's mode: append (or none) adds files \
            beside those of earlier syncs; overwrite writes the sync's generation into a hidden \
            directory beside the stream's, .<stream>.airbyte-generation-<generation_id> (committed \
            there at each STATE), and swaps it in atomically only when the input ends and everything \
            is committed, then removes the old files. A sync that fails or is killed leaves the \
            previous data whole and its generation's files in place: the retry, with the same \
            generation_id and the source resumed from the last echoed STATE, appends to them. \
            append_dedup is refused (no deduplication here): a TRACE error and exit status 2. --mode \
            is therefore not taken.

            A malformed line (not JSON, not an object, an unknown type, a RECORD without stream or \
            data or of a stream not in the catalog, a line longer than the limit) stops the sync \
            under on_malformed fail: open files are discarded and the exit status is 1. Under skip \
            it is reported and counted.

            Exit status: 0 when the input was written in full; 1 when the sync failed; 2 when the \
            catalog, the configuration or the options cannot be used.
            """)

    @Option(help: ArgumentHelp("The configured catalog (ConfiguredAirbyteCatalog JSON).", valueName: "file"))
    var catalog: String

    @Option(help: ArgumentHelp("The destination configuration (JSON; see `airbyte spec`). Replaces --output and the flags.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Command-line form: the directory the streams' datasets go in.", valueName: "directory"))
    var output: String?

    @Option(
        name: .customLong("on-malformed"),
        help: "fail (stop the sync, the default) or skip (report the line and go on) for lines that are not usable messages.")
    var onMalformed: MalformedLinePolicy?

    @Option(name: .customLong("batch-rows"), help: "Records a stream buffers before writing them (default 10000).")
    var batchRows: Int?

    @Option(name: .customLong("batch-bytes"), help: "Bytes of records a stream buffers before writing them (default 8388608).")
    var batchBytes: Int?

    @Option(name: .customLong("max-line-bytes"), help: "The longest input line accepted; longer ones are malformed (default 268435456).")
    var maxLineBytes: Int?

    @OptionGroup(title: "Writer options (command-line form; --on-invalid also takes null_field, the default here)")
    var writer: WriterFlags

    func validate() throws {
        for (value, flag) in [(batchRows, "--batch-rows"), (batchBytes, "--batch-bytes"), (maxLineBytes, "--max-line-bytes")] {
            if let value, value <= 0 { throw ValidationError("\(flag) must be at least 1") }
        }
        if config != nil {
            guard output == nil, onMalformed == nil, batchRows == nil, batchBytes == nil, maxLineBytes == nil,
                writer.isEmpty
            else {
                throw ValidationError("--config gives every setting: --output and the writer flags are for the command-line form, not beside it")
            }
        } else {
            guard let output else { throw ValidationError("give --config (the connector form) or --output (the command-line form)") }
            guard !output.isEmpty else { throw ValidationError("--output must not be empty") }
        }
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

    /// Reads the catalog and the settings and opens every stream's dataset.
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
        for stream in catalog.streams {
            if let refusal = AirbyteSyncModes.refusal(of: stream) { throw configError(refusal) }
        }
        var options = AirbyteDestinationOptions()
        var streams: [(stream: AirbyteConfiguredStream, configuration: WriterConfiguration)] = []
        if let config {
            let settings: AirbyteConfig
            do {
                settings = try AirbyteConfig(json: try CLIFiles.readJSON(config, what: "configuration"))
            } catch {
                throw configError("the configuration '\(config)': \(error)")
            }
            options = settings.options
            for stream in catalog.streams {
                do {
                    streams.append((stream, try settings.configuration(for: stream)))
                } catch {
                    throw configError("stream '\(stream.displayName)': \(error)")
                }
            }
        } else {
            guard writer.mode == nil else {
                throw configError("--mode is not taken: each stream's destination_sync_mode in the catalog sets its mode")
            }
            var flags = writer
            // null_field is the destination's own leniency (records kept, values nulled), on
            // top of skip for records invalid otherwise.
            if flags.onInvalid == nil || flags.onInvalid == "null_field" {
                flags.onInvalid = "skip"
                options.nullsInvalidValues = true
            }
            options.onMalformed = onMalformed ?? options.onMalformed
            options.batchRows = batchRows ?? options.batchRows
            options.batchBytes = batchBytes ?? options.batchBytes
            options.maximumLineBytes = maxLineBytes ?? options.maximumLineBytes
            let output = self.output ?? ""
            for stream in catalog.streams {
                do {
                    let directory = try stream.relativeDirectory()
                    let path = output.hasSuffix("/") ? output + directory : output + "/" + directory
                    streams.append((
                        stream,
                        try flags.configuration(
                            output: path, dataset: true, schemaOverride: stream.jsonSchema,
                            modeOverride: stream.destinationSyncMode == "overwrite" ? "overwrite" : "append")
                    ))
                } catch {
                    throw configError("stream '\(stream.displayName)': \(error)")
                }
            }
        }
        return try AirbyteDestination(streams: streams, options: options, messages: messages, diagnostics: diagnostics)
    }
}
