import ParquetCompression

/// Knobs of a writer. The defaults follow Arrow C++ and arrow-rs where they agree, with a
/// row-group byte budget added so memory stays bounded whatever the row width.
public struct WriterOptions: Sendable, Equatable {
    /// The page codec for every column.
    public var compression: Compression
    /// Dictionary-encode non-boolean columns until the dictionary passes ``dictionaryPageBytes``.
    public var dictionary: Bool
    /// Close a row group once it holds this many rows.
    public var rowGroupRows: Int
    /// Close a row group once its encoded size reaches this many bytes: its closed pages
    /// compressed, its open ones at their size before compression. It is checked after each
    /// step of an eighth of it (at least 256 rows), so a row group passes it by that step at
    /// most, and ends short of it compressed by what compression takes off one open page per
    /// column.
    public var rowGroupBytes: Int
    /// Finished pages a column keeps in memory, in bytes, before parking them in a nameless
    /// scratch file beside the output until their row group is written (a column chunk must
    /// be contiguous, so its pages wait for the whole row group). Memory then stays the same
    /// whatever the row-group size; nil keeps the whole row group in memory.
    public var columnBufferBytes: Int?
    /// Close a data page once its encoded values reach this many bytes (checked between
    /// mini-batches of at most 1,024 values, so a page can pass it by one mini-batch).
    public var pageBytes: Int
    /// Close a data page once it holds this many values (level slots), so readers can skip
    /// at a fine grain.
    public var pageRows: Int
    /// Fall back to PLAIN for the rest of a column chunk once its dictionary passes this size.
    public var dictionaryPageBytes: Int
    /// Truncate byte-array min/max statistics to this many bytes (nil: never truncate); the
    /// page index's bounds are truncated alike.
    public var statisticsTruncateLength: Int?
    /// Write the page index: a ColumnIndex (each data page's min/max, null count, whether it
    /// is all null, and whether the bounds are sorted) and an OffsetIndex (each page's
    /// offset, size and first row) per column chunk, after the row groups, before the footer.
    /// Readers use them to skip pages a predicate rules out and to find rows without reading
    /// page headers. On by default, as in Arrow C++, arrow-rs and parquet-java.
    public var pageIndex: Bool
    /// Write a CRC-32 of every page's stored bytes in its header (`PageHeader.crc`), which
    /// readers can verify (pyarrow's `page_checksum_verification`). Off by default, as in
    /// Arrow C++ and arrow-rs.
    public var pageChecksum: Bool
    /// The data page format: 1 (V1, the default, which every reader supports) or 2 (V2: levels
    /// first, uncompressed and without length prefixes, then the values compressed alone, and
    /// the page's null and row counts in its header, so a reader can count and skip without
    /// decompressing). Parquet-java and Arrow C++ also keep V1 the default.
    public var dataPageVersion: Int
    /// Leaf columns (dotted paths, as the column names them: `a`, `b.c`,
    /// `tags.list.element`) that get a split-block bloom filter per column chunk, sized from
    /// the chunk's distinct values for ``bloomFilterFPP``. Not for boolean columns.
    public var bloomFilterColumns: [String]
    /// The false-positive probability the bloom filters are sized for, in (0, 1).
    public var bloomFilterFPP: Double
    /// How BOOLEAN columns encode their values: PLAIN (bit-packed, what every reader
    /// supports) or the RLE/bit-packed hybrid (smaller for runs).
    public var booleanEncoding: BooleanEncoding
    /// Key-value pairs stored in the file footer.
    public var metadata: [(key: String, value: String)]
    /// The threads a batch is encoded on (and, through the JSON writers, parsed on): 1 (the
    /// default) encodes on the caller's thread; N encodes a row group's columns on N threads
    /// (the caller's and N - 1 of the writer's), ``ThreadCount/auto`` on as many as the
    /// process has cores. Every count writes the same bytes.
    public var threads: ThreadCount
    /// Sort the rows of each file by these columns, first key first (empty: rows stay in the
    /// order they were written). Rows are held (and spilled beyond ``sortMemoryBytes``) until
    /// the file is closed, then written in order; every row group records the keys as its
    /// `sorting_columns`.
    public var sortBy: [SortKey]
    /// With ``sortBy``, the memory a single file's sort may hold: rows staged until half of it,
    /// then sorted and spilled to a nameless scratch file as a run; at close, runs are merged a
    /// chunk at a time. A dataset's files use its `DatasetOptions.memoryLimitBytes` instead.
    public var sortMemoryBytes: Int

    /// ``threads`` resolved: the threads a writer starts with (the caller's included).
    package var resolvedThreads: Int { Swift.min(threads.resolved, ThreadCount.maximum) }

    /// The default ``sortMemoryBytes``: 256 MiB, as a dataset's memory budget.
    public static let defaultSortMemoryBytes = 256 << 20
    /// The smallest ``sortMemoryBytes`` accepted: 4 MiB.
    public static let minimumSortMemoryBytes = 4 << 20

