/// Reads Thrift compact-protocol values from a byte range.
///
/// Every read is bounds-checked and reports malformed input by throwing ``ThriftError``;
/// nothing here traps on hostile bytes. Nesting (structs and containers) is limited by
/// ``maxDepth`` so that a deeply nested payload cannot exhaust the stack.
///
/// The reader borrows its bytes: they must stay valid while it is in use. The static
/// `decode(from:)` helpers on ``ThriftDecodable`` scope that for you.
public struct CompactReader {
    /// The bytes being read.
    public let bytes: UnsafeRawBufferPointer

    /// The offset of the next unread byte.
    public private(set) var position: Int = 0

    /// The deepest nesting of structs and containers accepted before throwing.
    public let maxDepth: Int

    /// The current nesting of structs (and, while skipping, containers).
    private var depth = 0

    /// The id of the last field read in the current struct, the base of short-form deltas.
    private var lastFieldID: Int16 = 0

    /// The last field ids of the enclosing structs, innermost last.
    private var enclosingFieldIDs: [Int16] = []

    /// The value of a bool field whose header was just read; bool fields carry their
    /// value in the header, so ``readBool()`` returns this instead of reading a byte.
    private var pendingBool: Bool?

    /// Creates a reader over `bytes`.
    /// - Parameters:
    ///   - bytes: The payload; must outlive the reader.
    ///   - maxDepth: The nesting limit (parquet metadata needs about 6).
    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// The number of bytes not yet read.
    public var remaining: Int { bytes.count - position }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { position >= bytes.count }

    // MARK: Primitives

    private mutating func readByte() throws(ThriftError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        let byte = bytes[position]
        position += 1
        return byte
    }

    /// Reads an unsigned LEB128 varint of at most `maxBytes` bytes that fits in `limit`.
    private mutating func readVarint(maxBytes: Int, limit: UInt64) throws(ThriftError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<maxBytes {
            let byte = try readByte()
            let payload = UInt64(byte & 0x7F)
            // The 10th byte of a 64-bit varint may only contribute the top bit.
            if index == 9 && payload > 1 { throw .invalidVarint }
            result |= payload << shift
            if byte & 0x80 == 0 {
                guard result <= limit else { throw .invalidVarint }
                return result
            }
            shift += 7
        }
        throw .invalidVarint
    }

    private mutating func readVarint32() throws(ThriftError) -> UInt32 {
        UInt32(try readVarint(maxBytes: 5, limit: UInt64(UInt32.max)))
    }

    /// Reads a non-negative length or count and checks that at least `minimumBytesPerItem`
    /// bytes per item remain, so a lying header fails here rather than in a huge allocation.
    private mutating func readCount(minimumBytesPerItem: Int) throws(ThriftError) -> Int {
        let raw = try readVarint32()
        guard raw <= UInt32(Int32.max) else { throw .invalidLength(Int64(raw)) }
        let count = Int(raw)
        guard count <= remaining / minimumBytesPerItem else { throw .invalidLength(Int64(count)) }
        return count
    }

    private mutating func enterNesting() throws(ThriftError) {
        guard depth < maxDepth else { throw .depthLimitExceeded(maxDepth) }
        depth += 1
    }

    private mutating func leaveNesting() {
        depth -= 1
    }

    // MARK: Structs and fields

    /// Enters a struct (or union): field ids restart from 0.
    /// - Throws: ``ThriftError/depthLimitExceeded(_:)`` when nested too deeply.
    public mutating func readStructBegin() throws(ThriftError) {
        try enterNesting()
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    /// Leaves the current struct after ``readFieldBegin()`` returned `nil`, restoring the
    /// enclosing struct's field id.
    public mutating func readStructEnd() {
        lastFieldID = enclosingFieldIDs.popLast() ?? 0
        leaveNesting()
    }

    /// Reads the next field header of the current struct.
    /// - Returns: The field, or `nil` at the stop byte.
    /// - Throws: ``ThriftError`` on truncation, an unknown type code or an id outside `Int16`.
    public mutating func readFieldBegin() throws(ThriftError) -> ThriftField? {
        pendingBool = nil
        let header = try readByte()
        if header == 0 { return nil }
        let code = header & 0x0F
        guard let type = ThriftType(compactCode: code) else { throw .invalidType(code) }
        let delta = header >> 4
        let id: Int16
        if delta != 0 {
            guard let next = Int16(exactly: Int(lastFieldID) + Int(delta)) else { throw .valueOutOfRange }
            id = next
        } else {
            id = try readI16()
        }
        lastFieldID = id
        if type == .bool { pendingBool = (code == 1) }
        return ThriftField(id: id, type: type)
    }

    // MARK: Values

    /// Reads a bool: a field's value from its header, or a one-byte collection element.
    /// - Returns: The value; element bytes 1 mean true, 0 and 2 mean false.
    /// - Throws: ``ThriftError/truncated`` or ``ThriftError/invalidBool(_:)``.
    public mutating func readBool() throws(ThriftError) -> Bool {
        if let value = pendingBool {
            pendingBool = nil
            return value
        }
        // Apache Thrift writes 1/2, the prose spec says 1/0; accept both spellings of false.
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw .invalidBool(other)
        }
    }

