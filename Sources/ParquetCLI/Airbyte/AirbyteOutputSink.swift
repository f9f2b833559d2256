/// Where the destination writes lines: standard output (Airbyte messages) and standard
/// error (plain diagnostics) in the command, memory in tests.
///
/// Class-bound so the destination and its caller share one sink (a test inspects what was
/// written while the run goes on).
protocol AirbyteOutputSink: AnyObject {
    /// Writes one line; the sink adds the newline. It may be buffered until ``flush()``.
    /// - Parameter line: The line's bytes, without a newline.
    /// - Throws: `AirbyteIOError` when the output cannot be written.
    func writeLine(_ line: UnsafeRawBufferPointer) throws(AirbyteIOError)

    /// Makes every line written so far reach the reader.
    /// - Throws: `AirbyteIOError` when the output cannot be written.
    func flush() throws(AirbyteIOError)
}

extension AirbyteOutputSink {
    /// Writes one line of text.
    /// - Parameter text: The line, without a newline.
    /// - Throws: `AirbyteIOError` when the output cannot be written.
    func writeLine(_ text: String) throws(AirbyteIOError) {
        var text = text
        // withUTF8 only rethrows untyped errors: the Result keeps the type.
        try text.withUTF8 { bytes in
            Result { () throws(AirbyteIOError) in try writeLine(UnsafeRawBufferPointer(bytes)) }
        }.get()
    }
}
