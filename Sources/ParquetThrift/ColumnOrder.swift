/// The sort order used for a column's min/max statistics (the `ColumnOrder` union).
///
/// Every member of this union is an empty marker struct, so members this library does
/// not name (such as IEEE_754_TOTAL_ORDER = 2 in newer parquet.thrift) round-trip
/// exactly as ``other(fieldID:)``.
public enum ColumnOrder: ThriftCodable, Sendable, Hashable {
    /// TYPE_ORDER [1]: the order defined by the logical or physical type.
    case typeDefinedOrder
    /// A member this library does not name, kept by field id.
    case other(fieldID: Int16)

    /// The union member's field id.
    public var fieldID: Int16 {
        switch self {
        case .typeDefinedOrder: 1
        case .other(let fieldID): fieldID
        }
    }

    /// Writes the union: the one empty member struct, then the stop byte.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeEmptyStructField(fieldID)
        writer.writeStructEnd()
    }

    /// Reads the union.
    /// - Parameter reader: The reader positioned at the union.
    /// - Throws: ``ThriftError/invalidUnion(type:)`` unless exactly one member is set.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var result: ColumnOrder?
        var members = 0
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            if field.type == .struct {
                members += 1
                result = field.id == 1 ? .typeDefinedOrder : .other(fieldID: field.id)
            }
            try reader.skip(field.type)
        }
        reader.readStructEnd()
        guard members == 1, let result else { throw .invalidUnion(type: "ColumnOrder") }
        self = result
    }
}
