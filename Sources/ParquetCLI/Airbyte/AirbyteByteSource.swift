/// Where the destination reads the protocol from: standard input in the command, bytes in
/// memory in tests. Reads come in chunks of any size; 0 means the end.
protocol AirbyteByteSource {
    /// Reads up to `buffer.count` bytes.
    /// - Parameter buffer: Where to put them.
    /// - Returns: The bytes read; 0 only at the end of the input.
    /// - Throws: `AirbyteIOError` when the input cannot be read.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(AirbyteIOError) -> Int
}
