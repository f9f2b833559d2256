import ParquetBytes
import ParquetThrift
import Testing
@testable import Parquet

/// The page writers a column chunk's pages go to: in memory, or parked in a scratch file past
/// a threshold, always read back in the order written.
@Suite struct PageWriterTests {
    /// A data page whose body is `size` copies of `byte`.
    static func page(_ byte: UInt8, size: Int) -> CompressedPage {
        let body = ByteBuffer([UInt8](repeating: byte, count: size))
        let header = PageHeader(
            type: .dataPage, uncompressedPageSize: Int32(size), compressedPageSize: Int32(size),
            dataPageHeader: DataPageHeader(
                numValues: Int32(size), encoding: .plain, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
        return CompressedPage(header: header, body: body)
    }

    /// Header and body of each page, concatenated: what the chunk must hold.
    static func expected(_ pages: [CompressedPage]) -> [UInt8] {
        pages.flatMap { $0.header.serialized().bytes + $0.body.bytes }
    }

    @Test func bufferedKeepsPagesInOrder() throws {
        let writer = BufferedPageWriter()
        let pages = [Self.page(1, size: 10), Self.page(2, size: 300)]
        var total = 0
        for page in pages { total += try writer.write(page) }
        #expect(writer.writtenBytes == total)
        #expect(writer.pages.spooled.isEmpty)
        #expect(writer.bytes.bytes == Self.expected(pages))
        writer.reset()
        #expect(writer.writtenBytes == 0 && writer.bytes.isEmpty)
    }

    @Test func spoolingParksPagesPastItsThreshold() throws {
        let spool = try ScratchFile(directory: "/tmp")
        let writer = SpoolingPageWriter(spool: spool, thresholdBytes: 100)
        let pages = [Self.page(1, size: 60), Self.page(2, size: 60), Self.page(3, size: 10)]
        var total = 0
        for page in pages { total += try writer.write(page) }
        #expect(writer.writtenBytes == total)
        let (spooled, inMemory) = writer.pages
        #expect(spooled.count == 1, "the first two pages pass 100 bytes together and are parked")
        var bytes: [UInt8] = []
        for extent in spooled {
            var read = ByteBuffer()
            try spool.read(extent, into: &read)
            bytes += read.bytes
        }
        bytes += inMemory.bytes
        #expect(bytes == Self.expected(pages))
        writer.reset()
        #expect(writer.writtenBytes == 0 && writer.pages.spooled.isEmpty)
    }
}
