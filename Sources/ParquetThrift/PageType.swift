/// The kind of a page, which selects the page-specific header in `PageHeader`.
///
/// Raw values are the parquet.thrift values. Decoding a value not listed here throws
/// `ThriftError.unknownEnumValue` (see `CompactReader.readEnum()`).
public enum PageType: Int32, Sendable, Hashable, CaseIterable {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}
