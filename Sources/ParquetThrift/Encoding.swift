/// The encoding of values or levels in a page.
///
/// Raw values are the parquet.thrift values. Decoding a value not listed here throws
/// `ThriftError.unknownEnumValue` (see `CompactReader.readEnum()`).
public enum Encoding: Int32, Sendable, Hashable, CaseIterable {
    case plain = 0
    /// Deprecated: use `rleDictionary` for data pages and `plain` for dictionary pages.
    case plainDictionary = 2
    case rle = 3
    /// Deprecated: superseded by `rle`.
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9
}
