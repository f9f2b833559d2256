/// One column rows are sorted by within each file (`sort_by`), recorded in the footer as
/// the row groups' `sorting_columns`.
///
/// Values order as their column's statistics do (signed or unsigned integers, IEEE floats
/// with NaN after every number, bytes unsigned), so a reader's min/max pruning and the
/// sort agree. Nulls go last unless ``nullsFirst``, as DuckDB and Arrow sort by default.
public struct SortKey: Sendable, Hashable {
    /// The column: a top-level primitive field of the file (not inside a list, struct or map).
    public var column: String
    /// Largest first.
    public var descending: Bool
    /// Nulls before every value instead of after.
    public var nullsFirst: Bool

    /// Creates a sort key.
    /// - Parameters:
    ///   - column: A top-level primitive column.
    ///   - descending: Largest first.
    ///   - nullsFirst: Nulls before values.
    public init(_ column: String, descending: Bool = false, nullsFirst: Bool = false) {
        self.column = column
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}
