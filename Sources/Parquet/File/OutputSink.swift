import ParquetBytes

/// Where a Parquet file's bytes go: a file renamed into place (the default), standard output,
/// a C caller's callbacks, an object store upload. ``ParquetWriter`` appends the file to it
/// front to back, page by page, then calls ``commit()`` once, or ``abort()``.
///
/// Atomicity belongs to the sink: ``commit()`` is what makes the output appear (a rename, the
/// completion of an upload), and ``abort()`` must leave nothing behind where that is possible.
/// A sink that cannot take back what it was given (a pipe) says so in its documentation.
///
/// The writer counts the bytes itself, so a sink need not track offsets. Calls come from the
/// thread of the writer call being made, whatever ``WriterOptions/threads`` is (the writer's
/// own threads encode; the caller's thread writes the bytes).
public protocol OutputSink: AnyObject {
    /// The output's name in summaries and error messages: a path, a URL, "-".
    var path: String { get }

    /// A directory for the nameless page spool (``WriterOptions/columnBufferBytes``), best on
    /// the output's filesystem; nil for the system's temporary directory (`TMPDIR`, else `/tmp`).
    var scratchDirectory: String? { get }

    /// Appends bytes.
    /// - Parameter bytes: Only read during the call.
    /// - Throws: `ParquetError` with code `.io`; the writer then aborts the sink.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError)

    /// Makes the output appear, complete and durable. Called once, after the last write.
    /// - Throws: `ParquetError` with code `.io`; the sink must then have left nothing behind
    ///   (the writer calls ``abort()`` as well, which must then do nothing harmful).
    func commit() throws(ParquetError)

    /// Discards the output: nothing appears. Called after a failure, on ``ParquetWriter/abort()``,
    /// and when a writer is dropped unclosed; does nothing after ``commit()`` or a first abort.
    func abort()
}

extension OutputSink {
    /// The system's temporary directory: outputs that are not files have no directory of their own.
    public var scratchDirectory: String? { nil }

    /// Appends the readable bytes of `buffer`.
    /// - Throws: `ParquetError` with code `.io`, as ``write(_:)-(UnsafeRawBufferPointer)``.
    public func write(_ buffer: ByteBuffer) throws(ParquetError) {
        try buffer.withUnsafeReadableBytes { bytes throws(ParquetError) in try write(bytes) }
    }
}
