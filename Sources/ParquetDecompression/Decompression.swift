import CBrotliDecoder
import CLz4
import CSnappy
import CZlib
import CZstd
import ParquetBytes
import ParquetCompression

// The reader side of ParquetCompression, for tests: its own module so that the shipped
// library, which only writes, does not link decoders it never calls (libbrotlidec).

/// Appends the decompressed form of a page body to `output`, checking its size.
///
/// Corrupt, truncated or foreign input throws rather than traps, and on any failure
/// `output` keeps its previous contents (its capacity may have grown). An empty `input`
/// is accepted only for ``Compression/uncompressed``; every real codec frames even an
/// empty page. The level inside `compression` is ignored.
///
/// Gzip input is decoded with zlib's header auto-detection, so zlib-wrapped (RFC 1950)
/// streams written by some old writers are accepted too, as are several concatenated gzip
/// members. Zstd input may hold several frames. LZ4_RAW input is one LZ4 block; brotli input
/// one brotli stream.
/// - Parameters:
///   - input: The compressed page body.
///   - compression: The codec the body was compressed with.
///   - uncompressedSize: The size the page header declares; the output must match it exactly.
///   - output: The buffer to append to.
/// - Throws: ``CompressionError/sizeMismatch(expected:actual:)`` if the data decodes (or
///   declares itself) to another size, ``CompressionError/decompressionFailed(_:)`` with the
///   library's message for bad input or a negative size,
///   ``CompressionError/inputTooLarge(size:limit:)`` when a size exceeds
///   ``Compression/maximumPageSize``, or ``CompressionError/initializationFailed(_:)``.
public func decompress(
    _ input: UnsafeRawBufferPointer,
    compression: Compression,
    uncompressedSize: Int,
    into output: inout ByteBuffer
) throws(CompressionError) {
    guard uncompressedSize >= 0 else {
        throw .decompressionFailed("negative uncompressed size \(uncompressedSize)")
    }
    try checkPageSize(input.count)
    try checkPageSize(uncompressedSize)
    switch compression {
    case .uncompressed:
        guard input.count == uncompressedSize else {
            throw .sizeMismatch(expected: uncompressedSize, actual: input.count)
        }
        output.append(contentsOf: input)
    case .snappy:
        try decompressSnappy(input, expected: uncompressedSize, into: &output)
    case .gzip:
        try decompressGzip(input, expected: uncompressedSize, into: &output)
    case .zstd:
        try decompressZstd(input, expected: uncompressedSize, into: &output)
    case .lz4Raw:
        try decompressLz4Raw(input, expected: uncompressedSize, into: &output)
    case .brotli:
        try decompressBrotli(input, expected: uncompressedSize, into: &output)
    }
}

// MARK: LZ4_RAW

/// Decodes one LZ4 block of exactly `expected` bytes.
private func decompressLz4Raw(
    _ input: UnsafeRawBufferPointer,
    expected: Int,
    into output: inout ByteBuffer
) throws(CompressionError) {
    // A block does not record its decoded size and LZ4_decompress_safe only says "error" when
    // the window is too small, so the sequences are walked first: that reports the true size
    // on a mismatch and rejects a damaged layout before any memory is reserved.
    let declared = try lz4BlockDecodedSize(input)
    guard declared == expected else {
        throw .sizeMismatch(expected: expected, actual: declared)
    }
    guard let base = input.baseAddress else {
        throw .decompressionFailed("empty input holds no lz4 block")
    }
    var result: Int32 = 0
    output.writeUnsafe(maxBytes: expected) { destination in
        result = LZ4_decompress_safe(
            base.assumingMemoryBound(to: CChar.self), destination.bindMemory(to: CChar.self, capacity: expected),
            Int32(input.count), Int32(expected)
        )
        return Int(result) == expected ? expected : 0
    }
    guard result >= 0 else {
        throw .decompressionFailed("LZ4_decompress_safe returned \(result): corrupt block")
    }
    guard Int(result) == expected else {
        throw .sizeMismatch(expected: expected, actual: Int(result))
    }
}

