/// The unit of a TIME or TIMESTAMP logical type (the `TimeUnit` union).
///
/// Each member is an empty struct on the wire: MILLIS = 1, MICROS = 2, NANOS = 3.
public enum TimeUnit: ThriftCodable, Sendable, Hashable, CaseIterable {
    case millis
    case micros
    case nanos

    /// The union member's field id.
    var fieldID: Int16 {
        switch self {
        case .millis: 1
        case .micros: 2
        case .nanos: 3
        }
    }

    /// Writes the union: one empty-struct member, then the stop byte.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeEmptyStructField(fieldID)
        writer.writeStructEnd()
    }

    /// Reads the union.
    /// - Parameter reader: The reader positioned at the union.
    /// - Throws: ``ThriftError/invalidUnion(type:)`` unless exactly one known unit is set;
    ///   an unknown unit cannot be interpreted, so it is an error rather than skipped.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var unit: TimeUnit?
        var members = 0
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            members += 1
            switch (field.id, field.type) {
            case (1, .struct): unit = .millis
            case (2, .struct): unit = .micros
            case (3, .struct): unit = .nanos
            default: break
            }
            // The members are empty structs; skipping tolerates future fields inside them.
            try reader.skip(field.type)
        }
        reader.readStructEnd()
        guard members == 1, let unit else { throw .invalidUnion(type: "TimeUnit") }
        self = unit
    }
}
