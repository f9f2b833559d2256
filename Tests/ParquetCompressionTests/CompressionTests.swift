import ParquetBytes
import Testing
import ParquetCompression
import ParquetDecompression

@Suite("Round trips")
struct RoundTripTests {
    @Test("every codec round-trips every input", arguments: TestData.codecs)
    func roundTrip(_ compression: Compression) throws {
        for (name, input) in TestData.roundTripInputs {
            let packed = try compressed(input, with: compression)
            let unpacked = try decompressed(packed, with: compression, size: input.count)
            #expect(unpacked == input, "\(compression) \(name)")
        }
    }

    @Test("every valid gzip, zstd, lz4_raw and brotli level round-trips", arguments: [
        Compression.gzip(level: -1), .gzip(level: 0), .gzip(level: 1), .gzip(level: 9),
        .zstd(level: -5), .zstd(level: 0), .zstd(level: 1), .zstd(level: 19),
        .lz4Raw(level: 1), .lz4Raw(level: 2), .lz4Raw(level: 3), .lz4Raw(level: 9), .lz4Raw(level: 10),
        .lz4Raw(level: 12), .brotli(level: 0), .brotli(level: 1), .brotli(level: 8), .brotli(level: 11),
    ])
    func levels(_ compression: Compression) throws {
        for input in [TestData.repetitive(count: 100_000), TestData.words(count: 200_000), TestData.random(count: 70_000), []] {
            let packed = try compressed(input, with: compression)
            #expect(try decompressed(packed, with: compression, size: input.count) == input, "\(compression)")
        }
    }

    @Test("repetitive data shrinks with every real codec", arguments: TestData.realCodecs)
    func shrinks(_ compression: Compression) throws {
        let input = TestData.repetitive()
        let packed = try compressed(input, with: compression)
        #expect(packed.count < input.count / 10)
    }

    @Test("decompression appends after existing bytes", arguments: TestData.codecs)
    func decompressAppends(_ compression: Compression) throws {
        let input = TestData.repetitive(count: 5000)
        let packed = try compressed(input, with: compression)
        var output = ByteBuffer([0xAA, 0xBB])
        try packed.withUnsafeBytes {
            try decompress($0, compression: compression, uncompressedSize: input.count, into: &output)
        }
        #expect(output.bytes == [0xAA, 0xBB] + input)
    }

    @Test("gzip accepts concatenated members and zlib framing")
    func gzipVariants() throws {
        let first = TestData.repetitive(count: 3000)
        let second = TestData.random(count: 500)
        let members = try compressed(first, with: .gzip) + compressed(second, with: .gzip)
        #expect(try decompressed(members, with: .gzip, size: first.count + second.count) == first + second)
        // A zlib-wrapped stream (78 9C header), hand-made: "a" compressed at level 6.
        let zlibWrapped: [UInt8] = [0x78, 0x9C, 0x4B, 0x04, 0x00, 0x00, 0x62, 0x00, 0x62]
        #expect(try decompressed(zlibWrapped, with: .gzip, size: 1) == [0x61])
    }

    @Test("zstd accepts several frames")
    func zstdFrames() throws {
        let first = TestData.repetitive(count: 3000)
        let second = TestData.random(count: 500)
        let frames = try compressed(first, with: .zstd) + compressed(second, with: .zstd)
        #expect(try decompressed(frames, with: .zstd, size: first.count + second.count) == first + second)
    }
}

@Suite("Formats")
struct FormatTests {
    @Test("gzip output starts with the gzip magic and deflate method")
    func gzipMagic() throws {
        for (_, input) in TestData.roundTripInputs {
            let packed = try compressed(input, with: .gzip)
            #expect(Array(packed.prefix(3)) == [0x1F, 0x8B, 0x08])
        }
    }

