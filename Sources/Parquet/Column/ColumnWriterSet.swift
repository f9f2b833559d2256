/// The column writers of one file, stored by concrete type so every call is specialised.
///
/// Why not `[any ColumnChunkWriting]`: a generic type's protocol witnesses are shared by all
/// its instantiations, so calling `FixedWidthColumnWriter<Kind>` through an existential runs
/// its unspecialised generic body. In a profile of the JSON path that made every dictionary
/// insert look up generic metadata at run time, a quarter of all instructions. One array per
/// concrete writer type keeps each call a direct, specialised one, and the subscripted
/// mutation happens in place (no copy-on-write of the writers' buffers).
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
    private var booleans: [BooleanColumnWriter] = []
    private var int32s: [FixedWidthColumnWriter<SignedInt32Kind>] = []
    private var uint32s: [FixedWidthColumnWriter<UnsignedInt32Kind>] = []
    private var int64s: [FixedWidthColumnWriter<SignedInt64Kind>] = []
    private var uint64s: [FixedWidthColumnWriter<UnsignedInt64Kind>] = []
    private var floats: [FixedWidthColumnWriter<FloatKind>] = []
    private var doubles: [FixedWidthColumnWriter<DoubleKind>] = []
    private var byteArrays: [ByteArrayColumnWriter] = []

    /// The leaf columns, in schema order.
    let descriptors: [ColumnDescriptor]

    /// Creates a writer per leaf column.
    /// - Parameters:
    ///   - columns: The leaf columns.
    ///   - options: The file's options.
    ///   - workspace: The compressor, page buffers and spool the columns close pages with.
    init(columns: [ColumnDescriptor], options: WriterOptions, workspace: PageWorkspace) {
        descriptors = columns
        for descriptor in columns {
            switch (descriptor.storage, descriptor.statisticsOrder) {
            case (.boolean, _):
                slots.append(.boolean(booleans.count))
                booleans.append(BooleanColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            case (.int32, .unsigned):
                slots.append(.uint32(uint32s.count))
                uint32s.append(FixedWidthColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            case (.int32, _):
                slots.append(.int32(int32s.count))
                int32s.append(FixedWidthColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            case (.int64, .unsigned):
                slots.append(.uint64(uint64s.count))
                uint64s.append(FixedWidthColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            case (.int64, _):
                slots.append(.int64(int64s.count))
                int64s.append(FixedWidthColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            case (.float, _):
                slots.append(.float(floats.count))
                floats.append(FixedWidthColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            case (.double, _):
                slots.append(.double(doubles.count))
                doubles.append(FixedWidthColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            case (.byteArray, _), (.fixedLenByteArray, _):
                slots.append(.byteArray(byteArrays.count))
                byteArrays.append(ByteArrayColumnWriter(descriptor: descriptor, options: options, workspace: workspace))
            }
        }
    }

    /// The number of columns.
    var count: Int { slots.count }

    /// Encodes slots `levels` and values `values` of `builder` into column `column`.
    mutating func write(
        column: Int, _ builder: ColumnBuilder, levels: Range<Int>, values: Range<Int>
    ) throws(ParquetError) {
        switch slots[column] {
        case .boolean(let i): try booleans[i].write(builder, levels: levels, values: values)
        case .int32(let i): try int32s[i].write(builder, levels: levels, values: values)
        case .uint32(let i): try uint32s[i].write(builder, levels: levels, values: values)
        case .int64(let i): try int64s[i].write(builder, levels: levels, values: values)
        case .uint64(let i): try uint64s[i].write(builder, levels: levels, values: values)
        case .float(let i): try floats[i].write(builder, levels: levels, values: values)
        case .double(let i): try doubles[i].write(builder, levels: levels, values: values)
        case .byteArray(let i): try byteArrays[i].write(builder, levels: levels, values: values)
        }
    }

    /// The encoded size of every column's open chunk, roughly: the row group's size so far.
    var estimatedBytes: Int {
        var total = 0
        for writer in booleans { total += writer.estimatedChunkBytes }
        for writer in int32s { total += writer.estimatedChunkBytes }
        for writer in uint32s { total += writer.estimatedChunkBytes }
        for writer in int64s { total += writer.estimatedChunkBytes }
        for writer in uint64s { total += writer.estimatedChunkBytes }
        for writer in floats { total += writer.estimatedChunkBytes }
        for writer in doubles { total += writer.estimatedChunkBytes }
        for writer in byteArrays { total += writer.estimatedChunkBytes }
        return total
    }

    /// Closes column `column`'s chunk and hands it over.
    mutating func finish(column: Int) throws(ParquetError) -> FinishedColumnChunk {
        switch slots[column] {
        case .boolean(let i): try booleans[i].finish()
        case .int32(let i): try int32s[i].finish()
        case .uint32(let i): try uint32s[i].finish()
        case .int64(let i): try int64s[i].finish()
        case .uint64(let i): try uint64s[i].finish()
        case .float(let i): try floats[i].finish()
        case .double(let i): try doubles[i].finish()
        case .byteArray(let i): try byteArrays[i].finish()
        }
    }

    /// Starts column `column`'s next chunk (after its finished chunk was written and dropped).
    mutating func reset(column: Int) {
        switch slots[column] {
        case .boolean(let i): booleans[i].reset()
        case .int32(let i): int32s[i].reset()
        case .uint32(let i): uint32s[i].reset()
        case .int64(let i): int64s[i].reset()
        case .uint64(let i): uint64s[i].reset()
        case .float(let i): floats[i].reset()
        case .double(let i): doubles[i].reset()
        case .byteArray(let i): byteArrays[i].reset()
        }
    }
}
