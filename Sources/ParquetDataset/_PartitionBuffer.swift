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
    /// The newest rows, one builder per leaf of the file schema, in storage that never moves:
    /// with threads, each column's staging runs on its own thread (``stageColumn(_:rows:of:index:)``),
    /// and distinct elements of one allocation are distinct memory, where two threads writing
    /// elements of one Swift array would both touch its header.
    private let columns: UnsafeMutableBufferPointer<ColumnBuilder>
    /// Memory the staged builders hold, as of the last ``measure()``: what their rows need
    /// (``stagedRowBytes``), or what they kept from the rows before (``clearStaged()``)
    /// when that is more.
    private(set) var stagedBytes = 0
    /// Memory the staged rows themselves need (`ColumnBuilder.heldBytes`), as of the last
    /// ``measure()``: what decides when they make a row group or a step.
    private(set) var stagedRowBytes = 0
    /// What the builders kept when they were last emptied with their capacity.
    private var keptBytes = 0
    /// Older rows, oldest first.
    var runs: [Run] = []
    /// Rows in ``runs`` not yet written.
    var spilledRows = 0
    /// Serialized bytes of the rows in ``runs`` not yet written (as the runs were made).
    var spilledBytes = 0

    /// Creates an empty buffer for the partition at `path`.
    init(path: String, columns: [ColumnDescriptor]) {
        self.path = path
        self.columns = .allocate(capacity: columns.count)
        _ = self.columns.initialize(from: columns.lazy.map { ColumnBuilder(descriptor: $0) })
    }

    deinit {
        columns.deinitialize()
        columns.deallocate()
    }

    /// The staged builders (a copy of the array; the buffers are shared until written).
    var staged: [ColumnBuilder] { Array(columns) }

    /// Rows staged in memory.
    var stagedRows: Int {
        columns.isEmpty ? 0 : Self.rowCount(&columns[0])
    }

    /// Rows waiting, staged and spilled.
    var rows: Int { stagedRows + spilledRows }

    /// Bytes of the rows waiting, staged and spilled (not the capacity kept besides).
    var bytes: Int { stagedRowBytes + spilledBytes }

    /// Appends rows `rows` of a batch to one staged column.
    ///
    /// Safe to call from several threads at once for different `column`s (of this buffer or
    /// any other): each touches only its own builder.
    /// - Parameters:
    ///   - column: The staged column (a leaf of the file schema).
    ///   - rows: Rows of the batch, in order.
    ///   - source: The batch's builder for that column.
    ///   - index: Its row index.
    func stageColumn(_ column: Int, rows: UnsafeBufferPointer<Int32>, of source: ColumnBuilder, index: ColumnBuilder.RowIndex) {
        columns[column].appendRows(at: rows, of: source, index: index)
    }

    /// Recounts the memory the staged builders hold.
    /// - Returns: The change since the last count.
    func measure() -> Int {
        let before = stagedBytes
        var held = 0
        for column in columns.indices { held += Self.heldBytes(&columns[column]) }
        stagedRowBytes = held
        stagedBytes = Swift.max(held, keptBytes)
        return stagedBytes - before
    }

    // A builder is read through an inout access: read by value (`reduce`, `first`, the
    // buffer's subscript getter) it was copied, a retain and a release of each of its
    // buffers, for every partition after every batch.
    private static func rowCount(_ builder: inout ColumnBuilder) -> Int { builder.rowCount }

    private static func heldBytes(_ builder: inout ColumnBuilder) -> Int { builder.heldBytes }

    /// Hands over the staged rows and starts empty builders (the old buffers are freed once
    /// the file writer is done with them).
    /// - Returns: The staged builders.
    func takeStaged() -> [ColumnBuilder] {
        let taken = staged
        for column in columns.indices { columns[column] = ColumnBuilder(descriptor: taken[column].descriptor) }
        stagedBytes = 0
        stagedRowBytes = 0
        keptBytes = 0
        return taken
    }

    /// Empties the staged builders, keeping their capacity for the partition's next rows
    /// (still counted in ``stagedBytes``, until ``releaseStaged()``).
    func clearStaged() {
        for column in columns.indices { columns[column].removeAll() }
        keptBytes = stagedBytes
        stagedRowBytes = 0
    }

    /// Frees the capacity empty staged builders kept.
    /// - Returns: The memory freed, as ``stagedBytes`` counted it.
    func releaseStaged() -> Int {
        precondition(stagedRows == 0, "only empty staged builders give their capacity back")
        let freed = stagedBytes
        _ = takeStaged()
        return freed
    }

    /// Keeps only the staged rows from `row` on, in fresh builders sized to them.
    func dropStaged(before row: Int) {
        let old = staged
        let count = stagedRows
        for column in old.indices {
            columns[column] = ColumnBuilder(descriptor: old[column].descriptor)
            columns[column].appendRows(row..<count, of: old[column], index: old[column].rowIndex())
        }
        keptBytes = 0
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
        buffer.reserveCapacity(columns.reduce(0) { $0 + $1.serializedByteCount })
        for builder in columns { builder.serialize(into: &buffer) }
        let extent = try spill.append(buffer)
        runs.append(Run(extent: extent, rows: rows))
        spilledRows += rows
        spilledBytes += buffer.count
        _ = takeStaged()
    }
}
