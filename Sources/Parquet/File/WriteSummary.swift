/// What a closed file holds: enough to register it in a table format without reading it back.
public struct WriteSummary: Sendable, Equatable {
    /// The path of the finished file.
    public var path: String
    /// Rows in the file.
    public var rows: Int
    /// Row groups in the file.
    public var rowGroups: Int
    /// The file's size in bytes.
    public var bytes: Int
    /// Per-column statistics over the whole file, in schema order.
    public var columns: [ColumnSummary]
}

/// Whole-file statistics of one column.
public struct ColumnSummary: Sendable, Equatable {
    /// The column's name (dotted path for nested columns).
    public var name: String
    /// Nulls in the column.
    public var nullCount: Int
    /// The smallest value in the column's sort order, nil when there is none (all null, all NaN).
    public var minimum: StatisticValue?
    /// The largest value, nil when there is none or it could not be bounded after truncation.
    public var maximum: StatisticValue?
}

/// A min or max statistic in a form a program can use without knowing Parquet encodings.
public enum StatisticValue: Sendable, Equatable {
    case boolean(Bool)
    /// Signed integers, dates (days), times and timestamps (in their unit), and the unscaled
    /// value of INT32/INT64 decimals.
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    /// UTF-8 text (possibly a truncated bound).
    case string(String)
    /// Binary, fixed, UUID and the big-endian unscaled bytes of wide decimals.
    case bytes([UInt8])
}
