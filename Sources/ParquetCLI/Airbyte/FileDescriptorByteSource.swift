#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file descriptor as a byte source (standard input for the command).
struct FileDescriptorByteSource: AirbyteByteSource {
    /// The descriptor read; not closed by this type.
    let descriptor: Int32

    /// Reads from `descriptor`, retrying when a signal interrupts the call.
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: The bytes read; 0 at the end.
    /// - Throws: `AirbyteIOError` with the system's reason.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(AirbyteIOError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw AirbyteIOError(message: "cannot read the input: \(CLIFiles.errorText())")
        }
    }
}
