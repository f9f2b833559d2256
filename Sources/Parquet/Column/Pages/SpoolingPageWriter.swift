import ParquetBytes

/// Keeps a chunk's pages in memory up to a threshold, then parks them in a scratch file, so
/// a row group of many columns holds at most the threshold per column in memory.
final class SpoolingPageWriter: PageWriting {
    private let spool: ScratchFile
    private let thresholdBytes: Int
    private var buffer = ByteBuffer()
    private var spooled: [Range<Int>] = []
    private var spooledBytes = 0

    /// - Parameters:
    ///   - spool: The scratch file the pages are parked in (shared by the file's columns).
    ///   - thresholdBytes: Page bytes kept in memory before they are parked.
    init(spool: ScratchFile, thresholdBytes: Int) {
        self.spool = spool
        self.thresholdBytes = thresholdBytes
    }

    func write(_ page: CompressedPage) throws(ParquetError) -> Int {
        let written = Self.append(page, to: &buffer)
        if buffer.count >= thresholdBytes {
            spooled.append(try spool.append(buffer))
            spooledBytes += buffer.count
            buffer.removeAll()
        }
        return written
    }

    var writtenBytes: Int { spooledBytes + buffer.count }

    var heldBytes: Int { buffer.count }

    var pages: (spooled: [Range<Int>], inMemory: ByteBuffer) { (spooled, buffer) }

    func reset() {
        buffer.removeAll()
        spooled.removeAll()
        spooledBytes = 0
    }
}
