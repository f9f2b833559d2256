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
    /// At most this many files are open at once; opening one more finishes the file written
    /// least recently (as Arrow's `max_open_files` does). Memory grows with it: each open file
    /// holds its row group under construction.
    public var maxOpenFiles: Int
    /// Whether columns partitioned by their own value (`identity`) are also written into the
    /// files. Off by default, as Hive, Spark, Arrow and DuckDB do: readers take them from the path.
    public var writePartitionColumns: Bool

    /// The default bound on open files.
    public static let defaultMaxOpenFiles = 16

    /// Creates dataset options; the defaults write one unpartitioned, unlimited file at a time.
    public init(
        filePrefix: String = "part", maxRowsPerFile: Int? = nil, maxBytesPerFile: Int? = nil,
        partitionBy: [PartitionField] = [], maxOpenFiles: Int = DatasetOptions.defaultMaxOpenFiles,
        writePartitionColumns: Bool = false
    ) {
        self.filePrefix = filePrefix
        self.maxRowsPerFile = maxRowsPerFile
        self.maxBytesPerFile = maxBytesPerFile
        self.partitionBy = partitionBy
        self.maxOpenFiles = maxOpenFiles
        self.writePartitionColumns = writePartitionColumns
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
        var names = Set<String>()
        for field in partitionBy where !names.insert(field.name).inserted {
            throw ParquetError(.invalidOptions, "two partition fields are named '\(field.name)'")
        }
    }
}
