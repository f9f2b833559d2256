import ParquetBytes

/// DELTA_BYTE_ARRAY, incremental or front compression, for BYTE_ARRAY and
/// FIXED_LEN_BYTE_ARRAY (parquet-format Encodings.md, "Delta Strings (DELTA_BYTE_ARRAY = 7)"):
/// for each value, the length of the prefix it shares with the value before it, as one
/// DELTA_BINARY_PACKED run, then the rest of each value (its suffix) as
/// DELTA_LENGTH_BYTE_ARRAY.
///
/// Pays on sorted or clustered keys (URLs, paths, ids with a common stem); on unrelated
/// values every prefix is 0 and it costs a few bits a value over DELTA_LENGTH_BYTE_ARRAY.
public enum DeltaByteArrayEncoder {
    /// Appends the values front-compressed.
    /// - Parameters:
    ///   - lengths: Each value's length in bytes.
    ///   - bytes: The values' bytes, concatenated in order (the sum of `lengths` long).
    ///   - output: The buffer to append to.
    public static func encode(
        lengths: UnsafeBufferPointer<Int32>, bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer
    ) {
        let count = lengths.count
        // One scratch buffer for both runs: prefix lengths, then suffix lengths.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: Swift.max(2 * count, 1)) { scratch in
            let prefixes = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
            let suffixes = UnsafeMutableBufferPointer(rebasing: scratch[count..<(2 * count)])
            var suffixBytes = 0
            var offset = 0
            var previousOffset = 0
            var previousLength = 0
            for index in 0..<count {
                let length = Int(lengths[index])
                let limit = Swift.min(length, previousLength)
                var shared = 0
                while shared < limit && bytes[offset &+ shared] == bytes[previousOffset &+ shared] { shared &+= 1 }
                prefixes[index] = Int32(truncatingIfNeeded: shared)
                suffixes[index] = Int32(truncatingIfNeeded: length &- shared)
                suffixBytes &+= length &- shared
                previousOffset = offset
                previousLength = length
                offset &+= length
            }
            precondition(offset == bytes.count, "DELTA_BYTE_ARRAY lengths do not add up to the bytes")
            DeltaBinaryPackedEncoder.encode(UnsafeBufferPointer(prefixes), into: &output)
            DeltaBinaryPackedEncoder.encode(UnsafeBufferPointer(suffixes), into: &output)
            output.writeUnsafe(maxBytes: suffixBytes) { out in
                var written = 0
                var start = 0
                for index in 0..<count {
                    let shared = Int(prefixes[index])
                    let suffix = Int(suffixes[index])
                    if suffix > 0 {
                        (out + written).copyMemory(from: bytes.baseAddress! + (start &+ shared), byteCount: suffix)
                    }
                    written &+= suffix
                    start &+= shared &+ suffix
                }
                return written
            }
        }
    }
}
