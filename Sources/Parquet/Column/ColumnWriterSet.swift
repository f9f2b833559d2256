/// The column writers of one file, stored by concrete type so every call is specialised.
///
/// Why not `[any ColumnChunkWriting]`: a generic type's protocol witnesses are shared by all
/// its instantiations, so calling `ColumnChunkWriter<FixedWidthValueEncoder<Kind>>` through
/// an existential runs its unspecialised generic body. In a profile of the JSON path that made
/// every dictionary insert look up generic metadata at run time, a quarter of all
/// instructions. One array per concrete writer type keeps each call a direct, specialised
/// one, and the subscripted mutation happens in place (no copy-on-write of the writers'
/// buffers). ``withWriter(_:_:)`` is the one place that maps a column to its array.
struct ColumnWriterSet {
    /// Which array holds a column's writer, and where.
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

    private var slots: [Slot] = []
    private var booleans: [ColumnChunkWriter<BooleanValueEncoder>] = []
    private var int32s: [ColumnChunkWriter<FixedWidthValueEncoder<SignedInt32Kind>>] = []
    private var uint32s: [ColumnChunkWriter<FixedWidthValueEncoder<UnsignedInt32Kind>>] = []
    private var int64s: [ColumnChunkWriter<FixedWidthValueEncoder<SignedInt64Kind>>] = []
    private var uint64s: [ColumnChunkWriter<FixedWidthValueEncoder<UnsignedInt64Kind>>] = []
    private var floats: [ColumnChunkWriter<FixedWidthValueEncoder<FloatKind>>] = []
    private var doubles: [ColumnChunkWriter<FixedWidthValueEncoder<DoubleKind>>] = []
    private var byteArrays: [ColumnChunkWriter<ByteArrayValueEncoder>] = []

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
    }

    /// The number of columns.
    var count: Int { slots.count }

    /// Runs `operation` on column `column`'s writer, in place and specialised to its type.
    private mutating func withWriter<Operation: ColumnWriterOperation>(
        _ column: Int, _ operation: Operation
    ) throws(Operation.Failure) -> Operation.Result {
        switch slots[column] {
        case .boolean(let i): try operation.run(&booleans[i])
        case .int32(let i): try operation.run(&int32s[i])
        case .uint32(let i): try operation.run(&uint32s[i])
        case .int64(let i): try operation.run(&int64s[i])
        case .uint64(let i): try operation.run(&uint64s[i])
        case .float(let i): try operation.run(&floats[i])
        case .double(let i): try operation.run(&doubles[i])
        case .byteArray(let i): try operation.run(&byteArrays[i])
        }
    }

    /// Encodes slots `levels` of `builder`, whose values start at `firstValue`, into column
    /// `column`.
    /// - Returns: Where the next slots' values start.
    mutating func write(
        column: Int, _ builder: ColumnBuilder, levels: Range<Int>, firstValue: Int
    ) throws(ParquetError) -> Int {
        try withWriter(column, Write(builder: builder, levels: levels, firstValue: firstValue))
    }

    /// The encoded size of every column's open chunk, roughly: the row group's size so far.
    var estimatedBytes: Int {
        func total<Writer: ColumnChunkWriting>(_ writers: [Writer]) -> Int {
            writers.reduce(0) { $0 + $1.estimatedChunkBytes }
        }
        return total(booleans) + total(int32s) + total(uint32s) + total(int64s) + total(uint64s) + total(floats)
            + total(doubles) + total(byteArrays)
    }

    /// Closes column `column`'s chunk and hands it over.
    mutating func finish(column: Int) throws(ParquetError) -> FinishedColumnChunk {
        try withWriter(column, Finish())
    }

    /// Starts column `column`'s next chunk (after its finished chunk was written and dropped).
    mutating func reset(column: Int) {
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
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) throws(ParquetError) -> Int {
        try writer.write(builder, levels: levels, firstValue: firstValue)
    }
}

private struct Finish: ColumnWriterOperation {
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) throws(ParquetError) -> FinishedColumnChunk {
        try writer.finish()
    }
}

private struct Reset: ColumnWriterOperation {
    func run<Writer: ColumnChunkWriting>(_ writer: inout Writer) {
        writer.reset()
    }
}
