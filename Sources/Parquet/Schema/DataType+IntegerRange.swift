/// The one statement of which integers each column type holds, shared by every producer of
/// values (the Swift API's `ColumnBatch`, the JSON decoder, the Arrow importer): a rule
/// changed or a type added here holds for all of them.
extension DataType {
    /// The integers a column of this type holds, in the type's own unit; nil for types that
    /// are not stored as plain integers (floats, decimals, bytes, nested types).
    ///
    /// Dates are days in int32; timestamps are int64 units; a time of day lies in
    /// [0, 86400 s): readers disagree on 24:00:00 (pyarrow's validation fails, polars reads
    /// null, DuckDB 24:00:00), so it is not written.
    package var integerRange: ClosedRange<Int128>? {
        switch self {
        case .int8: Int128(Int8.min)...Int128(Int8.max)
        case .int16: Int128(Int16.min)...Int128(Int16.max)
        case .int32, .date: Int128(Int32.min)...Int128(Int32.max)
        case .int64, .timestamp: Int128(Int64.min)...Int128(Int64.max)
        case .uint8: 0...Int128(UInt8.max)
        case .uint16: 0...Int128(UInt16.max)
        case .uint32: 0...Int128(UInt32.max)
        case .uint64: 0...Int128(UInt64.max)
        case .time(let unit): 0...(86_400 * Int128(unit.perSecond) - 1)
        default: nil
        }
    }
}
