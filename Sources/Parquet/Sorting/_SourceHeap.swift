/// A binary min-heap of merge source numbers, ordered by a comparison the caller passes
/// to each call (the sources' current rows change as they are taken).
struct _SourceHeap {
    private var items: [Int] = []

    /// Builds the heap of sources `0..<count`.
    /// - Parameters:
    ///   - count: The number of sources.
    ///   - less: Whether source `i`'s current row goes before source `j`'s.
    init(count: Int, by less: (Int, Int) -> Bool) {
        items = Array(0..<count)
        var index = count / 2
        while index > 0 {
            index -= 1
            siftDown(index, by: less)
        }
    }

    /// The source whose current row goes first.
    var top: Int? { items.first }

    /// The source that goes second: the smaller of the top's children.
    func runnerUp(by less: (Int, Int) -> Bool) -> Int? {
        switch items.count {
        case 0, 1: return nil
        case 2: return items[1]
        default: return less(items[2], items[1]) ? items[2] : items[1]
        }
    }

    /// Removes the top source (it has no rows left).
    mutating func removeTop(by less: (Int, Int) -> Bool) {
        let last = items.removeLast()
        guard !items.isEmpty else { return }
        items[0] = last
        siftDown(0, by: less)
    }

    /// Restores the order after the top source's current row changed.
    mutating func siftDownTop(by less: (Int, Int) -> Bool) {
        siftDown(0, by: less)
    }

    private mutating func siftDown(_ start: Int, by less: (Int, Int) -> Bool) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { return }
            var child = left
            if left + 1 < items.count && less(items[left + 1], items[left]) { child = left + 1 }
            guard less(items[child], items[parent]) else { return }
            items.swapAt(child, parent)
            parent = child
        }
    }
}
