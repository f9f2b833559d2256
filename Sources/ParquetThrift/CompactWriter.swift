import ParquetBytes

/// Writes values in the Thrift compact protocol into a ``ByteBuffer``.
///
/// Field headers are delta-encoded against the previous field id of the *same* struct, so
/// the writer keeps a stack: ``writeStructBegin()`` saves the enclosing struct's last field
/// id and restarts at 0, ``writeStructEnd()`` writes the stop byte and restores it.
/// Misuse (unbalanced struct ends, negative counts) is a programming error and traps.
public struct CompactWriter: Sendable {
    /// The bytes written so far; take it when done, or keep appending other data to it.
    public var buffer: ByteBuffer

    /// The id of the last field written in the current struct.
    @usableFromInline
    internal var lastFieldID: Int16 = 0

    /// The last field ids of the enclosing structs, innermost last.
    @usableFromInline
    internal var enclosingFieldIDs: [Int16] = []

    /// Creates a writer that appends to `buffer`.
    /// - Parameter buffer: Where to append; existing contents are kept.
    public init(buffer: ByteBuffer = ByteBuffer()) {
        self.buffer = buffer
    }

    /// Creates a writer over a fresh buffer.
    /// - Parameter capacity: Bytes to reserve up front.
    public init(capacity: Int) {
        self.buffer = ByteBuffer(capacity: capacity)
    }

    // MARK: Structs and fields

    /// Starts a struct (or union): subsequent field ids are delta-encoded from 0.
    @inlinable
    public mutating func writeStructBegin() {
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    /// Ends the current struct: writes the stop byte and restores the enclosing field id.
    @inlinable
    public mutating func writeStructEnd() {
        precondition(!enclosingFieldIDs.isEmpty, "writeStructEnd without writeStructBegin")
        buffer.append(0)
        lastFieldID = enclosingFieldIDs.removeLast()
    }

    /// Writes a field header for a non-bool field; the value must follow.
    ///
    /// Bool fields carry their value in the header, so they go through ``writeField(_:bool:)``.
    /// - Parameters:
    ///   - id: The field id.
    ///   - type: The wire type of the value; not ``ThriftType/bool``.
    @inlinable
    public mutating func writeFieldBegin(_ id: Int16, _ type: ThriftType) {
        precondition(type != .bool, "bool fields are written with writeField(_:bool:)")
        writeFieldHeader(id, typeCode: type.rawValue)
    }

    @inlinable
    internal mutating func writeFieldHeader(_ id: Int16, typeCode: UInt8) {
        let delta = Int(id) - Int(lastFieldID)
        if delta >= 1 && delta <= 15 {
            buffer.append(UInt8(delta) << 4 | typeCode)
        } else {
            // Long form: used for the first field when its id is > 15, for jumps > 15,
            // and whenever ids go backwards (fields written out of order).
            buffer.append(typeCode)
            buffer.appendZigZagVarint(Int64(id))
        }
        lastFieldID = id
    }

    // MARK: Values (list elements, or a field's value after its header)

    /// Writes a bool as a collection element: one byte, 1 for true and 2 for false.
    ///
    /// This matches Apache Thrift's C++ and Java writers (and so parquet-cpp/parquet-java);
    /// the prose spec says 0 for false, which readers treat the same way.
    @inlinable
    public mutating func writeBool(_ value: Bool) {
        buffer.append(value ? 1 : 2)
    }

    /// Writes an `i8` as one raw byte (two's complement, no zigzag).
    @inlinable
    public mutating func writeI8(_ value: Int8) {
        buffer.append(UInt8(bitPattern: value))
    }

    /// Writes an `i16` as a zigzag varint.
    @inlinable
    public mutating func writeI16(_ value: Int16) {
        buffer.appendZigZagVarint(Int64(value))
    }

    /// Writes an `i32` (or an enum) as a zigzag varint.
    @inlinable
    public mutating func writeI32(_ value: Int32) {
        // Zigzag over 64 bits gives the same number as over 32 bits for in-range values.
        buffer.appendZigZagVarint(Int64(value))
    }

    /// Writes an `i64` as a zigzag varint.
    @inlinable
    public mutating func writeI64(_ value: Int64) {
        buffer.appendZigZagVarint(value)
    }

    /// Writes a `double` as 8 little-endian bytes.
    @inlinable
    public mutating func writeDouble(_ value: Double) {
        buffer.appendLittleEndian(value)
    }

    /// Writes `binary`: an unsigned varint length, then the bytes.
    /// - Parameter bytes: The payload.
    @inlinable
    public mutating func writeBinary(_ bytes: UnsafeRawBufferPointer) {
        buffer.appendVarint(UInt64(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    /// Writes `binary`: an unsigned varint length, then the bytes.
    /// - Parameter bytes: The payload.
    @inlinable
    public mutating func writeBinary(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeBinary($0) }
    }

    /// Writes a `string` as its UTF-8 bytes with a varint length prefix.
    /// - Parameter string: The text.
    @inlinable
    public mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeBinary(UnsafeRawBufferPointer($0)) }
    }

    /// Writes a list header; `count` elements of `elementType` must follow.
    /// - Parameters:
    ///   - elementType: The wire type of every element.
    ///   - count: The number of elements, 0...Int32.max.
    @inlinable
    public mutating func writeListBegin(_ elementType: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "list size out of range")
        if count < 15 {
            buffer.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            buffer.append(0xF0 | elementType.rawValue)
            buffer.appendVarint(UInt64(count))
        }
    }

    /// Writes a set header (encoded exactly like a list header).
    /// - Parameters:
    ///   - elementType: The wire type of every element.
    ///   - count: The number of elements.
    @inlinable
    public mutating func writeSetBegin(_ elementType: ThriftType, count: Int) {
        writeListBegin(elementType, count: count)
    }

