/// The header in front of a bloom filter's bitset (`BloomFilterHeader`).
///
/// parquet.thrift defines exactly one algorithm (split block), one hash (xxHash64) and one
/// compression (none), each as a single-member union of an empty struct, so only the size
/// varies. Decoding rejects any other choice, since such a filter could not be probed.
public struct BloomFilterHeader: ThriftCodable, Sendable, Hashable {
    /// The size of the bitset in bytes (field 1).
    public var numBytes: Int32

    /// Creates a header for a split-block, xxHash64, uncompressed filter.
    /// - Parameter numBytes: The bitset size.
    public init(numBytes: Int32) {
        self.numBytes = numBytes
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, i32: numBytes)
        // Fields 2, 3, 4: algorithm BLOCK, hash XXHASH, compression UNCOMPRESSED, each
        // a union whose member 1 is an empty struct.
        for id: Int16 in 2...4 {
            writer.writeFieldBegin(id, .struct)
            writer.writeStructBegin()
            writer.writeEmptyStructField(1)
            writer.writeStructEnd()
        }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input, a missing field, or a union member
    ///   other than the one parquet.thrift defines.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var numBytes: Int32?
        var seen: [Bool] = [false, false, false]
        let names = ["algorithm", "hash", "compression"]
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32):
                numBytes = try reader.readI32()
            case (2...4, .struct):
                let index = Int(field.id) - 2
                try Self.readSingleMemberUnion(&reader, names[index])
                seen[index] = true
            default:
                try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(numBytes: try requireField(numBytes, "BloomFilterHeader", "numBytes"))
        for index in 0..<3 where !seen[index] {
            throw .missingRequiredField(type: "BloomFilterHeader", field: names[index])
        }
    }

    /// Reads a union that must have member 1 (an empty struct) set.
    private static func readSingleMemberUnion(_ reader: inout CompactReader, _ name: String) throws(ThriftError) {
        var members = 0
        var sawMemberOne = false
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            members += 1
            if field.id == 1 && field.type == .struct { sawMemberOne = true }
            try reader.skip(field.type)
        }
        reader.readStructEnd()
        guard members == 1, sawMemberOne else { throw .invalidUnion(type: "BloomFilterHeader.\(name)") }
    }
}
