/// Hashing and comparison shared by the dictionaries.
///
/// Swift's `Hasher` is seeded per process and does more work than a hash table keyed by
/// trusted column data needs; these are small multiply-mix functions instead. They are
/// deterministic, which also keeps dictionary layouts reproducible between runs.
@usableFromInline
internal enum _Hashing {
    // Odd constants with well-spread bits (the golden ratio and SplitMix64's multipliers).
    @usableFromInline static var _k0: UInt64 { 0x9E37_79B9_7F4A_7C15 }
    @usableFromInline static var _k1: UInt64 { 0xBF58_476D_1CE4_E5B9 }
    @usableFromInline static var _k2: UInt64 { 0x94D0_49BB_1331_11EB }

    /// Multiplies to 128 bits and folds the halves, so every input bit reaches every output
    /// bit, low ones included (a plain 64-bit multiply leaves the low bits weak).
    @inlinable
    @inline(__always)
    static func _fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }

    /// Hashes a fixed-width key's bit pattern.
    /// - Parameter bits: The key's bits, zero-extended to 64.
    /// - Returns: A hash whose low bits are usable directly as a slot index.
    @inlinable
    @inline(__always)
    static func hash(bits: UInt64) -> UInt64 {
        _fold(bits ^ _k0, _k1)
    }

    /// Hashes a byte string.
    ///
    /// Strings up to 16 bytes are read as two (possibly overlapping) words that together
    /// cover every byte; longer ones are folded 16 bytes at a time, with the last 16 bytes
    /// as the final pair. The length is mixed in, so overlap cannot make two different
    /// strings read the same words.
    /// - Parameter bytes: The bytes to hash (may be empty, with a nil base address).
    /// - Returns: The hash.
    @inlinable
    static func hash(bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return _fold(_k0, _k1) }
        var seed = _k0 ^ UInt64(truncatingIfNeeded: count)
        let a: UInt64
        let b: UInt64
        if count <= 16 {
            if count >= 8 {
                a = base.loadUnaligned(as: UInt64.self)
                b = base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            } else if count >= 4 {
                a = UInt64(base.loadUnaligned(as: UInt32.self))
                b = UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            } else {
                a = UInt64(base.load(as: UInt8.self)) &<< 16
                    | UInt64(base.load(fromByteOffset: count &>> 1, as: UInt8.self)) &<< 8
                    | UInt64(base.load(fromByteOffset: count &- 1, as: UInt8.self))
                b = 0
            }
        } else {
            var offset = 0
            while count &- offset > 16 {
                seed = _fold(
                    base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ _k1,
                    base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self) ^ seed
                )
                offset &+= 16
            }
            a = base.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
            b = base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        return _fold(_fold(a ^ _k1, b ^ seed) ^ _k2, seed ^ _k0)
    }

    /// Compares two byte ranges of equal length.
    ///
    /// Like ``hash(bytes:)``, short ranges are compared as two overlapping words (or three
    /// bytes) instead of a byte loop, so lengths that vary from call to call do not cost a
    /// mispredicted loop exit per comparison.
    /// - Parameters:
    ///   - lhs: The first range.
    ///   - rhs: The second range.
    ///   - count: The length of both; may be 0.
    /// - Returns: Whether the bytes are identical.
    @inlinable
    @inline(__always)
    static func equal(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var offset = 0
            while count &- offset > 8 {
                if lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                offset &+= 8
            }
            let last = count &- 8
            return lhs.loadUnaligned(fromByteOffset: last, as: UInt64.self)
                == rhs.loadUnaligned(fromByteOffset: last, as: UInt64.self)
        }
        if count >= 4 {
            let last = count &- 4
            let head = lhs.loadUnaligned(as: UInt32.self) ^ rhs.loadUnaligned(as: UInt32.self)
            let tail = lhs.loadUnaligned(fromByteOffset: last, as: UInt32.self)
                ^ rhs.loadUnaligned(fromByteOffset: last, as: UInt32.self)
            return head | tail == 0
        }
        if count > 0 {
            let middle = count &>> 1
            let last = count &- 1
            let first = lhs.load(as: UInt8.self) ^ rhs.load(as: UInt8.self)
            let center = lhs.load(fromByteOffset: middle, as: UInt8.self) ^ rhs.load(fromByteOffset: middle, as: UInt8.self)
            let end = lhs.load(fromByteOffset: last, as: UInt8.self) ^ rhs.load(fromByteOffset: last, as: UInt8.self)
            return first | center | end == 0
        }
        return true
    }

    /// The power-of-two slot count for at least `minimumCapacity` entries at load ≤ 1/2.
    /// - Parameter minimumCapacity: Entries that must fit without growing.
    /// - Returns: The slot count, at least 16.
    @inlinable
    static func slotCount(forCapacity minimumCapacity: Int) -> Int {
        var slots = 16
        while slots / 2 < minimumCapacity { slots &*= 2 }
        return slots
    }
}
