import ParquetBytes
import ParquetEncoding
import ParquetThrift

/// The file being written: column writers, row groups, footer and sink.
///
/// A row group's columns are encoded on ``EncodingThreads`` (the next free thread takes the
/// next column), in steps of up to 16 MiB of staged rows (``stepRows(_:rowCount:)``): after
/// each step the row group's size is checked against its byte limit. The data pages the
/// columns closed in a step are compressed as tasks of their own (``PendingPage``), attached
/// to the pool after the step (idle threads start at once; the next step's loop, or the next
/// batch's parse, runs the rest), and recorded in order after the next step. The steps and
/// each column's work are the same whatever the number of threads, so the bytes are too; only
/// the tasks' interleaving differs.
///
/// Not thread-safe: one caller at a time (the writer orders them).
final class FileEncoder {
    let schema: Schema
    let options: WriterOptions
    /// Where the bytes go; committed by ``finish()``, aborted by the writer on failure.
    let sink: any OutputSink
    /// Bytes given to the sink so far: the offset the next write lands at. Counted here, as
    /// arrow-rs's `TrackedWrite` counts them, so no sink can misreport the offsets the footer
    /// records.
    private(set) var position = 0
    /// The threads and their workspaces (compressor, page buffers, spool) the columns are
    /// encoded with; replaced by ``move(to:)``.
    private var threads: EncodingThreads
    /// Finished pages of the open row group beyond each column's memory buffer.
    private var spool: ScratchFile? { threads.spool }
    /// The open row group's column writers; nil after ``writeRowGroupReleasingBuffers()``
    /// until rows need them again (see ``columns``).
    private var openColumns: ColumnWriterSet?
    private var rowGroups: [RowGroup] = []
    /// Each written row group's page indexes, one per column (empty without
    /// ``WriterOptions/pageIndex``); written after the last row group.
    private var pageIndexes: [[ChunkPageIndex]] = []
    private var rowsInGroup = 0
    /// Whether the open row group is counted in the spool's users (from its first rows
    /// until its pages are copied out, or the file is abandoned).
    private var countedInSpool = false
    /// Whether the file uses what format 1.0 lacks (V2 pages, RLE_DICTIONARY and later
    /// encodings), which the footer's `version` then says.
    private var usesFormatVersion2: Bool
    /// The encodings format 1.0 defines.
    private static let version1Encodings: Set<ParquetThrift.Encoding> = [.plain, .plainDictionary, .rle, .bitPacked]
    private var totalRows = 0
    private var fileStatistics: [FileColumnStatistics]
    /// Each column's time in the last step encoded on several threads, carried to the next
    /// batch to order its columns (scheduling only: the bytes do not depend on it).
    private var columnCosts: [UInt64] = []
    /// The pages the columns closed in the last step of the last ``encode(builders:rowCount:)``,
    /// attached to the pool's next loop to be compressed (the next batch's parse, usually),
    /// and recorded before anything else touches the columns.
    private var carried: _CarriedPages?
    /// Every row group's `sorting_columns`: ``WriterOptions/sortBy`` resolved (nil without).
    private let sortingColumns: [SortingColumn]?
    private static let magic: [UInt8] = Array("PAR1".utf8)
    /// Small writes (dictionary pages, bloom filters, page indexes, the footer) waiting to go
    /// to the sink as one: a partition's file writes thirty pieces of under a kilobyte at its
    /// close, each a system call on a local file. Handed over before anything written past
    /// them, at the end of each row group and of the file.
    private var gathered = ByteBuffer()
    /// Writes below this size are gathered; larger ones go to the sink as they are.
    private static let gatherBytes = 64 << 10

    /// Starts the file in `sink` and sets up its column writers.
    /// - Parameters:
    ///   - sink: A freshly opened output; on failure here it is aborted.
    ///   - schema: The columns.
    ///   - options: Validated writer options.
    ///   - threads: The threads and workspaces to encode with; shared with other files only
    ///     when they take turns (each writes whole row groups, from one caller).
    /// - Throws: `ParquetError` when the sink refuses the first bytes.
    init(sink: any OutputSink, schema: Schema, options: WriterOptions, threads: EncodingThreads) throws(ParquetError) {
        self.schema = schema
        self.options = options
        self.fileStatistics = schema.columns.map { FileColumnStatistics(descriptor: $0) }
        self.sink = sink
        self.usesFormatVersion2 = options.dataPageVersion == 2
        do {
            try options.validateBloomFilterColumns(schema.leafColumns)
            sortingColumns = options.sortBy.isEmpty
                ? nil : try RowOrder(options.sortBy, columns: schema.leafColumns).sortingColumns
            self.threads = threads
        } catch {
            sink.abort()
            throw error
        }
        do {
            // Written at once, not gathered: a sink that refuses bytes fails the writer here.
            try sink.write(ByteBuffer(Self.magic))
            position = Self.magic.count
        } catch {
            sink.abort()
            throw error
        }
    }

