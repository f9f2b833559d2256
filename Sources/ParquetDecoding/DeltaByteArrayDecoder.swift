/// Decodes DELTA_BYTE_ARRAY for tests: prefix lengths, then the suffixes as
/// DELTA_LENGTH_BYTE_ARRAY, each value its predecessor's prefix plus its suffix.
public enum DeltaByteArrayDecoder {
    /// Decodes the values starting at `offset`.
    /// - Parameters:
    ///   - bytes: The input.
    ///   - offset: Where the prefix-lengths run starts; advanced past the last suffix.
    /// - Returns: The values.
    /// - Throws: ``ValueDecodingError`` on malformed input, a prefix longer than the previous
    ///   value, or a different number of prefixes and suffixes.
    public static func decode(_ bytes: [UInt8], offset: inout Int) throws -> [[UInt8]] {
        let prefixes = try DeltaBinaryPackedDecoder.decodeInt32(bytes, offset: &offset)
        let suffixes = try DeltaLengthByteArrayDecoder.decode(bytes, offset: &offset)
        guard prefixes.count == suffixes.count else {
            throw ValueDecodingError.invalidHeader("\(prefixes.count) prefix lengths for \(suffixes.count) suffixes")
        }
        var values: [[UInt8]] = []
        values.reserveCapacity(prefixes.count)
        var previous: [UInt8] = []
        for (prefix, suffix) in zip(prefixes, suffixes) {
            guard prefix >= 0, Int(prefix) <= previous.count else { throw ValueDecodingError.invalidLength(offset: offset) }
            let value = Array(previous[0..<Int(prefix)]) + suffix
            values.append(value)
            previous = value
        }
        return values
    }
}
