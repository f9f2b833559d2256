import ParquetBytes
import ParquetCompression
import ParquetThrift

/// A data page closed but not yet compressed: what ``PageAssembler`` hands to another task
/// so that compression, the largest single cost of a write, is not tied to the column that
/// made the page.
///
/// Why: a row group's columns are encoded in parallel, a column per task, and one column of
/// free text can be most of the work (60% of the encode time of the benchmark's transactions,
/// most of it zstd), so a step lasts as long as that column whatever the thread count. Its
/// pages are compressed as tasks of their own in the next step instead (see
/// ``FileEncoder``). Compression is deterministic and the pages are recorded in order, so
/// the file's bytes are those of compressing at once.
struct PendingPage {
    /// The header; its sizes and checksum are filled in by ``compress(with:)``.
    var header: PageHeader
    /// The uncompressed body (levels, then values).
    var body: ByteBuffer
    /// The compressed body, once ``compress(with:)`` has run.
    var stored: ByteBuffer
    /// The encoding of the values section, for the chunk's encoding statistics.
    let encoding: ParquetThrift.Encoding
    /// Level slots in the page.
    let valueCount: Int
    /// The page's entry in the assembler's page index (its offset and size are set when the
    /// page is recorded).
    let pageIndexSlot: Int
    /// Whether the header carries the CRC-32 of the stored body.
    let checksum: Bool
    /// The most the page can take once compressed and recorded: its uncompressed body plus a
    /// sixth (snappy's worst expansion; zstd, gzip, lz4 and brotli grow less) and 300 bytes
    /// for its header and the codec's framing. A bound, not a guess, so a row group these
    /// bounds leave under its byte limit is under it exactly too (``FileEncoder``).
    var bound: Int { body.count + body.count / 6 + 300 }

    /// Whether ``compress(with:)`` has run.
    private(set) var isCompressed = false

    /// Compresses the body and fills in the header's sizes (and checksum).
    ///
    /// Touches only this page and `workspace`'s compressor, so pages compress on any thread.
    /// - Parameter workspace: The compressor of the thread doing it.
    /// - Throws: `ParquetError` `.compression` when the codec fails.
    mutating func compress(with workspace: PageWorkspace) throws(ParquetError) {
        stored.removeAll()
        do {
            try body.withUnsafeReadableBytes { raw throws(CompressionError) in
                try workspace.compressor.compress(raw, into: &stored)
            }
        } catch {
            throw ParquetError(.compression, "\(error)")
        }
        header.uncompressedPageSize = Int32(body.count)
        header.compressedPageSize = Int32(stored.count)
        if checksum { header.crc = Int32(bitPattern: stored.withUnsafeReadableBytes { PageChecksum.crc32($0) }) }
        isCompressed = true
    }
}
