import ParquetBytes

/// A dictionary of BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY values for dictionary encoding: maps
/// each distinct byte string to its index in insertion order.
///
/// No per-value objects: the distinct values' bytes live back to back in one ``ByteBuffer``
/// with an offsets array beside it, and the open-addressing table (linear probing, power of
/// two, at most half full) stores a 32-bit hash tag and the index. A lookup compares bytes
/// only when the tag matches.
public struct ByteArrayDictionary: Sendable {
    /// One hash table slot; `indexPlusOne == 0` marks it empty so a zeroed table is empty.
    @usableFromInline
    internal struct _Slot: Sendable {
        @usableFromInline var hash: UInt32
        @usableFromInline var indexPlusOne: UInt32

        @inlinable
        init(hash: UInt32, indexPlusOne: UInt32) {
            self.hash = hash
            self.indexPlusOne = indexPlusOne
        }
    }

    /// All distinct values' bytes, concatenated in index order.
    @usableFromInline
    internal var _bytes: ByteBuffer

    /// Value `i` spans `_offsets[i] ..< _offsets[i + 1]` of ``_bytes``; starts as `[0]`.
    @usableFromInline
    internal var _offsets: [Int]

    @usableFromInline
    internal var _slots: [_Slot]

    /// `_slots.count - 1`.
    @usableFromInline
    internal var _mask: Int

    @usableFromInline
    internal let _initialSlotCount: Int

    /// Creates an empty dictionary.
    /// - Parameter minimumCapacity: Distinct values to make room for before the first growth.
    @inlinable
    public init(minimumCapacity: Int = 0) {
        let slotCount = _Hashing.slotCount(forCapacity: Swift.max(minimumCapacity, 32))
        _bytes = ByteBuffer(capacity: 1024)
        _offsets = [0]
        _offsets.reserveCapacity(slotCount / 2 &+ 1)
        _slots = Array(repeating: _Slot(hash: 0, indexPlusOne: 0), count: slotCount)
        _mask = slotCount &- 1
        _initialSlotCount = slotCount
    }

    /// The number of distinct values.
    @inlinable
    public var count: Int { _offsets.count &- 1 }

    /// The total length of the distinct values, without length prefixes.
    @inlinable
    public var valueByteCount: Int { _bytes.count }

    /// The size of the PLAIN-encoded BYTE_ARRAY dictionary page body: a 4-byte length plus
    /// the bytes for every value.
    @inlinable
    public var plainEncodedByteSize: Int { count &* 4 &+ _bytes.count }