    @Test("zstd output starts with the zstd frame magic")
    func zstdMagic() throws {
        for (_, input) in TestData.roundTripInputs {
            let packed = try compressed(input, with: .zstd)
            #expect(Array(packed.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        }
    }

    @Test("snappy output starts with the uncompressed length as a varint")
    func snappyLength() throws {
        for (_, input) in TestData.roundTripInputs {
            let packed = try compressed(input, with: .snappy)
            let (length, size) = leadingVarint(packed)
            #expect(length == UInt64(input.count))
            #expect(size == ByteBuffer.varintSize(UInt64(input.count)))
        }
    }

    @Test("uncompressed output is the input")
    func uncompressedCopies() throws {
        let input = TestData.random(count: 1000)
        #expect(try compressed(input, with: .uncompressed) == input)
    }

    @Test("empty input becomes a non-empty stream for every real codec", arguments: TestData.realCodecs)
    func emptyIsFramed(_ compression: Compression) throws {
        #expect(try !compressed([], with: compression).isEmpty)
    }

    @Test("lz4_raw writes bare LZ4 blocks: no frame magic, no Hadoop size prefix", arguments: [1, 3, 12] as [Int32])
    func lz4RawIsABareBlock(_ level: Int32) throws {
        // The empty block is one token with no literals; "a" is a token of one literal, then it.
        #expect(try compressed([], with: .lz4Raw(level: level)) == [0x00])
        #expect(try compressed([0x61], with: .lz4Raw(level: level)) == [0x10, 0x61])
        for (_, input) in TestData.roundTripInputs where input.count > 1 {
            let packed = try compressed(input, with: .lz4Raw(level: level))
            #expect(Array(packed.prefix(4)) != [0x04, 0x22, 0x4D, 0x18], "an LZ4 frame")
            // The deprecated Hadoop LZ4 codec starts with the sizes as two big-endian u32.
            let hadoopPrefix = [UInt8](withUnsafeBytes(of: UInt32(input.count).bigEndian, Array.init))
            #expect(Array(packed.prefix(4)) != hadoopPrefix)
        }
    }

    @Test("brotli writes a bare brotli stream")
    func brotliStream() throws {
        // libbrotli's one-shot call writes the shortest empty stream, one byte: RFC 7932's WBITS
        // bit 0 (a 2^16 window), then ISLAST and ISLASTEMPTY set, 0b110.
        let empty = try compressed([], with: .brotli)
        #expect(empty == [0x06])
        #expect(try decompressed(empty, with: .brotli, size: 0) == [])
        // A stream followed by anything is not one stream.
        let packed = try compressed(TestData.repetitive(count: 1000), with: .brotli)
        #expect(throws: CompressionError.self) { try decompressed(packed + [0], with: .brotli, size: 1000) }
    }
}

@Suite("Compressors")
struct CompressorTests {
    @Test("compression appends after existing bytes", arguments: TestData.codecs)
    func appends(_ compression: Compression) throws {
        let compressor = try makeCompressor(compression)
        let input = TestData.repetitive(count: 10_000)
        let prefix: [UInt8] = [1, 2, 3, 4, 5]
        var output = ByteBuffer(prefix)
        try input.withUnsafeBytes { try compressor.compress($0, into: &output) }
        let bytes = output.bytes
        #expect(Array(bytes.prefix(5)) == prefix)
        #expect(Array(bytes.dropFirst(5)) == (try compressed(input, with: compression)))
        // Two pages back to back in one buffer must each decode on their own.
        let firstEnd = output.count
        try input.withUnsafeBytes { try compressor.compress($0, into: &output) }
        #expect(Array(output.bytes[5..<firstEnd]) == Array(output.bytes[firstEnd...]))
    }

    @Test("a reused compressor matches a fresh one", arguments: TestData.codecs)
    func reuse(_ compression: Compression) throws {
        let compressor = try makeCompressor(compression)
        var inputs = TestData.roundTripInputs.map(\.bytes)
        for seed in 1...20 as ClosedRange<UInt64> {
            inputs.append(TestData.random(count: Int(seed) * 777, seed: seed))
            inputs.append(TestData.repetitive(count: Int(seed) * 3001))
        }
        // Run the list twice so every input is also seen after larger and smaller ones.
        for input in inputs + inputs.reversed() {
            var output = ByteBuffer()
            try input.withUnsafeBytes { try compressor.compress($0, into: &output) }
            #expect(output.bytes == (try compressed(input, with: compression)))
        }
    }

    @Test("compressors report their codec and level")
    func reportsCompression() throws {
        #expect(try makeCompressor(.uncompressed).compression == .uncompressed)
        #expect(try makeCompressor(.snappy).compression == .snappy)
        #expect(try makeCompressor(.gzip(level: 2)).compression == .gzip(level: 2))
        #expect(try makeCompressor(.zstd(level: 7)).compression == .zstd(level: 7))
        #expect(try makeCompressor(.lz4Raw(level: 12)).compression == .lz4Raw(level: 12))
        #expect(try makeCompressor(.brotli(level: 0)).compression == .brotli(level: 0))
        #expect(try makeCompressor(.lz4Raw) is Lz4RawCompressor)
        #expect(try makeCompressor(.brotli) is BrotliCompressor)
        #expect(try makeCompressor(.gzip) is GzipCompressor)
        #expect(try makeCompressor(.zstd) is ZstdCompressor)
        #expect(try makeCompressor(.snappy) is SnappyCompressor)
        #expect(try makeCompressor(.uncompressed) is UncompressedCompressor)
    }

