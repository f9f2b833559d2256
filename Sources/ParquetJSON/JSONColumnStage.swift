import Parquet
import ParquetBytes

/// A growable run of plain values in memory the decoder owns, appended with one capacity
/// check, one store and one increment.
///
/// Why not `Array.append` into the builder: every call pays the runtime's uniqueness check and
/// the array's reserve logic (~25-40 instructions a value, ~1.6 M values per 100k records).
/// This memory is never shared, so none of that is needed; the values reach the builder's
/// arrays in bulk every few records (``_ColumnStage/flush(into:)``), while they are still in
/// cache, so the stage stays small.
///
/// The unsafe pointer is private; the owner frees it with ``deallocate()`` (no copies are made:
/// stages live in memory the parser allocates and reaches through a pointer).
struct _Staged<Element: BitwiseCopyable> {
    /// Nil until the first append: most columns use one of a stage's value buffers.
    private var base: UnsafeMutablePointer<Element>? = nil
    private(set) var count = 0
    private var capacity = 0

    /// Appends one value.
    @inline(__always)
    mutating func append(_ value: Element) {
        if _slowPath(count == capacity) { grow(minimum: count &+ 1) }
        (base.unsafelyUnwrapped + count).initialize(to: value)
        count &+= 1
    }

    /// The last value; the buffer must not be empty.
    var last: Element {
        #if DEBUG
        precondition(count > 0, "_Staged: last of an empty buffer")
        #endif
        return base.unsafelyUnwrapped[count &- 1]
    }

    /// Drops values so that `newCount` remain.
    @inline(__always)
    mutating func truncate(to newCount: Int) {
        #if DEBUG
        precondition(newCount >= 0 && newCount <= count, "_Staged: truncate out of range")
        #endif
        count = newCount
    }

    /// Removes and returns the last value; the buffer must not be empty.
    @inline(__always)
    mutating func removeLast() -> Element {
        let value = last
        count &-= 1
        return value
    }

    /// The staged values, valid until the next append.
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// Doubles the capacity (at least 256 values, a flush interval of a flat column) until
    /// `minimum` fit, keeping the values.
    @inline(never)
    private mutating func grow(minimum: Int) {
        var newCapacity = Swift.max(capacity * 2, 256)
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.initialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }

    /// Frees the memory (the values are plain: nothing to deinitialize).
    mutating func deallocate() {
        base?.deallocate()
        base = nil
        count = 0
        capacity = 0
    }
}

/// A write cursor over a builder's ``ByteBuffer``, which it holds for the batch: byte values
/// are appended in place with one capacity check and one copy, and ``count`` is published to
/// the buffer only when it must grow and when the batch ends.
///
/// Why not ``ByteBuffer/append(contentsOf:)``: it checks uniqueness (a runtime call) and
/// capacity on every value. Why not a ``_Staged`` copy like the other buffers: the bytes are
/// most of a batch, and writing them in place saves copying them again (measured: staging
/// them cost ~12 M more instructions per 100k records than this).
struct _ByteCursor {
    /// The builder's bytes while a batch is decoded, else an empty buffer.
    private var buffer = ByteBuffer()
    /// The storage of `buffer` (nil until the first reservation of a batch).
    private var base: UnsafeMutableRawPointer? = nil
    /// Bytes in `buffer`, including this batch's: offsets and marks are absolute.
    private(set) var count = 0
    /// The usable end of `base`, or -1 while `base` is nil: below every `count`, so that the
    /// first reservation of a batch takes the storage even when it is for zero bytes (an empty
    /// string), with no extra check on the hot path.
    private var capacity = -1
    /// `count` when the batch began.
    private var start = 0

    /// Takes over `bytes` for a batch (leaving the cursor's empty buffer in its place).
    mutating func begin(taking bytes: inout ByteBuffer) {
        swap(&buffer, &bytes)
        base = nil
        count = buffer.count
        capacity = -1
        start = count
    }

    /// Gives the buffer back to `bytes`, keeping what was appended (`keep`) or not.
    mutating func end(into bytes: inout ByteBuffer, keep: Bool) {
        if keep { buffer.unsafeSetCount(count) } else { buffer.truncate(to: start) }
        swap(&buffer, &bytes)
        base = nil
        capacity = -1
    }

    /// Room for `maximum` more bytes at the end, to write before ``didAppend(_:)``.
    @inline(__always)
    mutating func reserve(_ maximum: Int) -> UnsafeMutableRawPointer {
        if _slowPath(capacity &- count < maximum) { grow(minimum: count + maximum) }
        return base.unsafelyUnwrapped + count
    }

    /// Keeps `written` bytes written at ``reserve(_:)``'s pointer (at most what it reserved).
    @inline(__always)
    mutating func didAppend(_ written: Int) {
        #if DEBUG
        precondition(written >= 0 && count + written <= capacity, "_ByteCursor: wrote past the reservation")
        #endif
        count &+= written
    }

