@testable import ParquetCLI
import Testing

/// Counting a batch's lines eight bytes at a time must count exactly what a byte loop counts,
/// whatever surrounds each newline (bytes one off from `\n`, high bytes, zeros) and wherever
/// the run starts and ends.
@Suite struct LineLocatorTests {
    @Test func newlinesAreCountedExactly() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        // Neighbours of 0x0A in every bit, and the bytes a carry would mistake for it.
        let alphabet: [UInt8] = [0x0A, 0x0B, 0x09, 0x08, 0x0E, 0x1A, 0x2A, 0x4A, 0x8A, 0x00, 0x7F, 0x80, 0xFF, 0xF5, 0x7B, 0x41]
        for length in Array(0...40) + [255, 4096] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
                bytes.withUnsafeBytes { raw in
                    for start in 0..<Swift.min(9, length + 1) {
                        let run = UnsafeRawBufferPointer(rebasing: raw[start...])
                        let expected = run.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                        #expect(LineLocator.newlineCount(in: run) == expected, "length \(length) from \(start)")
                    }
                }
            }
        }
        #expect(LineLocator.newlineCount(in: UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
        // Every lane full for more than the 255 words a lane counts before it is summed.
        for count in [77, 8 * 255, 8 * 255 + 1, 8 * 600 + 3] {
            let all = [UInt8](repeating: 0x0A, count: count)
            #expect(all.withUnsafeBytes { LineLocator.newlineCount(in: $0) } == count)
        }
    }
}
