import Foundation
import Parquet

/// A `Decimal` goes to decimal columns exactly (a value with more fractional digits than the
/// column's scale, or more digits than its precision, is refused, never rounded) and to
/// string and json columns as its text. A derived schema gives it `decimal(38, 18)`, Spark's
/// choice for a decimal of unknown scale.
extension Decimal: ColumnValue, DerivableColumnValue {
    public static var derivedColumnType: DataType { .decimal(precision: 38, scale: 18) }
    public static var derivationPlaceholder: Decimal { .zero }

    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        guard !isNaN else { throw ParquetError(.invalidValue, "NaN is not a decimal value") }
        switch sink.builder.descriptor.type {
        case .decimal, .string, .json:
            // The text is exact (Decimal prints every digit, no exponent); the decimal column's
            // parser checks the scale and precision.
            try sink.builder.storeText(description)
        default:
            throw ParquetError(.typeMismatch, "a \(sink.builder.descriptor.type.name) column cannot store Decimal values")
        }
    }
}
