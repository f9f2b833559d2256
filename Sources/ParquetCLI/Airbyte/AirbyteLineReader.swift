#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Splits a byte source into lines, reading it in chunks, in memory bounded by the longest
/// line allowed.
///
/// A line is the bytes before a `\n` (a `\r` before it stays part of the line, so a line can
/// be echoed exactly as it came); the last line may lack the `\n`. A line longer than
/// ``maximumLineBytes`` is not kept: its bytes are read past and it is reported as
/// ``Line/tooLong(bytes:)``, so one runaway line cannot exhaust memory.
struct AirbyteLineReader<Source: AirbyteByteSource>: ~Copyable {
    /// One line of the input.
    enum Line {
        /// The line's bytes, valid until the next call to ``next()``.
        case text(UnsafeRawBufferPointer)
        /// A line longer than the limit, and how long it was.
        case tooLong(bytes: Int)
    }

    private var source: Source
    /// The longest line kept.
    let maximumLineBytes: Int
    /// How much is asked of the source at once.
    private let chunkBytes: Int
    private var buffer: UnsafeMutableRawBufferPointer
    /// The bytes read but not yet returned are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    /// Where to look for the next newline (the bytes from `start` to here have none).
    private var searched = 0
    private var sourceEnded = false
    /// The number of the last line returned (1-based).
    private(set) var lineNumber = 0

    /// Creates a reader.
    /// - Parameters:
    ///   - source: The input.
    ///   - maximumLineBytes: The longest line kept (at least 1).
    ///   - chunkBytes: How much to read at once.
    init(source: Source, maximumLineBytes: Int, chunkBytes: Int = 1 << 20) {
        self.source = source
        self.maximumLineBytes = max(1, maximumLineBytes)
        self.chunkBytes = max(1, chunkBytes)
        buffer = .allocate(byteCount: self.chunkBytes, alignment: 8)
    }

    deinit {
        buffer.deallocate()
    }

    /// The next line.
    /// - Returns: The line, or nil at the end of the input.
    /// - Throws: `AirbyteIOError` from the source.
    mutating func next() throws(AirbyteIOError) -> Line? {
        var discarded = 0  // bytes of an overlong line read past so far
        while true {
            if searched < end, let found = memchr(buffer.baseAddress! + searched, Int32(UInt8(ascii: "\n")), end - searched) {
                let newline = UnsafeRawPointer(found) - UnsafeRawPointer(buffer.baseAddress!)
                let length = newline - start
                let lineStart = start
                start = newline + 1
                searched = start
                lineNumber += 1
                if discarded > 0 || length > maximumLineBytes { return .tooLong(bytes: discarded + length) }
                return .text(UnsafeRawBufferPointer(rebasing: buffer[lineStart..<newline]))
            }
            searched = end
            if end - start > maximumLineBytes {
                // Too long already: forget its bytes, keep reading to its end.
                discarded += end - start
                start = 0
                end = 0
                searched = 0
            }
            if sourceEnded {
                guard end > start || discarded > 0 else { return nil }
                let lineStart = start
                let lineEnd = end
                start = end
                lineNumber += 1
                if discarded > 0 { return .tooLong(bytes: discarded + lineEnd - lineStart) }
                return .text(UnsafeRawBufferPointer(rebasing: buffer[lineStart..<lineEnd]))
            }
            try fill()
        }
    }

    /// Reads a chunk into the buffer, first moving unreturned bytes to its front, or growing
    /// it when a partial line fills it.
    private mutating func fill() throws(AirbyteIOError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending) }
            searched -= start
            end = pending
            start = 0
        }
        if buffer.count - end < chunkBytes {
            // Room for one more chunk, doubling to keep copies rare, but never past the line
            // limit plus two chunks: `end` is at most the limit plus one chunk here.
            let capacity = max(end + chunkBytes, min(buffer.count * 2, maximumLineBytes + 2 * chunkBytes))
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
            grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = grown
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<min(buffer.count, end + chunkBytes)]))
        if count == 0 { sourceEnded = true } else { end += count }
    }
}
