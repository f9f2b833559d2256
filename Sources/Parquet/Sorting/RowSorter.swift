import ParquetBytes

/// The rows of one file waiting to be written in ``RowOrder``: the newest staged in column
/// builders, older ones spilled to a scratch file as sorted runs, all merged when the file
/// is written (an external merge sort).
///
/// A run is written in chunks of at most `chunkBytes`, so merging reads one chunk of each
/// run at a time: a merge costs a chunk per run, and runs are merged in passes of as many
/// as `mergeBytes` allows until the rest fit in one final merge. The staged rows join the
/// final merge in place, sorted by a permutation (no copy).
///
/// Ties keep the order rows were staged in (runs in the order they were spilled, staged rows
/// last), so the sort is stable and the same rows give the same file.
///
/// Not thread-safe: one user at a time.
package final class RowSorter {
    /// A chunk of a run in the scratch file.
    struct Chunk {
        let extent: Range<Int>
        let rows: Int
    }

    /// A sorted run: its chunks in order, and the largest (what reading it costs).
    struct Run {
        var chunks: [Chunk] = []
        var largestChunk = 0
    }

    /// The file's leaf columns.
    package let columns: [ColumnDescriptor]
    /// The order rows are written in.
    package let order: RowOrder
    private let chunkBytes: Int
    private let mergeBytes: Int
    /// The newest rows, one builder per leaf.
    package private(set) var staged: [ColumnBuilder]
    /// Memory the staged builders hold (their capacity), as of the last ``measure()``.
    package private(set) var stagedBytes = 0
    private var runs: [Run] = []
    /// Rows in spilled runs.
    package private(set) var spilledRows = 0
    /// A chunk read back, before it is split into a source's builders.
    private var readBuffer = ByteBuffer()

    /// Creates an empty sorter.
    /// - Parameters:
    ///   - columns: The file's leaf columns.
    ///   - order: The order to write rows in.
    ///   - chunkBytes: The largest chunk a run is written in.
    ///   - mergeBytes: The memory a merge may spend on chunks read back (at least two chunks).
    package init(columns: [ColumnDescriptor], order: RowOrder, chunkBytes: Int, mergeBytes: Int) {
        self.columns = columns
        self.order = order
        self.chunkBytes = Swift.max(1, chunkBytes)
        self.mergeBytes = Swift.max(2 * self.chunkBytes, mergeBytes)
        self.staged = columns.map { ColumnBuilder(descriptor: $0) }
    }

    /// Rows staged in memory.
    package var stagedRows: Int { staged.first?.rowCount ?? 0 }

    /// Rows waiting, staged and spilled.
    package var rows: Int { stagedRows + spilledRows }

    /// Appends rows listed in `rows` of a batch to the staged builders.
    /// - Parameters:
    ///   - rows: Rows of the batch, in order.
    ///   - builders: The batch, one builder per leaf of its schema.
    ///   - indexes: Their row indexes.
    ///   - sourceLeaves: For each of ``columns``, the batch column it comes from.
    package func stage(
        _ rows: UnsafeBufferPointer<Int32>, of builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex],
        sourceLeaves: [Int]
    ) {
        for (target, source) in sourceLeaves.enumerated() {
            staged[target].appendRows(at: rows, of: builders[source], index: indexes[source])
        }
    }

    /// Appends rows `rows` of a batch to the staged builders.
    /// - Parameters:
    ///   - rows: Rows of the batch.
    ///   - builders: The batch, one builder per leaf of its schema.
    ///   - indexes: Their row indexes.
    ///   - sourceLeaves: For each of ``columns``, the batch column it comes from.
    package func stage(
        _ rows: Range<Int>, of builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex], sourceLeaves: [Int]
    ) {
        for (target, source) in sourceLeaves.enumerated() {
            staged[target].appendRows(rows, of: builders[source], index: indexes[source])
        }
    }

    /// Recounts the memory the staged builders hold.
    /// - Returns: The change since the last count.
    package func measure() -> Int {
        let before = stagedBytes
        stagedBytes = staged.reduce(0) { $0 + $1.heldBytes }
        return stagedBytes - before
    }

    /// Sorts the staged rows and writes them to `scratch` as a run, freeing their memory.
    /// - Parameter scratch: Where runs go; the same file for every call and for ``drain``.
    /// - Throws: `ParquetError` `.io` when the scratch file cannot be written.
    package func spill(to scratch: ScratchFile) throws(ParquetError) {
        let count = stagedRows
        guard count > 0 else { return }
        let indexes = staged.map { $0.rowIndex() }
        let permutation = sortedRows(staged, indexes).permutation
        let total = staged.reduce(0) { $0 + $1.serializedByteCount }
        let chunkRows = Swift.max(1, Int(Double(count) * Double(chunkBytes) / Double(Swift.max(total, 1))))
        var run = Run()
        var chunk = columns.map { ColumnBuilder(descriptor: $0) }
        var start = 0
        while start < count {
            let end = Swift.min(count, start + chunkRows)
            for column in chunk.indices { chunk[column].removeAll() }
            permutation[start..<end].withUnsafeBufferPointer { rows in
                for column in chunk.indices {
                    chunk[column].appendRows(at: rows, of: staged[column], index: indexes[column])
                }
            }
            run.append(try write(chunk, rows: end - start, to: scratch))
            start = end
        }
        runs.append(run)
        spilledRows += count
        staged = columns.map { ColumnBuilder(descriptor: $0) }
        stagedBytes = 0
    }

    /// Writes every waiting row in order, a row group at a time, and leaves the sorter empty.
    /// - Parameters:
    ///   - scratch: The scratch file runs were spilled to (nil when nothing was spilled).
    ///   - rowGroupRows: The most rows handed to `emit` at once.
    ///   - rowGroupBytes: Rows are handed to `emit` once their staged size reaches this.
    ///   - emit: Takes builders holding the next rows in order (its own to keep) and their count.
    /// - Throws: `ParquetError` from the scratch file or from `emit`.
    package func drain(
        scratch: ScratchFile?, rowGroupRows: Int, rowGroupBytes: Int,
        emit: ([ColumnBuilder], Int) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        if let scratch {
            // Merge passes until one merge of every run costs at most mergeBytes.
            while runs.count > 2 && runs.reduce(0, { $0 + $1.largestChunk }) > mergeBytes {
                var taken = 2
                var cost = runs[0].largestChunk + runs[1].largestChunk
                while taken < runs.count && cost + runs[taken].largestChunk <= mergeBytes {
                    cost += runs[taken].largestChunk
                    taken += 1
                }
                var merged = Run()
                var sources = try runs[0..<taken].map { run throws(ParquetError) in try source(of: run, scratch) }
                try merge(&sources, rowLimit: Int.max, byteLimit: chunkBytes) { builders, count throws(ParquetError) in
                    merged.append(try write(builders, rows: count, to: scratch))
                }
                runs.replaceSubrange(0..<taken, with: [merged])
            }
        }
        var sources: [_SortSource] = []
        if let scratch {
            for run in runs { sources.append(try source(of: run, scratch)) }
        }
        if stagedRows > 0 {
            let indexes = staged.map { $0.rowIndex() }
            let (permutation, prefixes) = sortedRows(staged, indexes)
            sources.append(_SortSource(
                builders: staged, indexes: indexes, prefixes: prefixes, permutation: permutation, chunks: [], scratch: nil))
        }
        runs.removeAll()
        spilledRows = 0
        staged = columns.map { ColumnBuilder(descriptor: $0) }
        stagedBytes = 0
        try merge(&sources, rowLimit: rowGroupRows, byteLimit: rowGroupBytes, emit: emit)
        if readBuffer.capacity > 2 * chunkBytes { readBuffer = ByteBuffer() }
    }

    // MARK: Sorting and merging

    /// The rows of `builders` in order: a permutation of their indexes (ties by index), and
    /// each row's prefixes (``RowOrder/prefixes(of:indexes:)``).
    ///
    /// Rows are sorted by their first key's prefix (one integer compare); only rows whose
    /// prefixes tie go on to the second key's prefix and then, if still tied, the full compare.
    private func sortedRows(
        _ builders: [ColumnBuilder], _ indexes: [ColumnBuilder.RowIndex]
    ) -> (permutation: [Int32], prefixes: [UInt64]) {
        let order = self.order
        let prefixes = order.prefixes(of: builders, indexes: indexes)
        let stride = order.prefixedKeys
        let rows = builders[0].rowCount
        var entries = [_SortEntry](repeating: _SortEntry(prefix: 0, row: 0), count: rows)
        prefixes.withUnsafeBufferPointer { all in
            for row in 0..<rows { entries[row] = _SortEntry(prefix: all[row &* stride], row: Int32(row)) }
            entries.sort { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let result = order.compare(Int(a.row), in: builders, indexes, all, Int(b.row), in: builders, indexes, all)
                return result != 0 ? result < 0 : a.row < b.row
            }
        }
        return (entries.map(\.row), prefixes)
    }

    /// Serializes a chunk into the scratch file.
    private func write(_ chunk: [ColumnBuilder], rows: Int, to scratch: ScratchFile) throws(ParquetError) -> Chunk {
        readBuffer.removeAll(keepingCapacity: true)
        readBuffer.reserveCapacity(chunk.reduce(0) { $0 + $1.serializedByteCount })
        for builder in chunk { builder.serialize(into: &readBuffer) }
        return Chunk(extent: try scratch.append(readBuffer), rows: rows)
    }

    /// A merge source reading `run`, its first chunk loaded.
    private func source(of run: Run, _ scratch: ScratchFile) throws(ParquetError) -> _SortSource {
        let source = _SortSource(
            builders: columns.map { ColumnBuilder(descriptor: $0) }, indexes: [], prefixes: [], permutation: nil,
            chunks: run.chunks[...], scratch: scratch)
        try source.loadNextChunk(using: &readBuffer, order: order)
        return source
    }

    /// Merges `sources` (each in order) and hands the rows to `emit` in order, at most
    /// `rowLimit` at a time and once their serialized size reaches `byteLimit`.
    private func merge(
        _ sources: inout [_SortSource], rowLimit: Int, byteLimit: Int,
        emit: ([ColumnBuilder], Int) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        let order = self.order
        /// Whether source `i`'s row `a` goes before source `j`'s current row (ties: the
        /// earlier source first, which keeps the sort stable).
        func before(_ i: Int, row a: Int, _ j: Int) -> Bool {
            let x = sources[i], y = sources[j]
            let result = x.prefixes.withUnsafeBufferPointer { left in
                y.prefixes.withUnsafeBufferPointer { right in
                    order.compare(a, in: x.builders, x.indexes, left, y.currentRow, in: y.builders, y.indexes, right)
                }
            }
            return result != 0 ? result < 0 : i < j
        }
        func less(_ i: Int, _ j: Int) -> Bool { before(i, row: sources[i].currentRow, j) }
        var heap = _SourceHeap(count: sources.count, by: less)
        var output = columns.map { ColumnBuilder(descriptor: $0) }
        var outputRows = 0
        var sinceMeasure = 0
        while let top = heap.top {
            let source = sources[top]
            // Take the source's rows for as long as they go before every other source's.
            let runner = heap.runnerUp(by: less)
            var end = source.position + 1
            let limit = source.position + Swift.min(source.count - source.position, rowLimit - outputRows)
            while end < limit, runner.map({ before(top, row: source.row(at: end), $0) }) ?? true { end += 1 }
            source.copy(source.position..<end, into: &output)
            outputRows += end - source.position
            sinceMeasure += end - source.position
            source.position = end
            if source.position == source.count {
                if source.chunks.isEmpty {
                    heap.removeTop(by: less)
                } else {
                    try source.loadNextChunk(using: &readBuffer, order: order)
                    heap.siftDownTop(by: less)
                }
            } else {
                heap.siftDownTop(by: less)
            }
            var full = outputRows >= rowLimit
            if !full && sinceMeasure >= 1024 {
                sinceMeasure = 0
                full = output.reduce(0) { $0 + $1.serializedByteCount } >= byteLimit
            }
            if full {
                try emit(output, outputRows)
                output = columns.map { ColumnBuilder(descriptor: $0) }
                outputRows = 0
            }
        }
        if outputRows > 0 { try emit(output, outputRows) }
    }
}

extension RowSorter.Run {
    mutating func append(_ chunk: RowSorter.Chunk) {
        chunks.append(chunk)
        largestChunk = Swift.max(largestChunk, chunk.extent.count)
    }
}
