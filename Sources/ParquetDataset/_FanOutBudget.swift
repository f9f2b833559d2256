import Parquet

/// How a partitioned dataset writer spends its memory budget: the thresholds that decide
/// when a partition's staged rows become a row group, and when they are spilled instead.
///
/// Half the budget holds staged rows and the partitions' open row groups (staged rows by
/// capacity, not contents: that is what the process holds; as `ColumnBuilder.heldBytes`
/// counts it, from the rows alone, or what a partition's staging kept from its last step
/// when that is more; open row groups at twice what their pages, dictionaries
/// and values hold; both from the rows alone, so the same rows make the same decisions and
/// files in every run). The other half covers what exists besides: the row group being
/// written out, a spilled run read back, the workspaces and the spool's buffers.
struct _FanOutBudget {
    /// Staged rows and open row groups may hold this many bytes before partitions are written
    /// out, have their pages closed, or are spilled.
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
    /// Staged rows of a partition that may write are encoded into its file's open row group
    /// once there are this many (or ``runBytes`` of them): 2,048 rows, or a row group when
    /// that is smaller. Enough that encoding's per-call work (a call per column, a page check
    /// per mini-batch) is spread over many rows; few enough that a partition's staged rows
    /// stay small and, encoded, take a fraction of their staged size (dictionary indices,
    /// compressed pages). 2,048 and 8,192 measured alike on the bench's 120 partitions.
    let stepRows: Int
    /// After a step, the open pages of the partition's row group that hold this much are
    /// closed (compressed): 64 KiB. Smaller pages would compress worse and cost a page header
    /// each; larger ones would keep the rows' plain values in memory longer.
    let stepPageBytes: Int
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
        stepRows = Swift.min(options.rowGroupRows, 2_048)
        stepPageBytes = 64 << 10
    }
}
