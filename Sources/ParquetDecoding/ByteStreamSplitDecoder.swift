/// Decodes BYTE_STREAM_SPLIT for tests: joins `width` byte streams back into values.
public enum ByteStreamSplitDecoder {
    /// The values' PLAIN bytes (each value's `width` bytes in order).
    /// - Parameters:
    ///   - bytes: The streams, `count * width` bytes.
    ///   - width: Bytes per value.
    /// - Returns: The values, `width` bytes each, back to back.
    /// - Throws: ``ValueDecodingError/invalidLength(offset:)`` when the input is not whole values.
    public static func decode(_ bytes: ArraySlice<UInt8>, width: Int) throws -> [UInt8] {
        guard width > 0, bytes.count % width == 0 else { throw ValueDecodingError.invalidLength(offset: bytes.count) }
        let count = bytes.count / width
        var plain = [UInt8](repeating: 0, count: bytes.count)
        for stream in 0..<width {
            for index in 0..<count {
                plain[index * width + stream] = bytes[bytes.startIndex + stream * count + index]
            }
        }
        return plain
    }
}
