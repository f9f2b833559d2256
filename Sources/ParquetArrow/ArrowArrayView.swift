import CArrowInterface
import Parquet

/// A checked, read-only view of one Arrow array and its children, typed by its ``ArrowField``.
///
/// Building the view checks everything the importer later relies on to stay inside the
/// producer's buffers: buffer and child counts, non-NULL buffers, child lengths, offsets in
/// order and inside their child, views inside their data buffers. Values themselves (UTF-8,
/// ranges) are checked where they are converted. A view borrows the producer's memory: it is
/// only used while the `ArrowArray` is not released (inside ``ArrowImport/withBatch``).
struct ArrowArrayView {
    let field: ArrowField
    /// The type of the array's own buffers (a dictionary's index type).
    let type: ArrowType
    let length: Int
    /// The array's offset into its buffers (slices share buffers with their parent).
    let offset: Int
    /// The validity bitmap, or nil when every slot is valid.
    let validity: UnsafePointer<UInt8>?
    /// The buffers after the validity bitmap (data, offsets, views, variadic data).
    let buffers: [UnsafeRawPointer?]
    let children: [ArrowArrayView]
    /// A dictionary-encoded array's values.
    let dictionary: ArrowArrayViewBox?
    /// For view layouts: the byte size of each variadic data buffer.
    let variadicSizes: [Int]

    /// Views `array` as `field` describes it.
    /// - Parameters:
    ///   - array: An array that is not released.
    ///   - field: Its field, from the matching schema.
    /// - Throws: `ParquetError` `.invalidArrow` naming the field when the array breaks the
    ///   C Data Interface's layout rules.
    init(_ array: UnsafePointer<ArrowArray>, field: ArrowField, path: String) throws(ParquetError) {
        let raw = array.pointee
        self.field = field
        self.type = field.type
        func malformed(_ message: String) -> ParquetError {
            ParquetError(.invalidArrow, "the Arrow array for '\(path)' \(message)", column: path)
        }
        // Both bounded (2^37), so `offset + length` and the products of a slot position with a
        // value width (at most Int32.max, see ArrowType) never overflow.
        guard raw.length >= 0, raw.offset >= 0, raw.length <= Int64(Int32.max) * 64, raw.offset <= Int64(Int32.max) * 64 else {
            throw malformed("has length \(raw.length) and offset \(raw.offset)")
        }
        length = Int(raw.length)
        offset = Int(raw.offset)
        guard raw.n_buffers >= 0, raw.n_buffers == 0 || raw.buffers != nil else {
            throw malformed("has \(raw.n_buffers) buffers but no buffer array")
        }
        let bufferCount = Int(raw.n_buffers)
        let expected: Int
        switch field.type {
        case .null: expected = 0
        // Refused by the importer by type (type_mismatch naming the field), not as malformed:
        // their layouts (unions, list views, run-end encoded) are not read.
        case .unsupported: expected = -2
        case .struct, .fixedSizeList: expected = 1
        case .utf8(let layout), .binary(let layout): expected = layout == .views ? -1 : 3
        default: expected = 2
        }
        if expected >= 0 {
            guard bufferCount == expected else { throw malformed("has \(bufferCount) buffers; \(field.type.name) has \(expected)") }
        } else if expected == -1 {
            guard bufferCount >= 3 else { throw malformed("has \(bufferCount) buffers; a view array has at least 3") }
        }
        var validity: UnsafePointer<UInt8>? = nil
        if bufferCount > 0 && raw.null_count != 0 {
            validity = raw.buffers[0].map { $0.assumingMemoryBound(to: UInt8.self) }
            if validity == nil && raw.null_count > 0 {
                throw malformed("has \(raw.null_count) nulls but no validity bitmap")
            }
        }
        if case .null = field.type { validity = nil }
        self.validity = validity
        var buffers: [UnsafeRawPointer?] = []
        if bufferCount > 1 {
            buffers.reserveCapacity(bufferCount - 1)
            for index in 1..<bufferCount { buffers.append(raw.buffers[index]) }
        }
        self.buffers = buffers
        // Children and dictionary.
        guard raw.n_children == Int64(field.children.count), raw.n_children == 0 || raw.children != nil else {
            throw malformed("has \(raw.n_children) children; its schema has \(field.children.count)")
        }
        var children: [ArrowArrayView] = []
        children.reserveCapacity(field.children.count)
        for (index, childField) in field.children.enumerated() {
            guard let child = raw.children[index] else { throw malformed("has a NULL child \(index)") }
            let childPath = field.type == .struct && !childField.name.isEmpty ? path + "." + childField.name : path
            children.append(try ArrowArrayView(child, field: childField, path: childPath))
        }
        self.children = children
        if let dictionaryField = field.dictionary?.field {
            guard let dictionary = raw.dictionary else { throw malformed("is dictionary-encoded but has no dictionary") }
            self.dictionary = ArrowArrayViewBox(try ArrowArrayView(dictionary, field: dictionaryField, path: path))
        } else {
            self.dictionary = nil
        }
        switch field.type {
        case .utf8(.views), .binary(.views): variadicSizes = try Self.variadicSizes(raw, bufferCount, malformed)
        default: variadicSizes = []
        }
        try checkLayout(malformed)
    }

