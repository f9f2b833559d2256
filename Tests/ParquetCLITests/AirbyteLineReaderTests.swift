import Testing
@testable import ParquetCLI

/// Splitting the input into lines: chunk boundaries, the last line, carriage returns, and
/// lines over the limit.
@Suite struct AirbyteLineReaderTests {
    enum Got: Equatable {
        case text(String)
        case tooLong(Int)
    }

    func lines(_ input: String, chunk: Int, limit: Int = 1 << 20, readerChunk: Int = 4) throws -> [Got] {
        var reader = AirbyteLineReader(
            source: AirbyteMemorySource(input, chunk: chunk), maximumLineBytes: limit, chunkBytes: readerChunk)
        var got: [Got] = []
        var numbers: [Int] = []
        while let line = try reader.next() {
            switch line {
            case .text(let bytes): got.append(.text(String(decoding: bytes, as: UTF8.self)))
            case .tooLong(let length): got.append(.tooLong(length))
            }
            numbers.append(reader.lineNumber)
        }
        #expect(numbers == Array(stride(from: 1, through: got.count, by: 1)))
        return got
    }

    @Test func splitsAtEveryChunkSize() throws {
        let input = "first line\nsecond\r\n\nlast without newline"
        let expected: [Got] = [.text("first line"), .text("second\r"), .text(""), .text("last without newline")]
        for chunk in 1...50 {
            for readerChunk in [1, 3, 8, 64] {
                #expect(try lines(input, chunk: chunk, readerChunk: readerChunk) == expected, "chunk \(chunk)/\(readerChunk)")
            }
        }
    }

    @Test func emptyInputAndTrailingNewline() throws {
        #expect(try lines("", chunk: 3).isEmpty)
        #expect(try lines("a\n", chunk: 3) == [.text("a")])
        #expect(try lines("\n\n", chunk: 1) == [.text(""), .text("")])
    }

    @Test func overlongLinesAreSkippedWhole() throws {
        let long = String(repeating: "x", count: 25)
        let input = "ok\n\(long)\nexact-10ch\n\(long)"
        for chunk in [1, 4, 7, 100] {
            #expect(
                try lines(input, chunk: chunk, limit: 10) == [.text("ok"), .tooLong(25), .text("exact-10ch"), .tooLong(25)],
                "chunk \(chunk)")
        }
    }
}
