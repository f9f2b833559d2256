import Parquet

/// How a ``DatasetWriter`` spreads rows over files: when it starts another file, how it
/// partitions rows into `key=value/` directories, and how many files it keeps open.
public struct DatasetOptions: Sendable, Equatable {
    /// The start of every file name: `<prefix>-<sequence>-<run>.parquet`.
    public var filePrefix: String
    /// A file is finished once it holds this many rows; a batch that would pass the limit is
    /// split between files, so no file holds more. nil: no row limit.
    public var maxRowsPerFile: Int?
    /// A file is finished once its size (written row groups plus the open one's encoded
    /// pages) reaches this, checked after each batch. nil: no size limit.
    public var maxBytesPerFile: Int?
    /// Hive-style partitioning, outermost directory first. Empty: every file in the directory.
    public var partitionBy: [PartitionField]
    /// At most this many files are open at once: a bound on file descriptors (or uploads in
    /// flight), never on file sizes. A partition that gets rows while this many files are open
    /// keeps them staged or spilled until a file is finished; its file is still one file. An
    /// open file between row groups holds almost no memory.
    public var maxOpenFiles: Int
    /// With ``partitionBy``: the memory the writer may hold across all partitions, in bytes
    /// (rows staged per partition, rows read back from the spill, the row group being
    /// encoded). When staged rows reach half of it, the partition holding the most is written
    /// out as a row group if it has enough rows for a useful one, or else spilled to a scratch
    /// file to be merged into a full row group later. Not counted: the batch being written,
    /// whose size the caller chooses.
    public var memoryLimitBytes: Int
    /// Whether columns partitioned by their own value (`identity`) are also written into the
    /// files. Off by default, as Hive, Spark, Arrow and DuckDB do: readers take them from the path.
    public var writePartitionColumns: Bool
    /// What to do with data already in the directory; nil for the output's default: `.error`
    /// for a local directory (refuse one with visible entries, as DuckDB's `COPY` refuses a
    /// non-empty directory), `.append` for a factory's dataset (which cannot list or rename).
    /// See ``OutputMode`` and ``DatasetWriter``.
    public var mode: OutputMode?

    /// The default bound on open files: DuckDB's `partitioned_write_max_open_files`.
    public static let defaultMaxOpenFiles = 100
    /// The default memory budget of a partitioned dataset: 256 MiB.
    public static let defaultMemoryLimitBytes = WriterOptions.defaultSortMemoryBytes
    /// The smallest memory budget accepted: 4 MiB. Below that the encoder's own buffers (a
    /// page and a dictionary per column) would be most of it.
    public static let minimumMemoryLimitBytes = WriterOptions.minimumSortMemoryBytes

    /// Creates dataset options; the defaults write one unpartitioned, unlimited file at a time.
    public init(
        filePrefix: String = "part", maxRowsPerFile: Int? = nil, maxBytesPerFile: Int? = nil,
        partitionBy: [PartitionField] = [], maxOpenFiles: Int = DatasetOptions.defaultMaxOpenFiles,
        writePartitionColumns: Bool = false, memoryLimitBytes: Int = DatasetOptions.defaultMemoryLimitBytes,
        mode: OutputMode? = nil
    ) {
        self.mode = mode
        self.filePrefix = filePrefix
        self.maxRowsPerFile = maxRowsPerFile
        self.maxBytesPerFile = maxBytesPerFile
        self.partitionBy = partitionBy
        self.maxOpenFiles = maxOpenFiles
        self.writePartitionColumns = writePartitionColumns
        self.memoryLimitBytes = memoryLimitBytes
    }

    /// Checks the options on their own (the partition columns are checked against a schema
    /// by ``DatasetWriter``).
    /// - Throws: `ParquetError` with code `.invalidOptions` naming the option.
    public func validate() throws(ParquetError) {
        guard !filePrefix.isEmpty, !filePrefix.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == 0 }),
              !filePrefix.hasPrefix("."), !filePrefix.hasPrefix("_")
        else {
            throw ParquetError(
                .invalidOptions,
                "'file_prefix' '\(filePrefix)' must be a non-empty file name that does not start with '.' or '_' (readers skip those)")
        }
        guard filePrefix.utf8.count <= 200 else {
            throw ParquetError(.invalidOptions, "'file_prefix' is longer than 200 bytes")
        }
        if let rows = maxRowsPerFile, rows < 1 {
            throw ParquetError(.invalidOptions, "'max_rows_per_file' must be at least 1, got \(rows)")
        }
        if let bytes = maxBytesPerFile, bytes < 1 {
            throw ParquetError(.invalidOptions, "'max_bytes_per_file' must be at least 1, got \(bytes)")
        }
        guard maxOpenFiles >= 1 else {
            throw ParquetError(.invalidOptions, "'max_open_files' must be at least 1, got \(maxOpenFiles)")
        }
        guard memoryLimitBytes >= Self.minimumMemoryLimitBytes else {
            throw ParquetError(
                .invalidOptions,
                "'memory_limit_bytes' must be at least \(Self.minimumMemoryLimitBytes) (4 MiB), got \(memoryLimitBytes)")
        }
        var names = Set<String>()
        for field in partitionBy where !names.insert(field.name).inserted {
            throw ParquetError(.invalidOptions, "two partition fields are named '\(field.name)'")
        }
    }
}
