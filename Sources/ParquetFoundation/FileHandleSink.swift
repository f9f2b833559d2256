import Foundation
import Parquet

/// Writes a Parquet file into an open `FileHandle`: standard output, a pipe, a socket, a file
/// you opened yourself.
///
/// A handle cannot take back what it was given: after a failure or ``abort()`` the bytes
/// written so far stay there, and the reader sees a file without its footer (which every
/// reader refuses). Write to a path (`ParquetWriter/init(url:schema:options:mode:)`) when
/// the output must appear whole or not at all.
public final class FileHandleSink: OutputSink {
    /// The handle written to; the sink neither opens nor closes it.
    public let handle: FileHandle
    public let path: String

    /// Creates a sink over `handle`.
    /// - Parameters:
    ///   - handle: An open handle, written from its current position.
    ///   - name: The output's name in summaries and errors.
    public init(_ handle: FileHandle, name: String = "<file handle>") {
        self.handle = handle
        self.path = name
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw ParquetError(.io, "writing to \(path) failed: \(error)")
        }
    }

    /// Flushes the handle to storage where it is a file (a pipe or terminal has nothing to flush).
    public func commit() throws(ParquetError) {
        try? handle.synchronize()
    }

    public func abort() {}
}
