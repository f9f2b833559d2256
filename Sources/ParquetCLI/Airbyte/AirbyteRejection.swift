import Parquet

/// A record the writer left out (under `on_invalid` `skip` or `null_field`), or a value it
/// stored as a null (under `null_field`), with the input line it came from.
struct AirbyteRejection {
    /// The input line (1-based).
    var line: Int
    /// Why, with the column concerned.
    var error: ParquetError
    /// Whether only the value in ``ParquetError/column`` was nulled (the record was written),
    /// rather than the record left out.
    var nulled = false
}
