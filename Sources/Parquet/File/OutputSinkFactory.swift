/// Opens the outputs of a writer that names its files itself: a dataset (one sink per file,
/// named by its path inside the dataset, `country=DE/part-00000-1a2b3c4d.parquet`), or a
/// configured single file whose output is not a local path.
///
/// A dataset asks for a file when it starts writing one, and commits or aborts each sink on
/// its own, so files appear one by one as each is committed.
public protocol OutputSinkFactory: AnyObject {
    /// Opens one output.
    /// - Parameter path: A single file's configured path, or a dataset file's path relative to
    ///   the dataset's directory ("/"-separated, partition directories first).
    /// - Returns: A sink positioned at its start, which the caller commits or aborts.
    /// - Throws: `ParquetError` with code `.io` when the output cannot be opened.
    func makeSink(for path: String) throws(ParquetError) -> any OutputSink
}
