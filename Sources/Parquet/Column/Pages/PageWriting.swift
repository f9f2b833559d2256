import ParquetBytes

/// Where a column chunk's pages go as they are closed, in order: the page I/O of a column
/// writer, apart from encoding and compression (arrow-rs's `PageWriter`, Arrow C++'s
/// serialized and buffered page writers).
///
/// A chunk must be contiguous in the file, so its pages wait until the row group is written:
/// ``BufferedPageWriter`` keeps them in memory, ``SpoolingPageWriter`` parks them in a scratch
/// file past a memory threshold.
///
/// Class-bound on purpose: a column writer holds one as `any PageWriting`, and a class
/// existential is one reference. A struct existential would make the column writers
/// address-only (passed and mutated indirectly, field accesses no longer provably disjoint).
protocol PageWriting: AnyObject {
    /// Appends a page: its serialized header, then its body.
    /// - Parameter page: The page, sizes filled in.
    /// - Returns: The bytes the page takes in the chunk (header and body).
    /// - Throws: `ParquetError` `.io` when a spooled page cannot be written.
    func write(_ page: CompressedPage) throws(ParquetError) -> Int

    /// The bytes of the pages written since the last ``reset()``, in memory or parked.
    var writtenBytes: Int { get }

    /// The bytes of those pages held in memory (not parked).
    var heldBytes: Int { get }

    /// The pages written, in order: extents of the spool first, then those still in memory.
    var pages: (spooled: [Range<Int>], inMemory: ByteBuffer) { get }

    /// Forgets the pages (once the chunk is in the file); buffers keep their capacity.
    func reset()
}

extension PageWriting {
    /// Serializes `page` and appends header and body to `buffer`.
    /// - Returns: The bytes appended.
    static func append(_ page: CompressedPage, to buffer: inout ByteBuffer) -> Int {
        let header = page.header.serialized()
        buffer.append(header)
        buffer.append(page.body)
        return header.count + page.body.count
    }
}