    @Test("defaults are gzip 6, zstd 3, lz4_raw 1 (fast) and brotli 8, as in Arrow C++")
    func defaults() {
        #expect(Compression.gzip == .gzip(level: 6))
        #expect(Compression.zstd == .zstd(level: 3))
        #expect(Compression.lz4Raw == .lz4Raw(level: 1))
        #expect(Compression.brotli == .brotli(level: 8))
        #expect(Compression.lz4RawLevels == 1...12)
        #expect(Compression.brotliLevels == 0...11)
    }

    @Test("codecs name themselves as the configuration spells them")
    func names() {
        let names = ([.uncompressed] + TestData.realCodecs).map(\.name)
        #expect(names == ["none", "snappy", "gzip", "zstd", "lz4_raw", "brotli"])
        #expect(Compression.snappy.levels == nil && Compression.snappy.level == nil)
        #expect(Compression.brotli(level: 3).level == 3 && Compression.brotli(level: 3).levels == 0...11)
    }

    @Test("lz4_raw levels 1 and 2 are the same fast compressor; HC levels are no larger")
    func lz4RawLevels() throws {
        let input = TestData.words()
        let fast = try compressed(input, with: .lz4Raw(level: 1))
        #expect(try compressed(input, with: .lz4Raw(level: 2)) == fast)
        let sizes = try [1, 3, 9, 12].map { try compressed(input, with: .lz4Raw(level: $0)).count }
        for (lower, higher) in zip(sizes, sizes.dropFirst()) {
            #expect(higher <= lower, "sizes by level: \(sizes)")
        }
        #expect(sizes.last! < sizes.first!, "LZ4HC 12 should beat the fast mode: \(sizes)")
    }

    @Test("brotli 11 is smaller than brotli 0 on text")
    func brotliLevels() throws {
        let input = TestData.words()
        let sizes = try [0, 8, 11].map { try compressed(input, with: .brotli(level: $0)).count }
        #expect(sizes[2] <= sizes[1] && sizes[1] < sizes[0], "sizes by quality: \(sizes)")
    }

    @Test("a higher zstd level gives no larger output on repetitive data")
    func zstdLevels() throws {
        let input = TestData.words()
        let sizes = try [1, 3, 9, 19].map { try compressed(input, with: .zstd(level: $0)).count }
        for (lower, higher) in zip(sizes, sizes.dropFirst()) {
            #expect(higher <= lower, "sizes by level: \(sizes)")
        }
    }
}

@Suite("Errors")
struct ErrorTests {
    @Test("invalid levels throw", arguments: [
        Compression.gzip(level: -2), .gzip(level: 10), .gzip(level: Int32.max),
        .zstd(level: Int32.min), .zstd(level: 1000),
        .lz4Raw(level: 0), .lz4Raw(level: -1), .lz4Raw(level: 13), .lz4Raw(level: Int32.min),
        .brotli(level: -1), .brotli(level: 12), .brotli(level: Int32.max),
    ])
    func invalidLevels(_ compression: Compression) {
        let expected: CompressionError
        switch compression {
        case .gzip(let level): expected = .invalidLevel(codec: "gzip", level: level, accepted: -1...9)
        case .zstd(let level): expected = .invalidLevel(codec: "zstd", level: level, accepted: Compression.zstdLevels)
        case .lz4Raw(let level): expected = .invalidLevel(codec: "lz4_raw", level: level, accepted: 1...12)
        case .brotli(let level): expected = .invalidLevel(codec: "brotli", level: level, accepted: 0...11)
        default: Issue.record("not a leveled codec"); return
        }
        #expect(throws: expected) { try compression.validated() }
        #expect(throws: expected) { try makeCompressor(compression) }
        switch compression {
        case .gzip(let level):
            #expect(throws: expected) { try GzipCompressor(level: level) }
            #expect(throws: expected) { try Compression.gzip(validatingLevel: level) }
        case .zstd(let level):
            #expect(throws: expected) { try ZstdCompressor(level: level) }
            #expect(throws: expected) { try Compression.zstd(validatingLevel: level) }
        case .lz4Raw(let level):
            #expect(throws: expected) { try Lz4RawCompressor(level: level) }
            #expect(throws: expected) { try Compression.lz4Raw(validatingLevel: level) }
        case .brotli(let level):
            #expect(throws: expected) { try BrotliCompressor(level: level) }
            #expect(throws: expected) { try Compression.brotli(validatingLevel: level) }
        default: break
        }
    }

