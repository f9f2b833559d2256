import Foundation
import Parquet

/// A `UUID` goes to uuid and 16-byte fixed_binary columns as its 16 bytes, to string columns
/// as its canonical lowercase text (RFC 9562; `uuidString` is uppercase).
extension UUID: ColumnValue, DerivableColumnValue {
    public static var derivedColumnType: DataType { .uuid }
    public static var derivationPlaceholder: UUID { UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) }

    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        switch sink.builder.descriptor.type {
        case .uuid, .fixedBinary(length: 16), .binary:
            var bytes = uuid
            try withUnsafeBytes(of: &bytes) { raw throws(ParquetError) in try sink.builder.storeBytes(raw) }
        case .string, .json:
            try sink.builder.storeText(uuidString.lowercased())
        default:
            throw ParquetError(.typeMismatch, "a \(sink.builder.descriptor.type.name) column cannot store UUID values")
        }
    }
}
