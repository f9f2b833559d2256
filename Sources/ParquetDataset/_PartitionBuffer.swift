import Parquet
import ParquetBytes

/// The rows of one partition that are not yet in its file: the newest staged in column
/// builders, older ones spilled as runs to the dataset's row spill.
///
/// Rows leave in the order they arrived: spilled runs first, then the staged rows.
final class _PartitionBuffer {
    /// A run of rows spilled to the row spill: the builders of one staging, serialized.
    struct Run {
        /// Where the run is in the spill.
        let extent: Range<Int>
        /// The rows in it.
        let rows: Int
        /// Rows of it already written to the file (a row group can end inside a run).
        var taken = 0
    }

    /// The partition's directory inside the dataset (`a=1/b=x`).
    let path: String
    /// The newest rows, one builder per leaf of the file schema.
    private(set) var staged: [ColumnBuilder]
    /// Memory the staged builders hold (their capacity), as of the last ``measure()``.
    private(set) var stagedBytes = 0
    /// Older rows, oldest first.
    var runs: [Run] = []
    /// Rows in ``runs`` not yet written.
    var spilledRows = 0
    /// Serialized bytes of the rows in ``runs`` not yet written (as the runs were made).
    var spilledBytes = 0

    /// Creates an empty buffer for the partition at `path`.
    init(path: String, columns: [ColumnDescriptor]) {
        self.path = path
        self.staged = columns.map { ColumnBuilder(descriptor: $0) }
    }

    /// Rows staged in memory.
    var stagedRows: Int { staged.first?.rowCount ?? 0 }

    /// Rows waiting, staged and spilled.
    var rows: Int { stagedRows + spilledRows }

    /// Bytes waiting, staged (held) and spilled.
    var bytes: Int { stagedBytes + spilledBytes }

    /// Appends rows `rows` of a batch to the staged builders.
    /// - Parameters:
    ///   - rows: Rows of the batch, in order.
    ///   - builders: The batch, one builder per leaf of the dataset's schema.
    ///   - indexes: Their row indexes.
    ///   - sourceLeaves: For each staged column, the batch column it comes from.
    func stage(
        _ rows: UnsafeBufferPointer<Int32>, of builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex],
        sourceLeaves: [Int]
    ) {
        // Through buffer pointers: subscripting the arrays copied a builder (a dozen retains
        // and releases) per partition, column and batch.
        builders.withUnsafeBufferPointer { builders in
            indexes.withUnsafeBufferPointer { indexes in
                staged.withUnsafeMutableBufferPointer { staged in
                    for (target, source) in sourceLeaves.enumerated() {
                        staged[target].appendRows(at: rows, of: builders[source], index: indexes[source])
                    }
                }
            }
        }
    }

    /// Recounts the memory the staged builders hold.
    /// - Returns: The change since the last count.
    func measure() -> Int {
        let before = stagedBytes
        stagedBytes = staged.reduce(0) { $0 + $1.heldBytes }
        return stagedBytes - before
    }

    /// Hands over the staged rows and starts empty builders (the old buffers are freed once
    /// the file writer is done with them).
    /// - Returns: The staged builders.
    func takeStaged() -> [ColumnBuilder] {
        let taken = staged
        staged = staged.map { ColumnBuilder(descriptor: $0.descriptor) }
        stagedBytes = 0
        return taken
    }

    /// Keeps only the staged rows from `row` on, in fresh builders sized to them.
    func dropStaged(before row: Int) {
        let old = staged
        let count = stagedRows
        staged = old.map { ColumnBuilder(descriptor: $0.descriptor) }
        for column in old.indices {
            staged[column].appendRows(row..<count, of: old[column], index: old[column].rowIndex())
        }
    }

    /// Serializes the staged rows into a new run in `spill`, freeing their memory.
    /// - Parameters:
    ///   - spill: The dataset's row spill.
    ///   - buffer: Where the run is serialized before it is written: the dataset's, reused
    ///     from spill to spill (its contents are replaced).
    /// - Throws: `ParquetError` `.io` when the spill cannot be written.
    func spill(to spill: ScratchFile, using buffer: inout ByteBuffer) throws(ParquetError) {
        let rows = stagedRows
        guard rows > 0 else { return }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(staged.reduce(0) { $0 + $1.serializedByteCount })
        for builder in staged { builder.serialize(into: &buffer) }
        let extent = try spill.append(buffer)
        runs.append(Run(extent: extent, rows: rows))
        spilledRows += rows
        spilledBytes += buffer.count
        _ = takeStaged()
    }
}
