import Foundation
import Parquet

/// A `URL` goes to string columns as its absolute string.
extension URL: ColumnValue, DerivableColumnValue {
    public static var derivedColumnType: DataType { .string }
    public static var derivationPlaceholder: URL { URL(string: "about:blank")! }

    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        switch sink.builder.descriptor.type {
        case .string, .json:
            try sink.builder.storeText(absoluteString)
        default:
            throw ParquetError(.typeMismatch, "a \(sink.builder.descriptor.type.name) column cannot store URL values")
        }
    }
}
