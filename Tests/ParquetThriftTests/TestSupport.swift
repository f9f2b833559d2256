import ParquetBytes
@testable import ParquetThrift

/// Runs `body` against a fresh writer and returns what it wrote.
func written(_ body: (inout CompactWriter) -> Void) -> [UInt8] {
    var writer = CompactWriter()
    body(&writer)
    return writer.buffer.bytes
}

/// Writes a single struct whose fields `body` writes.
func writtenStruct(_ body: (inout CompactWriter) -> Void) -> [UInt8] {
    written { writer in
        writer.writeStructBegin()
        body(&writer)
        writer.writeStructEnd()
    }
}

/// Runs `body` against a reader over `bytes`.
func reading<T>(_ bytes: [UInt8], _ body: (inout CompactReader) throws(ThriftError) -> T) throws(ThriftError) -> T {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(ThriftError) in
            var reader = CompactReader(raw)
            return try body(&reader)
        }
    }.get()
}

/// A tiny deterministic generator (SplitMix64) so fuzz-style tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
