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
