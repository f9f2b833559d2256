#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
import Parquet
import ParquetThrift
@testable import ParquetCLI

/// `inspect` on files that are not (valid) Parquet: each defect is one clear error naming the
/// file, and nothing traps, whatever the bytes.
@Suite struct InspectCorruptFileTests {
    /// A small valid file's bytes (two row groups, several types).
    static func validFile(in directory: InspectScratchDirectory) throws -> [UInt8] {
        let path = directory.file("valid.parquet")
        _ = try InspectTests.writeFlatFile(path)
        return try InspectFiles.read(path)
    }

    /// The error `inspect` gives for `bytes` written to a file, checking that the message
    /// names the file.
    static func error(for bytes: [UInt8], in directory: InspectScratchDirectory, name: String) throws
        -> ParquetFooterError?
    {
        let path = directory.file(name)
        try InspectFiles.write(path, bytes)
        do {
            _ = try InspectCommand.render(path: path, json: false)
            return nil
        } catch {
            #expect(error.path == path)
            #expect(error.description.contains("'\(path)'"))
            #expect(!error.description.contains("\n"))
            return error
        }
    }

    /// The footer length stored in a file's tail.
    static func footerLength(_ bytes: [UInt8]) -> Int {
        let tail = bytes.count - 8
        return Int(bytes[tail]) | Int(bytes[tail + 1]) << 8 | Int(bytes[tail + 2]) << 16 | Int(bytes[tail + 3]) << 24
    }