    /// The sizes buffer of a view array: its last buffer, one int64 per data buffer.
    private static func variadicSizes(
        _ raw: ArrowArray, _ bufferCount: Int, _ malformed: (String) -> ParquetError
    ) throws(ParquetError) -> [Int] {
        let dataBuffers = bufferCount - 3
        guard dataBuffers > 0 else { return [] }
        guard let sizes = raw.buffers[bufferCount - 1] else { throw malformed("has no buffer of variadic sizes") }
        var result: [Int] = []
        for index in 0..<dataBuffers {
            let size = sizes.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)
            guard size >= 0, raw.buffers[2 + index] != nil || size == 0 else {
                throw malformed("has a bad variadic data buffer \(index)")
            }
            result.append(Int(size))
        }
        return result
    }

    /// Checks what reading slots `offset..<offset+length` needs.
    private func checkLayout(_ malformed: (String) -> ParquetError) throws(ParquetError) {
        let end = offset + length
        guard length > 0 else { return }
        switch type {
        case .null, .unsupported:
            return
        case .struct:
            for child in children where child.length < end {
                throw malformed("has a child of length \(child.length), shorter than the struct's \(end) slots")
            }
        case .fixedSizeList(let size):
            let (needed, overflow) = end.multipliedReportingOverflow(by: size)
            guard !overflow, children[0].length >= needed else {
                throw malformed("has \(children[0].length) values for \(end) lists of \(size)")
            }
        case .fixedSizeBinary(let width):
            // bytes(at:) computes `width * position`; a length no buffer could hold must not trap there.
            guard !end.multipliedReportingOverflow(by: width).overflow else {
                throw malformed("has \(end) values of \(width) bytes")
            }
            guard buffers.count >= 1, buffers[0] != nil else { throw malformed("has no data buffer") }
        case .list(let large):
            try checkOffsets(large: large, limit: children[0].length, malformed)
        case .map:
            try checkOffsets(large: false, limit: children[0].length, malformed)
        case .utf8(let layout), .binary(let layout):
            switch layout {
            case .offsets32: try checkOffsets(large: false, limit: Int.max, malformed)
            case .offsets64: try checkOffsets(large: true, limit: Int.max, malformed)
            case .views: try checkViews(malformed)
            }
            if layout != .views && buffers[1] == nil {
                throw malformed("has no data buffer")
            }
        default:
            guard buffers.count >= 1, buffers[0] != nil else { throw malformed("has no data buffer") }
        }
    }

    /// Offsets must be present, start at or above 0, never decrease and end within `limit`.
    private func checkOffsets(large: Bool, limit: Int, _ malformed: (String) -> ParquetError) throws(ParquetError) {
        guard let base = buffers[0] else { throw malformed("has no offsets buffer") }
        var previous = -1
        for index in offset...(offset + length) {
            let value = large ? Int(base.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self))
                : Int(base.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))
            guard value >= 0, value >= previous else {
                throw malformed("has offsets out of order at slot \(index - offset)")
            }
            previous = value
        }
        guard previous <= limit else { throw malformed("has an offset \(previous) past its \(limit) values") }
    }

    /// Views longer than 12 bytes must lie inside their data buffer.
    private func checkViews(_ malformed: (String) -> ParquetError) throws(ParquetError) {
        guard let views = buffers[0] else { throw malformed("has no views buffer") }
        for index in offset..<(offset + length) where isValid(index) {
            let view = views + 16 * index
            let count = Int(view.loadUnaligned(as: Int32.self))
            guard count >= 0 else { throw malformed("has a negative length at slot \(index - offset)") }
            if count > 12 {
                let buffer = Int(view.loadUnaligned(fromByteOffset: 8, as: Int32.self))
                let start = Int(view.loadUnaligned(fromByteOffset: 12, as: Int32.self))
                guard buffer >= 0, buffer < variadicSizes.count, start >= 0, start + count <= variadicSizes[buffer] else {
                    throw malformed("has a view outside its data buffers at slot \(index - offset)")
                }
            }
        }
    }

    /// Whether the slot at buffer position `position` (offset already added) is valid.
    @inline(__always)
    func isValid(_ position: Int) -> Bool {
        guard let validity else { return true }
        return Self.bit(validity, position)
    }

    /// Bit `position` of an Arrow bitmap (validity or boolean values): least significant bit first.
    @inline(__always)
    static func bit(_ bitmap: UnsafePointer<UInt8>, _ position: Int) -> Bool {
        bitmap[position &>> 3] & (1 &<< UInt8(position & 7)) != 0
    }

    /// The boolean value at `position` of a boolean array.
    @inline(__always)
    func boolean(at position: Int) -> Bool {
        Self.bit(buffers[0].unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self), position)
    }

    /// Whether any slot in the view's range is null.
    var hasNulls: Bool {
        if case .null = type { return length > 0 }
        guard validity != nil else { return false }
        for position in offset..<(offset + length) where !isValid(position) { return true }
        return false
    }

    /// The start and end of list or byte value `position` in its child or data buffer.
    @inline(__always)
    func range(at position: Int, large: Bool) -> (start: Int, end: Int) {
        let base = buffers[0].unsafelyUnwrapped
        if large {
            return (Int(base.loadUnaligned(fromByteOffset: 8 * position, as: Int64.self)),
                    Int(base.loadUnaligned(fromByteOffset: 8 * position + 8, as: Int64.self)))
        }
        return (Int(base.loadUnaligned(fromByteOffset: 4 * position, as: Int32.self)),
                Int(base.loadUnaligned(fromByteOffset: 4 * position + 4, as: Int32.self)))
    }

    /// The bytes of a string or binary value at `position`, for every byte layout.
    @inline(__always)
    func bytes(at position: Int) -> UnsafeRawBufferPointer {
        switch type {
        case .utf8(let layout), .binary(let layout):
            switch layout {
            case .offsets32, .offsets64:
                let (start, end) = range(at: position, large: layout == .offsets64)
                return UnsafeRawBufferPointer(start: buffers[1].unsafelyUnwrapped + start, count: end - start)
            case .views:
                let view = buffers[0].unsafelyUnwrapped + 16 * position
                let count = Int(view.loadUnaligned(as: Int32.self))
                if count <= 12 { return UnsafeRawBufferPointer(start: view + 4, count: count) }
                let buffer = Int(view.loadUnaligned(fromByteOffset: 8, as: Int32.self))
                let start = Int(view.loadUnaligned(fromByteOffset: 12, as: Int32.self))
                return UnsafeRawBufferPointer(start: buffers[1 + buffer].unsafelyUnwrapped + start, count: count)
            }
        case .fixedSizeBinary(let width):
            return UnsafeRawBufferPointer(start: buffers[0].unsafelyUnwrapped + width * position, count: width)
        default:
            preconditionFailure("bytes(at:) on a \(type.name) array")
        }
    }

    /// The integer at `position` of an integer, date, time or timestamp array (dictionary
    /// indices included), widened.
    @inline(__always)
    func integer(at position: Int) -> Int128 {
        let base = buffers[0].unsafelyUnwrapped
        let bits: Int
        var signed = true
        switch type {
        case .integer(let width, let isSigned): (bits, signed) = (width, isSigned)
        case .date32, .time(.seconds), .time(.milliseconds): bits = 32
        case .date64, .time, .timestamp, .duration: bits = 64
        default: preconditionFailure("integer(at:) on a \(type.name) array")
        }
        switch (bits, signed) {
        case (8, true): return Int128(base.load(fromByteOffset: position, as: Int8.self))
        case (8, false): return Int128(base.load(fromByteOffset: position, as: UInt8.self))
        case (16, true): return Int128(base.loadUnaligned(fromByteOffset: 2 * position, as: Int16.self))
        case (16, false): return Int128(base.loadUnaligned(fromByteOffset: 2 * position, as: UInt16.self))
        case (32, true): return Int128(base.loadUnaligned(fromByteOffset: 4 * position, as: Int32.self))
        case (32, false): return Int128(base.loadUnaligned(fromByteOffset: 4 * position, as: UInt32.self))
        case (64, true): return Int128(base.loadUnaligned(fromByteOffset: 8 * position, as: Int64.self))
        default: return Int128(base.loadUnaligned(fromByteOffset: 8 * position, as: UInt64.self))
        }
    }
}

/// A boxed ``ArrowArrayView``, so a view can hold its dictionary's view.
final class ArrowArrayViewBox {
    let view: ArrowArrayView
    init(_ view: ArrowArrayView) { self.view = view }
}
