#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor as an output: standard output for `parquet-writer convert -o -`.
///
/// Bytes go out as they are written, so this sink is not atomic: a pipe cannot take back what
/// it was given. ``abort()`` only stops writing; the consumer learns of the failure from the
/// writer's exit status and must discard what it read. ``commit()`` fsyncs when the descriptor
/// is a file (`> out.parquet`) and is otherwise a no-op. The descriptor is never closed here.
package final class DescriptorSink: OutputSink {
    /// The descriptor written.
    let descriptor: Int32
    /// The output's name in summaries and messages ("-" for standard output).
    package let path: String
    private var finished = false

    /// Wraps an open descriptor.
    /// - Parameters:
    ///   - descriptor: Open for writing; the caller keeps it open and closes it.
    ///   - path: The name summaries report.
    package init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Writes every byte, retrying short writes and interrupted calls.
    /// - Throws: `ParquetError` with code `.io` (a closed pipe is EPIPE when SIGPIPE is ignored).
    package func write(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard !finished else { throw ParquetError(.io, "the output '\(path)' is already finished") }
        if let failure = FileSystemCalls.writeAll(bytes, to: descriptor) {
            throw ParquetError(.io, "cannot write to '\(path)': \(failure)")
        }
    }

    /// Makes a file's bytes durable; pipes, sockets and terminals cannot be synced (EINVAL),
    /// and their bytes are already with the reader.
    /// - Throws: `ParquetError` with code `.io` when a file cannot be synced.
    package func commit() throws(ParquetError) {
        guard !finished else { throw ParquetError(.io, "the output '\(path)' was already finished") }
        finished = true
        if fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP {
            throw ParquetError(.io, "cannot flush '\(path)' to disk: \(FileSystemCalls.errorText())")
        }
    }

    /// Stops writing. What was written stays written (see the type's documentation).
    package func abort() {
        finished = true
    }
}
