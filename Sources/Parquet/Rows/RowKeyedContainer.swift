/// The keyed container of a struct (its fields), of the row (its columns) or of a map with
/// string or integer keys (its entries), writing through ``RowShredder``.
struct RowKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let shredder: RowShredder
    let frame: Int
    let stamp: UInt32

    var codingPath: [any CodingKey] { [] }

    private func member(_ key: Key) throws(ParquetError) -> (node: Int, repetition: UInt8) {
        try shredder.member(frame: frame, stamp: stamp, key: key)
    }

    mutating func encodeNil(forKey key: Key) throws {
        let target = try member(key)
        try shredder.null(node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        let target = try member(key)
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        let target = try member(key)
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        let target = try member(key)
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        let target = try member(key)
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(Int64(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(Int64(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(Int64(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(Int64(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(Int64(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(Int64(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(Int64(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { try integer(value, key) }

    private func integer(_ value: Int64, _ key: Key) throws(ParquetError) {
        let target = try member(key)
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    private func integer<T: BinaryInteger>(_ value: T, _ key: Key) throws(ParquetError) {
        let target = try member(key)
        try shredder.store(value, node: target.node, repetition: target.repetition)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let target = try member(key)
        try shredder.encode(value, node: target.node, repetition: target.repetition)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let opened = nested(key, keyed: true)
        return KeyedEncodingContainer(
            RowKeyedContainer<NestedKey>(shredder: shredder, frame: opened?.frame ?? -1, stamp: opened?.stamp ?? 0))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let opened = nested(key, keyed: false)
        return RowUnkeyedContainer(shredder: shredder, frame: opened?.frame ?? -1, stamp: opened?.stamp ?? 0)
    }

    /// Opens a frame for the field `key` (failures are deferred: these calls cannot throw).
    private func nested(_ key: Key, keyed: Bool) -> (frame: Int, stamp: UInt32)? {
        do throws(ParquetError) {
            let target = try member(key)
            return shredder.openNested(node: target.node, repetition: target.repetition, keyed: keyed)
        } catch {
            shredder.record(error)
            return nil
        }
    }

    /// A superclass's fields join this struct's own (the schema has no "super" field).
    mutating func superEncoder() -> any Encoder {
        RowEncoder(shredder: shredder, node: shredder.node(ofFrame: frame), frame: frame, stamp: stamp, repetition: 0)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        shredder.record(ParquetError(
            .invalidValue, "superEncoder(forKey:) is not supported: a superclass's fields are encoded with superEncoder()"))
        return RowEncoder(shredder: shredder, node: 0, frame: -1, stamp: 0, repetition: 0)
    }
}
