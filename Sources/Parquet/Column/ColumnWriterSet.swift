/// The column writers of one file, stored by concrete type so every call is specialised.
///
/// Why not `[any ColumnChunkWriting]`: a generic type's protocol witnesses are shared by all
/// its instantiations, so calling `ColumnChunkWriter<FixedWidthValueEncoder<Kind>>` through
/// an existential runs its unspecialised generic body. In a profile of the JSON path that made
/// every dictionary insert look up generic metadata at run time, a quarter of all
/// instructions. One buffer per concrete writer type keeps each call a direct, specialised
/// one. ``withWriter(_:_:)`` is the one place that maps a column to its buffer.
///
/// The writers live in buffers this object allocates once and never moves, so threads may
/// work on different columns at the same time (``FileEncoder`` encodes a row group's columns
/// in parallel): each call touches only its column's writer, with no copy-on-write check or
/// exclusive access to a shared array. Two calls on the same column must not overlap.
final class ColumnWriterSet: @unchecked Sendable {
    /// Which buffer holds a column's writer, and where.
    private enum Slot {
        case boolean(Int)
        case int32(Int)
        case uint32(Int)
        case int64(Int)
        case uint64(Int)
        case float(Int)
        case double(Int)
        case byteArray(Int)
    }

    /// Writers of one concrete type, in a buffer that never moves.
    private struct Writers<Writer: ColumnChunkWriting> {
        let base: UnsafeMutableBufferPointer<Writer>

        init(_ writers: [Writer]) {
            base = .allocate(capacity: writers.count)
            _ = base.initialize(from: writers)
        }

        func free() {
            base.deinitialize()
            base.deallocate()
        }

        // Each writer is read through an inout access, as ``withWriter(_:_:)`` runs
        // operations: reading it by value (`reduce`, the subscript's getter, `pointee`)
        // copied it, a retain and release of every buffer it holds, on every step of a
        // partition's file.
        var totalChunkBytes: Int {
            var total = 0
            for index in base.indices { total &+= Self.chunkBytes(&base[index]) }
            return total
        }

        var totalHeldBytes: Int {
            var total = 0
            for index in base.indices { total &+= Self.heldBytes(&base[index]) }
            return total
        }

        private static func chunkBytes(_ writer: inout Writer) -> Int { writer.estimatedChunkBytes }

        private static func heldBytes(_ writer: inout Writer) -> Int { writer.heldBytes }
    }

    private let slots: [Slot]
    private let booleans: Writers<ColumnChunkWriter<BooleanValueEncoder>>
    private let int32s: Writers<ColumnChunkWriter<FixedWidthValueEncoder<SignedInt32Kind>>>
    private let uint32s: Writers<ColumnChunkWriter<FixedWidthValueEncoder<UnsignedInt32Kind>>>
    private let int64s: Writers<ColumnChunkWriter<FixedWidthValueEncoder<SignedInt64Kind>>>
    private let uint64s: Writers<ColumnChunkWriter<FixedWidthValueEncoder<UnsignedInt64Kind>>>
    private let floats: Writers<ColumnChunkWriter<FixedWidthValueEncoder<FloatKind>>>
    private let doubles: Writers<ColumnChunkWriter<FixedWidthValueEncoder<DoubleKind>>>
    private let byteArrays: Writers<ColumnChunkWriter<ByteArrayValueEncoder>>

    /// The leaf columns, in schema order.
    let descriptors: [ColumnDescriptor]