    /// Writes a map header; `count` key/value pairs must follow.
    ///
    /// An empty map is the single byte 0 with no type byte.
    /// - Parameters:
    ///   - keyType: The wire type of every key.
    ///   - valueType: The wire type of every value.
    ///   - count: The number of pairs.
    @inlinable
    public mutating func writeMapBegin(keyType: ThriftType, valueType: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "map size out of range")
        buffer.appendVarint(UInt64(count))
        if count > 0 {
            buffer.append(keyType.rawValue << 4 | valueType.rawValue)
        }
    }

    /// Writes a list by calling `writeElement` for each element after the header.
    /// - Parameters:
    ///   - elementType: The wire type of every element.
    ///   - elements: The elements.
    ///   - writeElement: Writes one element's value (no header).
    @inlinable
    public mutating func writeList<C: Collection>(
        _ elementType: ThriftType,
        _ elements: C,
        _ writeElement: (inout CompactWriter, C.Element) -> Void
    ) {
        writeListBegin(elementType, count: elements.count)
        for element in elements { writeElement(&self, element) }
    }

    // MARK: Whole fields (header + value)

    /// Writes a bool field; the value lives in the header's type nibble (1 true, 2 false).
    @inlinable
    public mutating func writeField(_ id: Int16, bool value: Bool) {
        writeFieldHeader(id, typeCode: value ? 1 : 2)
    }

    /// Writes an `i8` field.
    @inlinable
    public mutating func writeField(_ id: Int16, i8 value: Int8) {
        writeFieldBegin(id, .i8)
        writeI8(value)
    }

    /// Writes an `i16` field.
    @inlinable
    public mutating func writeField(_ id: Int16, i16 value: Int16) {
        writeFieldBegin(id, .i16)
        writeI16(value)
    }

    /// Writes an `i32` field.
    @inlinable
    public mutating func writeField(_ id: Int16, i32 value: Int32) {
        writeFieldBegin(id, .i32)
        writeI32(value)
    }

    /// Writes an `i64` field.
    @inlinable
    public mutating func writeField(_ id: Int16, i64 value: Int64) {
        writeFieldBegin(id, .i64)
        writeI64(value)
    }

    /// Writes a `double` field.
    @inlinable
    public mutating func writeField(_ id: Int16, double value: Double) {
        writeFieldBegin(id, .double)
        writeDouble(value)
    }

    /// Writes a `binary` field.
    @inlinable
    public mutating func writeField(_ id: Int16, binary value: [UInt8]) {
        writeFieldBegin(id, .binary)
        writeBinary(value)
    }

    /// Writes a `string` field.
    @inlinable
    public mutating func writeField(_ id: Int16, string value: String) {
        writeFieldBegin(id, .binary)
        writeString(value)
    }

    /// Writes an enum field as its `i32` value.
    @inlinable
    public mutating func writeField<E: RawRepresentable>(_ id: Int16, enum value: E)
    where E.RawValue == Int32 {
        writeFieldBegin(id, .i32)
        writeI32(value.rawValue)
    }

    /// Writes a struct (or union) field.
    @inlinable
    public mutating func writeField<T: ThriftEncodable>(_ id: Int16, struct value: T) {
        writeFieldBegin(id, .struct)
        value.encode(to: &self)
    }

    /// Writes a field whose value is an empty struct (the members of marker unions such as
    /// `TimeUnit` or `ColumnOrder`): the header, then just the stop byte.
    @inlinable
    public mutating func writeEmptyStructField(_ id: Int16) {
        writeFieldBegin(id, .struct)
        buffer.append(0)
    }

    /// Writes a `list<struct>` field.
    @inlinable
    public mutating func writeField<T: ThriftEncodable>(_ id: Int16, structList values: [T]) {
        writeFieldBegin(id, .list)
        writeList(.struct, values) { writer, value in value.encode(to: &writer) }
    }

    /// Writes a `list<string>` field.
    @inlinable
    public mutating func writeField(_ id: Int16, stringList values: [String]) {
        writeFieldBegin(id, .list)
        writeList(.binary, values) { writer, value in writer.writeString(value) }
    }

    /// Writes a `list<binary>` field.
    @inlinable
    public mutating func writeField(_ id: Int16, binaryList values: [[UInt8]]) {
        writeFieldBegin(id, .list)
        writeList(.binary, values) { writer, value in writer.writeBinary(value) }
    }

    /// Writes a `list<bool>` field (one byte per element).
    @inlinable
    public mutating func writeField(_ id: Int16, boolList values: [Bool]) {
        writeFieldBegin(id, .list)
        writeList(.bool, values) { writer, value in writer.writeBool(value) }
    }

    /// Writes a `list<i32>` field.
    @inlinable
    public mutating func writeField(_ id: Int16, i32List values: [Int32]) {
        writeFieldBegin(id, .list)
        writeList(.i32, values) { writer, value in writer.writeI32(value) }
    }

    /// Writes a `list<i64>` field.
    @inlinable
    public mutating func writeField(_ id: Int16, i64List values: [Int64]) {
        writeFieldBegin(id, .list)
        writeList(.i64, values) { writer, value in writer.writeI64(value) }
    }

    /// Writes a `list<enum>` field as `i32` elements.
    @inlinable
    public mutating func writeField<E: RawRepresentable>(_ id: Int16, enumList values: [E])
    where E.RawValue == Int32 {
        writeFieldBegin(id, .list)
        writeList(.i32, values) { writer, value in writer.writeI32(value.rawValue) }
    }
}