    /// Appends a copy of raw bytes.
    @inline(__always)
    mutating func append(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// Drops bytes so that `newCount` remain (not below the batch's start).
    @inline(__always)
    mutating func truncate(to newCount: Int) {
        #if DEBUG
        precondition(newCount >= start && newCount <= count, "_ByteCursor: truncate out of range")
        #endif
        count = newCount
    }

    /// Publishes the count and lets the buffer make itself unique and grow (geometrically).
    @inline(never)
    private mutating func grow(minimum: Int) {
        buffer.unsafeSetCount(count)
        base = buffer.unsafeUniqueStorage(minimumCapacity: minimum)
        capacity = buffer.capacity
    }
}

/// One leaf column's levels and values from the latest records of a batch, laid out like
/// ``ColumnBuilder`` (whose appends, marks and rollbacks it mirrors for the decoder).
///
/// The parser appends here, undoes rejected records here, and flushes the stage into the
/// builder between records (``_JSONBatchParser/flushInterval``); a batch that fails is undone in
/// the builders by the decoder. Byte values are the exception: they go straight into the
/// builder's ``ByteBuffer`` through ``_ByteCursor``, held by the stage for the batch.
struct _ColumnStage {
    let storage: ColumnStorage
    let maxDefinitionLevel: UInt8
    let maxRepetitionLevel: UInt8

    var definitionLevels = _Staged<UInt8>()
    var repetitionLevels = _Staged<UInt8>()
    // As in ColumnBuilder, exactly one value buffer is used, chosen by `storage`.
    var booleans = _Staged<Bool>()
    var int32s = _Staged<Int32>()
    var int64s = _Staged<Int64>()
    var floats = _Staged<Float>()
    var doubles = _Staged<Double>()
    /// The builder's own bytes, held for the batch.
    var bytes = _ByteCursor()
    /// End offsets of BYTE_ARRAY values in `bytes` (absolute, as the builder keeps them).
    var offsets = _Staged<Int>()
    /// The end of the last value already flushed (where a staged BYTE_ARRAY value starts
    /// when `offsets` is empty).
    private var flushedBytes = 0

    var rowCount = 0
    /// The repetition level the next present value gets (see ``ColumnBuilder/pendingRepetitionLevel``).
    var pendingRepetitionLevel: UInt8 = 0

    init(descriptor: ColumnDescriptor) {
        storage = descriptor.storage
        maxDefinitionLevel = UInt8(descriptor.maxDefinitionLevel)
        maxRepetitionLevel = UInt8(descriptor.maxRepetitionLevel)
    }

    /// Takes over `builder`'s bytes for a batch; ``end(into:keep:)`` must follow.
    mutating func begin(for builder: inout ColumnBuilder) {
        bytes.begin(taking: &builder.bytes)
        flushedBytes = bytes.count
    }

    /// Appends the staged levels and values to `builder` (one bulk copy per buffer) and
    /// empties the stage, keeping its capacity. The builder's byte offsets then point past
    /// its bytes (held here) until ``end(into:keep:)``.
    mutating func flush(into builder: inout ColumnBuilder) {
        // Levels only exist for optional and nested columns: skip the empty buffers' calls.
        if definitionLevels.count > 0 { builder.definitionLevels.append(contentsOf: definitionLevels.buffer) }
        if repetitionLevels.count > 0 { builder.repetitionLevels.append(contentsOf: repetitionLevels.buffer) }
        switch storage {
        case .boolean: builder.booleans.append(contentsOf: booleans.buffer)
        case .int32: builder.int32s.append(contentsOf: int32s.buffer)
        case .int64: builder.int64s.append(contentsOf: int64s.buffer)
        case .float: builder.floats.append(contentsOf: floats.buffer)
        case .double: builder.doubles.append(contentsOf: doubles.buffer)
        case .byteArray: builder.offsets.append(contentsOf: offsets.buffer)
        case .fixedLenByteArray: break
        }
        builder.rowCount += rowCount
        definitionLevels.truncate(to: 0)
        repetitionLevels.truncate(to: 0)
        booleans.truncate(to: 0)
        int32s.truncate(to: 0)
        int64s.truncate(to: 0)
        floats.truncate(to: 0)
        doubles.truncate(to: 0)
        offsets.truncate(to: 0)
        flushedBytes = bytes.count
        rowCount = 0
    }

    /// Gives `builder` its bytes back: with everything appended (`keep`, after the last
    /// flush), or as they were before the batch (which the decoder is rolling back).
    mutating func end(into builder: inout ColumnBuilder, keep: Bool) {
        bytes.end(into: &builder.bytes, keep: keep)
    }

    // MARK: Appending

    /// Appends a null row of a flat column.
    @inline(__always)
    mutating func appendNull() {
        definitionLevels.append(0)
        rowCount &+= 1
    }