    /// Creates options; every argument has the default described on its property.
    public init(
        compression: Compression = .snappy,
        dictionary: Bool = true,
        rowGroupRows: Int = 1_048_576,
        rowGroupBytes: Int = 128 * 1024 * 1024,
        columnBufferBytes: Int? = 256 * 1024,
        pageBytes: Int = 1024 * 1024,
        pageRows: Int = 20_000,
        dictionaryPageBytes: Int = 1024 * 1024,
        statisticsTruncateLength: Int? = 64,
        pageIndex: Bool = true,
        pageChecksum: Bool = false,
        dataPageVersion: Int = 1,
        bloomFilterColumns: [String] = [],
        bloomFilterFPP: Double = 0.01,
        booleanEncoding: BooleanEncoding = .plain,
        metadata: [(key: String, value: String)] = [],
        threads: ThreadCount = 1,
        sortBy: [SortKey] = [],
        sortMemoryBytes: Int = WriterOptions.defaultSortMemoryBytes
    ) {
        self.compression = compression
        self.dictionary = dictionary
        self.rowGroupRows = rowGroupRows
        self.rowGroupBytes = rowGroupBytes
        self.columnBufferBytes = columnBufferBytes
        self.pageBytes = pageBytes
        self.pageRows = pageRows
        self.dictionaryPageBytes = dictionaryPageBytes
        self.statisticsTruncateLength = statisticsTruncateLength
        self.pageIndex = pageIndex
        self.pageChecksum = pageChecksum
        self.dataPageVersion = dataPageVersion
        self.bloomFilterColumns = bloomFilterColumns
        self.bloomFilterFPP = bloomFilterFPP
        self.booleanEncoding = booleanEncoding
        self.metadata = metadata
        self.threads = threads
        self.sortBy = sortBy
        self.sortMemoryBytes = sortMemoryBytes
    }

    /// The encodings a BOOLEAN column can use.
    public enum BooleanEncoding: String, Sendable, Hashable {
        case plain
        case rle
    }

    /// Checks every limit.
    /// - Throws: `ParquetError` with code `.invalidOptions` naming the bad option.
    package func validate() throws(ParquetError) {
        func positive(_ value: Int, _ name: String, max: Int = Int(Int32.max)) throws(ParquetError) {
            guard value > 0 && value <= max else {
                throw ParquetError(.invalidOptions, "\(name) must be in 1...\(max), got \(value)")
            }
        }
        try positive(rowGroupRows, "row_group_rows", max: Int.max)
        try positive(rowGroupBytes, "row_group_bytes", max: Int.max)
        if let bytes = columnBufferBytes { try positive(bytes, "column_buffer_bytes", max: Int.max) }
        // Pages and dictionary pages are sized by i32 fields in the page header.
        try positive(pageBytes, "page_bytes", max: 1 << 30)
        try positive(pageRows, "page_rows")
        try positive(dictionaryPageBytes, "dictionary_page_bytes", max: 1 << 30)
        if let length = statisticsTruncateLength { try positive(length, "statistics_truncate_length") }
        guard bloomFilterFPP > 0 && bloomFilterFPP < 1 else {
            throw ParquetError(.invalidOptions, "bloom_filter_fpp must be in (0, 1), got \(bloomFilterFPP)")
        }
        guard dataPageVersion == 1 || dataPageVersion == 2 else {
            throw ParquetError(.invalidOptions, "data_page_version must be 1 or 2, got \(dataPageVersion)")
        }
        if let count = threads.fixed, !(1...ThreadCount.maximum).contains(count) {
            throw ParquetError(
                .invalidOptions, "threads must be from 1 to \(ThreadCount.maximum) or \"auto\", got \(count)")
        }
        guard sortMemoryBytes >= Self.minimumSortMemoryBytes else {
            throw ParquetError(
                .invalidOptions,
                "'memory_limit_bytes' must be at least \(Self.minimumSortMemoryBytes) (4 MiB), got \(sortMemoryBytes)")
        }
        var names = Set<String>()
        for key in sortBy where !names.insert(key.column).inserted {
            throw ParquetError(.invalidOptions, "'sort_by' names the column '\(key.column)' twice")
        }
    }

    public static func == (lhs: WriterOptions, rhs: WriterOptions) -> Bool {
        lhs.compression == rhs.compression && lhs.dictionary == rhs.dictionary
            && lhs.rowGroupRows == rhs.rowGroupRows && lhs.rowGroupBytes == rhs.rowGroupBytes
            && lhs.columnBufferBytes == rhs.columnBufferBytes && lhs.threads == rhs.threads
            && lhs.pageBytes == rhs.pageBytes && lhs.pageRows == rhs.pageRows
            && lhs.dictionaryPageBytes == rhs.dictionaryPageBytes
            && lhs.statisticsTruncateLength == rhs.statisticsTruncateLength && lhs.pageIndex == rhs.pageIndex
            && lhs.pageChecksum == rhs.pageChecksum && lhs.dataPageVersion == rhs.dataPageVersion
            && lhs.bloomFilterColumns == rhs.bloomFilterColumns && lhs.bloomFilterFPP == rhs.bloomFilterFPP
            && lhs.booleanEncoding == rhs.booleanEncoding
            && lhs.sortBy == rhs.sortBy && lhs.sortMemoryBytes == rhs.sortMemoryBytes
            && lhs.metadata.elementsEqual(rhs.metadata) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension WriterOptions {
    /// Checks ``bloomFilterColumns`` against a file's leaf columns.
    /// - Parameter columns: The leaf columns of the files written.
    /// - Throws: `ParquetError` `.invalidOptions` for a name that is no leaf, a boolean column,
    ///   or a name given twice.
    package func validateBloomFilterColumns(_ columns: [ColumnDescriptor]) throws(ParquetError) {
        var seen = Set<String>()
        for name in bloomFilterColumns {
            guard seen.insert(name).inserted else {
                throw ParquetError(.invalidOptions, "'bloom_filter_columns' names '\(name)' twice")
            }
            guard let column = columns.first(where: { $0.name == name }) else {
                throw ParquetError(
                    .invalidOptions,
                    "'bloom_filter_columns' names '\(name)', which is not a leaf column of the files; leaf columns: "
                        + columns.map(\.name).joined(separator: ", "))
            }
            if case .boolean = column.storage {
                throw ParquetError(.invalidOptions, "'bloom_filter_columns' names the boolean column '\(name)'; booleans have no bloom filter")
            }
        }
    }
}
