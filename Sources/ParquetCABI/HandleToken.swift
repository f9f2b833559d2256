#if !_pointerBitWidth(_64)
#error("a handle token is a 64-bit value carried in a pointer: 64-bit platforms only")
#endif

/// What a C caller holds as `parquet_writer *`: not an address but an opaque token naming a
/// slot of the ``HandleRegistry`` and the slot's generation, so it is never reused.
///
/// Layout of the 64-bit value, most significant bit first:
///
///     63            48 47                         20 19                 0
///     +---------------+-----------------------------+-------------------+
///     |  tag 0xA5C3   |    generation (28 bits)     |  slot (20 bits)   |
///     +---------------+-----------------------------+-------------------+
///
/// - tag: a constant, so no token is NULL, and none looks like a usable address: bits 63...47
///   are not all equal (non-canonical on x86-64, with 4- or 5-level paging) and bits 55...48
///   are not zero (outside user space on AArch64 even with top-byte-ignore). A token
///   dereferenced by mistake faults at once; a real pointer passed by mistake (its top 16 bits
///   are zero) is refused before any table look-up.
/// - slot: the index in the registry's table, so a look-up is one bounds-checked array read.
/// - generation: how many times the slot has been handed out (1 the first time). A slot whose
///   generation reaches ``generationLimit`` is retired, never handed out again, so no
///   (slot, generation) pair, hence no token, repeats in the life of the process. That allows
///   ``slotLimit`` writers open at once and `slotLimit × generationLimit` (about 2^48) created
///   in all.
struct HandleToken: Hashable {
    /// Bits of the slot index.
    static let slotBits = 20
    /// Bits of the generation.
    static let generationBits = 28
    /// The constant top 16 bits of every token.
    static let tag: UInt64 = 0xA5C3
    /// How many slots (writers open at the same time) the layout can name.
    static let slotLimit = 1 << slotBits
    /// The last generation a slot can have; reaching it retires the slot.
    static let generationLimit = (1 << generationBits) - 1

    /// The registry slot.
    let slot: Int
    /// The slot's generation when the token was made (1 or more).
    let generation: Int

    /// A token for a slot and generation, both within the layout's limits.
    /// - Parameters:
    ///   - slot: 0 ..< ``slotLimit``.
    ///   - generation: 1 ... ``generationLimit``.
    init(slot: Int, generation: Int) {
        precondition(slot >= 0 && slot < Self.slotLimit, "slot \(slot) out of range")
        precondition(generation >= 1 && generation <= Self.generationLimit, "generation \(generation) out of range")
        self.slot = slot
        self.generation = generation
    }

    /// Decodes the value a C caller passed.
    /// - Parameter pointer: The `parquet_writer *`.
    /// - Returns: nil when the value does not carry the tag (so it was never a token).
    init?(_ pointer: UnsafeMutableRawPointer) {
        let bits = UInt64(UInt(bitPattern: pointer))
        guard bits >> 48 == Self.tag else { return nil }
        let slot = Int(bits & UInt64(Self.slotLimit - 1))
        let generation = Int((bits >> UInt64(Self.slotBits)) & UInt64(Self.generationLimit))
        guard generation >= 1 else { return nil }
        self.init(slot: slot, generation: generation)
    }

    /// The value handed to the C caller: never NULL.
    var pointer: UnsafeMutableRawPointer {
        let bits = Self.tag << 48 | UInt64(generation) << UInt64(Self.slotBits) | UInt64(slot)
        // The tag bits are not zero, so the pattern is never the null pointer.
        return UnsafeMutableRawPointer(bitPattern: UInt(bits))!
    }
}
