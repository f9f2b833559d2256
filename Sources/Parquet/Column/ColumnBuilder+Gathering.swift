/// Copying whole rows from one builder into another: how a batch is split between files
/// (a file that reaches its row limit) and between partitions.
extension ColumnBuilder {
    /// Where each row of a builder starts, in level slots and in values, so that any run of
    /// rows can be copied with one slice per buffer.
    ///
    /// Made once per batch with ``rowIndex()``; it describes the builder as it was then.
    package struct RowIndex: Sendable {
        /// Slot of each row's start plus the end, for nested columns (flat columns: row = slot).
        fileprivate var slotStarts: [Int]?
        /// Value of each row's start plus the end, when some slots have no value (flat
        /// required columns: row = value).
        fileprivate var valueStarts: [Int]?
        /// The rows the builder held.
        package let rowCount: Int

        /// The slots the rows `rows` span.
        @inline(__always)
        package func slots(_ rows: Range<Int>) -> Range<Int> {
            guard let slotStarts else { return rows }
            return slotStarts[rows.lowerBound]..<slotStarts[rows.upperBound]
        }

        /// The values the rows `rows` span.
        @inline(__always)
        package func values(_ rows: Range<Int>) -> Range<Int> {
            guard let valueStarts else { return rows }
            return valueStarts[rows.lowerBound]..<valueStarts[rows.upperBound]
        }

        /// The value of row `row` of a flat column, or nil when the row is null.
        /// - Parameter row: A row below ``rowCount``.
        @inline(__always)
        package func valueIndex(ofRow row: Int) -> Int? {
            guard let valueStarts else { return row }
            return valueStarts[row + 1] > valueStarts[row] ? valueStarts[row] : nil
        }
    }

    /// Indexes the rows staged now.
    /// - Returns: Each row's first slot and first value.
    package func rowIndex() -> RowIndex {
        let maxDefinition = descriptor.maxDefinitionLevel
        let repeated = descriptor.maxRepetitionLevel > 0
        guard maxDefinition > 0 || repeated else {
            return RowIndex(slotStarts: nil, valueStarts: nil, rowCount: rowCount)
        }
        let full = UInt8(maxDefinition)
        var slotStarts: [Int] = []
        var valueStarts: [Int] = []
        slotStarts.reserveCapacity(repeated ? rowCount + 1 : 0)
        valueStarts.reserveCapacity(rowCount + 1)
        let slotCount = levelCount
        var values = 0
        definitionLevels.withUnsafeBufferPointer { definitions in
            repetitionLevels.withUnsafeBufferPointer { repetitions in
                for slot in 0..<slotCount {
                    if !repeated || repetitions[slot] == 0 {
                        if repeated { slotStarts.append(slot) }
                        valueStarts.append(values)
                    }
                    if maxDefinition == 0 || definitions[slot] == full { values &+= 1 }
                }
            }
        }
        if repeated { slotStarts.append(slotCount) }
        valueStarts.append(values)
        return RowIndex(slotStarts: repeated ? slotStarts : nil, valueStarts: valueStarts, rowCount: rowCount)
    }

