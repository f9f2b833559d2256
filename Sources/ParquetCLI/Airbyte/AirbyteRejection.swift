import Parquet

/// A record the writer left out under `--on-invalid skip`, with the input line it came from.
struct AirbyteRejection {
    /// The input line (1-based).
    var line: Int
    /// Why, with the column concerned.
    var error: ParquetError
}
