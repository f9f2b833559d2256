import Parquet

/// `convert -o -`: the one output is standard output (descriptor 1), through a
/// ``DescriptorSink``. A pipe cannot take bytes back, so this output is not atomic: on a
/// failure the command exits non-zero and the reader must discard what it got.
final class StandardOutputSinks: OutputSinkFactory {
    /// The name `-o` gives it, and what summaries report.
    static let name = "-"

    /// Standard output as the sink of the single file `path` ("-").
    /// - Throws: `ParquetError` `.invalidOptions` when asked for more than one file (a dataset).
    func makeSink(for path: String) throws(ParquetError) -> any OutputSink {
        guard path == Self.name else {
            throw ParquetError(.invalidOptions, "standard output holds one file, not the dataset file '\(path)'")
        }
        return DescriptorSink(descriptor: 1, path: Self.name)
    }
}