    /// Hands `buffer` to the sink, or gathers it with the small writes before it, and counts
    /// it.
    private func append(_ buffer: ByteBuffer) throws(ParquetError) {
        position += buffer.count
        if buffer.count < Self.gatherBytes {
            gathered.append(buffer)
            if gathered.count >= Self.gatherBytes { try handOverGathered() }
            return
        }
        try handOverGathered()
        try sink.write(buffer)
    }

    /// Writes the gathered small writes to the sink.
    /// - Parameter releasing: Whether the buffer's memory goes too (between row groups: a
    ///   dataset keeps many files open).
    private func handOverGathered(releasing: Bool = false) throws(ParquetError) {
        if !gathered.isEmpty { try sink.write(gathered) }
        if releasing {
            gathered = ByteBuffer()
        } else {
            gathered.removeAll()
        }
    }

    /// The column writers, made on first use: a file's first rows, or the first rows after a
    /// release. Made when needed rather than at each release, so a file closed right after its
    /// last row group (every file a partitioned dataset's close finishes) never makes a set of
    /// writers only to free it: about a tenth of the instructions of a dataset of 720 small
    /// files.
    private var columns: ColumnWriterSet {
        if let openColumns { return openColumns }
        let made = ColumnWriterSet(columns: schema.columns, options: options, workspace: threads.workspaces[0])
        openColumns = made
        return made
    }

    /// The number of leaf columns.
    var columnCount: Int { schema.columns.count }

    /// Bytes written so far plus the open row group's encoded size.
    var estimatedBytes: Int { position + (openColumns?.estimatedBytes ?? 0) + (carried?.bound ?? 0) }

    /// The staged bytes a step takes at most, before ``stepRowLimits``: large steps leave the
    /// threads fewer barriers to wait at (the typed bench's 100k-row writes at two threads:
    /// 0.56-0.70 s in steps of 65,536 rows against 0.68-0.78 s in steps of 8,192), while the
    /// pages a step closes wait uncompressed until the next one (about a step's bytes), and
    /// the row group's byte limit is checked after each.
    private static let stepBytes = 16 << 20

    /// The fewest and the most rows of a step (the fewest unless the write has fewer): a
    /// step has fixed costs (a loop on the threads, each column's call), and past 65,536 rows
    /// of small values the barriers are already rare.
    private static let stepRowLimits = 256...65_536

    /// Rows per step of a write: as many as take ``stepBytes`` staged, or an eighth of the
    /// row group's byte limit when that is less (so a row group passes its limit by an eighth
    /// of it, or by 256 rows where those take more), within ``stepRowLimits``. It depends only on the rows and the
    /// options, never on the threads, so neither do the bytes.
    /// - Parameters:
    ///   - builders: The write's columns.
    ///   - rowCount: The rows staged in each.
    /// - Returns: The rows of each step but the last.
    private func stepRows(_ builders: [ColumnBuilder], rowCount: Int) -> Int {
        let staged = builders.reduce(0) { $0 + $1.serializedByteCount }
        let bytesPerRow = Swift.max(1, staged / Swift.max(1, rowCount))
        let budget = Swift.min(Self.stepBytes, Swift.max(1, options.rowGroupBytes / 8))
        return Swift.min(Swift.max(budget / bytesPerRow, Self.stepRowLimits.lowerBound), Self.stepRowLimits.upperBound)
    }