/// The number of bytes an LZ4 block decodes to, from its sequence headers alone.
///
/// A block is a run of sequences: a token (literal length in the high nibble, match length
/// minus 4 in the low one, 15 meaning "continued in the following bytes, 255 by 255"), the
/// literals, then a 2-byte little-endian offset and the match; the last sequence stops after
/// its literals, at the end of the block. See the lz4 project's `lz4_Block_format.md`.
/// - Parameter input: One LZ4 block.
/// - Returns: Its decoded size.
/// - Throws: ``CompressionError/decompressionFailed(_:)`` if the block is empty, truncated,
///   refers back before its start, or decodes to more than ``Compression/maximumPageSize``.
private func lz4BlockDecodedSize(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> Int {
    // No writer emits an empty block: an empty page compresses to the one-byte block 0x00.
    guard input.count > 0 else {
        throw .decompressionFailed("empty input holds no lz4 block")
    }
    let bytes = input.bindMemory(to: UInt8.self)
    var position = 0
    var produced = 0

    /// Adds the continuation bytes of a length whose nibble was 15.
    func extendedLength(_ nibble: Int) throws(CompressionError) -> Int {
        var length = nibble
        guard nibble == 15 else { return length }
        while true {
            guard position < bytes.count else {
                throw .decompressionFailed("lz4 block truncated inside a length")
            }
            let next = Int(bytes[position])
            position += 1
            length += next
            if next != 255 { return length }
        }
    }

    while true {
        guard position < bytes.count else {
            throw .decompressionFailed("lz4 block truncated before a sequence")
        }
        let token = Int(bytes[position])
        position += 1
        let literals = try extendedLength(token >> 4)
        guard literals <= bytes.count - position else {
            throw .decompressionFailed("lz4 block truncated inside its literals")
        }
        position += literals
        produced += literals
        if position == bytes.count { return produced }
        guard bytes.count - position >= 2 else {
            throw .decompressionFailed("lz4 block truncated inside a match offset")
        }
        let offset = Int(bytes[position]) | Int(bytes[position + 1]) << 8
        position += 2
        guard offset != 0 && offset <= produced else {
            throw .decompressionFailed("lz4 match offset \(offset) at output byte \(produced) is out of range")
        }
        produced += try extendedLength(token & 0x0F) + 4
        guard produced <= Compression.maximumPageSize else {
            throw .inputTooLarge(size: produced, limit: Compression.maximumPageSize)
        }
    }
}

// MARK: Brotli

/// Decodes one brotli stream of exactly `expected` bytes.
private func decompressBrotli(
    _ input: UnsafeRawBufferPointer,
    expected: Int,
    into output: inout ByteBuffer
) throws(CompressionError) {
    guard let base = input.baseAddress, input.count > 0 else {
        throw .decompressionFailed("empty input holds no brotli stream")
    }
    guard let decoder = BrotliDecoderCreateInstance(nil, nil, nil) else {
        throw .initializationFailed("BrotliDecoderCreateInstance returned NULL")
    }
    defer { BrotliDecoderDestroyInstance(decoder) }

    var failure: CompressionError?
    output.writeUnsafe(maxBytes: expected) { destination in
        var availableIn = input.count
        var nextIn: UnsafePointer<UInt8>? = base.assumingMemoryBound(to: UInt8.self)
        var availableOut = expected
        var nextOut: UnsafeMutablePointer<UInt8>? = destination.bindMemory(to: UInt8.self, capacity: expected)
        var status = BrotliDecoderDecompressStream(decoder, &availableIn, &nextIn, &availableOut, &nextOut, nil)
        // Once the declared size is used up, decoding goes on into scratch space only to report
        // the page's true size.
        var excess = 0
        if status == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT {
            let scratchSize = 64 * 1024
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchSize)
            defer { scratch.deallocate() }
            while status == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT && excess <= Compression.maximumPageSize {
                availableOut = scratchSize
                nextOut = scratch
                status = BrotliDecoderDecompressStream(decoder, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                excess += scratchSize - availableOut
            }
        }
        switch status {
        case BROTLI_DECODER_RESULT_SUCCESS where availableIn > 0:
            failure = .decompressionFailed("\(availableIn) bytes after the end of the brotli stream")
        case BROTLI_DECODER_RESULT_SUCCESS:
            let produced = expected - availableOut + excess
            if excess > 0 || produced != expected {
                failure = .sizeMismatch(expected: expected, actual: excess > 0 ? expected + excess : produced)
            }
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            failure = .decompressionFailed("truncated brotli stream")
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            failure = .inputTooLarge(size: expected + excess, limit: Compression.maximumPageSize)
        default:
            let code = BrotliDecoderGetErrorCode(decoder)
            failure = .decompressionFailed(String(cString: BrotliDecoderErrorString(code)))
        }
        return failure == nil ? expected : 0
    }
    if let failure { throw failure }
}

// MARK: Snappy

/// Decodes a raw snappy block of exactly `expected` bytes.
private func decompressSnappy(
    _ input: UnsafeRawBufferPointer,
    expected: Int,
    into output: inout ByteBuffer
) throws(CompressionError) {
    let compressed = input.baseAddress?.assumingMemoryBound(to: CChar.self)
    // The varint prefix declares the size, so a mismatch is caught before reserving memory.
    var declared = 0
    let headerStatus = snappy_uncompressed_length(compressed, input.count, &declared)
    guard headerStatus == SNAPPY_OK else {
        throw .decompressionFailed("snappy_uncompressed_length returned \(snappyStatusName(headerStatus))")
    }
    guard declared == expected else {
        throw .sizeMismatch(expected: expected, actual: declared)
    }
    var status = SNAPPY_OK
    var produced = 0
    output.writeUnsafe(maxBytes: expected) { destination in
        produced = expected
        status = snappy_uncompress(
            compressed, input.count, destination.bindMemory(to: CChar.self, capacity: expected), &produced
        )
        return status == SNAPPY_OK && produced == expected ? produced : 0
    }
    guard status == SNAPPY_OK else {
        throw .decompressionFailed("snappy_uncompress returned \(snappyStatusName(status))")
    }
    guard produced == expected else {
        throw .sizeMismatch(expected: expected, actual: produced)
    }
}

// MARK: Zstd

/// Decodes one or more zstd frames totalling exactly `expected` bytes.
private func decompressZstd(
    _ input: UnsafeRawBufferPointer,
    expected: Int,
    into output: inout ByteBuffer
) throws(CompressionError) {
    // Frame headers normally record their content size; checking it first reports the true
    // size on a mismatch and rejects a damaged frame layout before any memory is reserved.
    if let declared = try zstdDeclaredSize(input), declared != expected {
        throw .sizeMismatch(expected: expected, actual: declared)
    }
    var result = 0
    output.writeUnsafe(maxBytes: expected) { destination in
        result = ZSTD_decompress(destination, expected, input.baseAddress, input.count)
        return ZSTD_isError(result) == 0 && result == expected ? result : 0
    }
    guard ZSTD_isError(result) == 0 else {
        throw .decompressionFailed(zstdErrorName(result))
    }
    guard result == expected else {
        throw .sizeMismatch(expected: expected, actual: result)
    }
}

/// The total content size the frames of `input` declare, or nil if a frame omits it.
/// - Throws: ``CompressionError/decompressionFailed(_:)`` if the input is empty or its
///   frames cannot be delimited.
private func zstdDeclaredSize(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> Int? {
    // ZSTD_decompress would turn empty input into zero bytes, but no writer emits an empty
    // zstd page, so empty input is treated as a lost page body.
    guard let base = input.baseAddress, input.count > 0 else {
        throw .decompressionFailed("empty input holds no zstd frame")
    }
    // ZSTD_CONTENTSIZE_UNKNOWN and ZSTD_CONTENTSIZE_ERROR are macros Swift does not import.
    let contentSizeUnknown = UInt64.max
    let contentSizeError = UInt64.max - 1
    var offset = 0
    var total: UInt64 = 0
    var allKnown = true
    while offset < input.count {
        let frame = base + offset
        let remaining = input.count - offset
        let frameLength = ZSTD_findFrameCompressedSize(frame, remaining)
        guard ZSTD_isError(frameLength) == 0 else {
            throw .decompressionFailed(zstdErrorName(frameLength))
        }
        switch UInt64(ZSTD_getFrameContentSize(frame, remaining)) {
        case contentSizeError:
            throw .decompressionFailed("invalid zstd frame header")
        case contentSizeUnknown:
            allKnown = false
        case let size:
            total = total.addingReportingOverflow(size).overflow ? UInt64.max : total + size
        }
        offset += frameLength
    }
    return allKnown ? Int(clamping: total) : nil
}

// MARK: Gzip

/// Decodes gzip (or zlib-wrapped) deflate data of exactly `expected` bytes.
private func decompressGzip(
    _ input: UnsafeRawBufferPointer,
    expected: Int,
    into output: inout ByteBuffer
) throws(CompressionError) {
    guard !input.isEmpty else {
        throw .decompressionFailed("empty input holds no gzip member")
    }
    // zlib keeps a back-pointer to the z_stream, so it needs a fixed address.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
    // 15 + 32: the largest window, with gzip/zlib header auto-detection.
    let initStatus = czlib_inflateInit2(stream, 15 + 32)
    guard initStatus == Z_OK else {
        throw .initializationFailed("inflateInit2: \(zlibMessage(stream, initStatus))")
    }
    defer { inflateEnd(stream) }

    var failure: CompressionError?
    output.writeUnsafe(maxBytes: expected) { destination in
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = destination.bindMemory(to: Bytef.self, capacity: expected)
        stream.pointee.avail_out = uInt(expected)
        failure = inflateAllMembers(stream, expected: expected)
        return failure == nil ? expected : 0
    }
    if let failure { throw failure }
}

/// Inflates every member of the stream's input into its output window.
/// - Parameters:
///   - stream: An initialised inflate stream whose input and output are set up.
///   - expected: The size of the output window, which the data must fill exactly.
/// - Returns: nil on success, else the error to throw.
private func inflateAllMembers(_ stream: UnsafeMutablePointer<z_stream>, expected: Int) -> CompressionError? {
    // Once the declared size is used up, decoding continues into this scratch buffer only
    // to report the page's true size.
    let scratchSize = 64 * 1024
    var scratch: UnsafeMutableRawPointer?
    defer { scratch?.deallocate() }
    var excess = 0

    while true {
        if let scratch {
            stream.pointee.next_out = scratch.bindMemory(to: Bytef.self, capacity: scratchSize)
            stream.pointee.avail_out = uInt(scratchSize)
        }
        let status = inflate(stream, Z_FINISH)
        if scratch != nil {
            excess += scratchSize - Int(stream.pointee.avail_out)
        }
        switch status {
        case Z_STREAM_END:
            if stream.pointee.avail_in > 0 {
                // RFC 1952 allows members back to back; the next one continues the output.
                let resetStatus = inflateReset(stream)
                guard resetStatus == Z_OK else {
                    return .decompressionFailed("inflateReset: \(zlibMessage(stream, resetStatus))")
                }
                continue
            }
            if scratch != nil {
                return .sizeMismatch(expected: expected, actual: expected + excess)
            }
            let produced = expected - Int(stream.pointee.avail_out)
            return produced == expected ? nil : .sizeMismatch(expected: expected, actual: produced)
        case Z_OK, Z_BUF_ERROR:
            // With Z_FINISH these mean "stuck": either the output is full or the input ran out.
            if stream.pointee.avail_out == 0 {
                if scratch == nil {
                    scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchSize, alignment: 1)
                }
                continue
            }
            return .decompressionFailed("truncated gzip stream (\(zlibMessage(stream, status)))")
        default:
            return .decompressionFailed("inflate: \(zlibMessage(stream, status))")
        }
    }
}
