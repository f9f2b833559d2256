import ParquetBytes
import ParquetCompression
import ParquetDecompression

/// A fixed-seed SplitMix64 generator, so "random" test inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestData {
    static let mebibyte = 1 << 20

    /// Text-like data with long repeats and some variation, so every codec shrinks it a lot.
    static func repetitive(count: Int = mebibyte) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var line = 0
        while bytes.count < count {
            bytes.append(contentsOf: Array("row \(line % 97): the quick brown fox jumps over the lazy dog\n".utf8))
            line += 1
        }
        return Array(bytes.prefix(count))
    }

    /// Words drawn at random from a small vocabulary: repetitive, but with enough entropy
    /// that stronger match finding pays off.
    static func words(count: Int = mebibyte, seed: UInt64 = 0xF00D) -> [UInt8] {
        let vocabulary = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                          "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"].map { Array($0.utf8) }
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 16)
        while bytes.count < count {
            bytes.append(contentsOf: vocabulary[Int(generator.next() % UInt64(vocabulary.count))])
            bytes.append(generator.next() % 8 == 0 ? 0x0A : 0x20)
        }
        return Array(bytes.prefix(count))
    }

    /// Incompressible bytes from a fixed seed.
    static func random(count: Int = mebibyte, seed: UInt64 = 0x5EED) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = generator.next()
            for _ in 0..<8 where index < count {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return bytes
    }

    /// The inputs every codec must round-trip.
    static let roundTripInputs: [(name: String, bytes: [UInt8])] = [
        ("empty", []),
        ("one byte", [0x2A]),
        ("1 MiB repetitive", repetitive()),
        ("1 MiB random", random()),
    ]

    /// One of each codec, at default levels.
    static let codecs: [Compression] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .brotli]

    /// The codecs that compress (every one but uncompressed), at default levels.
    static let realCodecs: [Compression] = [.snappy, .gzip, .zstd, .lz4Raw, .brotli]
}

/// Compresses `input` with a fresh compressor and returns the output bytes.
func compressed(_ input: [UInt8], with compression: Compression) throws -> [UInt8] {
    let compressor = try makeCompressor(compression)
    var output = ByteBuffer()
    try input.withUnsafeBytes { try compressor.compress($0, into: &output) }
    return output.bytes
}

/// Decompresses `input` and returns the output bytes.
func decompressed(_ input: [UInt8], with compression: Compression, size: Int) throws(CompressionError) -> [UInt8] {
    var output = ByteBuffer()
    var failure: CompressionError?
    input.withUnsafeBytes { buffer in
        do throws(CompressionError) {
            try decompress(buffer, compression: compression, uncompressedSize: size, into: &output)
        } catch {
            failure = error
        }
    }
    if let failure { throw failure }
    return output.bytes
}

/// Decodes an unsigned LEB128 varint at the start of `bytes`.
func leadingVarint(_ bytes: [UInt8]) -> (value: UInt64, length: Int) {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    for (index, byte) in bytes.enumerated() {
        value |= UInt64(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return (value, index + 1) }
        shift += 7
    }
    return (value, bytes.count)
}
