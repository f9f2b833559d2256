import Parquet

/// One output of a C caller's sink: the handle its `open` returned, written through its
/// callbacks, ended by exactly one successful `finish` or one `abort` (a failed `finish` is
/// followed by `abort`), as Include/parquet_writer.h promises.
final class CallbackSink: OutputSink {
    /// The output's name in summaries.
    let path: String
    private let callbacks: SinkCallbacks
    /// The caller's handle for this output.
    private let file: UnsafeMutableRawPointer?
    /// Open until finished or aborted; nothing is called for the file afterwards.
    private var isOpen = true

    /// Opens an output through the caller's `open`.
    /// - Parameters:
    ///   - callbacks: The caller's sink.
    ///   - name: What `open` is given.
    ///   - path: What summaries and messages call the output.
    /// - Throws: `ParquetError` `.io` when `open` refuses.
    init(callbacks: SinkCallbacks, opening name: String, path: String) throws(ParquetError) {
        self.callbacks = callbacks
        self.path = path
        file = try callbacks.open(name)
    }

    deinit {
        // A writer dropped without finishing: the caller still hears that the output is discarded.
        abort()
    }

    /// Hands the bytes to the caller's `write`.
    /// - Throws: `ParquetError` `.io` when it fails (the writer then aborts the output).
    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard isOpen else { throw ParquetError(.io, "the output '\(path)' is already finished") }
        let status = callbacks.write(file, bytes)
        guard status == 0 else {
            throw ParquetError(.io, "the sink's write callback failed for '\(path)' (it returned \(status))")
        }
    }

    /// Calls the caller's `finish`; when it fails, `abort` follows.
    /// - Throws: `ParquetError` `.io` when `finish` fails.
    func commit() throws(ParquetError) {
        guard isOpen else { throw ParquetError(.io, "the output '\(path)' was already finished") }
        let status = callbacks.finish(file)
        guard status == 0 else {
            abort()
            throw ParquetError(.io, "the sink's finish callback failed for '\(path)' (it returned \(status))")
        }
        isOpen = false
    }

    /// Calls the caller's `abort`, once; nothing after a successful finish.
    func abort() {
        guard isOpen else { return }
        isOpen = false
        callbacks.abort(file)
    }
}
