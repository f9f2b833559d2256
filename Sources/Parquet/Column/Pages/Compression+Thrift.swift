import ParquetCompression
import ParquetThrift

extension Compression {
    /// The codec id the file metadata records for this compression.
    var thriftCodec: ParquetThrift.CompressionCodec {
        switch self {
        case .uncompressed: .uncompressed
        case .snappy: .snappy
        case .gzip: .gzip
        case .zstd: .zstd
        case .lz4Raw: .lz4Raw
        case .brotli: .brotli
        }
    }
}
