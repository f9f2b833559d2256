/// Whether a schema element is required, optional or repeated.
///
/// Raw values are the parquet.thrift values. Decoding a value not listed here throws
/// `ThriftError.unknownEnumValue` (see `CompactReader.readEnum()`).
public enum FieldRepetitionType: Int32, Sendable, Hashable, CaseIterable {
    case required = 0
    case optional = 1
    case repeated = 2
}
