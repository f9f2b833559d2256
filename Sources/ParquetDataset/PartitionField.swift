import Parquet

/// How a partition field turns a column's value into a directory name.
public enum PartitionTransform: String, Sendable, CaseIterable {
    /// The value itself: integers, booleans, strings and dates.
    case identity
    /// The UTC year of a date or timestamp: `2024`.
    case year
    /// The UTC month: `2024-03`.
    case month
    /// The UTC day: `2024-03-09`.
    case day
    /// The UTC hour of a timestamp: `2024-03-09-17`.
    case hour
}

/// One level of hive-style partitioning: rows go to `<name>=<value>/` by a top-level column.
///
/// The value texts follow Iceberg's human-readable partition values; a null (or an empty
/// string) goes to `<name>=__HIVE_DEFAULT_PARTITION__`, as Hive and Spark write it, and
/// characters that are unsafe in a path are `%XX`-escaped, which Arrow, DuckDB and Spark decode.
public struct PartitionField: Sendable, Equatable {
    /// The top-level column the value comes from.
    public var column: String
    /// What is taken of the value.
    public var transform: PartitionTransform
    /// The directory key: the column's name for `identity`, else `<column>_<transform>`.
    public var name: String

    /// Creates a partition field.
    /// - Parameters:
    ///   - column: A top-level column of a primitive type.
    ///   - transform: `identity` (the default) or a date part.
    ///   - name: The directory key; nil picks the default.
    public init(column: String, transform: PartitionTransform = .identity, name: String? = nil) {
        self.column = column
        self.transform = transform
        self.name = name ?? (transform == .identity ? column : "\(column)_\(transform.rawValue)")
    }
}
