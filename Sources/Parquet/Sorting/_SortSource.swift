import ParquetBytes

/// One input of a ``RowSorter`` merge: a spilled run read back a chunk at a time, or the
/// staged rows in the order of a permutation.
final class _SortSource {
    /// The rows at hand: the current chunk, or the staged rows.
    private(set) var builders: [ColumnBuilder]
    private(set) var indexes: [ColumnBuilder.RowIndex]
    /// Each builder row's key prefixes (``RowOrder/prefixes(of:indexes:)``).
    private(set) var prefixes: [UInt64]
    /// For staged rows, their order; nil for a chunk, whose rows are in order already.
    private let permutation: [Int32]?
    /// The next row to take, as a position in the order.
    var position = 0
    /// Rows at hand.
    private(set) var count: Int
    /// The run's chunks not yet read.
    private(set) var chunks: ArraySlice<RowSorter.Chunk>
    private let scratch: ScratchFile?

    init(
        builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex], prefixes: [UInt64], permutation: [Int32]?,
        chunks: ArraySlice<RowSorter.Chunk>, scratch: ScratchFile?
    ) {
        self.builders = builders
        self.indexes = indexes
        self.prefixes = prefixes
        self.permutation = permutation
        self.count = permutation?.count ?? 0
        self.chunks = chunks
        self.scratch = scratch
    }

    /// The builder row at position `position` of the order.
    @inline(__always)
    func row(at position: Int) -> Int {
        guard let permutation else { return position }
        return Int(permutation[position])
    }

    /// The builder row of the next row to take.
    var currentRow: Int { row(at: position) }

    /// Appends the rows at positions `positions` to `output`, one builder per leaf.
    func copy(_ positions: Range<Int>, into output: inout [ColumnBuilder]) {
        if let permutation {
            permutation[positions].withUnsafeBufferPointer { rows in
                for column in output.indices {
                    output[column].appendRows(at: rows, of: builders[column], index: indexes[column])
                }
            }
        } else {
            for column in output.indices {
                output[column].appendRows(positions, of: builders[column], index: indexes[column])
            }
        }
    }

    /// Reads the run's next chunk into ``builders`` and gives its space in the scratch file back.
    /// - Parameters:
    ///   - buffer: A buffer to read through.
    ///   - order: The order, for the rows' prefixes.
    /// - Throws: `ParquetError` `.io` when the scratch file cannot be read.
    func loadNextChunk(using buffer: inout ByteBuffer, order: RowOrder) throws(ParquetError) {
        guard let scratch, let chunk = chunks.popFirst() else { return }
        try scratch.read(chunk.extent, into: &buffer)
        scratch.discard(chunk.extent)
        for column in builders.indices { builders[column].removeAll() }
        buffer.withUnsafeReadableBytes { raw in
            var offset = 0
            for column in builders.indices {
                offset += builders[column].appendSerialized(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
        }
        indexes = builders.map { $0.rowIndex() }
        prefixes = order.prefixes(of: builders, indexes: indexes)
        position = 0
        count = chunk.rows
    }
}
