import Foundation
import Parquet

/// A `Date` is an instant: it goes to timestamp columns (in the column's unit, rounded to the
/// nearest; a `Date` holds a `Double` of seconds, so nanoseconds are as exact as that) and to
/// date columns (its UTC day). A derived schema gives it `timestamp(.microseconds, utc: true)`,
/// the unit pyarrow and Spark use for their own date-times.
extension Date: ColumnValue, DerivableColumnValue {
    public static var derivedColumnType: DataType { .timestamp(.microseconds, utc: true) }
    public static var derivationPlaceholder: Date { Date(timeIntervalSince1970: 0) }

    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        let seconds = timeIntervalSince1970
        guard seconds.isFinite else {
            throw ParquetError(.invalidValue, "the date \(seconds) is not a finite instant")
        }
        switch sink.builder.descriptor.type {
        case .timestamp(let unit, _):
            let scaled = (seconds * Double(unit.perSecond)).rounded()
            guard let value = Int64(exactly: scaled) else {
                throw ParquetError(.valueOutOfRange, "\(self) is outside the range of a timestamp in \(unit.rawValue)")
            }
            try sink.builder.storeInteger(value)
        case .date:
            let days = (seconds / 86_400).rounded(.down)
            guard let value = Int32(exactly: days) else {
                throw ParquetError(.valueOutOfRange, "\(self) is outside the range of a date column")
            }
            try sink.builder.storeInteger(value)
        default:
            throw ParquetError(.typeMismatch, "a \(sink.builder.descriptor.type.name) column cannot store Date values")
        }
    }
}
