/// The `Decoder` ``SchemaProbe`` runs a type's `init(from:)` with: it records the containers
/// and values asked for into a ``SchemaProbe/Node`` and makes up values.
struct SchemaProbeDecoder: Decoder {
    let probe: SchemaProbe
    let node: SchemaProbe.Node

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try node.setShape(.structure)
        return KeyedDecodingContainer(SchemaProbeKeyedContainer<Key>(probe: probe, node: node))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try node.setShape(.list)
        return SchemaProbeUnkeyedContainer(probe: probe, element: node.elementNode())
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SchemaProbeSingleValueContainer(probe: probe, node: node)
    }
}

/// A struct's fields, as ``SchemaProbeDecoder`` records them: every key is present, nothing
/// is null (so `decodeIfPresent` asks `decodeNil`, which marks the field nullable, then decodes).
struct SchemaProbeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let probe: SchemaProbe
    let node: SchemaProbe.Node

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool {
        node.field(key.stringValue).nullable = true
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try probe.probe(type, into: node.field(key.stringValue))
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try probe.probe(type, into: node.field(key.stringValue)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try probe.probe(type, into: node.field(key.stringValue)) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try SchemaProbeDecoder(probe: probe, node: node.field(key.stringValue)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try SchemaProbeDecoder(probe: probe, node: node.field(key.stringValue)).unkeyedContainer()
    }

    /// A superclass's fields join this struct's own, as ``RowKeyedContainer`` writes them.
    func superDecoder() throws -> any Decoder { SchemaProbeDecoder(probe: probe, node: node) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        SchemaProbeDecoder(probe: probe, node: node.field(key.stringValue))
    }
}

/// A list's elements, as ``SchemaProbeDecoder`` records them: one element, then the end.
struct SchemaProbeUnkeyedContainer: UnkeyedDecodingContainer {
    let probe: SchemaProbe
    let element: SchemaProbe.Node

    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex >= 1 }
    private(set) var currentIndex = 0

    init(probe: SchemaProbe, element: SchemaProbe.Node) {
        self.probe = probe
        self.element = element
    }

    mutating func decodeNil() throws -> Bool {
        element.nullable = true
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try probe.probe(type, into: element)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return try SchemaProbeDecoder(probe: probe, node: element).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return try SchemaProbeDecoder(probe: probe, node: element).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        currentIndex += 1
        return SchemaProbeDecoder(probe: probe, node: element)
    }
}

/// A single value (a leaf, or an enum's raw value), as ``SchemaProbeDecoder`` records it.
struct SchemaProbeSingleValueContainer: SingleValueDecodingContainer {
    let probe: SchemaProbe
    let node: SchemaProbe.Node

    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool {
        node.nullable = true
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try probe.probe(type, into: node) }
    func decode(_ type: Bool.Type) throws -> Bool { try probe.probe(type, into: node) }
    func decode(_ type: String.Type) throws -> String { try probe.probe(type, into: node) }
    func decode(_ type: Double.Type) throws -> Double { try probe.probe(type, into: node) }
    func decode(_ type: Float.Type) throws -> Float { try probe.probe(type, into: node) }
    func decode(_ type: Int.Type) throws -> Int { try probe.probe(type, into: node) }
    func decode(_ type: Int8.Type) throws -> Int8 { try probe.probe(type, into: node) }
    func decode(_ type: Int16.Type) throws -> Int16 { try probe.probe(type, into: node) }
    func decode(_ type: Int32.Type) throws -> Int32 { try probe.probe(type, into: node) }
    func decode(_ type: Int64.Type) throws -> Int64 { try probe.probe(type, into: node) }
    func decode(_ type: UInt.Type) throws -> UInt { try probe.probe(type, into: node) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try probe.probe(type, into: node) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try probe.probe(type, into: node) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try probe.probe(type, into: node) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try probe.probe(type, into: node) }
}