    /// Creates a writer per leaf column.
    /// - Parameters:
    ///   - columns: The leaf columns.
    ///   - options: The file's options.
    ///   - workspace: The compressor, page buffers and spool the columns close pages with.
    init(columns: [ColumnDescriptor], options: WriterOptions, workspace: PageWorkspace) {
        descriptors = columns
        func make<E: ColumnValueEncoder>(_ descriptor: ColumnDescriptor) -> ColumnChunkWriter<E> {
            ColumnChunkWriter(descriptor: descriptor, options: options, workspace: workspace)
        }
        var slots: [Slot] = []
        var booleans: [ColumnChunkWriter<BooleanValueEncoder>] = []
        var int32s: [ColumnChunkWriter<FixedWidthValueEncoder<SignedInt32Kind>>] = []
        var uint32s: [ColumnChunkWriter<FixedWidthValueEncoder<UnsignedInt32Kind>>] = []
        var int64s: [ColumnChunkWriter<FixedWidthValueEncoder<SignedInt64Kind>>] = []
        var uint64s: [ColumnChunkWriter<FixedWidthValueEncoder<UnsignedInt64Kind>>] = []
        var floats: [ColumnChunkWriter<FixedWidthValueEncoder<FloatKind>>] = []
        var doubles: [ColumnChunkWriter<FixedWidthValueEncoder<DoubleKind>>] = []
        var byteArrays: [ColumnChunkWriter<ByteArrayValueEncoder>] = []
        for descriptor in columns {
            switch (descriptor.storage, descriptor.statisticsOrder) {
            case (.boolean, _):
                slots.append(.boolean(booleans.count))
                booleans.append(make(descriptor))
            case (.int32, .unsigned):
                slots.append(.uint32(uint32s.count))
                uint32s.append(make(descriptor))
            case (.int32, _):
                slots.append(.int32(int32s.count))
                int32s.append(make(descriptor))
            case (.int64, .unsigned):
                slots.append(.uint64(uint64s.count))
                uint64s.append(make(descriptor))
            case (.int64, _):
                slots.append(.int64(int64s.count))
                int64s.append(make(descriptor))
            case (.float, _):
                slots.append(.float(floats.count))
                floats.append(make(descriptor))
            case (.double, _):
                slots.append(.double(doubles.count))
                doubles.append(make(descriptor))
            case (.byteArray, _), (.fixedLenByteArray, _):
                slots.append(.byteArray(byteArrays.count))
                byteArrays.append(make(descriptor))
            }
        }
        self.slots = slots
        self.booleans = Writers(booleans)
        self.int32s = Writers(int32s)
        self.uint32s = Writers(uint32s)
        self.int64s = Writers(int64s)
        self.uint64s = Writers(uint64s)
        self.floats = Writers(floats)
        self.doubles = Writers(doubles)
        self.byteArrays = Writers(byteArrays)
    }

    deinit {
        booleans.free()
        int32s.free()
        uint32s.free()
        int64s.free()
        uint64s.free()
        floats.free()
        doubles.free()
        byteArrays.free()
    }

    /// The number of columns.
    var count: Int { slots.count }

    /// Runs `operation` on column `column`'s writer, in place and specialised to its type.
    private func withWriter<Operation: ColumnWriterOperation>(
        _ column: Int, _ operation: Operation
    ) throws(Operation.Failure) -> Operation.Result {
        switch slots[column] {
        case .boolean(let i): try operation.run(&booleans.base[i])
        case .int32(let i): try operation.run(&int32s.base[i])
        case .uint32(let i): try operation.run(&uint32s.base[i])
        case .int64(let i): try operation.run(&int64s.base[i])
        case .uint64(let i): try operation.run(&uint64s.base[i])
        case .float(let i): try operation.run(&floats.base[i])
        case .double(let i): try operation.run(&doubles.base[i])
        case .byteArray(let i): try operation.run(&byteArrays.base[i])
        }
    }

    /// Encodes slots `levels` of `builder`, whose values start at `firstValue`, into column
    /// `column`.
    /// - Parameters:
    ///   - workspace: The compressor and scratch buffers of the thread doing it.
    /// - Returns: Where the next slots' values start.
    func write(
        column: Int, _ builder: ColumnBuilder, levels: Range<Int>, firstValue: Int, workspace: PageWorkspace
    ) throws(ParquetError) -> Int {
        try withWriter(column, Write(builder: builder, levels: levels, firstValue: firstValue, workspace: workspace))
    }

