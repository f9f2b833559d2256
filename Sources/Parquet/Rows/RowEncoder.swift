/// The `Encoder` a value is handed while ``RowShredder`` writes it: positioned at one schema
/// node, and at the frame filling it (none for a leaf).
struct RowEncoder: Encoder {
    let shredder: RowShredder
    /// The schema node the value fills.
    let node: Int
    /// The frame of a struct, list or map node; -1 for a leaf.
    let frame: Int
    let stamp: UInt32
    /// The repetition level of the value's first slot.
    let repetition: UInt8

    /// Not tracked: errors name the column by its schema path instead.
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if frame < 0 {
            shredder.fail(node, "a keyed container (a struct, class or dictionary)")
        } else {
            shredder.open(frame: frame, stamp: stamp, keyed: true)
        }
        return KeyedEncodingContainer(RowKeyedContainer<Key>(shredder: shredder, frame: frame, stamp: stamp))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if frame < 0 {
            shredder.fail(node, "an unkeyed container (an array)")
        } else {
            shredder.open(frame: frame, stamp: stamp, keyed: false)
        }
        return RowUnkeyedContainer(shredder: shredder, frame: frame, stamp: stamp)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        RowSingleValueContainer(encoder: self)
    }
}
