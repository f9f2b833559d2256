import Parquet

/// How a partitioned dataset writer spends its memory budget: the thresholds that decide
/// when a partition's staged rows become a row group, and when they are spilled instead.
///
/// Half the budget holds staged rows (capacity counted, not contents: that is what the
/// process holds; as `ColumnBuilder.heldBytes` counts it, from the rows alone, so the same
/// rows make the same decisions and files in every run). The other half covers what exists
/// besides: the row group being encoded, a spilled run read back, and the column writers'
/// pages and dictionaries.
struct _FanOutBudget {
    /// Staged rows may hold this many bytes before partitions are written out or spilled.
    let stagingBytes: Int
    /// Once staged is over ``stagingBytes``, partitions are written out or spilled until it
    /// is back under this (so the next batch does not start the same work again).
    let stagingLowWater: Int
    /// A partition whose rows (staged and spilled) reach this many bytes is written out as
    /// a row group: `row_group_bytes`, or an eighth of the budget when that is smaller (so the
    /// row group being encoded fits beside the staged rows).
    let rowGroupBytes: Int
    /// Rows that make a row group on their own: `row_group_rows`.
    let rowGroupRows: Int
    /// The fewest rows a row group written early (to free memory) may have: 65,536 rows, or
    /// a quarter of ``rowGroupBytes``, whichever comes first. Below that a partition's rows
    /// are spilled and merged later, because a small row group costs every reader: its
    /// metadata (a ColumnChunk per column, about 100 bytes each) is read for every query,
    /// its statistics prune less, dictionaries and compression restart. 65,536 rows is half
    /// of DuckDB's row group (122,880 rows) and the floor arrow-rs and Arrow C++ readers
    /// batch at; a quarter of the target keeps wide rows from waiting for 65,536 of them.
    let floorRows: Int
    let floorBytes: Int
    /// The largest run spilled at once for a partition that has no file open, so a run read
    /// back later costs at most this much memory: 8 MiB, or a sixteenth of the budget.
    let runBytes: Int

    /// Derives the thresholds.
    /// - Parameters:
    ///   - memoryLimitBytes: The dataset's budget (``DatasetOptions/memoryLimitBytes``).
    ///   - options: The files' options (row-group limits).
    init(memoryLimitBytes: Int, options: WriterOptions) {
        stagingBytes = memoryLimitBytes / 2
        stagingLowWater = stagingBytes / 4 * 3
        rowGroupBytes = Swift.max(1, Swift.min(options.rowGroupBytes, memoryLimitBytes / 8))
        rowGroupRows = options.rowGroupRows
        floorRows = Swift.min(options.rowGroupRows, 65_536)
        floorBytes = rowGroupBytes / 4
        runBytes = Swift.max(1, Swift.min(8 << 20, memoryLimitBytes / 16))
    }
}