    /// Appends rows `rows` of `source` (same column) with their levels and values.
    /// - Parameters:
    ///   - rows: Rows of `source`, within `index.rowCount`.
    ///   - source: A builder for the same column (the same leaf in another schema too, such
    ///     as a dataset's files without their partition columns).
    ///   - index: `source.rowIndex()`, made since `source` last changed.
    package mutating func appendRows(_ rows: Range<Int>, of source: ColumnBuilder, index: RowIndex) {
        checkSameColumn(source)
        precondition(rows.upperBound <= index.rowCount, "rows beyond the indexed builder")
        guard !rows.isEmpty else { return }
        let slots = index.slots(rows)
        let values = index.values(rows)
        if descriptor.maxDefinitionLevel > 0 { definitionLevels.append(contentsOf: source.definitionLevels[slots]) }
        if descriptor.maxRepetitionLevel > 0 { repetitionLevels.append(contentsOf: source.repetitionLevels[slots]) }
        switch descriptor.storage {
        case .boolean: booleans.append(contentsOf: source.booleans[values])
        case .int32: int32s.append(contentsOf: source.int32s[values])
        case .int64: int64s.append(contentsOf: source.int64s[values])
        case .float: floats.append(contentsOf: source.floats[values])
        case .double: doubles.append(contentsOf: source.doubles[values])
        case .byteArray:
            let first = source.offsets[values.lowerBound]
            let last = source.offsets[values.upperBound]
            let shift = bytes.count - first
            source.bytes.withUnsafeReadableBytes { all in
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: all[first..<last]))
            }
            offsets.reserveForAppending(values.count)
            for position in values {
                offsets.append(source.offsets[position + 1] &+ shift)
            }
        case .fixedLenByteArray(let length):
            source.bytes.withUnsafeReadableBytes { all in
                bytes.append(contentsOf: UnsafeRawBufferPointer(
                    rebasing: all[(values.lowerBound * length)..<(values.upperBound * length)]))
            }
        }
        rowCount &+= rows.count
    }

    /// Appends the rows listed in `rows` of `source` (same column), in that order: how a
    /// batch whose rows arrive in no particular partition order is sorted into partitions.
    /// Consecutive rows are copied as one run.
    /// - Parameters:
    ///   - rows: Rows of `source`, each within `index.rowCount`.
    ///   - source: A builder for the same column.
    ///   - index: `source.rowIndex()`, made since `source` last changed.
    package mutating func appendRows(at rows: UnsafeBufferPointer<Int32>, of source: ColumnBuilder, index: RowIndex) {
        guard !rows.isEmpty else { return }
        if descriptor.maxRepetitionLevel > 0 {
            appendNestedRows(at: rows, of: source, index: index)
            return
        }
        checkSameColumn(source)
        // Flat: one slot per row, and a value unless the row is null. Each buffer is sized
        // first and filled through a pointer: no capacity or uniqueness check per row.
        var present = rows.count
        if descriptor.maxDefinitionLevel > 0 {
            let start = definitionLevels.count
            source.definitionLevels.withUnsafeBufferPointer { levels in
                definitionLevels.appendFilled(count: rows.count, zero: 0) { out in
                    for (slot, row) in rows.enumerated() { out[slot] = levels[Int(row)] }
                }
            }
            present = definitionLevels.withUnsafeBufferPointer {
                ColumnWriting.presentCount(
                    UnsafeBufferPointer(rebasing: $0[start...]), maxDefinitionLevel: UInt8(descriptor.maxDefinitionLevel))
            }
        }
        let required = descriptor.maxDefinitionLevel == 0
        func gather<Element: BitwiseCopyable>(_ target: inout [Element], _ values: [Element], zero: Element) {
            values.withUnsafeBufferPointer { values in
                target.appendFilled(count: present, zero: zero) { out in
                    var next = 0
                    for row in rows {
                        guard let value = required ? Int(row) : index.valueIndex(ofRow: Int(row)) else { continue }
                        out[next] = values[value]
                        next &+= 1
                    }
                }
            }
        }
        switch descriptor.storage {
        case .boolean: gather(&booleans, source.booleans, zero: false)
        case .int32: gather(&int32s, source.int32s, zero: 0)
        case .int64: gather(&int64s, source.int64s, zero: 0)
        case .float: gather(&floats, source.floats, zero: 0)
        case .double: gather(&doubles, source.doubles, zero: 0)
        case .byteArray:
            source.offsets.withUnsafeBufferPointer { starts in
                var total = 0
                for row in rows {
                    guard let value = required ? Int(row) : index.valueIndex(ofRow: Int(row)) else { continue }
                    total &+= starts[value + 1] &- starts[value]
                }
                let origin = bytes.count
                source.bytes.withUnsafeReadableBytes { all in
                    offsets.appendFilled(count: present, zero: 0) { out in
                        bytes.writeUnsafe(maxBytes: total) { base in
                            var written = 0
                            var next = 0
                            for row in rows {
                                guard let value = required ? Int(row) : index.valueIndex(ofRow: Int(row)) else { continue }
                                let length = starts[value + 1] &- starts[value]
                                (base + written).copyMemory(from: all.baseAddress! + starts[value], byteCount: length)
                                written &+= length
                                out[next] = origin &+ written
                                next &+= 1
                            }
                            return written
                        }
                    }
                }
            }
        case .fixedLenByteArray(let length):
            _ = source.bytes.withUnsafeReadableBytes { all in
                bytes.writeUnsafe(maxBytes: present * length) { base in
                    var written = 0
                    for row in rows {
                        guard let value = required ? Int(row) : index.valueIndex(ofRow: Int(row)) else { continue }
                        (base + written).copyMemory(from: all.baseAddress! + value * length, byteCount: length)
                        written &+= length
                    }
                    return written
                }
            }
        }
        rowCount &+= rows.count
    }

    /// ``appendRows(at:of:index:)`` for a nested column, whose row spans several slots and
    /// values: runs of consecutive rows are copied as one slice per buffer, every buffer sized
    /// first and filled through its pointer. (Copying run by run with ``appendRows(_:of:index:)``
    /// made an array slice, a capacity and a uniqueness check per buffer per run, and a run is
    /// mostly one row when partitions arrive in no order.)
    private mutating func appendNestedRows(at rows: UnsafeBufferPointer<Int32>, of source: ColumnBuilder, index: RowIndex) {
        checkSameColumn(source)
        /// Calls `body` with each run of consecutive rows, in order.
        func forEachRun(_ body: (Range<Int>) -> Void) {
            var start = Int(rows[0])
            var end = start &+ 1
            for position in 1..<rows.count {
                let row = Int(rows[position])
                if row == end {
                    end &+= 1
                } else {
                    body(start..<end)
                    start = row
                    end = row &+ 1
                }
            }
            body(start..<end)
        }
        // Sized in one pass: slots, values, and for BYTE_ARRAY the values' bytes.
        var slotCount = 0
        var valueCount = 0
        var byteCount = 0
        let countsBytes = descriptor.storage == .byteArray
        source.offsets.withUnsafeBufferPointer { starts in
            forEachRun { run in
                precondition(run.upperBound <= index.rowCount, "rows beyond the indexed builder")
                slotCount &+= index.slots(run).count
                let values = index.values(run)
                valueCount &+= values.count
                if countsBytes { byteCount &+= starts[values.upperBound] &- starts[values.lowerBound] }
            }
        }
        /// Appends the runs' elements of `from` to `target`: slots or values.
        func gather<Element: BitwiseCopyable>(
            _ target: inout [Element], _ from: [Element], count: Int, zero: Element, _ span: (Range<Int>) -> Range<Int>
        ) {
            from.withUnsafeBufferPointer { from in
                target.appendFilled(count: count, zero: zero) { out in
                    var next = 0
                    forEachRun { run in
                        let elements = span(run)
                        guard !elements.isEmpty else { return }
                        (out.baseAddress! + next).update(from: from.baseAddress! + elements.lowerBound, count: elements.count)
                        next &+= elements.count
                    }
                }
            }
        }
        if descriptor.maxDefinitionLevel > 0 {
            gather(&definitionLevels, source.definitionLevels, count: slotCount, zero: 0) { index.slots($0) }
        }
        gather(&repetitionLevels, source.repetitionLevels, count: slotCount, zero: 0) { index.slots($0) }
        switch descriptor.storage {
        case .boolean: gather(&booleans, source.booleans, count: valueCount, zero: false) { index.values($0) }
        case .int32: gather(&int32s, source.int32s, count: valueCount, zero: 0) { index.values($0) }
        case .int64: gather(&int64s, source.int64s, count: valueCount, zero: 0) { index.values($0) }
        case .float: gather(&floats, source.floats, count: valueCount, zero: 0) { index.values($0) }
        case .double: gather(&doubles, source.doubles, count: valueCount, zero: 0) { index.values($0) }
        case .byteArray:
            source.offsets.withUnsafeBufferPointer { starts in
                let origin = bytes.count
                source.bytes.withUnsafeReadableBytes { all in
                    offsets.appendFilled(count: valueCount, zero: 0) { out in
                        _ = bytes.writeUnsafe(maxBytes: byteCount) { base in
                            var written = 0
                            var next = 0
                            forEachRun { run in
                                let values = index.values(run)
                                guard !values.isEmpty else { return }
                                let first = starts[values.lowerBound]
                                let length = starts[values.upperBound] &- first
                                if length > 0 { (base + written).copyMemory(from: all.baseAddress! + first, byteCount: length) }
                                // Each value's end, moved from where the run starts in the
                                // source to where it lands here.
                                let shift = origin &+ written &- first
                                for value in values {
                                    out[next] = starts[value &+ 1] &+ shift
                                    next &+= 1
                                }
                                written &+= length
                            }
                            return written
                        }
                    }
                }
            }
        case .fixedLenByteArray(let length):
            _ = source.bytes.withUnsafeReadableBytes { all in
                bytes.writeUnsafe(maxBytes: valueCount &* length) { base in
                    var written = 0
                    forEachRun { run in
                        let values = index.values(run)
                        guard !values.isEmpty else { return }
                        (base + written).copyMemory(
                            from: all.baseAddress! + values.lowerBound &* length, byteCount: values.count &* length)
                        written &+= values.count &* length
                    }
                    return written
                }
            }
        }
        rowCount &+= rows.count
    }

    /// Traps unless `source` stores the same column (storage and levels): rows are copied
    /// only between builders of one column.
    private func checkSameColumn(_ source: ColumnBuilder) {
        precondition(
            source.descriptor.storage == descriptor.storage
                && source.descriptor.maxDefinitionLevel == descriptor.maxDefinitionLevel
                && source.descriptor.maxRepetitionLevel == descriptor.maxRepetitionLevel,
            "rows are copied between builders of one column")
    }
}
