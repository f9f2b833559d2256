/// The single-value container of a leaf value, an optional, or a wrapper that encodes
/// another value in its place, writing through ``RowShredder``.
struct RowSingleValueContainer: SingleValueEncodingContainer {
    let encoder: RowEncoder

    var codingPath: [any CodingKey] { [] }

    private var shredder: RowShredder { encoder.shredder }

    mutating func encodeNil() throws {
        if encoder.frame >= 0 {
            try shredder.nullValue(frame: encoder.frame, stamp: encoder.stamp)
        } else {
            try shredder.null(node: encoder.node, repetition: encoder.repetition)
        }
    }

    mutating func encode(_ value: Bool) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: String) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Double) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Float) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Int) throws { try shredder.store(Int64(value), node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Int8) throws { try shredder.store(Int64(value), node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Int16) throws { try shredder.store(Int64(value), node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Int32) throws { try shredder.store(Int64(value), node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Int64) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: UInt) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: UInt8) throws { try shredder.store(Int64(value), node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: UInt16) throws { try shredder.store(Int64(value), node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: UInt32) throws { try shredder.store(Int64(value), node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: UInt64) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: Int128) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }
    mutating func encode(_ value: UInt128) throws { try shredder.store(value, node: encoder.node, repetition: encoder.repetition) }

    /// A leaf value goes to the shredder (which knows scalars and ``ColumnValue``); a value
    /// in place of a struct, list or map (an optional's wrapped value) fills the same frame.
    mutating func encode<T: Encodable>(_ value: T) throws {
        if encoder.frame >= 0 {
            try shredder.prepare(frame: encoder.frame, stamp: encoder.stamp)
            try value.encode(to: encoder)
        } else {
            try shredder.encode(value, node: encoder.node, repetition: encoder.repetition)
        }
    }
}
