import CParquetBuildInfo
import ParquetBytes
import ParquetThrift

/// Writes one Parquet file, streaming: batches go in, row groups go out to disk as they fill,
/// and the file appears at its path only when ``close()`` succeeds.
///
/// Memory is bounded by the row group under construction (its encoded pages and
/// dictionaries), never by the number of rows written.
///
/// A writer is not thread-safe: use it from one thread at a time. Different writers are
/// independent.
public final class ParquetWriter {
    /// The library's version, as `created_by` reports it.
    public static let version = "0.1.0"

    /// `created_by` in the footer: readers parse it to decide which statistics to trust,
    /// so it names this writer and nothing else.
    public static var createdBy: String {
        "parquet-swift version \(version) (build \(String(cString: cparquet_build_hash())))"
    }

    /// The schema every batch must follow.
    public let schema: Schema
    /// The options the writer was created with.
    public let options: WriterOptions

    private enum State { case open, closed, failed }

    private let sink: FileSink
    /// Finished pages of the open row group beyond each column's memory buffer.
    private let spool: PageSpool?
    /// The encoding thread when `options.threads` is 2.
    private let worker: BackgroundWorker?
    /// The failure of the batch encoded in the background, written by the worker and read
    /// by the caller once the worker is idle (its mutex orders the two).
    private var backgroundFailure: ParquetError?
    private var columns: ColumnWriterSet
    private var rowGroups: [RowGroup] = []
    private var rowsInGroup = 0
    private var totalRows = 0
    private var state = State.open
    private var fileStatistics: [FileColumnStatistics]
    /// A builder per leaf for ``write(_:)``'s staging, reused across batches.
    private var builders: [ColumnBuilder]

    /// Creates the file (under a temporary name until ``close()``).
    /// - Parameters:
    ///   - path: Where the finished file will appear.
    ///   - schema: The columns.
    ///   - options: Codec, dictionary, row-group and page limits, metadata.
    /// - Throws: `ParquetError` for invalid options or when the file cannot be created.
    public init(path: String, schema: Schema, options: WriterOptions = WriterOptions()) throws(ParquetError) {
        try options.validate()
        self.schema = schema
        self.options = options
        self.fileStatistics = schema.columns.map { FileColumnStatistics(descriptor: $0) }
        self.builders = schema.columns.map { ColumnBuilder(descriptor: $0) }
        let sink = try FileSink(path: path)
        do {
            spool = options.columnBufferBytes == nil ? nil : try PageSpool(directory: sink.directory, fallbackPath: sink.scratchPath(extension: "spool"))
            columns = try ColumnWriterSet(columns: schema.columns, options: options, spool: spool)
            try sink.write(ByteBuffer(Self.magic))
            worker = options.threads == 2 ? try BackgroundWorker() : nil
        } catch {
            sink.abort()
            throw error
        }
        self.sink = sink
    }

    deinit {
        // The batch in flight still reads this object: let it finish first.
        worker?.stop()
        // A writer dropped without close() leaves nothing at its path.
        sink.abort()
    }

    private static let magic: [UInt8] = Array("PAR1".utf8)

    // MARK: Writing

    /// Writes a batch of rows.
    ///
    /// The batch was validated as it was built, so this fails only for I/O or internal
    /// reasons; after such a failure the writer is unusable and ``close()`` reports it.
    ///
    /// With `options.threads` 2 the batch is encoded on the writer's background thread and
    /// this returns at once; the next call waits for it, and a failure there is thrown by
    /// the next ``write(_:)``, ``flushRowGroup()`` or ``close()``. The batch is shared with
    /// that thread until then, so refilling the same `ColumnBatch` right away copies its
    /// buffers; alternating two batches avoids the copy.
    /// - Parameter batch: Columns of equal length following ``schema``.
    /// - Throws: `ParquetError` (`.writerClosed`, `.rowCountMismatch`, `.io`, ...).
    public func write(_ batch: ColumnBatch) throws(ParquetError) {
        guard batch.schema == schema else {
            throw ParquetError(.invalidSchema, "the batch was built for a different schema")
        }
        try write(builders: batch.builders, rowCount: batch.rowCount)
    }