    /// Marks a present value in a nested column: its levels (the maximum definition level and
    /// ``pendingRepetitionLevel``); the value itself goes to its buffer.
    @inline(__always)
    mutating func appendPresent() {
        if maxDefinitionLevel > 0 { definitionLevels.append(maxDefinitionLevel) }
        if maxRepetitionLevel > 0 {
            repetitionLevels.append(pendingRepetitionLevel)
            if pendingRepetitionLevel == 0 { rowCount &+= 1 }
        } else {
            rowCount &+= 1
        }
    }

    /// Appends a slot with no value in a nested column (see ``ColumnBuilder/appendAbsent(definition:repetition:)``).
    mutating func appendAbsent(definition: UInt8, repetition: UInt8) {
        #if DEBUG
        precondition(definition < maxDefinitionLevel, "an absent slot below the maximum level")
        #endif
        if maxDefinitionLevel > 0 { definitionLevels.append(definition) }
        if maxRepetitionLevel > 0 {
            repetitionLevels.append(repetition)
            if repetition == 0 { rowCount &+= 1 }
        } else {
            rowCount &+= 1
        }
    }

    /// Ends a BYTE_ARRAY value whose bytes were just appended to ``bytes``.
    @inline(__always)
    mutating func endByteArrayValue() {
        offsets.append(bytes.count)
    }

    /// Appends the unscaled value of a decimal in the column's physical representation, or
    /// returns false (appending nothing) when it has more digits than `precision`.
    mutating func appendUnscaledDecimal(_ value: Int128, precision: Int) -> Bool {
        let limit = DecimalText.powerOfTen(precision)
        guard value > -limit && value < limit else { return false }
        switch storage {
        case .int32: int32s.append(Int32(truncatingIfNeeded: value))
        case .int64: int64s.append(Int64(truncatingIfNeeded: value))
        case .fixedLenByteArray(let length):
            // Big-endian two's complement, sign-extended to the column's width.
            let output = bytes.reserve(length)
            for index in 0..<length {
                let byte = UInt8(truncatingIfNeeded: value >> (8 * (length - 1 - index)))
                output.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
            }
            bytes.didAppend(length)
        default:
            preconditionFailure("decimal columns are INT32, INT64 or FIXED_LEN_BYTE_ARRAY")
        }
        return true
    }

    // MARK: Undoing records

    /// A position to roll back to.
    struct Mark {
        var definitionLevels: Int
        var repetitionLevels: Int
        /// The count of the value buffer in use (offsets for BYTE_ARRAY).
        var values: Int
        var bytes: Int
        var rows: Int
    }

    private var valueCount: Int {
        switch storage {
        case .boolean: booleans.count
        case .int32: int32s.count
        case .int64: int64s.count
        case .float: floats.count
        case .double: doubles.count
        case .byteArray: offsets.count
        case .fixedLenByteArray: 0
        }
    }

    func mark() -> Mark {
        Mark(
            definitionLevels: definitionLevels.count, repetitionLevels: repetitionLevels.count,
            values: valueCount, bytes: bytes.count, rows: rowCount)
    }

    /// Drops everything appended after `mark`.
    mutating func rollBack(to mark: Mark) {
        definitionLevels.truncate(to: mark.definitionLevels)
        repetitionLevels.truncate(to: mark.repetitionLevels)
        switch storage {
        case .boolean: booleans.truncate(to: mark.values)
        case .int32: int32s.truncate(to: mark.values)
        case .int64: int64s.truncate(to: mark.values)
        case .float: floats.truncate(to: mark.values)
        case .double: doubles.truncate(to: mark.values)
        case .byteArray: offsets.truncate(to: mark.values)
        case .fixedLenByteArray: break
        }
        bytes.truncate(to: mark.bytes)
        rowCount = mark.rows
    }

    /// Drops the last row of a flat column: its level and its value (see
    /// ``ColumnBuilder/removeLastRow()``).
    mutating func removeLastRow() {
        precondition(maxRepetitionLevel == 0 && rowCount > 0, "removeLastRow needs a flat, non-empty column")
        var present = true
        if maxDefinitionLevel > 0 { present = definitionLevels.removeLast() == maxDefinitionLevel }
        if present {
            switch storage {
            case .boolean: _ = booleans.removeLast()
            case .int32: _ = int32s.removeLast()
            case .int64: _ = int64s.removeLast()
            case .float: _ = floats.removeLast()
            case .double: _ = doubles.removeLast()
            case .byteArray:
                _ = offsets.removeLast()
                bytes.truncate(to: offsets.count > 0 ? offsets.last : flushedBytes)
            case .fixedLenByteArray(let length):
                bytes.truncate(to: bytes.count - length)
            }
        }
        rowCount -= 1
    }

    mutating func deallocate() {
        definitionLevels.deallocate()
        repetitionLevels.deallocate()
        booleans.deallocate()
        int32s.deallocate()
        int64s.deallocate()
        floats.deallocate()
        doubles.deallocate()
        offsets.deallocate()
    }
}
