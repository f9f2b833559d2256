import CZlib

/// The page checksum Parquet's `PageHeader.crc` holds: CRC-32 (the IEEE polynomial, as
/// zlib and gzip compute it) of the page's bytes as stored, header excluded.
public enum PageChecksum {
    /// The CRC-32 of `bytes`.
    /// - Parameter bytes: At most ``Compression/maximumPageSize`` bytes (a page).
    /// - Returns: The checksum.
    public static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        // zlib takes a 32-bit length; pages are within Int32.max.
        return UInt32(CZlib.crc32(0, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}
