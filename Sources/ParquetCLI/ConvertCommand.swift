#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Parquet
import ParquetJSON

/// `parquet-writer convert`: NDJSON or a JSON array, from a file or standard input, into a
/// Parquet file or dataset, streamed in batches so memory follows the batch, not the input.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert NDJSON or a JSON array of objects into a Parquet file or dataset.",
        discussion: """
            The input is read in batches of --batch-bytes and written as it comes, so memory does not grow \
            with the input. The schema comes from --schema, --json-schema, or the first batch (inferred). \
            OUTPUT is a file, or a dataset directory with --dataset or any dataset option. '-o -' writes the \
            file to standard output (not to a terminal; not with --json or dataset options): a pipe cannot take \
            bytes back, so on failure the exit status is non-zero and the reader must discard what it got.

            The first malformed record (under --on-malformed fail, the default) or invalid record (under \
            --on-invalid fail) stops the conversion: its line and byte offset in the input are reported, the \
            output is discarded and the exit status is 1. '--on-malformed skip' leaves out each line (or array \
            element) that is not JSON and goes on; --rejects FILE writes every left-out line or record there, \
            one JSON object each: {"line": N, "byte": B, "reason": {...}, "text": "..."}. \
            SIGINT and SIGTERM discard the output too (exit 130 / 143). Progress goes to standard error \
            when it is a terminal (or with --progress); --quiet prints errors only; --json prints a JSON \
            summary on standard output.

            --mode says what happens to an existing output, as DuckDB's COPY does by default: a file is \
            replaced (a line on standard error says so, unless --quiet; '--mode error' refuses instead), and \
            a dataset directory that holds files is refused unless '--mode append', 'overwrite' or \
            'overwrite_partitions' is given. Replacing is atomic: the old data stays until the new is committed.
            """)

    @Argument(help: "The input file; '-' or nothing for standard input.")
    var input: String?

    @Option(name: [.customShort("o"), .long], help: "The Parquet file ('-' for standard output), or the dataset directory.")
    var output: String

    @Flag(help: "Write a dataset (a directory of files) to OUTPUT.")
    var dataset = false

    @Option(help: "ndjson, array, or auto (from the first byte).")
    var format: InputFormat = .auto

    @Option(name: .customLong("batch-bytes"), help: "Input bytes per batch (default 4 MiB).")
    var batchBytes = 4 << 20

    @Flag(help: "Print progress on standard error even when it is not a terminal.")
    var progress = false

    @Option(name: .customLong("on-malformed"), help: "fail (default) or skip: what a line that is not JSON does.")
    var onMalformed: MalformedLinePolicy = .fail

    @Option(help: "Write left-out input (malformed lines, records skipped by --on-invalid skip) to this file, one JSON object per line.")
    var rejects: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print a JSON summary on standard output.")
    var json = false

    @OptionGroup(title: "Writer options")
    var writer: WriterFlags

    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        case auto, ndjson, array
    }

    /// A record longer than this (in bytes) is an error rather than a reason to grow further.
    static let maximumRecordBytes = 1 << 30

    func validate() throws {
        guard batchBytes >= 1 << 10 && batchBytes <= 1 << 30 else {
            throw ValidationError("--batch-bytes must be between 1 KiB and 1 GiB")
        }
    }

    func run() throws {
        let isDataset = dataset || writer.filePrefix != nil || writer.maxRowsPerFile != nil
            || writer.maxBytesPerFile != nil || !writer.partitionBy.isEmpty || writer.maxOpenFiles != nil
            || writer.memoryLimitBytes != nil
            || writer.writePartitionColumns
        let toStandardOutput = output == StandardOutputSinks.name
        if toStandardOutput {
            // Standard output is the file: nothing else may go there, and it is one file.
            guard !isDataset else {
                throw ValidationError("'-o -' writes one file to standard output; a dataset needs a directory")
            }
            guard !json else {
                throw ValidationError("--json prints on standard output, which '-o -' uses for the Parquet file")
            }
            // As gzip and zstd do: binary bytes on a terminal help nobody.
            guard isatty(1) != 1 else {
                throw ValidationError("refusing to write Parquet bytes to a terminal; redirect or pipe standard output")
            }
        }
        let configuration: WriterConfiguration
        do {
            configuration = try writer.configuration(output: output, dataset: isDataset)
        } catch let error as ParquetError {
            throw ValidationError(error.description)
        }
        // Known before the writer is made, which would not change it (the file is renamed into
        // place only at the end).
        var existing = stat()
        let replacing = !isDataset && !toStandardOutput && (configuration.mode ?? .overwrite) == .overwrite
            && stat(output, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG
        let descriptor: Int32
        if let input, input != "-" {
            descriptor = open(input, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw ValidationError("cannot open '\(input)': \(CLIFiles.errorText())") }
        } else {
            descriptor = 0
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : nil
        let terminal = isatty(2) == 1
        let rejectsFile: RejectsFile?
        do {
            rejectsFile = try rejects.map { path throws(ParquetError) in try RejectsFile(path: path) }
        } catch {
            throw ValidationError(error.message)
        }
        var run = ConvertRun(
            descriptor: descriptor, inputName: input.flatMap { $0 == "-" ? nil : $0 } ?? "standard input",
            format: format, batchBytes: batchBytes,
            progress: ConvertProgress(enabled: !quiet && (progress || terminal), terminal: terminal, totalBytes: size),
            onMalformed: onMalformed, rejects: rejectsFile)
        ConvertSignals.install()
        let records: ConfiguredJSONWriter
        do {
            records = try ConfiguredJSONWriter(
                configuration: configuration, sinks: toStandardOutput ? StandardOutputSinks() : nil)
        } catch {
            throw ValidationError(error.description)
        }
        var outcome = run.convert(into: records, quiet: quiet)
        run.progress.end()
        do {
            try rejectsFile?.flush()
        } catch {
            if case .finished = outcome { outcome = .failed(error.message, 1) }
        }
        switch outcome {
        case .failed(let message, let status):
            records.abort()
            ConvertProgress.write("error: \(message)\n")
            throw ExitCode(status)
        case .finished:
            let files: [WriteSummary]
            do {
                files = run.files + (try records.close())
            } catch {
                records.abort()
                ConvertProgress.write("error: \(error)\n")
                throw ExitCode(1)
            }
            if replacing && !quiet {
                ConvertProgress.write("parquet-writer: replaced the existing file '\(output)' (--mode error refuses to)\n")
            }
            report(
                files: files, run: run, rows: records.rowsWritten, rejected: records.rowsRejected,
                unknownKeys: records.unknownKeyTotals)
            if !quiet && configuration.unknownKeys == .ignore {
                Self.warn(unknownKeys: records.unknownKeyTotals)
            }
        }
    }

    /// The keys left out under `--unknown-keys ignore`, as one line on standard error (nothing
    /// when there were none): schema drift is never silent.
    /// - Parameter unknownKeys: The writer's totals.
    static func warn(unknownKeys: [UnknownKeyCount]) {
        guard !unknownKeys.isEmpty else { return }
        let shown = 10
        var names = unknownKeys.prefix(shown).map { "\($0.name) (\(ConvertProgress.grouped($0.records)))" }
        if unknownKeys.count > shown { names.append("and \(unknownKeys.count - shown) more") }
        ConvertProgress.write(
            "warning: keys not in the schema were left out: \(names.joined(separator: ", ")); "
                + "--unknown-keys collect keeps them, --unknown-keys fail refuses them\n")
    }

    /// The summary: a line on standard error, or JSON on standard output with `--json`.
    private func report(files: [WriteSummary], run: ConvertRun, rows: Int, rejected: Int, unknownKeys: [UnknownKeyCount]) {
        let seconds = run.progress.elapsed
        if json {
            var text = JSONWriter()
            text.beginObject()
            text.key("rows_written")
            text.int(rows)
            text.key("rows_rejected")
            text.int(rejected)
            text.key("malformed_skipped")
            text.int(run.malformedSkipped)
            text.key("input_bytes")
            text.int(run.bytesRead)
            text.key("seconds")
            text.double(seconds)
            text.key("unknown_keys")
            text.beginObject()
            for count in unknownKeys {
                text.key(count.name)
                text.int(count.records)
            }
            text.endObject()
            text.key("files")
            text.beginArray()
            for file in files {
                text.beginObject()
                text.key("path")
                text.string(file.path)
                text.key("rows")
                text.int(file.rows)
                text.key("bytes")
                text.int(file.bytes)
                text.key("row_groups")
                text.int(file.rowGroups)
                text.endObject()
            }
            text.endArray()
            text.endObject()
            var line = text.text + "\n"
            line.withUTF8 { bytes in _ = Glibc.write(1, bytes.baseAddress, bytes.count) }
        }
        guard !quiet && !json else { return }
        let bytes = files.reduce(0) { $0 + $1.bytes }
        let rate = seconds > 0 ? Double(rows) / seconds : 0
        ConvertProgress.write(
            "wrote \(ConvertProgress.grouped(rows)) rows"
                + (rejected > 0 ? " (\(ConvertProgress.grouped(rejected)) rejected)" : "")
                + (run.malformedSkipped > 0 ? " (\(ConvertProgress.grouped(run.malformedSkipped)) malformed skipped)" : "")
                + " to \(files.count) file\(files.count == 1 ? "" : "s"), \(ConvertProgress.megabytes(bytes)) MB, "
                + "in \(ConvertProgress.decimal(seconds, 2)) s (\(ConvertProgress.grouped(Int(rate))) rows/s, "
                + "\(ConvertProgress.decimal(Double(run.bytesRead) / 1e6 / max(seconds, 1e-9), 1)) MB/s)\n")
    }
}
