import ParquetBytes

/// Keeps a chunk's pages in memory until the row group is written.
final class BufferedPageWriter: PageWriting {
    private var buffer = ByteBuffer()

    func write(_ page: CompressedPage) throws(ParquetError) -> Int {
        Self.append(page, to: &buffer)
    }

    var writtenBytes: Int { buffer.count }

    var heldBytes: Int { buffer.count }

    var pages: (spooled: [Range<Int>], inMemory: ByteBuffer) { ([], buffer) }

    /// The pages, as one buffer.
    var bytes: ByteBuffer { buffer }

    func reset() {
        buffer.removeAll()
    }
}