    /// The encoded size of every column's open chunk, roughly: the row group's size so far.
    var estimatedBytes: Int {
        booleans.totalChunkBytes + int32s.totalChunkBytes + uint32s.totalChunkBytes + int64s.totalChunkBytes
            + uint64s.totalChunkBytes + floats.totalChunkBytes + doubles.totalChunkBytes + byteArrays.totalChunkBytes
    }

    /// The bytes every column's open chunk holds in memory, roughly (``ColumnChunkWriting/heldBytes``).
    var heldBytes: Int {
        booleans.totalHeldBytes + int32s.totalHeldBytes + uint32s.totalHeldBytes + int64s.totalHeldBytes
            + uint64s.totalHeldBytes + floats.totalHeldBytes + doubles.totalHeldBytes + byteArrays.totalHeldBytes
    }

    /// Closes column `column`'s open page if it holds at least `minimumBytes`.
    /// - Parameter workspace: The compressor and scratch buffers of the thread doing it.
    func closePage(column: Int, minimumBytes: Int, workspace: PageWorkspace) throws(ParquetError) {
        try withWriter(column, ClosePage(minimumBytes: minimumBytes, workspace: workspace))
    }

    /// Gives back column `column`'s buffers kept for its next page.
    func releasePageBuffers(column: Int) {
        withWriter(column, ReleasePageBuffers())
    }

    /// Closes column `column`'s chunk and hands it over.
    /// - Parameter workspace: The compressor and scratch buffers of the thread doing it.
    func finish(column: Int, workspace: PageWorkspace) throws(ParquetError) -> FinishedColumnChunk {
        try withWriter(column, Finish(workspace: workspace))
    }

    /// Hands over column `column`'s data pages waiting for compression, oldest first.
    func takePendingPages(column: Int) -> [PendingPage] {
        withWriter(column, TakePending())
    }

    /// Writes a page of column `column` taken by ``takePendingPages(column:)``, compressed.
    func recordCompressed(column: Int, _ page: PendingPage) throws(ParquetError) {
        try withWriter(column, RecordCompressed(page: page))
    }

    /// Starts column `column`'s next chunk (after its finished chunk was written and dropped).
    func reset(column: Int) {
        withWriter(column, Reset())
    }
}

/// Something done to one column's writer, whatever its concrete type (see
/// ``ColumnWriterSet``): a generic `run` is specialised for each writer type it is called on.
private protocol ColumnWriterOperation {
    associatedtype Result
    associatedtype Failure: Error
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) throws(Failure) -> Result
}

private struct Write: ColumnWriterOperation {
    let builder: ColumnBuilder
    let levels: Range<Int>
    let firstValue: Int
    let workspace: PageWorkspace
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) throws(ParquetError) -> Int {
        writer.use(workspace)
        return try writer.write(builder, levels: levels, firstValue: firstValue)
    }
}

private struct Finish: ColumnWriterOperation {
    let workspace: PageWorkspace
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) throws(ParquetError) -> FinishedColumnChunk {
        writer.use(workspace)
        return try writer.finish()
    }
}

private struct ClosePage: ColumnWriterOperation {
    let minimumBytes: Int
    let workspace: PageWorkspace
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) throws(ParquetError) {
        writer.use(workspace)
        try writer.closePage(minimumBytes: minimumBytes)
    }
}

private struct ReleasePageBuffers: ColumnWriterOperation {
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) {
        writer.releasePageBuffers()
    }
}

private struct TakePending: ColumnWriterOperation {
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) -> [PendingPage] {
        writer.takePendingPages()
    }
}

private struct RecordCompressed: ColumnWriterOperation {
    let page: PendingPage
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) throws(ParquetError) {
        try writer.recordCompressed(page)
    }
}

private struct Reset: ColumnWriterOperation {
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) {
        writer.reset()
    }
}
