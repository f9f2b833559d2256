/// Lines of an NDJSON batch: where each starts and its number in the input, found once (the
/// newlines are indexed on first use, so a batch with nothing to report pays nothing).
final class LineLocator {
    let bytes: UnsafeRawBufferPointer
    /// Newlines in the input before the batch.
    let linesBefore: Int
    private var newlines: [Int]?

    init(bytes: UnsafeRawBufferPointer, linesBefore: Int) {
        self.bytes = bytes
        self.linesBefore = linesBefore
    }

    private func index() -> [Int] {
        if let newlines { return newlines }
        var found: [Int] = []
        for position in 0..<bytes.count where bytes[position] == 0x0A { found.append(position) }
        newlines = found
        return found
    }

    /// Newlines before `position`.
    private func newlinesBefore(_ position: Int) -> Int {
        let all = index()
        var low = 0
        var high = all.count
        while low < high {
            let middle = (low + high) / 2
            if all[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The newlines in `bytes`, counted eight bytes at a time (a batch's lines are counted
    /// whole, so a byte-by-byte loop was a tenth of a conversion's time).
    /// - Parameter bytes: Any bytes.
    /// - Returns: How many are `\n`.
    static func newlineCount(in bytes: UnsafeRawBufferPointer) -> Int {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        var count = 0
        var index = 0
        if let base = bytes.baseAddress {
            while index &+ 8 <= bytes.count {
                // Each byte of `lanes` counts the newlines at its position in up to 255 words
                // (no popcount per word: the portable build has no POPCNT instruction).
                var lanes: UInt64 = 0
                let words = Swift.min(255, (bytes.count &- index) / 8)
                for _ in 0..<words {
                    // A byte of `word` is 0 where the input has a newline; the top bit of each
                    // byte of `zero` is set exactly there (no carry crosses bytes: 0x7F + 0x7F < 0x100).
                    let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ newlines
                    let zero = ~(((word & low7) &+ low7) | word | low7)
                    lanes &+= zero &>> 7
                    index &+= 8
                }
                // The eight byte counts summed: pairs into 16-bit lanes, then all four at the top.
                let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes &>> 8) & 0x00FF_00FF_00FF_00FF)
                count &+= Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) &>> 48)
            }
        }
        while index < bytes.count {
            if bytes[index] == 0x0A { count &+= 1 }
            index &+= 1
        }
        return count
    }

    /// The 1-based input line number of the line holding `position`.
    func number(at position: Int) -> Int {
        linesBefore + newlinesBefore(position) + 1
    }

    /// The line holding `position` (a newline belongs to the line it ends), with its newline.
    /// - Parameter lastContentBefore: With a position at or past the last content, the last
    ///   line that has any (trailing blank lines hold no record).
    func line(containing position: Int, lastContentBefore end: Int? = nil) -> Range<Int> {
        var position = Swift.max(0, Swift.min(position, bytes.count - 1))
        if let end {
            var last = Swift.min(end, bytes.count) - 1
            while last > 0 && (bytes[last] == 0x0A || bytes[last] == 0x0D || bytes[last] == 0x20 || bytes[last] == 0x09) {
                last -= 1
            }
            position = Swift.min(position, last)
        }
        let all = index()
        let before = newlinesBefore(position)
        let start = before == 0 ? 0 : all[before - 1] + 1
        let end = before < all.count ? all[before] + 1 : bytes.count
        return start..<end
    }

    /// A line without its newline (and a carriage return before it).
    func content(of line: Range<Int>) -> Range<Int> {
        var end = line.upperBound
        if end > line.lowerBound && bytes[end - 1] == 0x0A { end -= 1 }
        if end > line.lowerBound && bytes[end - 1] == 0x0D { end -= 1 }
        var start = line.lowerBound
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        return start..<end
    }
}