    /// Writes rows staged in column builders (the path the JSON decoder and the C ABI use).
    /// - Parameters:
    ///   - builders: One builder per leaf column, in schema order.
    ///   - rowCount: The rows staged in each.
    /// - Throws: `ParquetError`; on an I/O or encoding failure the writer is unusable.
    package func write(builders: [ColumnBuilder], rowCount: Int) throws(ParquetError) {
        try settle()
        try checkOpen()
        guard builders.count == columns.count else {
            throw ParquetError(.rowCountMismatch, "expected \(columns.count) columns, got \(builders.count)")
        }
        for builder in builders where builder.rowCount != rowCount {
            throw ParquetError(
                .rowCountMismatch, "column has \(builder.rowCount) rows, the batch has \(rowCount)",
                column: builder.descriptor.name)
        }
        guard rowCount > 0 else { return }
        if let worker {
            // Unretained: deinit stops the worker (waiting for this job) before the object goes.
            unowned(unsafe) let writer = self
            worker.submit {
                do throws(ParquetError) {
                    try writer.encode(builders: builders, rowCount: rowCount)
                } catch {
                    writer.backgroundFailure = error
                }
            }
            return
        }
        do {
            try encode(builders: builders, rowCount: rowCount)
        } catch {
            fail()
            throw error
        }
    }

    /// Waits for the batch being encoded in the background; its failure fails the writer
    /// and is thrown here, once.
    private func settle() throws(ParquetError) {
        guard let worker else { return }
        worker.waitUntilIdle()
        if let failure = backgroundFailure {
            backgroundFailure = nil
            fail()
            throw failure
        }
    }

    /// Rows encoded between checks of the row-group byte budget.
    private static let budgetCheckRows = 8192

    private func encode(builders: [ColumnBuilder], rowCount: Int) throws(ParquetError) {
        var cursors = builders.map { _ in ColumnCursor() }
        var row = 0
        while row < rowCount {
            let take = Swift.min(rowCount - row, options.rowGroupRows - rowsInGroup, Self.budgetCheckRows)
            for index in 0..<columns.count {
                let (levels, values) = cursors[index].advance(over: builders[index], rows: take)
                try columns.write(column: index, builders[index], levels: levels, values: values)
            }
            row += take
            rowsInGroup += take
            if rowsInGroup >= options.rowGroupRows || columns.estimatedBytes >= options.rowGroupBytes {
                try writeRowGroup()
            }
        }
    }

    /// Closes the current row group now, even if it is below the limits.
    /// - Throws: `ParquetError` on I/O failure; the writer is then unusable.
    public func flushRowGroup() throws(ParquetError) {
        try settle()
        try checkOpen()
        do {
            try writeRowGroup()
        } catch {
            fail()
            throw error
        }
    }

    private func writeRowGroup() throws(ParquetError) {
        guard rowsInGroup > 0 else { return }
        let groupStart = sink.position
        var chunks: [ColumnChunk] = []
        chunks.reserveCapacity(columns.count)
        var uncompressed = 0
        var compressed = 0
        for index in 0..<columns.count {
            let descriptor = columns.descriptors[index]
            let start = sink.position
            do {
                // Scoped so the chunk's buffers are released before reset() reuses them.
                let chunk = try columns.finish(column: index)
                try sink.write(chunk.dictionaryPage)
                for extent in chunk.spooledPages { try spool!.copy(extent, to: sink) }
                try sink.write(chunk.dataPages)
                let metadata = ColumnMetaData(
                    type: descriptor.physicalType,
                    encodings: chunk.encodings,
                    pathInSchema: descriptor.path,
                    codec: options.compression.thriftCodec,
                    numValues: Int64(chunk.valueCount),
                    totalUncompressedSize: Int64(chunk.totalUncompressedBytes),
                    totalCompressedSize: Int64(chunk.totalCompressedBytes),
                    dataPageOffset: Int64(start + chunk.dictionaryPage.count),
                    dictionaryPageOffset: chunk.dictionaryPage.isEmpty ? nil : Int64(start),
                    statistics: chunk.statistics,
                    encodingStats: chunk.encodingStats)
                chunks.append(ColumnChunk(fileOffset: 0, metaData: metadata))
                uncompressed += chunk.totalUncompressedBytes
                compressed += chunk.totalCompressedBytes
                fileStatistics[index].merge(chunk.statistics)
            }
            columns.reset(column: index)
        }
        spool?.reset()
        rowGroups.append(RowGroup(
            columns: chunks,
            totalByteSize: Int64(uncompressed),
            numRows: Int64(rowsInGroup),
            fileOffset: Int64(groupStart),
            totalCompressedSize: Int64(compressed),
            ordinal: rowGroups.count < Int(Int16.max) ? Int16(rowGroups.count) : nil))
        totalRows += rowsInGroup
        rowsInGroup = 0
    }

    // MARK: Finishing