    @Test func aMissingFile() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("absent.parquet")
        #expect(throws: ParquetFooterError.cannotOpen(path: path, errno: ENOENT)) {
            try InspectCommand.render(path: path, json: false)
        }
        let message = ParquetFooterError.cannotOpen(path: path, errno: ENOENT).description
        #expect(message == "cannot open '\(path)': No such file or directory")
    }

    @Test func aDirectory() throws {
        let directory = try InspectScratchDirectory()
        #expect(throws: ParquetFooterError.isDirectory(path: directory.path)) {
            try InspectCommand.render(path: directory.path, json: true)
        }
    }

    @Test(arguments: [0, 1, 4, 8, 11])
    func aFileShorterThanTwelveBytes(size: Int) throws {
        let directory = try InspectScratchDirectory()
        let bytes = Array(Array("PAR1PAR1PAR1".utf8).prefix(size))
        let error = try Self.error(for: bytes, in: directory, name: "short")
        #expect(error == .tooShort(path: directory.file("short"), size: Int64(size)))
        #expect(error?.description.contains("\(size) bytes long") == true)
    }

    @Test func badMagicAtEitherEnd() throws {
        let directory = try InspectScratchDirectory()
        let valid = try Self.validFile(in: directory)

        var leading = valid
        leading[0] = UInt8(ascii: "X")
        let start = try Self.error(for: leading, in: directory, name: "leading")
        #expect(start == .badLeadingMagic(path: directory.file("leading"), found: Array("XAR1".utf8)))
        #expect(start?.description.contains("starts with \"XAR1\"") == true)

        var trailing = valid
        trailing[trailing.count - 1] = 0
        let end = try Self.error(for: trailing, in: directory, name: "trailing")
        #expect(end == .badTrailingMagic(path: directory.file("trailing"), found: [0x50, 0x41, 0x52, 0x00]))
        #expect(end?.description.contains("ends with 0x50415200") == true)

        var encrypted = valid
        encrypted[encrypted.count - 1] = UInt8(ascii: "E")
        #expect(try Self.error(for: encrypted, in: directory, name: "encrypted") == .encryptedFooter(path: directory.file("encrypted")))

        let text = Array("just some text, long enough to have a footer\n".utf8)
        #expect(try Self.error(for: text, in: directory, name: "text.txt")
            == .badTrailingMagic(path: directory.file("text.txt"), found: Array(text.suffix(4))))
    }

    @Test func aFooterLengthThatDoesNotFit() throws {
        let directory = try InspectScratchDirectory()
        let valid = try Self.validFile(in: directory)
        for length: UInt32 in [UInt32(valid.count - 11), UInt32(valid.count), 0xFFFF_FFFF] {
            var bytes = valid
            let tail = bytes.count - 8
            for index in 0..<4 { bytes[tail + index] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(index))) }
            let error = try Self.error(for: bytes, in: directory, name: "length")
            #expect(error == .footerLengthOutOfRange(path: directory.file("length"), length: length, size: Int64(valid.count)))
            #expect(error?.description.contains("footer length \(length)") == true)
        }
        // The largest length that fits reads garbage from the data pages: a decoding error.
        var bytes = valid
        let largest = UInt32(valid.count - 12)
        for index in 0..<4 { bytes[bytes.count - 8 + index] = UInt8(truncatingIfNeeded: largest >> (8 * UInt32(index))) }
        let error = try Self.error(for: bytes, in: directory, name: "largest")
        if case .undecodableFooter = error {} else if error != nil { Issue.record("unexpected \(String(describing: error))") }
    }

    @Test func aFooterThatDoesNotDecode() throws {
        let directory = try InspectScratchDirectory()
        let valid = try Self.validFile(in: directory)
        let length = Self.footerLength(valid)
        let footerStart = valid.count - 8 - length

        // A footer of 0xFF bytes: field headers with invalid type nibbles.
        var garbage = valid
        for index in footerStart..<(valid.count - 8) { garbage[index] = 0xFF }
        let error = try Self.error(for: garbage, in: directory, name: "garbage")
        guard case .undecodableFooter(_, let declared, _) = error else {
            Issue.record("expected a decoding error, got \(String(describing: error))")
            return
        }
        #expect(declared == length)
        #expect(error?.description.contains("\(length)-byte footer is not a valid FileMetaData") == true)

        // A zero-length footer: nothing to decode.
        let empty = Array("PAR1".utf8) + [0, 0, 0, 0] + Array("PAR1".utf8)
        #expect(try Self.error(for: empty, in: directory, name: "empty")
            == .undecodableFooter(path: directory.file("empty"), length: 0, error: .truncated))

        // A footer cut short: the tail says fewer bytes than the FileMetaData needs.
        var cut = Array(valid[..<(footerStart + length / 2)])
        let half = UInt32(length / 2)
        cut += [UInt8(half & 0xFF), UInt8(half >> 8 & 0xFF), UInt8(half >> 16 & 0xFF), UInt8(half >> 24)]
        cut += Array("PAR1".utf8)
        if case .undecodableFooter = try Self.error(for: cut, in: directory, name: "cut") {} else {
            Issue.record("a half footer decoded")
        }
    }

    /// Truncations at every length and a few thousand random byte flips in the footer and
    /// tail: every outcome is a report or a ``ParquetFooterError``; a trap would end the run.
    @Test func fuzzedFilesNeverTrap() throws {
        let directory = try InspectScratchDirectory()
        let valid = try Self.validFile(in: directory)
        let path = directory.file("fuzz.parquet")
        var outcomes = (reports: 0, errors: 0)
        func inspect(_ bytes: [UInt8]) throws {
            try InspectFiles.write(path, bytes)
            do {
                _ = try InspectCommand.render(path: path, json: true)
                _ = try InspectCommand.render(path: path, json: false)
                outcomes.reports += 1
            } catch {
                #expect(error.path == path)
                outcomes.errors += 1
            }
        }
        for length in stride(from: 0, to: valid.count, by: 7) { try inspect(Array(valid[..<length])) }
        // Cut from the front too: the tail survives, the lengths no longer fit.
        for start in stride(from: 1, to: valid.count, by: 97) { try inspect(Array(valid[start...])) }

        let footerStart = valid.count - 8 - Self.footerLength(valid)
        var random = SplitMix(seed: 0x1A5_9EC7)
        for _ in 0..<1500 {
            var bytes = valid
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let index = footerStart + Int(random.next() % UInt64(valid.count - footerStart))
                bytes[index] ^= UInt8(1 << (random.next() % 8))
            }
            try inspect(bytes)
        }
        // Replace whole footer bytes with random values, which reaches deeper decoder paths.
        for _ in 0..<500 {
            var bytes = valid
            let index = footerStart + Int(random.next() % UInt64(valid.count - 8 - footerStart))
            bytes[index] = UInt8(truncatingIfNeeded: random.next())
            try inspect(bytes)
        }
        // Both kinds of outcome happen, so the fuzzing reaches the decoder and the renderers.
        #expect(outcomes.reports > 100)
        #expect(outcomes.errors > 100)
    }

    /// A footer built by hand with the deprecated statistics only, chunks that disagree with
    /// the schema and row counts that do not add up: shown with warnings, not rejected.
    @Test func handBuiltFooterWithDeprecatedStatistics() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("legacy.parquet")
        func le64(_ value: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func chunk(_ type: PhysicalType, _ name: String, _ statistics: Statistics) -> ColumnChunk {
            ColumnChunk(metaData: ColumnMetaData(
                type: type, encodings: [.plain, .rle], pathInSchema: [name], codec: .gzip, numValues: 2,
                totalUncompressedSize: 100, totalCompressedSize: 40, dataPageOffset: 4, statistics: statistics))
        }
        let metadata = FileMetaData(
            schema: [
                SchemaElement(name: "root", numChildren: 4),
                SchemaElement(name: "n", type: .int64, repetitionType: .optional),
                SchemaElement(name: "s", type: .byteArray, repetitionType: .optional, convertedType: .utf8),
                SchemaElement(name: "u", type: .int32, repetitionType: .optional, convertedType: .uint32),
                SchemaElement(
                    name: "price", type: .int64, repetitionType: .required, convertedType: .decimal, scale: 3,
                    precision: 18),
            ],
            numRows: 5,
            rowGroups: [RowGroup(
                columns: [
                    chunk(.int64, "n", Statistics(max: le64(42), min: le64(-42), nullCount: 1)),
                    chunk(.byteArray, "s", Statistics(max: Array("zz".utf8), min: Array("aa".utf8), nullCount: 0)),
                    chunk(.int32, "u", Statistics(max: [0xFF, 0xFF, 0xFF, 0xFF], min: [1, 0, 0, 0])),
                    chunk(.int64, "price", Statistics(max: le64(-5), min: le64(-123_456), maxValue: le64(1_500))),
                    chunk(.double, "extra", Statistics(nullCount: 3)),
                ],
                totalByteSize: 500, numRows: 2)],
            createdBy: "hand-made")
        try InspectFiles.writeFooterOnly(path, metadata)
        let report = try InspectCommand.report(path: path)
        let chunks = report.rowGroups[0].columns

        // Signed INT64: the deprecated bounds are right and shown, flagged as such.
        #expect(chunks[0].statistics?.min == .integer(-42))
        #expect(chunks[0].statistics?.max == .integer(42))
        #expect(chunks[0].statistics?.deprecatedMinMax == true)
        // Byte arrays and unsigned integers: signed-order bounds may be wrong, so none.
        #expect(chunks[1].statistics?.min == nil && chunks[1].statistics?.max == nil)
        #expect(chunks[1].statistics?.nullCount == 0)
        #expect(chunks[2].statistics?.min == nil)
        // max_value present: the new fields win, even with only one of them set.
        #expect(chunks[3].statistics?.deprecatedMinMax == false)
        #expect(chunks[3].statistics?.max == .text("1.500"))
        #expect(chunks[3].statistics?.min == nil)
        // The fifth chunk has no schema leaf: shown by its own physical type.
        #expect(chunks[4].path == "extra" && chunks[4].type.physical == .double)
        #expect(report.warnings.contains("row group 0 has 5 column chunks for 4 schema leaves"))
        #expect(report.warnings.contains("the row groups hold 2 rows but the footer says 5"))
        #expect(report.columns.first { $0.path == "n" }?.codecs == [.gzip])

        let json = try InspectCommand.render(path: path, json: true)
        #expect(json.contains(#""deprecated_min_max":true"#))
        #expect(json.contains(#""warnings":["row group 0 has 5 column chunks for 4 schema leaves""#))
        let text = try InspectCommand.render(path: path, json: false)
        #expect(text.contains("\nwarnings\n  row group 0 has 5 column chunks"))
        #expect(text.contains("INT64 DECIMAL(18,3)"))
    }

    /// A schema whose groups declare more children than there are elements, nested far deeper
    /// than any real schema: laid out without recursion and with bounded tree drawing.
    @Test func aDeepInconsistentSchemaIsShownWithWarnings() throws {
        let directory = try InspectScratchDirectory()
        let path = directory.file("deep.parquet")
        var schema = [SchemaElement(name: "root", numChildren: 1)]
        for level in 0..<5_000 { schema.append(SchemaElement(name: "g\(level)", repetitionType: .optional, numChildren: 2)) }
        schema.append(SchemaElement(name: "leaf", type: .int32, repetitionType: .optional))
        try InspectFiles.writeFooterOnly(path, FileMetaData(schema: schema, numRows: 0, rowGroups: []))
        let report = try InspectCommand.report(path: path)
        #expect(report.schema.count == 5_002)
        #expect(report.schema.last?.depth == 5_001)
        #expect(report.warnings.contains("the schema ends 5000 elements before the children its groups declare"))
        let text = try InspectCommand.render(path: path, json: false)
        #expect(text.contains("… [depth 5001] leaf"))
        #expect(text.utf8.count < 2_000_000)
        _ = try InspectCommand.render(path: path, json: true)
    }
}

/// A small deterministic generator, so a fuzz failure can be replayed.
struct SplitMix {
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
