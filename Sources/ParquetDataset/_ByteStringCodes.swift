import ParquetEncoding

/// Numbers the distinct byte strings of one batch's partition column, 1, 2, 3... in order of
/// first appearance, for ``_PartitionRouter``.
///
/// Partition values are short (currencies, countries, categories, dates as text), so a value
/// of at most 16 bytes is looked up by its bytes read as two words: a probe is two multiplies
/// and three compares, about 50 instructions a value in all, where hashing the bytes and
/// comparing them in a `ByteArrayDictionary` took about 80 (callgrind, the bench's 1M rows by
/// two columns). Longer values go to such a dictionary, and share the one numbering.
struct _ByteStringCodes {
    /// Open addressing, three words a slot: the value's first 8 bytes and next 8 (zero past its
    /// end), then its length in the high half and its code in the low half (0: empty slot).
    private var slots: [UInt64]
    /// Slots - 1 (a power of two less one).
    private var mask: Int
    /// Values in ``slots``.
    private var shortCount = 0
    /// Values longer than 16 bytes, and the code each got.
    private var long = ByteArrayDictionary()
    private var longCodes: [UInt32] = []
    /// Codes given so far: the distinct values.
    private(set) var count = 0
    /// The length's half of a slot's third word.
    private static let lengthBits: UInt64 = 0xFFFF_FFFF_0000_0000

    /// An empty numbering with room for 32 short values before it grows.
    init() {
        mask = 63
        slots = [UInt64](repeating: 0, count: 3 * 64)
    }

    /// The code of a value, numbering it if it is new.
    /// - Parameters:
    ///   - value: Its bytes.
    ///   - readable: Bytes readable from the value's start (the value and what follows it in
    ///     the same buffer): with 16 the words are loaded whole.
    /// - Returns: The value's code, from 1.
    @inline(__always)
    mutating func code(of value: UnsafeRawBufferPointer, readable: Int) -> UInt32 {
        let length = value.count
        guard length <= 16, let base = value.baseAddress else { return longCode(of: value) }
        var first: UInt64
        var second: UInt64 = 0
        if readable >= 16 {
            first = base.loadUnaligned(as: UInt64.self)
            if length > 8 {
                second = base.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & Self.lowBytes(length &- 8)
            } else {
                first &= Self.lowBytes(length)
            }
        } else {
            first = 0
            for offset in 0..<length {
                let byte = UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
                if offset < 8 { first |= byte &<< UInt64(8 &* offset) } else { second |= byte &<< UInt64(8 &* (offset &- 8)) }
            }
        }
        let tag = UInt64(length) &<< 32
        var slot = Self.hash(first, second, tag) & mask
        // The probe reads the table in place; a new value is added after it.
        let found: UInt32 = slots.withUnsafeBufferPointer { slots in
            while true {
                let entry = slots[3 &* slot &+ 2]
                if entry == 0 { return 0 }
                if entry & Self.lengthBits == tag && slots[3 &* slot] == first && slots[3 &* slot &+ 1] == second {
                    return UInt32(truncatingIfNeeded: entry)
                }
                slot = (slot &+ 1) & mask
            }
        }
        if found != 0 { return found }
        count &+= 1
        shortCount &+= 1
        slots[3 &* slot] = first
        slots[3 &* slot &+ 1] = second
        slots[3 &* slot &+ 2] = tag | UInt64(count)
        let code = UInt32(count)
        if shortCount &* 2 > mask { grow() }
        return code
    }

    /// Where a value's probe starts, before masking: the high bits of two multiplies.
    @inline(__always)
    private static func hash(_ first: UInt64, _ second: UInt64, _ tag: UInt64) -> Int {
        var hash = (first ^ tag) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ second ^ (hash &>> 29)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: hash &>> 32)
    }

    /// Bytes `0..<count` of a word (`count` at most 8).
    @inline(__always)
    private static func lowBytes(_ count: Int) -> UInt64 {
        count == 0 ? 0 : UInt64.max &>> UInt64(64 &- 8 &* count)
    }

    /// The code of a value longer than 16 bytes.
    private mutating func longCode(of value: UnsafeRawBufferPointer) -> UInt32 {
        let index = Int(long.index(of: value))
        if index == longCodes.count {
            count &+= 1
            longCodes.append(UInt32(count))
        }
        return longCodes[index]
    }

    /// Doubles the table (once it is half full, so probes stay short).
    private mutating func grow() {
        let old = slots
        mask = 2 &* (mask &+ 1) &- 1
        slots = [UInt64](repeating: 0, count: 3 &* (mask &+ 1))
        for slot in 0..<(old.count / 3) where old[3 &* slot &+ 2] != 0 {
            let first = old[3 &* slot]
            let second = old[3 &* slot &+ 1]
            let entry = old[3 &* slot &+ 2]
            var target = Self.hash(first, second, entry & Self.lengthBits) & mask
            while slots[3 &* target &+ 2] != 0 { target = (target &+ 1) & mask }
            slots[3 &* target] = first
            slots[3 &* target &+ 1] = second
            slots[3 &* target &+ 2] = entry
        }
    }
}