    /// Writes the last row group and the footer, makes the file durable, and moves it to its path.
    /// - Returns: Rows, row groups, size and per-column statistics of the file.
    /// - Throws: `ParquetError`; on failure nothing is left at the path.
    @discardableResult
    public func close() throws(ParquetError) -> WriteSummary {
        try settle()
        try checkOpen()
        do {
            try writeRowGroup()
            let footer = FileMetaData(
                version: 1,
                schema: schema.thriftElements,
                numRows: Int64(totalRows),
                rowGroups: rowGroups,
                keyValueMetadata: options.metadata.isEmpty
                    ? nil : options.metadata.map { KeyValue(key: $0.key, value: $0.value) },
                createdBy: Self.createdBy,
                columnOrders: schema.columns.map { _ in .typeDefinedOrder })
            let footerBytes = footer.serialized()
            var tail = ByteBuffer(capacity: 8)
            tail.appendLittleEndian(UInt32(footerBytes.count))
            tail.append(contentsOf: Self.magic)
            try sink.write(footerBytes)
            try sink.write(tail)
            let size = sink.position
            let path = sink.path
            try sink.commit()
            state = .closed
            return WriteSummary(
                path: path, rows: totalRows, rowGroups: rowGroups.count, bytes: size,
                columns: fileStatistics.map { $0.summary })
        } catch {
            fail()
            throw error
        }
    }

    /// Discards the file: nothing appears at the path. Safe to call in any state.
    public func abort() {
        worker?.waitUntilIdle()
        backgroundFailure = nil
        sink.abort()
        if state == .open { state = .closed }
    }

    private func fail() {
        sink.abort()
        state = .failed
    }

    private func checkOpen() throws(ParquetError) {
        switch state {
        case .open: return
        case .closed: throw ParquetError(.writerClosed, "the writer is closed")
        case .failed: throw ParquetError(.writerClosed, "the writer failed earlier and its file was discarded")
        }
    }
}

/// Where the next row of a builder starts, in slots and values.
private struct ColumnCursor {
    var slot = 0
    var value = 0

    /// Moves past `rows` rows and returns the slots and values they span.
    mutating func advance(over builder: ColumnBuilder, rows: Int) -> (Range<Int>, Range<Int>) {
        let descriptor = builder.descriptor
        // Flat columns have one slot per row; in nested ones a row starts at each slot with
        // repetition level 0, so the `rows` rows end where the next one starts.
        var slotEnd = slot + rows
        if descriptor.maxRepetitionLevel > 0 {
            slotEnd = builder.repetitionLevels.withUnsafeBufferPointer { levels in
                var end = slot
                var started = 0
                while end < levels.count {
                    if levels[end] == 0 {
                        if started == rows { break }
                        started += 1
                    }
                    end += 1
                }
                return end
            }
        }
        let valueEnd: Int
        if descriptor.maxDefinitionLevel == 0 {
            valueEnd = value + (slotEnd - slot)
        } else {
            let maxLevel = UInt8(descriptor.maxDefinitionLevel)
            valueEnd = value + builder.definitionLevels.withUnsafeBufferPointer {
                ColumnWriting.presentCount(UnsafeBufferPointer(rebasing: $0[slot..<slotEnd]), maxDefinitionLevel: maxLevel)
            }
        }
        defer { slot = slotEnd; value = valueEnd }
        return (slot..<slotEnd, value..<valueEnd)
    }
}

/// Whole-file null count and min/max of one column, merged from its row groups.
private struct FileColumnStatistics {
    let descriptor: ColumnDescriptor
    var nullCount = 0
    var minimum: [UInt8]?
    var maximum: [UInt8]?
    /// A row group had values but no usable max (dropped after truncation): no file max either.
    var maximumUnknown = false

    init(descriptor: ColumnDescriptor) {
        self.descriptor = descriptor
    }

    mutating func merge(_ statistics: ParquetThrift.Statistics) {
        nullCount += Int(statistics.nullCount ?? 0)
        if let low = statistics.minValue {
            if minimum == nil || descriptor.compareEncoded(low, minimum!) < 0 { minimum = low }
            if let high = statistics.maxValue {
                if maximum == nil || descriptor.compareEncoded(high, maximum!) > 0 { maximum = high }
            } else {
                maximumUnknown = true
            }
        }
    }

    var summary: ColumnSummary {
        ColumnSummary(
            name: descriptor.name, nullCount: nullCount,
            minimum: minimum.map(descriptor.decodeStatistic),
            maximum: maximumUnknown ? nil : maximum.map(descriptor.decodeStatistic))
    }
}
