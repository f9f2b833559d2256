import ParquetBytes

/// The staged values of one leaf column for a batch of rows, in the layout pages are built
/// from: definition levels (when the column can be null), repetition levels (inside lists),
/// and the non-null values packed densely in one typed contiguous buffer.
///
/// Producers (the Swift API, the JSON decoder) append here; the column writer consumes a
/// range of rows and the builder is cleared for the next batch, keeping its capacity.
package struct ColumnBuilder: Sendable {
    /// The leaf this builder stages values for.
    package let descriptor: ColumnDescriptor

    /// One definition level per value slot, present when ``ColumnDescriptor/maxDefinitionLevel`` > 0.
    package var definitionLevels: [UInt8] = []
    /// One repetition level per value slot, present when ``ColumnDescriptor/maxRepetitionLevel`` > 0.
    package var repetitionLevels: [UInt8] = []

    // Exactly one of the value buffers below is used, chosen by the descriptor's storage.
    package var booleans: [Bool] = []
    package var int32s: [Int32] = []
    package var int64s: [Int64] = []
    package var floats: [Float] = []
    package var doubles: [Double] = []
    /// The bytes of BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values, back to back.
    package var bytes = ByteBuffer()
    /// Start offsets into ``bytes`` for BYTE_ARRAY values, plus the end offset; starts as [0].
    package var offsets: [Int] = [0]

    /// The number of rows appended (in a nested column, the slots with repetition level 0).
    package var rowCount = 0

    /// The repetition level the next present value gets, set by a producer of nested data
    /// before it stores the value (0 starts a new row; flat columns never change it).
    package var pendingRepetitionLevel: UInt8 = 0

    /// Creates an empty builder.
    package init(descriptor: ColumnDescriptor) {
        self.descriptor = descriptor
    }

    /// The largest single BYTE_ARRAY value accepted: pages are sized by i32 fields, and a
    /// value must fit in one page with room to spare.
    package static let maximumValueBytes = 1 << 30

    /// The number of non-null values staged.
    package var valueCount: Int {
        switch descriptor.storage {
        case .boolean: booleans.count
        case .int32: int32s.count
        case .int64: int64s.count
        case .float: floats.count
        case .double: doubles.count
        case .byteArray: offsets.count - 1
        case .fixedLenByteArray(let length): bytes.count / length
        }
    }

    /// The number of level slots (values and nulls) staged.
    package var levelCount: Int {
        descriptor.maxDefinitionLevel > 0 ? definitionLevels.count
            : descriptor.maxRepetitionLevel > 0 ? repetitionLevels.count : valueCount
    }

    /// Forgets the staged values, keeping the buffers' capacity for the next batch.
    package mutating func removeAll() {
        definitionLevels.removeAll(keepingCapacity: true)
        repetitionLevels.removeAll(keepingCapacity: true)
        booleans.removeAll(keepingCapacity: true)
        int32s.removeAll(keepingCapacity: true)
        int64s.removeAll(keepingCapacity: true)
        floats.removeAll(keepingCapacity: true)
        doubles.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        rowCount = 0
        pendingRepetitionLevel = 0
    }

    /// Drops everything staged after `mark`, so a producer can undo a partly appended row.
    /// - Parameter mark: A value returned by ``mark()``.
    package mutating func rollBack(to mark: Mark) {
        definitionLevels.removeSubrange(mark.definitionLevels...)
        repetitionLevels.removeSubrange(mark.repetitionLevels...)
        switch descriptor.storage {
        case .boolean: booleans.removeSubrange(mark.values...)
        case .int32: int32s.removeSubrange(mark.values...)
        case .int64: int64s.removeSubrange(mark.values...)
        case .float: floats.removeSubrange(mark.values...)
        case .double: doubles.removeSubrange(mark.values...)
        case .byteArray:
            offsets.removeSubrange((mark.values + 1)...)
            bytes.truncate(to: offsets[mark.values])
        case .fixedLenByteArray(let length):
            bytes.truncate(to: mark.values * length)
        }
        rowCount = mark.rows
    }

    /// Drops the last row of a flat column: its level and its value.
    ///
    /// Cheaper than ``mark()``/``rollBack(to:)`` for undoing one rejected record, which the
    /// JSON decoder does under `on_invalid: skip`. Nested columns must use marks: a row's
    /// extent there is only known from its repetition levels.
    package mutating func removeLastRow() {
        precondition(descriptor.maxRepetitionLevel == 0 && rowCount > 0, "removeLastRow needs a flat, non-empty column")
        var present = true
        if descriptor.maxDefinitionLevel > 0 {
            present = definitionLevels.removeLast() == UInt8(descriptor.maxDefinitionLevel)
        }
        if present {
            switch descriptor.storage {
            case .boolean: booleans.removeLast()
            case .int32: int32s.removeLast()
            case .int64: int64s.removeLast()
            case .float: floats.removeLast()
            case .double: doubles.removeLast()
            case .byteArray:
                offsets.removeLast()
                bytes.truncate(to: offsets[offsets.count - 1])
            case .fixedLenByteArray(let length):
                bytes.truncate(to: bytes.count - length)
            }
        }
        rowCount -= 1
    }

    /// A position in the builder to roll back to.
    package struct Mark: Sendable {
        var definitionLevels: Int
        var repetitionLevels: Int
        var values: Int
        var rows: Int
    }

    /// The current position, for ``rollBack(to:)``.
    package func mark() -> Mark {
        Mark(
            definitionLevels: definitionLevels.count, repetitionLevels: repetitionLevels.count,
            values: valueCount, rows: rowCount)
    }

    // MARK: Appending (flat columns)

    /// Appends a null row.
    @inline(__always)
    package mutating func appendNull() {
        definitionLevels.append(0)
        rowCount &+= 1
    }

    /// Marks a present value: its levels (the maximum definition level, and in a nested
    /// column ``pendingRepetitionLevel``); the value itself goes to its buffer.
    @inline(__always)
    package mutating func appendPresent() {
        if descriptor.maxDefinitionLevel > 0 { definitionLevels.append(UInt8(descriptor.maxDefinitionLevel)) }
        if descriptor.maxRepetitionLevel > 0 {
            repetitionLevels.append(pendingRepetitionLevel)
            if pendingRepetitionLevel == 0 { rowCount &+= 1 }
        } else {
            rowCount &+= 1
        }
    }

    /// Marks `count` present values of a flat column at once (their values go to the buffer
    /// in bulk).
    package mutating func appendPresent(count: Int) {
        precondition(descriptor.maxRepetitionLevel == 0, "bulk appends are for flat columns")
        if descriptor.maxDefinitionLevel > 0 {
            definitionLevels.append(contentsOf: repeatElement(UInt8(descriptor.maxDefinitionLevel), count: count))
        }
        rowCount &+= count
    }

    /// Appends a slot with no value in a nested column: a null or empty list, struct or map
    /// somewhere on the path, or a null leaf (`definition` < the maximum).
    /// - Parameters:
    ///   - definition: How many optional or repeated nodes of the path are present.
    ///   - repetition: 0 for a new row, else the depth of the list this slot continues.
    package mutating func appendAbsent(definition: UInt8, repetition: UInt8) {
        #if DEBUG
        precondition(Int(definition) < descriptor.maxDefinitionLevel, "an absent slot below the maximum level")
        #endif
        if descriptor.maxDefinitionLevel > 0 { definitionLevels.append(definition) }
        if descriptor.maxRepetitionLevel > 0 {
            repetitionLevels.append(repetition)
            if repetition == 0 { rowCount &+= 1 }
        } else {
            rowCount &+= 1
        }
    }

    /// Appends one BYTE_ARRAY value's bytes (levels are the caller's).
    @inline(__always)
    package mutating func appendByteArrayValue(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }
}
