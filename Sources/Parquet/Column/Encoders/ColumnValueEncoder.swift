import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// The values of one physical type in a column chunk: dictionary entries or the pages' values
/// in the column's value encoding (PLAIN, or the DELTA or BYTE_STREAM_SPLIT encoding its
/// field chose), and the chunk's min/max. ``ColumnChunkWriter`` owns everything else (levels, page limits, the
/// dictionary decision, pages), as arrow-rs splits `GenericColumnWriter` from its
/// `ColumnValueEncoder`s.
///
/// Calls come per mini-batch with a borrowed view of the batch's values, so each
/// implementation's loops are specialised and no value is boxed.
protocol ColumnValueEncoder {
    /// A borrowed view of a builder's values, valid inside ``withValues(of:_:)``.
    associatedtype Values

    /// Whether values of this type can go to a dictionary (booleans cannot: one bit each).
    static var supportsDictionary: Bool { get }

    /// Creates the encoder of one column.
    init(descriptor: ColumnDescriptor, options: WriterOptions)

    /// Lends `builder`'s values for the length of `body` (once per batch, not per value).
    static func withValues<R>(
        of builder: ColumnBuilder, _ body: (Values) throws(ParquetError) -> R
    ) throws(ParquetError) -> R

    /// Slots per mini-batch for this batch, at most ``ColumnWriting/miniBatchSlots``.
    static func miniBatchSlots(for builder: ColumnBuilder, options: WriterOptions) -> Int

    /// Adds values `range` to the dictionary, appending their indices to `indices`, and folds
    /// them into the statistics.
    /// - Returns: What the values would take PLAIN-encoded (the dictionary's yardstick).
    mutating func appendToDictionary(_ values: Values, range: Range<Int>, indices: inout [UInt32]) -> Int

    /// Entries in the dictionary.
    var dictionaryCount: Int { get }

    /// The dictionary's PLAIN-encoded size.
    var dictionaryBytes: Int { get }

    /// Appends values `range` to the page's values (those not in the dictionary, written in the
    /// column's value encoding), and folds them into the statistics.
    mutating func appendValues(_ values: Values, range: Range<Int>)

    /// Appends the dictionary entries `indices` name to the page's values (a first page
    /// leaving its dictionary).
    mutating func appendValues(indices: UnsafeBufferPointer<UInt32>)

    /// The page's non-dictionary values, encoded, roughly.
    var valuePageBytes: Int { get }

    /// Closes the page with its non-dictionary values, in the column's value encoding.
    mutating func flushValuePage(into pages: inout PageAssembler) throws(ParquetError)

    /// Writes the chunk's dictionary page.
    func writeDictionaryPage(into pages: inout PageAssembler) throws(ParquetError)

    /// Ends the page's statistics: folds them into the chunk's and returns the page's bounds
    /// for the page index (PLAIN-encoded, truncated as the chunk's are), nil when no value of
    /// the page counts (all null, or all NaN).
    mutating func closePageStatistics() -> (min: [UInt8], max: [UInt8])?

    /// The chunk's min/max, PLAIN-encoded, and whether each is exact; nil when none counted.
    /// Call after the last page's ``closePageStatistics()``.
    func chunkBounds() -> (min: [UInt8], max: [UInt8]?, minExact: Bool, maxExact: Bool)?

    /// The chunk's bloom filter, sized from its distinct values; nil when the column has none
    /// (``WriterOptions/bloomFilterColumns``).
    mutating func finishBloomFilter() -> SplitBlockBloomFilter?

    /// Starts the next chunk, keeping buffers' capacity.
    mutating func reset()

    /// Gives back the buffer of the open page's values when the page is empty: for a row
    /// group left open between writes, whose next values may come much later.
    mutating func releaseEmptyPageBuffer()

    /// Gives back the dictionary's memory (its entries and hash table) once the chunk will
    /// not write it: its first page turned to the value encoding. The next chunk starts a new
    /// one.
    mutating func releaseDictionary()
}

extension ColumnValueEncoder {
    /// Nothing to give back: the values of a page are small beside its bytes (fixed width,
    /// booleans), or kept in place.
    mutating func releaseEmptyPageBuffer() {}

    /// No dictionary to give back.
    mutating func releaseDictionary() {}
}
