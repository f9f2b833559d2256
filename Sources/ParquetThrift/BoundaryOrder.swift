/// Whether the per-page bounds in a `ColumnIndex` are sorted, and in which direction.
///
/// Raw values are the parquet.thrift values. Decoding a value not listed here throws
/// `ThriftError.unknownEnumValue` (see `CompactReader.readEnum()`).
public enum BoundaryOrder: Int32, Sendable, Hashable, CaseIterable {
    case unordered = 0
    case ascending = 1
    case descending = 2
}