    /// Returns the index of a byte string, adding a copy as the next index if it is new.
    /// - Parameter bytes: The value (may be empty). It must not point into this dictionary.
    /// - Returns: The value's dictionary index.
    // Always inlined, into the callers' loops (a column's values, a batch's partition keys):
    // called out of line, the call's prologue and epilogue and the setup of the buffers'
    // pointers were about a quarter of a lookup (callgrind, 200k flat rows: the column
    // encoding 200M → 176M instructions). A new value (`_insert`) stays out of line.
    @inlinable
    @inline(__always)
    public mutating func index(of bytes: UnsafeRawBufferPointer) -> UInt32 {
        let hash = _Hashing.hash(bytes: bytes)
        let tag = UInt32(truncatingIfNeeded: hash ^ (hash &>> 32))
        let mask = _mask
        var slot = Int(truncatingIfNeeded: tag) & mask
        let length = bytes.count
        let found: UInt32 = _bytes.withUnsafeReadableBytes { stored in
            _offsets.withUnsafeBufferPointer { offsets in
                _slots.withUnsafeBufferPointer { slots in
                    while true {
                        let candidate = slots[slot]
                        if candidate.indexPlusOne == 0 { return 0 }
                        if candidate.hash == tag {
                            let index = Int(truncatingIfNeeded: candidate.indexPlusOne &- 1)
                            let start = offsets[index]
                            // `equal` reads nothing when the length is 0, so a nil base
                            // address of an empty key is never dereferenced.
                            if offsets[index &+ 1] &- start == length
                                && _Hashing.equal(stored.baseAddress! + start, bytes.baseAddress ?? stored.baseAddress!, count: length) {
                                return candidate.indexPlusOne
                            }
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
        if found != 0 { return found &- 1 }
        return _insert(bytes, tag: tag, slot: slot)
    }

    /// Calls `body` with the bytes of the value at `index`.
    /// - Parameters:
    ///   - index: A dictionary index below ``count``.
    ///   - body: Reads the bytes; the pointer is valid only inside the closure.
    /// - Returns: What `body` returns.
    @inlinable
    public func withValue<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        precondition(index >= 0 && index < count, "dictionary index out of range")
        let start = _offsets[index]
        let end = _offsets[index + 1]
        return try _bytes.withUnsafeReadableBytes { stored in
            try body(UnsafeRawBufferPointer(rebasing: stored[start ..< end]))
        }
    }

    /// Calls `body` with every value at once: value `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
    ///
    /// For loops over many indices: ``withValue(at:_:)`` sets up the storage's pointer again
    /// (a retain and a release) for every value.
    /// - Parameter body: Reads the values' bytes and their offsets (``count`` + 1 of them);
    ///   the pointers are valid only inside the closure.
    /// - Returns: What `body` returns.
    @inlinable
    public func withValues<R>(
        _ body: (_ bytes: UnsafeRawBufferPointer, _ offsets: UnsafeBufferPointer<Int>) throws -> R
    ) rethrows -> R {
        try _bytes.withUnsafeReadableBytes { bytes in
            try _offsets.withUnsafeBufferPointer { offsets in try body(bytes, offsets) }
        }
    }

    /// The bytes of the value at `index`, as a new array (for tests; not for hot paths).
    /// - Parameter index: A dictionary index below ``count``.
    /// - Returns: A copy of the value's bytes.
    public func value(at index: Int) -> [UInt8] {
        withValue(at: index) { Array($0) }
    }

    /// Appends the PLAIN BYTE_ARRAY encoding of the values (a 4-byte little-endian length,
    /// then the bytes, per value) to `output`; exactly ``plainEncodedByteSize`` bytes.
    /// - Parameter output: The buffer to append to.
    @inlinable
    public func writePlain(into output: inout ByteBuffer) {
        let total = plainEncodedByteSize
        _ = _bytes.withUnsafeReadableBytes { stored in
            _offsets.withUnsafeBufferPointer { offsets in
                output.writeUnsafe(maxBytes: total) { pointer in
                    var written = 0
                    for index in 0 ..< offsets.count &- 1 {
                        let start = offsets[index]
                        let length = offsets[index &+ 1] &- start
                        pointer.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: written, as: UInt32.self)
                        written &+= 4
                        if length > 0 {
                            (pointer + written).copyMemory(from: stored.baseAddress! + start, byteCount: length)
                        }
                        written &+= length
                    }
                    return written
                }
            }
        }
    }

    /// Appends the PLAIN FIXED_LEN_BYTE_ARRAY encoding of the values (the bytes back to back,
    /// no lengths) to `output`; exactly ``valueByteCount`` bytes. Every value must have the
    /// column's fixed length.
    /// - Parameter output: The buffer to append to.
    @inlinable
    public func writePlainFixedLength(into output: inout ByteBuffer) {
        #if DEBUG
        if count > 1 {
            let length = _offsets[1]
            for index in 1 ..< count {
                precondition(_offsets[index &+ 1] &- _offsets[index] == length, "FIXED_LEN_BYTE_ARRAY values differ in length")
            }
        }
        #endif
        output.append(_bytes)
    }

    /// Removes every value, for the next column chunk.
    /// - Parameter keepingCapacity: Keep the grown table and byte storage (the default).
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = true) {
        _bytes.removeAll(keepingCapacity: keepingCapacity)
        _offsets.removeAll(keepingCapacity: keepingCapacity)
        _offsets.append(0)
        if keepingCapacity {
            _slots.withUnsafeMutableBufferPointer { $0.update(repeating: _Slot(hash: 0, indexPlusOne: 0)) }
        } else {
            _slots = Array(repeating: _Slot(hash: 0, indexPlusOne: 0), count: _initialSlotCount)
            _mask = _initialSlotCount &- 1
        }
    }

    /// Copies a new value into storage and the empty `slot` its probe ended at, growing if
    /// the table became more than half full.
    @inlinable
    @inline(never)  // the rare path: keeps the inlined lookup small
    internal mutating func _insert(_ bytes: UnsafeRawBufferPointer, tag: UInt32, slot: Int) -> UInt32 {
        #if DEBUG
        precondition(count < Int(UInt32.max), "dictionary index overflow")
        #endif
        let index = UInt32(truncatingIfNeeded: count)
        _bytes.append(contentsOf: bytes)
        _offsets.append(_bytes.count)
        _slots[slot] = _Slot(hash: tag, indexPlusOne: index &+ 1)
        if count &* 2 > _slots.count { _grow() }
        return index
    }

    /// Doubles the slot array and reinserts every entry from its stored tag, without
    /// rehashing any bytes.
    @inlinable
    internal mutating func _grow() {
        let newCount = _slots.count &* 2
        let newMask = newCount &- 1
        var newSlots = Array(repeating: _Slot(hash: 0, indexPlusOne: 0), count: newCount)
        newSlots.withUnsafeMutableBufferPointer { target in
            for entry in _slots where entry.indexPlusOne != 0 {
                var slot = Int(truncatingIfNeeded: entry.hash) & newMask
                while target[slot].indexPlusOne != 0 { slot = (slot &+ 1) & newMask }
                target[slot] = entry
            }
        }
        _slots = newSlots
        _mask = newMask
    }
}
