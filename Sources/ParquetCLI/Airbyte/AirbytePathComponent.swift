/// Stream and namespace names as directory names that stay inside the output directory.
///
/// Names are escaped rather than rejected, since sources do publish names such as
/// `repos/issues`: `/`, `\`, `%`, control characters and a leading `.` (so `.` and `..` and
/// hidden names cannot occur) become `%XX`. The escape is reversible, so two different
/// names never share a directory.
enum AirbytePathComponent {
    /// The longest directory name most file systems take, in bytes.
    static let maximumBytes = 255

    /// The directory name for a stream or namespace name.
    /// - Parameters:
    ///   - name: The name as the catalog gives it.
    ///   - what: What it names ("stream", "namespace"), for the message.
    /// - Returns: `name` with unsafe bytes escaped as `%XX`.
    /// - Throws: `AirbyteCatalogError` for an empty name or one too long once escaped.
    static func escape(_ name: String, what: String) throws(AirbyteCatalogError) -> String {
        guard !name.isEmpty else { throw AirbyteCatalogError("a \(what) name is empty") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for (position, byte) in name.utf8.enumerated() {
            let unsafe =
                byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\")
                || byte == UInt8(ascii: "%") || (position == 0 && byte == UInt8(ascii: "."))
            if unsafe {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                bytes.append(byte)
            }
        }
        guard bytes.count <= maximumBytes else {
            throw AirbyteCatalogError("the \(what) name '\(name)' is longer than \(maximumBytes) bytes as a directory name")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
