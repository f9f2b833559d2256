import Parquet

/// A dataset in a local directory: each file a ``FileSink`` (temporary name, fsync, rename,
/// fsync of its directory, on a ``CommitQueue``), partition directories created durably as
/// they are first needed. The dataset writer waits for the queue before it reports any file.
final class LocalDirectorySinks: OutputSinkFactory {
    /// The dataset's root directory.
    let root: String
    /// The directory summaries name files under: ``root``, or where a staged file will end up.
    let reportedRoot: String
    /// Directories (relative to ``root``) known to exist; "" is the root itself.
    private var existingDirectories: Set<String> = [""]
    /// Where the files' fsyncs and renames (and new directories' parents' fsyncs) run, so a
    /// dataset finishing many files at once waits for the disk once, not once per file; nil:
    /// each commit does them itself.
    private let durability: CommitQueue?

    /// Creates the root directory (and its missing parents) and removes the temporary files of
    /// writers that died in it.
    /// - Parameters:
    ///   - root: The directory the files are written in.
    ///   - reportedRoot: The directory summaries name the files under; nil for `root`.
    ///   - durability: The dataset's commit queue (its owner waits for it before reporting
    ///     files), or nil to commit each file in place.
    /// - Throws: `ParquetError` `.io` when the directory cannot be created.
    init(root: String, reportedRoot: String? = nil, durability: CommitQueue? = nil) throws(ParquetError) {
        self.root = root
        self.durability = durability
        self.reportedRoot = reportedRoot ?? root
        try DatasetDirectory.create(root)
        DatasetDirectory.removeAbandonedTemporaries(in: root)
    }

    /// Whether files were opened in `folder` (relative to ``root``), so it exists.
    func created(_ folder: String) -> Bool { existingDirectories.contains(folder) }

    /// Opens `root/path` under a temporary name, creating its partition directories first.
    /// - Parameter path: The file's path inside the dataset.
    /// - Returns: The file's sink.
    /// - Throws: `ParquetError` `.io` when a directory or the file cannot be created.
    func makeSink(for path: String) throws(ParquetError) -> any OutputSink {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !existingDirectories.contains(folder) {
            if let durability {
                // Owed only once a file in it is reported, after the queue's wait: one fsync
                // of each parent then, however many partitions were made in it.
                try DatasetDirectory.create(DatasetDirectory.join(root, folder), syncParent: durability.syncBeforeWait)
            } else {
                try DatasetDirectory.create(DatasetDirectory.join(root, folder))
            }
            existingDirectories.insert(folder)
        }
        let sink = try FileSink(
            path: DatasetDirectory.join(root, path), reportedPath: DatasetDirectory.join(reportedRoot, path))
        sink.durability = durability
        return sink
    }
}