    /// Encodes `rowCount` rows staged in `builders`, closing row groups as they fill.
    /// - Throws: `ParquetError` on an encoding or I/O failure (the file is then unusable).
    func encode(builders: [ColumnBuilder], rowCount: Int) throws(ParquetError) {
        // One cursor per column, each advanced only by the task encoding that column.
        let cursors = UnsafeMutableBufferPointer<ColumnCursor>.allocate(capacity: builders.count)
        cursors.initialize(repeating: ColumnCursor())
        defer { cursors.deallocate() }
        let columns = self.columns
        let parallel = threads.pool.width > 1 && columns.count > 1
        // With threads, the costliest columns (by the last step's time) are handed out first,
        // so a long column does not start last and hold up the step (longest job first).
        var order = UnsafeMutableBufferPointer<Int>.allocate(capacity: columns.count)
        defer { order.deallocate() }
        let costs = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: columns.count)
        defer { costs.deallocate() }
        for index in 0..<columns.count {
            order[index] = index
            costs[index] = columnCosts.isEmpty ? 0 : columnCosts[index]
        }
        let stepRows = stepRows(builders, rowCount: rowCount)
        var row = 0
        while row < rowCount {
            // A row group opens: the spool is not reset while it is open (writeRowGroup).
            if rowsInGroup == 0 {
                threads.spoolUsers.enter()
                countedInSpool = true
            }
            let take = Swift.min(rowCount - row, options.rowGroupRows - rowsInGroup, stepRows)
            if parallel { order.sort { costs[$0] > costs[$1] || (costs[$0] == costs[$1] && $0 < $1) } }
            // The pages closed in the last step are attached to the pool (carryPending): idle
            // threads have started on them, and this step's loop runs the rest first. They go
            // into their chunks after it, before the pages this step closes.
            let previous = carried
            carried = nil
            try threads.forEachColumn(columns.count) { task, workspace throws(ParquetError) in
                let index = order[task]
                let start = parallel ? _MonotonicClock.nanoseconds() : 0
                let levels = cursors[index].advance(over: builders[index], rows: take)
                cursors[index].value = try columns.write(
                    column: index, builders[index], levels: levels, firstValue: cursors[index].value, workspace: workspace)
                if parallel { costs[index] = _MonotonicClock.nanoseconds() &- start }
            }
            if let previous { try record(previous) }
            carryPending()
            row += take
            rowsInGroup += take
            if rowsInGroup >= options.rowGroupRows {
                try writeRowGroup()
            } else if estimatedBytes - position >= options.rowGroupBytes {
                // Waiting pages count at their bound there: compressed, they decide exactly, as
                // when every page was compressed at once.
                try recordCarried()
                if columns.estimatedBytes >= options.rowGroupBytes { try writeRowGroup() }
            }
        }
        if parallel { columnCosts = Array(costs) }
    }

    /// Takes every column's pages waiting for compression (in column order, each column's in
    /// page order) and attaches their compression to the pool: idle threads start on them at
    /// once, and the next loop (the next step, or the next batch's parse) runs the rest, so a
    /// large page is not one long task that holds up a step.
    private func carryPending() {
        var owners: [Int] = []
        var pages: [PendingPage] = []
        for column in 0..<columns.count {
            for page in columns.takePendingPages(column: column) {
                owners.append(column)
                pages.append(page)
            }
        }
        guard !pages.isEmpty else { return }
        let carried = _CarriedPages(owners: owners, pages: pages)
        self.carried = carried
        let workspaces = threads.workspaces
        threads.pool.attach(pages.count) { index, worker in carried.compress(index, with: workspaces[worker]) }
    }

    /// Records the carried pages (compressing now those no loop has taken), in order, before
    /// the columns close any other page.
    /// - Throws: `ParquetError` when a page could not be compressed or written.
    private func recordCarried() throws(ParquetError) {
        guard let carried else { return }
        self.carried = nil
        try record(carried)
    }

    /// Waits for `carried`'s pages to be compressed (compressing those no thread has taken)
    /// and writes them into their chunks, in order.
    /// - Throws: `ParquetError` when a page could not be compressed or written.
    private func record(_ carried: _CarriedPages) throws(ParquetError) {
        threads.pool.runAttached()
        for index in 0..<carried.count {
            try columns.recordCompressed(column: carried.owners[index], try carried.take(index))
        }
    }

    /// Rows in the open row group.
    var rowsInOpenRowGroup: Int { rowsInGroup }

    /// The memory the open row group holds, roughly: the open pages, the dictionaries, the
    /// closed pages not parked in the spool (pages waiting for compression at their bound);
    /// 0 between row groups.
    var openRowGroupBytes: Int {
        guard rowsInGroup > 0, let openColumns else { return 0 }
        return openColumns.heldBytes + (carried?.bound ?? 0)
    }

    /// Records the pages waiting for compression, then closes every column's open page that
    /// holds at least `minimumBytes` and records those compressed too: for a file that keeps
    /// its row group open while other files are written (a dataset's partition), so it holds
    /// no pending work, its values wait compressed (past each column's buffer, in the spool),
    /// and the size it reports is exact. The row group stays open.
    /// - Parameter minimumBytes: The smallest open page closed (encoded size, roughly); 0
    ///   closes every page that holds a value.
    /// - Throws: `ParquetError` when a page could not be compressed or written.
    func closeOpenPages(minimumBytes: Int) throws(ParquetError) {
        try recordCarried()
        guard rowsInGroup > 0, let openColumns else { return }
        try threads.forEachColumn(openColumns.count) { index, workspace throws(ParquetError) in
            try openColumns.closePage(column: index, minimumBytes: minimumBytes, workspace: workspace)
        }
        carryPending()
        try recordCarried()
        for column in 0..<openColumns.count { openColumns.releasePageBuffers(column: column) }
    }

    /// Whether the file may move to other threads now: no pages wait for compression on the
    /// pool it has (its row group may be open).
    var canMoveThreads: Bool { carried == nil }

    /// Moves the file to other threads over the same workspaces and spool (one worker of the
    /// file's threads, ``EncodingThreads/worker(_:)``, or back): its column writers, and an
    /// open row group's pages, stay as they are; each piece of work names the workspace it
    /// uses, and the pages parked so far are in the same spool.
    /// - Parameter threads: Threads sharing this file's spool (for a task on the pool that
    ///   writes the file by itself, its worker's view).
    func move(to threads: EncodingThreads) {
        precondition(canMoveThreads, "a file moves to other threads only with no page waiting for compression")
        precondition(threads.spoolUsers === self.threads.spoolUsers, "a file moves only to threads sharing its spool")
        self.threads = threads
        columnCosts = []
    }

    /// Writes the open row group, then gives back the column writers and their buffers (pages,
    /// dictionaries, values of the next page) instead of keeping them for the next row group:
    /// for a file that waits, open, while other files are written. New writers are made with
    /// the file's next rows, if any.
    /// - Throws: `ParquetError` on I/O failure.
    func writeRowGroupReleasingBuffers() throws(ParquetError) {
        try writeRowGroup()
        openColumns = nil
    }

    /// Writes the open row group (nothing when it is empty): the columns' chunks are closed on
    /// the threads (last pages compressed, dictionary pages, bloom filters), then written in
    /// column order.
    /// - Throws: `ParquetError` on I/O failure.
    func writeRowGroup() throws(ParquetError) {
        try recordCarried()
        guard rowsInGroup > 0 else { return }
        let columns = self.columns
        let finished = UnsafeMutableBufferPointer<FinishedColumnChunk?>.allocate(capacity: columns.count)
        finished.initialize(repeating: nil)
        defer {
            finished.deinitialize()
            finished.deallocate()
        }
        try threads.forEachColumn(columns.count) { index, workspace throws(ParquetError) in
            finished[index] = try columns.finish(column: index, workspace: workspace)
        }
        let groupStart = position
        var spooled: [Range<Int>] = []
        var chunks: [ColumnChunk] = []
        chunks.reserveCapacity(columns.count)
        var bloomFilters: [(column: Int, filter: SplitBlockBloomFilter)] = []
        var indexes: [ChunkPageIndex] = []
        if options.pageIndex { indexes.reserveCapacity(columns.count) }
        var uncompressed = 0
        var compressed = 0
        for index in 0..<columns.count {
            let descriptor = columns.descriptors[index]
            let start = position
            do {
                // Taken out so the chunk's buffers are released before reset() reuses them.
                let chunk = finished[index].take()!
                try append(chunk.dictionaryPage)
                if !chunk.spooledPages.isEmpty { try handOverGathered() }
                for extent in chunk.spooledPages {
                    try spool!.copy(extent, to: sink)
                    position += extent.count
                }
                spooled += chunk.spooledPages
                try append(chunk.dataPages)
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
                    encodingStats: chunk.encodingStats,
                    sizeStatistics: chunk.sizeStatistics)
                chunks.append(ColumnChunk(fileOffset: 0, metaData: metadata))
                if let filter = chunk.bloomFilter { bloomFilters.append((index, filter)) }
                if options.pageIndex {
                    indexes.append(ChunkPageIndex(
                        pages: chunk.pageIndex, dataPageOffset: start + chunk.dictionaryPage.count, descriptor: descriptor))
                }
                if !usesFormatVersion2 { usesFormatVersion2 = chunk.encodings.contains { !Self.version1Encodings.contains($0) } }
                uncompressed += chunk.totalUncompressedBytes
                compressed += chunk.totalCompressedBytes
                fileStatistics[index].merge(chunk.statistics)
            }
            columns.reset(column: index)
        }
        // Another file's open row group may have pages in the spool: then only this row
        // group's extents are given back, else the spool is reset.
        threads.spoolUsers.leave(spool: spool, extents: spooled)
        countedInSpool = false
        try writeBloomFilters(bloomFilters, into: &chunks)
        // The row group reaches the sink whole (a streaming sink uploads it now).
        try handOverGathered(releasing: true)
        rowGroups.append(RowGroup(
            columns: chunks,
            totalByteSize: Int64(uncompressed),
            numRows: Int64(rowsInGroup),
            sortingColumns: sortingColumns,
            fileOffset: Int64(groupStart),
            totalCompressedSize: Int64(compressed),
            ordinal: rowGroups.count < Int(Int16.max) ? Int16(rowGroups.count) : nil))
        if options.pageIndex { pageIndexes.append(indexes) }
        totalRows += rowsInGroup
        rowsInGroup = 0
    }

    /// Writes the row group's bloom filters (header, then bitset) right after its column
    /// chunks, as arrow-rs does by default, so no filter is held until the file ends, and
    /// points each chunk's metadata at its filter.
    private func writeBloomFilters(
        _ filters: [(column: Int, filter: SplitBlockBloomFilter)], into chunks: inout [ColumnChunk]
    ) throws(ParquetError) {
        for (column, filter) in filters {
            var bytes = BloomFilterHeader(numBytes: Int32(filter.byteCount)).serialized()
            filter.write(into: &bytes)
            chunks[column].metaData?.bloomFilterOffset = Int64(position)
            chunks[column].metaData?.bloomFilterLength = Int32(bytes.count)
            try append(bytes)
        }
    }

    /// Writes every chunk's ColumnIndex, then every OffsetIndex (as parquet-java and Arrow C++
    /// lay them out: a reader that only needs one kind reads one contiguous range), and points
    /// each column chunk at its two.
    private func writePageIndexes() throws(ParquetError) {
        for group in pageIndexes.indices {
            for column in pageIndexes[group].indices {
                guard let index = pageIndexes[group][column].columnIndex else { continue }
                let bytes = index.serialized()
                rowGroups[group].columns[column].columnIndexOffset = Int64(position)
                rowGroups[group].columns[column].columnIndexLength = Int32(bytes.count)
                try append(bytes)
            }
        }
        for group in pageIndexes.indices {
            for column in pageIndexes[group].indices {
                let bytes = pageIndexes[group][column].offsetIndex.serialized()
                rowGroups[group].columns[column].offsetIndexOffset = Int64(position)
                rowGroups[group].columns[column].offsetIndexLength = Int32(bytes.count)
                try append(bytes)
            }
        }
        pageIndexes.removeAll()
    }

    /// Gives up the file (aborted or failed): its open row group stops counting as a user of
    /// the spool, so the files still writing into it reset it when the last of them ends.
    /// Its pages there are not given back one by one; that reset takes them. The sink is the
    /// caller's to abort.
    func abandon() {
        guard countedInSpool else { return }
        countedInSpool = false
        threads.spoolUsers.leave(spool: spool, extents: [])
    }

    /// Writes the last row group and the footer and commits the sink (for a file: durable, and
    /// moved to its path).
    /// - Returns: Rows, row groups, size and per-column statistics of the file.
    /// - Throws: `ParquetError`; the caller then discards the file.
    func finish() throws(ParquetError) -> WriteSummary {
        try writeRowGroup()
        try writePageIndexes()
        let footer = FileMetaData(
            version: usesFormatVersion2 ? 2 : 1,
            schema: schema.thriftElements,
            numRows: Int64(totalRows),
            rowGroups: rowGroups,
            keyValueMetadata: options.metadata.isEmpty
                ? nil : options.metadata.map { KeyValue(key: $0.key, value: $0.value) },
            createdBy: ParquetWriter.createdBy,
            columnOrders: schema.columns.map { _ in .typeDefinedOrder })
        let footerBytes = footer.serialized()
        var tail = ByteBuffer(capacity: 8)
        tail.appendLittleEndian(UInt32(footerBytes.count))
        tail.append(contentsOf: Self.magic)
        try append(footerBytes)
        try append(tail)
        try handOverGathered(releasing: true)
        let size = position
        let path = sink.path
        try sink.commit()
        return WriteSummary(
            path: path, rows: totalRows, rowGroups: rowGroups.count, bytes: size,
            columns: fileStatistics.map { $0.summary })
    }
}

/// Where the next row of a builder starts, in slots and values. The slots are found here (a
/// nested column's rows end where the next starts); the values are counted by the column
/// writer as it walks the levels, so the definition levels are scanned once.
private struct ColumnCursor {
    var slot = 0
    var value = 0

    /// Moves past `rows` rows and returns the slots they span.
    mutating func advance(over builder: ColumnBuilder, rows: Int) -> Range<Int> {
        // Flat columns have one slot per row; in nested ones a row starts at each slot with
        // repetition level 0, so the `rows` rows end where the next one starts.
        var slotEnd = slot + rows
        if builder.descriptor.maxRepetitionLevel > 0 {
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
        defer { slot = slotEnd }
        return slot..<slotEnd
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
