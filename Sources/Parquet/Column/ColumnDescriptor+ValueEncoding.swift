import ParquetThrift

extension ColumnDescriptor {
    /// The encoding of the chunk's pages that hold values rather than dictionary indices: the
    /// DELTA or BYTE_STREAM_SPLIT encoding the field chose, else PLAIN (the fallback every
    /// reader knows, as Arrow C++ and DuckDB write with V1 pages).
    var valueEncoding: ParquetThrift.Encoding {
        switch encoding {
        case .deltaBinaryPacked?: .deltaBinaryPacked
        case .deltaLengthByteArray?: .deltaLengthByteArray
        case .deltaByteArray?: .deltaByteArray
        case .byteStreamSplit?: .byteStreamSplit
        case .plain?, .dictionary?, nil: .plain
        }
    }
}
