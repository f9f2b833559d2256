@testable import ParquetDataset
import Testing

/// ``_ByteStringCodes``: the router's numbering of a batch's partition values must give equal
/// values one code and different values different codes, in order of first appearance,
/// whatever their length and wherever they sit in their buffer.
@Suite struct ByteStringCodesTests {
    /// Numbers `values` laid end to end in one buffer (as a builder's bytes are), so the last
    /// ones are read with fewer than 16 bytes after their start.
    private func codes(_ values: [[UInt8]]) -> (codes: [UInt32], count: Int) {
        let all = values.flatMap { $0 }
        var numbering = _ByteStringCodes()
        var codes: [UInt32] = []
        all.withUnsafeBytes { bytes in
            var start = 0
            for value in values {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + value.count)])
                codes.append(numbering.code(of: slice, readable: bytes.count - start))
                start += value.count
            }
        }
        return (codes, numbering.count)
    }

    /// The codes a plain dictionary gives: 1 + the index of the first equal value.
    private func expected(_ values: [[UInt8]]) -> [UInt32] {
        var seen: [[UInt8]] = []
        return values.map { value in
            if let index = seen.firstIndex(of: value) { return UInt32(index + 1) }
            seen.append(value)
            return UInt32(seen.count)
        }
    }

    @Test func equalValuesShareACodeInOrderOfFirstAppearance() {
        let values = ["EUR", "USD", "EUR", "entertainment", "USD", "GBP", "entertainment"].map { Array($0.utf8) }
        let result = codes(values)
        #expect(result.codes == [1, 2, 1, 3, 2, 4, 3])
        #expect(result.count == 4)
    }

    @Test func lengthsAndZeroBytesTellValuesApart() {
        // Zero bytes at the end are what padding would read: the length must tell them apart.
        let values: [[UInt8]] = [
            [65], [65, 0], [65, 0, 0, 0, 0, 0, 0, 0], [65, 0, 0, 0, 0, 0, 0, 0, 0],
            Array(repeating: 66, count: 8), Array(repeating: 66, count: 9), Array(repeating: 66, count: 16),
            Array(repeating: 66, count: 17), Array(repeating: 66, count: 40), Array(repeating: 66, count: 16) + [0],
            [65], Array(repeating: 66, count: 17), [65, 0],
        ]
        let result = codes(values)
        #expect(result.codes == expected(values))
        #expect(result.count == 10)
    }

    @Test func manyValuesGrowTheTableAndKeepTheirCodes() {
        // 3,000 distinct short and long values, each seen twice: the table doubles many times.
        var values: [[UInt8]] = []
        for number in 0..<3_000 {
            let text = number % 7 == 0 ? "a long partition value number \(number)" : "v\(number)"
            values.append(Array(text.utf8))
        }
        values += values.reversed()
        let result = codes(values)
        #expect(result.codes == expected(values))
        #expect(result.count == 3_000)
    }
}
