import Foundation
import Parquet

/// `Data` goes to binary, fixed_binary and uuid columns as its bytes, and to string and json
/// columns when it is valid UTF-8.
extension Data: ColumnValue, DerivableColumnValue {
    public static var derivedColumnType: DataType { .binary }
    public static var derivationPlaceholder: Data { Data() }

    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        var failure: ParquetError?
        withUnsafeBytes { bytes in
            do throws(ParquetError) { try sink.builder.storeBytes(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}
