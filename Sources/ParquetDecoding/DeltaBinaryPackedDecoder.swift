/// Decodes DELTA_BINARY_PACKED (parquet-format Encodings.md) for tests: any block size and
/// miniblock count the spec allows, not only the writer's 128 and 4, with every header field
/// checked and deltas added with wraparound in the value's own width.
public enum DeltaBinaryPackedDecoder {
    /// Decodes one run of INT32 values.
    /// - Parameters:
    ///   - bytes: The input.
    ///   - offset: Where the run's header starts; advanced past the run's last used miniblock.
    /// - Returns: The values.
    /// - Throws: ``ValueDecodingError`` on malformed input.
    public static func decodeInt32(_ bytes: [UInt8], offset: inout Int) throws -> [Int32] {
        try decode(bytes, offset: &offset, as: Int32.self)
    }

    /// Decodes one run of INT64 values.
    /// - Parameters:
    ///   - bytes: The input.
    ///   - offset: Where the run's header starts; advanced past the run's last used miniblock.
    /// - Returns: The values.
    /// - Throws: ``ValueDecodingError`` on malformed input.
    public static func decodeInt64(_ bytes: [UInt8], offset: inout Int) throws -> [Int64] {
        try decode(bytes, offset: &offset, as: Int64.self)
    }

    static func decode<T: FixedWidthInteger & SignedInteger>(
        _ bytes: [UInt8], offset: inout Int, as type: T.Type
    ) throws -> [T] {
        let blockSize = try varint(bytes, &offset)
        let miniblocks = try varint(bytes, &offset)
        let total = try varint(bytes, &offset)
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0,
            (blockSize / miniblocks) % 32 == 0
        else {
            throw ValueDecodingError.invalidHeader("block size \(blockSize), \(miniblocks) miniblocks")
        }
        // A block of width-0 miniblocks holds 128 values in a few bytes: no tighter bound.
        guard total <= UInt64(Int32.max) else { throw ValueDecodingError.invalidHeader("\(total) values") }
        let first = try zigZagVarint(bytes, &offset)
        guard total > 0 else { return [] }
        let miniblockSize = Int(blockSize / miniblocks)
        var values: [T] = [T(truncatingIfNeeded: first)]
        values.reserveCapacity(Int(total))
        var previous = values[0]
        while values.count < Int(total) {
            let minDelta = T(truncatingIfNeeded: try zigZagVarint(bytes, &offset))
            let widthsStart = offset
            offset += Int(miniblocks)
            guard offset <= bytes.count else { throw ValueDecodingError.truncated(offset: widthsStart) }
            for miniblock in 0..<Int(miniblocks) where values.count < Int(total) {
                let width = Int(bytes[widthsStart + miniblock])
                guard width <= T.bitWidth else {
                    throw ValueDecodingError.invalidHeader("miniblock bit width \(width) for \(T.bitWidth)-bit values")
                }
                let bodyBytes = miniblockSize * width / 8
                guard offset + bodyBytes <= bytes.count else { throw ValueDecodingError.truncated(offset: offset) }
                for slot in 0..<miniblockSize where values.count < Int(total) {
                    let packed = unpack(bytes, bitOffset: offset * 8 + slot * width, width: width)
                    let delta = T(truncatingIfNeeded: packed) &+ minDelta
                    previous = previous &+ delta
                    values.append(previous)
                }
                offset += bodyBytes
            }
        }
        return values
    }

    /// Reads `width` bits (0...64) at `bitOffset`, least significant bit first.
    static func unpack(_ bytes: [UInt8], bitOffset: Int, width: Int) -> UInt64 {
        var result: UInt64 = 0
        for bit in 0..<width {
            let position = bitOffset + bit
            if bytes[position / 8] >> (position % 8) & 1 == 1 { result |= 1 << UInt64(bit) }
        }
        return result
    }

    static func varint(_ bytes: [UInt8], _ offset: inout Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < bytes.count else { throw ValueDecodingError.truncated(offset: start) }
            guard shift < 64 else { throw ValueDecodingError.malformedVarint(offset: start) }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    static func zigZagVarint(_ bytes: [UInt8], _ offset: inout Int) throws -> Int64 {
        let raw = try varint(bytes, &offset)
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}
