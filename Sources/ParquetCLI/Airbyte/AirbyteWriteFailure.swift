import Parquet

/// A stream's writer failed: the error, and the input line of the record concerned when the
/// error names one.
struct AirbyteWriteFailure: Error {
    /// The writer's error.
    var error: ParquetError
    /// The input line (1-based) of the record the error is about, if any.
    var line: Int?
}
