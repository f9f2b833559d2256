import Parquet

/// Opens a writer's outputs through a C caller's sink: a single file by its configured path, a
/// dataset's files by their paths inside the dataset.
final class CallbackSinkFactory: OutputSinkFactory, Sendable {
    private let callbacks: SinkCallbacks
    /// A dataset's configured directory, which prefixes its files' names in summaries; nil for
    /// a single file.
    private let directory: String?

    /// - Parameters:
    ///   - callbacks: The caller's sink.
    ///   - directory: The dataset's directory as configured, or nil for a single file.
    init(callbacks: SinkCallbacks, directory: String?) {
        self.callbacks = callbacks
        self.directory = directory
    }

    /// Opens an output; `path` is what the caller's `open` gets.
    /// - Throws: `ParquetError` `.io` when `open` refuses.
    func makeSink(for path: String) throws(ParquetError) -> any OutputSink {
        let name: String
        if let directory {
            name = directory.hasSuffix("/") ? directory + path : directory + "/" + path
        } else {
            name = path
        }
        return try CallbackSink(callbacks: callbacks, opening: path, path: name)
    }
}
