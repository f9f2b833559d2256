/// What a writer does with data already at its output: the configuration's `mode`.
///
/// Each output kind has its own default, chosen to match DuckDB's `COPY`: a single file is
/// replaced (`COPY ... TO 'x.parquet'` replaces it), and a dataset directory that already
/// holds files is refused (`COPY ... (PARTITION_BY ...)` refuses a non-empty directory unless
/// told to overwrite or append). Outputs a library cannot list or rename (a C caller's sink,
/// an object store) accept only what they can do without either; see ``defaultMode(dataset:local:)``.
public enum OutputMode: String, Sendable, CaseIterable {
    /// Refuse an output that already holds data: an existing file, or a dataset directory
    /// with a visible entry (a name not starting with `.` or `_`). A single file is also
    /// committed without replacing one created meanwhile.
    case error
    /// Replace the output. The old data is removed only after the new data is committed: a
    /// single file is renamed over the old one; a dataset is written into a hidden sibling
    /// directory that is exchanged with the old one in one atomic step.
    case overwrite
    /// A dataset only: replace just the partition directories this run writes (Spark's dynamic
    /// partition overwrite), each in one atomic step; the others stay as they are.
    case overwritePartitions = "overwrite_partitions"
    /// A dataset only: add new files beside the old ones (new names never clash).
    case append

    /// The mode names, as the configuration spells them.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The mode used when none is configured.
    /// - Parameters:
    ///   - dataset: Whether the output is a dataset (a directory of files).
    ///   - local: Whether the output is the local file system (not a factory's sinks).
    /// - Returns: `overwrite` for a single file; `error` for a local dataset; `append` for a
    ///   dataset whose files a factory opens (it cannot list what is there already).
    public static func defaultMode(dataset: Bool, local: Bool) -> OutputMode {
        guard dataset else { return .overwrite }
        return local ? .error : .append
    }
}
