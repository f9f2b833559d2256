import ParquetBytes

/// A dictionary of INT32, INT64, FLOAT or DOUBLE values for dictionary encoding: maps each
/// distinct value to its index in insertion order.
///
/// Values are keyed by bit pattern (see ``FixedWidthPhysicalValue``): `-0.0` and `+0.0`
/// are two entries, and each NaN payload is one entry found again on every lookup.
///
/// The table uses open addressing with linear probing over a power-of-two slot array kept at
/// most half full. Slots hold the key bits next to the index, so a lookup touches one cache
/// line in the common case and never the values array.
public struct FixedWidthDictionary<T: FixedWidthPhysicalValue>: Sendable {
    /// One hash table slot; `indexPlusOne == 0` marks it empty so a zeroed table is empty.
    @usableFromInline
    internal struct _Slot: Sendable {
        @usableFromInline var bits: T.BitPattern
        @usableFromInline var indexPlusOne: UInt32

        @inlinable
        init(bits: T.BitPattern, indexPlusOne: UInt32) {
            self.bits = bits
            self.indexPlusOne = indexPlusOne
        }
    }

    /// Distinct values in insertion (index) order.
    @usableFromInline
    internal var _values: [T]

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
        _values = []
        _values.reserveCapacity(slotCount / 2)
        _slots = Array(repeating: _Slot(bits: 0, indexPlusOne: 0), count: slotCount)
        _mask = slotCount &- 1
        _initialSlotCount = slotCount
    }

    /// The number of distinct values.
    @inlinable
    public var count: Int { _values.count }

    /// The distinct values in index order.
    @inlinable
    public var values: [T] { _values }

    /// The size of the PLAIN-encoded dictionary page body, in bytes.
    @inlinable
    public var plainEncodedByteSize: Int { _values.count &* MemoryLayout<T.BitPattern>.size }

    /// Returns the index of `value`, adding it as the next index if it is new.
    /// - Parameter value: The value to look up, compared by bit pattern.
    /// - Returns: The value's dictionary index.
    @inlinable
    public mutating func index(of value: T) -> UInt32 {
        let bits = value.physicalBitPattern
        let mask = _mask
        var slot = Int(truncatingIfNeeded: _Hashing.hash(bits: UInt64(bits))) & mask
        let found: UInt32 = _slots.withUnsafeBufferPointer { slots in
            while true {
                let candidate = slots[slot]
                if candidate.indexPlusOne == 0 { return 0 }
                if candidate.bits == bits { return candidate.indexPlusOne }
                slot = (slot &+ 1) & mask
            }
        }
        if found != 0 { return found &- 1 }
        return _insert(value, bits: bits, slot: slot)
    }

    /// Appends the PLAIN encoding of the values (the dictionary page body) to `output`.
    /// - Parameter output: The buffer to append to.
    @inlinable
    public func writePlain(into output: inout ByteBuffer) {
        _values.withUnsafeBufferPointer { PlainEncoder.append(contentsOf: $0, into: &output) }
    }

    /// Removes every value, for the next column chunk.
    /// - Parameter keepingCapacity: Keep the grown table and values storage (the default).
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = true) {
        _values.removeAll(keepingCapacity: keepingCapacity)
        if keepingCapacity {
            _slots.withUnsafeMutableBufferPointer { $0.update(repeating: _Slot(bits: 0, indexPlusOne: 0)) }
        } else {
            _slots = Array(repeating: _Slot(bits: 0, indexPlusOne: 0), count: _initialSlotCount)
            _mask = _initialSlotCount &- 1
        }
    }

    /// Stores a new value in the empty `slot` its probe ended at, growing if the table
    /// became more than half full.
    @inlinable
    internal mutating func _insert(_ value: T, bits: T.BitPattern, slot: Int) -> UInt32 {
        #if DEBUG
        precondition(_values.count < Int(UInt32.max), "dictionary index overflow")
        #endif
        let index = UInt32(truncatingIfNeeded: _values.count)
        _values.append(value)
        _slots[slot] = _Slot(bits: bits, indexPlusOne: index &+ 1)
        if _values.count &* 2 > _slots.count { _grow() }
        return index
    }

    /// Doubles the slot array and reinserts every entry (no probing for equality needed:
    /// all keys are distinct).
    @inlinable
    internal mutating func _grow() {
        let newCount = _slots.count &* 2
        let newMask = newCount &- 1
        var newSlots = Array(repeating: _Slot(bits: 0, indexPlusOne: 0), count: newCount)
        newSlots.withUnsafeMutableBufferPointer { target in
            for entry in _slots where entry.indexPlusOne != 0 {
                var slot = Int(truncatingIfNeeded: _Hashing.hash(bits: UInt64(entry.bits))) & newMask
                while target[slot].indexPlusOne != 0 { slot = (slot &+ 1) & newMask }
                target[slot] = entry
            }
        }
        _slots = newSlots
        _mask = newMask
    }
}
