#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file descriptor as an output sink, buffered: lines are gathered and written when the
/// buffer passes ``bufferBytes``, and at every ``flush()`` (the destination flushes after
/// each echoed STATE and at the end, so the platform sees a state as soon as it is true).
final class FileDescriptorSink: AirbyteOutputSink {
    /// The descriptor written; not closed by this type.
    let descriptor: Int32
    /// What the output is, for messages ("standard output").
    let name: String
    /// How much is gathered before a write.
    let bufferBytes: Int
    private var buffer: [UInt8] = []

    /// Creates a sink.
    /// - Parameters:
    ///   - descriptor: The descriptor to write.
    ///   - name: What it is, for error messages.
    ///   - bufferBytes: How much to gather before writing; 0 writes every line at once.
    init(descriptor: Int32, name: String, bufferBytes: Int = 1 << 16) {
        self.descriptor = descriptor
        self.name = name
        self.bufferBytes = bufferBytes
        buffer.reserveCapacity(bufferBytes + 256)
    }

    /// Appends a line and its newline; writes when the buffer is full.
    /// - Throws: `AirbyteIOError` when a write fails.
    func writeLine(_ line: UnsafeRawBufferPointer) throws(AirbyteIOError) {
        buffer.append(contentsOf: line)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= bufferBytes { try flush() }
    }

    /// Writes everything gathered, retrying short writes and interrupted calls.
    /// - Throws: `AirbyteIOError` when a write fails (a closed pipe included: SIGPIPE is
    ///   expected to be ignored by the process so it is reported here).
    func flush() throws(AirbyteIOError) {
        var written = 0
        defer { buffer.removeAll(keepingCapacity: true) }
        while written < buffer.count {
            let count = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AirbyteIOError(message: "cannot write to \(name): \(CLIFiles.errorText())")
            }
            written += count
        }
    }
}