    @Test("the zstd level range comes from libzstd")
    func zstdRange() throws {
        let range = Compression.zstdLevels
        #expect(range.lowerBound < 0 && range.upperBound >= 19)
        #expect(try Compression.zstd(level: range.upperBound).validated() == .zstd(level: range.upperBound))
        #expect(throws: CompressionError.self) { try Compression.zstd(level: range.upperBound + 1).validated() }
    }

    /// Corruptions of a valid stream, each of which must throw (not trap, not succeed).
    static func corruptions(of packed: [UInt8], compression: Compression) -> [(String, [UInt8])] {
        var cases: [(String, [UInt8])] = [
            ("empty", []),
            ("truncated to half", Array(packed.prefix(packed.count / 2))),
            ("last byte dropped", Array(packed.dropLast())),
            ("garbage", TestData.random(count: 4096, seed: 99)),
        ]
        if compression != .snappy && compression != .lz4Raw {
            // Snappy and LZ4 blocks have no checksum, so flipping a literal byte can decode
            // "successfully".
            var flipped = packed
            flipped[flipped.count / 2] ^= 0xFF
            cases.append(("byte flipped in the middle", flipped))
        }
        var badHeader = packed
        badHeader[0] ^= 0xFF
        cases.append(("header damaged", badHeader))
        return cases
    }

    @Test("corrupt input throws", arguments: TestData.realCodecs)
    func corruptInput(_ compression: Compression) throws {
        let input = TestData.repetitive(count: 50_000)
        let packed = try compressed(input, with: compression)
        for (name, corrupt) in Self.corruptions(of: packed, compression: compression) {
            var output = ByteBuffer([7, 7, 7])
            #expect(throws: CompressionError.self, "\(compression) \(name)") {
                try corrupt.withUnsafeBytes {
                    try decompress($0, compression: compression, uncompressedSize: input.count, into: &output)
                }
            }
            #expect(output.bytes == [7, 7, 7], "output untouched after \(compression) \(name)")
        }
    }

    @Test("random input throws for every real codec and many sizes", arguments: TestData.realCodecs)
    func fuzz(_ compression: Compression) {
        for seed in 0..<200 as Range<UInt64> {
            let garbage = TestData.random(count: Int(seed % 64) + 1, seed: seed)
            #expect(throws: CompressionError.self) {
                try decompressed(garbage, with: compression, size: 100)
            }
        }
    }

    @Test("a wrong uncompressed size is a size mismatch", arguments: TestData.codecs)
    func sizeMismatch(_ compression: Compression) throws {
        let input = TestData.repetitive(count: 200_000)
        let packed = try compressed(input, with: compression)
        for wrong in [0, 1, input.count - 1, input.count + 1, input.count * 2] {
            #expect(throws: CompressionError.sizeMismatch(expected: wrong, actual: input.count)) {
                try decompressed(packed, with: compression, size: wrong)
            }
        }
    }

    @Test("negative and oversized sizes are rejected")
    func badSizes() throws {
        #expect(throws: CompressionError.decompressionFailed("negative uncompressed size -1")) {
            try decompressed([0], with: .uncompressed, size: -1)
        }
        let tooLarge = Compression.maximumPageSize + 1
        #expect(throws: CompressionError.inputTooLarge(size: tooLarge, limit: Compression.maximumPageSize)) {
            try decompressed([0], with: .zstd, size: tooLarge)
        }
        // A fake buffer is enough: the size is checked before the bytes are read.
        let fake = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: 0x1000), count: tooLarge)
        for compression in TestData.codecs {
            let compressor = try makeCompressor(compression)
            var output = ByteBuffer()
            #expect(throws: CompressionError.inputTooLarge(size: tooLarge, limit: Compression.maximumPageSize)) {
                try compressor.compress(fake, into: &output)
            }
        }
    }

    @Test("errors describe themselves")
    func descriptions() {
        #expect(CompressionError.invalidLevel(codec: "zstd", level: 99, accepted: -7...22).description
            == "invalid zstd compression level 99 (accepted: -7...22)")
        #expect(CompressionError.sizeMismatch(expected: 1, actual: 2).description == "decompressed to 2 bytes, expected 1")
    }
}
