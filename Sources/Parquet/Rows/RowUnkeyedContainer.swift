/// The unkeyed container of a list (its elements) or of a map whose keys are neither strings
/// nor integers (keys and values alternating, as `Dictionary` encodes them), writing through
/// ``RowShredder``.
struct RowUnkeyedContainer: UnkeyedEncodingContainer {
    let shredder: RowShredder
    let frame: Int
    let stamp: UInt32

    var codingPath: [any CodingKey] { [] }
    var count: Int { shredder.count(frame: frame) }

    private func element() throws(ParquetError) -> (node: Int, repetition: UInt8) {
        try shredder.element(frame: frame, stamp: stamp)
    }

    mutating func encodeNil() throws {
        let target = try element()
        try shredder.null(node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Bool) throws {
        let target = try element()
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: String) throws {
        let target = try element()
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Double) throws {
        let target = try element()
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Float) throws {
        let target = try element()
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Int) throws { try integer(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try integer(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try integer(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try integer(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(Int64(value)) }
    mutating func encode(_ value: UInt16) throws { try integer(Int64(value)) }
    mutating func encode(_ value: UInt32) throws { try integer(Int64(value)) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }
    mutating func encode(_ value: Int128) throws { try integer(value) }
    mutating func encode(_ value: UInt128) throws { try integer(value) }

    private func integer(_ value: Int64) throws(ParquetError) {
        let target = try element()
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    private func integer<T: BinaryInteger>(_ value: T) throws(ParquetError) {
        let target = try element()
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let target = try element()
        try shredder.encode(value, node: target.node, repetition: target.repetition)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let opened = nested(keyed: true)
        return KeyedEncodingContainer(
            RowKeyedContainer<NestedKey>(shredder: shredder, frame: opened?.frame ?? -1, stamp: opened?.stamp ?? 0))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let opened = nested(keyed: false)
        return RowUnkeyedContainer(shredder: shredder, frame: opened?.frame ?? -1, stamp: opened?.stamp ?? 0)
    }

    /// Opens a frame for the next element (failures are deferred: these calls cannot throw).
    private func nested(keyed: Bool) -> (frame: Int, stamp: UInt32)? {
        do throws(ParquetError) {
            let target = try element()
            return shredder.openNested(node: target.node, repetition: target.repetition, keyed: keyed)
        } catch {
            shredder.record(error)
            return nil
        }
    }

    mutating func superEncoder() -> any Encoder {
        shredder.record(ParquetError(.invalidValue, "superEncoder() is not supported in an unkeyed container"))
        return RowEncoder(shredder: shredder, node: 0, frame: -1, stamp: 0, repetition: 0)
    }
}
