/// Decodes DELTA_LENGTH_BYTE_ARRAY for tests: the lengths run, then the bytes they cut.
public enum DeltaLengthByteArrayDecoder {
    /// Decodes the values starting at `offset`.
    /// - Parameters:
    ///   - bytes: The input.
    ///   - offset: Where the lengths run starts; advanced past the last value's bytes.
    /// - Returns: The values.
    /// - Throws: ``ValueDecodingError`` on malformed input.
    public static func decode(_ bytes: [UInt8], offset: inout Int) throws -> [[UInt8]] {
        let lengths = try DeltaBinaryPackedDecoder.decodeInt32(bytes, offset: &offset)
        var values: [[UInt8]] = []
        values.reserveCapacity(lengths.count)
        for length in lengths {
            guard length >= 0 else { throw ValueDecodingError.invalidLength(offset: offset) }
            guard offset + Int(length) <= bytes.count else { throw ValueDecodingError.truncated(offset: offset) }
            values.append(Array(bytes[offset..<(offset + Int(length))]))
            offset += Int(length)
        }
        return values
    }
}