    /// Reads an `i8` (one raw byte).
    public mutating func readI8() throws(ThriftError) -> Int8 {
        Int8(bitPattern: try readByte())
    }

    /// Reads an `i16` (zigzag varint).
    /// - Throws: ``ThriftError/valueOutOfRange`` if the value does not fit 16 bits.
    public mutating func readI16() throws(ThriftError) -> Int16 {
        guard let value = Int16(exactly: try readI32()) else { throw .valueOutOfRange }
        return value
    }

    /// Reads an `i32` (zigzag varint of at most 5 bytes).
    public mutating func readI32() throws(ThriftError) -> Int32 {
        let raw = try readVarint32()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads an `i64` (zigzag varint of at most 10 bytes).
    public mutating func readI64() throws(ThriftError) -> Int64 {
        let raw = try readVarint(maxBytes: 10, limit: .max)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a `double` (8 little-endian bytes).
    public mutating func readDouble() throws(ThriftError) -> Double {
        guard remaining >= 8 else { throw .truncated }
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// Reads a `binary` value and calls `body` with its bytes, without copying them.
    /// - Parameter body: Receives the payload; the pointer is valid as long as the input.
    /// - Returns: What `body` returns.
    public mutating func readBinary<R>(
        _ body: (UnsafeRawBufferPointer) throws(ThriftError) -> R
    ) throws(ThriftError) -> R {
        let count = try readCount(minimumBytesPerItem: 1)
        let start = position
        position += count
        return try body(UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]))
    }

    /// Reads a `binary` value into a new array.
    public mutating func readBinary() throws(ThriftError) -> [UInt8] {
        try readBinary { (slice) throws(ThriftError) in Array(slice) }
    }

    /// Reads a `string`; invalid UTF-8 is repaired with U+FFFD rather than rejected,
    /// because strings in parquet metadata are informational.
    public mutating func readString() throws(ThriftError) -> String {
        try readBinary { (slice) throws(ThriftError) in String(decoding: slice, as: UTF8.self) }
    }

    /// Reads a `uuid` value (16 bytes, no length prefix).
    public mutating func readUUID() throws(ThriftError) -> [UInt8] {
        guard remaining >= 16 else { throw .truncated }
        defer { position += 16 }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<position + 16]))
    }

    // MARK: Containers

    /// Reads a list header.
    /// - Returns: The element type and the number of elements that follow.
    /// - Throws: ``ThriftError`` on a bad type code or a count the input cannot hold.
    public mutating func readListBegin() throws(ThriftError) -> (elementType: ThriftType, count: Int) {
        let header = try readByte()
        let code = header & 0x0F
        guard let elementType = ThriftType(compactCode: code) else { throw .invalidType(code) }
        let shortCount = Int(header >> 4)
        let count = shortCount == 15 ? try readCount(minimumBytesPerItem: 1) : shortCount
        // Short counts need the same honesty check as long ones.
        guard count <= remaining else { throw .invalidLength(Int64(count)) }
        return (elementType, count)
    }

    /// Reads a set header (encoded exactly like a list header).
    /// - Returns: The element type and the number of elements that follow.
    public mutating func readSetBegin() throws(ThriftError) -> (elementType: ThriftType, count: Int) {
        try readListBegin()
    }

    /// Reads a map header.
    /// - Returns: The key and value types (`nil` for an empty map, which has no type byte)
    ///   and the number of pairs that follow.
    public mutating func readMapBegin() throws(ThriftError)
        -> (keyType: ThriftType?, valueType: ThriftType?, count: Int)
    {
        let count = try readCount(minimumBytesPerItem: 2)
        if count == 0 { return (nil, nil, 0) }
        let types = try readByte()
        guard let keyType = ThriftType(compactCode: types >> 4) else { throw .invalidType(types >> 4) }
        guard let valueType = ThriftType(compactCode: types & 0x0F) else { throw .invalidType(types & 0x0F) }
        // The count was checked before the type byte was consumed; recheck what is left.
        guard count <= remaining / 2 else { throw .invalidLength(Int64(count)) }
        return (keyType, valueType, count)
    }

    /// Reads a list whose elements must be of `elementType`.
    /// - Parameters:
    ///   - elementType: The element type parquet.thrift declares.
    ///   - readElement: Reads one element's value.
    /// - Returns: The elements.
    /// - Throws: ``ThriftError/unexpectedElementType(expected:found:)`` for a non-empty list
    ///   of another type, or whatever `readElement` throws.
    public mutating func readList<T>(
        of elementType: ThriftType,
        _ readElement: (inout CompactReader) throws(ThriftError) -> T
    ) throws(ThriftError) -> [T] {
        let header = try readListBegin()
        if header.count == 0 { return [] }
        guard header.elementType == elementType else {
            throw .unexpectedElementType(expected: elementType, found: header.elementType)
        }
        try enterNesting()
        defer { leaveNesting() }
        var result: [T] = []
        result.reserveCapacity(header.count)
        for _ in 0..<header.count {
            result.append(try readElement(&self))
        }
        return result
    }

    /// Reads an `i32` and maps it to an enum case.
    /// - Returns: The case.
    /// - Throws: ``ThriftError/unknownEnumValue(type:value:)`` for a value with no case.
    public mutating func readEnum<E: RawRepresentable>() throws(ThriftError) -> E where E.RawValue == Int32 {
        let raw = try readI32()
        guard let value = E(rawValue: raw) else {
            throw .unknownEnumValue(type: String(describing: E.self), value: raw)
        }
        return value
    }

    /// Reads a `list<struct>`.
    public mutating func readStructList<T: ThriftDecodable>(of _: T.Type = T.self) throws(ThriftError) -> [T] {
        try readList(of: .struct) { (reader) throws(ThriftError) in try T(from: &reader) }
    }

    /// Reads a `list<string>`.
    public mutating func readStringList() throws(ThriftError) -> [String] {
        try readList(of: .binary) { (reader) throws(ThriftError) in try reader.readString() }
    }

    /// Reads a `list<binary>`.
    public mutating func readBinaryList() throws(ThriftError) -> [[UInt8]] {
        try readList(of: .binary) { (reader) throws(ThriftError) in try reader.readBinary() }
    }

    /// Reads a `list<bool>`.
    public mutating func readBoolList() throws(ThriftError) -> [Bool] {
        try readList(of: .bool) { (reader) throws(ThriftError) in try reader.readBool() }
    }

    /// Reads a `list<i32>`.
    public mutating func readI32List() throws(ThriftError) -> [Int32] {
        try readList(of: .i32) { (reader) throws(ThriftError) in try reader.readI32() }
    }

    /// Reads a `list<i64>`.
    public mutating func readI64List() throws(ThriftError) -> [Int64] {
        try readList(of: .i64) { (reader) throws(ThriftError) in try reader.readI64() }
    }

    /// Reads a `list<enum>` of `i32` values.
    public mutating func readEnumList<E: RawRepresentable>(of _: E.Type = E.self) throws(ThriftError) -> [E]
    where E.RawValue == Int32 {
        try readList(of: .i32) { (reader) throws(ThriftError) in try reader.readEnum() }
    }

    // MARK: Skipping

    /// Consumes one value of `type` without interpreting it, including nested structs and
    /// containers; this is how unknown and unwanted fields are ignored.
    /// - Parameter type: The value's wire type (from its field or container header).
    /// - Throws: ``ThriftError`` on malformed or too deeply nested input.
    public mutating func skip(_ type: ThriftType) throws(ThriftError) {
        switch type {
        case .bool:
            _ = try readBool()
        case .i8:
            _ = try readByte()
        case .i16, .i32, .i64:
            _ = try readVarint(maxBytes: 10, limit: .max)
        case .double:
            guard remaining >= 8 else { throw .truncated }
            position += 8
        case .binary:
            let count = try readCount(minimumBytesPerItem: 1)
            position += count
        case .uuid:
            guard remaining >= 16 else { throw .truncated }
            position += 16
        case .struct:
            try readStructBegin()
            while let field = try readFieldBegin() {
                try skip(field.type)
            }
            readStructEnd()
        case .list, .set:
            let header = try readListBegin()
            try enterNesting()
            defer { leaveNesting() }
            for _ in 0..<header.count { try skip(header.elementType) }
        case .map:
            let header = try readMapBegin()
            guard let keyType = header.keyType, let valueType = header.valueType else { return }
            try enterNesting()
            defer { leaveNesting() }
            for _ in 0..<header.count {
                try skip(keyType)
                try skip(valueType)
            }
        }
    }
}
