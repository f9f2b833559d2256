import ParquetBytes

/// A value that can write itself as a complete compact-protocol struct (or union).
public protocol ThriftEncodable {
    /// Writes the struct: its fields in id order, then the stop byte.
    /// - Parameter writer: The writer to append to.
    func encode(to writer: inout CompactWriter)
}

/// A value that can read itself from a complete compact-protocol struct (or union).
public protocol ThriftDecodable {
    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct's first field header.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    init(from reader: inout CompactReader) throws(ThriftError)
}

/// A value that can be both written and read.
public typealias ThriftCodable = ThriftEncodable & ThriftDecodable

extension ThriftEncodable {
    /// Serializes the value into a new buffer.
    /// - Returns: The compact-protocol bytes.
    public func serialized() -> ByteBuffer {
        // Room for a page header, a column or offset index of a few pages, a bloom filter
        // header: one allocation, where growing from 16 bytes reallocated three to six times
        // (a tenth of a million reallocations for a dataset of 720 small files).
        var writer = CompactWriter(capacity: 256)
        encode(to: &writer)
        return writer.buffer
    }

    /// Appends the serialized value to an existing buffer (e.g. a page header in front of
    /// its page, or the footer at the end of a file) without an intermediate copy.
    /// - Parameter buffer: The buffer to append to.
    public func serialize(appendingTo buffer: inout ByteBuffer) {
        var writer = CompactWriter(buffer: ByteBuffer(capacity: 0))
        swap(&writer.buffer, &buffer)
        encode(to: &writer)
        swap(&writer.buffer, &buffer)
    }
}

extension ThriftDecodable {
    /// Decodes one value from the start of `bytes`; bytes after it are ignored
    /// (use ``decodePrefix(from:)`` to learn where it ended).
    /// - Parameter bytes: The compact-protocol payload.
    /// - Returns: The value.
    /// - Throws: ``ThriftError`` on malformed input.
    public static func decode(from bytes: UnsafeRawBufferPointer) throws(ThriftError) -> Self {
        try decodePrefix(from: bytes).value
    }

    /// Decodes one value from the start of `bytes`.
    /// - Parameter bytes: The compact-protocol payload.
    /// - Returns: The value.
    /// - Throws: ``ThriftError`` on malformed input.
    public static func decode(from bytes: [UInt8]) throws(ThriftError) -> Self {
        // withUnsafeBytes is `rethrows`, which would erase the error type; carry it in a Result.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(ThriftError) in try decode(from: raw) }
        }.get()
    }

    /// Decodes one value from the start of `buffer`.
    /// - Parameter buffer: The compact-protocol payload.
    /// - Returns: The value.
    /// - Throws: ``ThriftError`` on malformed input.
    public static func decode(from buffer: ByteBuffer) throws(ThriftError) -> Self {
        try buffer.withUnsafeReadableBytes { raw in
            Result { () throws(ThriftError) in try decode(from: raw) }
        }.get()
    }

    /// Decodes one value from the start of `bytes` and reports its encoded size, for
    /// payloads where more data follows (a page header is followed by its page).
    /// - Parameter bytes: The compact-protocol payload.
    /// - Returns: The value and the number of bytes it occupied.
    /// - Throws: ``ThriftError`` on malformed input.
    public static func decodePrefix(
        from bytes: UnsafeRawBufferPointer
    ) throws(ThriftError) -> (value: Self, byteCount: Int) {
        var reader = CompactReader(bytes)
        let value = try Self(from: &reader)
        return (value, reader.position)
    }
}

/// Unwraps a decoded required field.
/// - Parameters:
///   - value: The decoded value, `nil` if the field was absent.
///   - type: The struct name for the error.
///   - field: The field name (as in parquet.thrift) for the error.
/// - Returns: The value.
/// - Throws: ``ThriftError/missingRequiredField(type:field:)`` when absent.
@inline(__always)
func requireField<T>(_ value: T?, _ type: String, _ field: String) throws(ThriftError) -> T {
    guard let value else { throw .missingRequiredField(type: type, field: field) }
    return value
}
