/// The compression codec of a column chunk.
///
/// Raw values are the parquet.thrift values. Decoding a value not listed here throws
/// `ThriftError.unknownEnumValue` (see `CompactReader.readEnum()`).
public enum CompressionCodec: Int32, Sendable, Hashable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    /// Deprecated Hadoop-framed LZ4; write `lz4Raw` instead.
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7
}
