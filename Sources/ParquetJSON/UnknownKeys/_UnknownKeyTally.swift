/// The unknown keys a writer has seen: at most ``UnknownKeyCount/maximumNames`` names, each
/// with the records of the current batch and of the batches committed before it.
///
/// The decoder notes keys as it skips their values, per record (``note(node:key:length:hash:)``,
/// then ``insert(node:key:length:hash:name:)`` for a new one),
/// and settles each record that had one: counted when it was accepted
/// (``commitRecord()``), forgotten when it was rejected (``discardRecord()``). A batch's counts
/// join the totals only when its writer took the batch (``commitBatch()``); a batch that fails
/// is forgotten (``abandonBatch()``), names it added included. A record without unknown keys
/// never reaches this type.
///
/// A class: one tally lives as long as its writer and is shared by the copies of its decoder.
/// Its state is `@exclusivity(unchecked)`: the runtime's dynamic access checks on class
/// properties cost ~5 % of a batch whose records all carry unknown keys (perf), and only the
/// decoding thread ever touches a tally.
final class _UnknownKeyTally {
    private struct Entry {
        var hash: UInt64
        /// The nested node of the object the key was found in, or -1 for a record's key.
        var node: Int32
        /// The key's bytes in `nameBytes`.
        var start: Int
        var length: Int
        /// Records of the current batch, and of committed batches.
        var batch = 0
        var total = 0
        /// `recordMark` of the last record that noted it: a record counts once.
        var mark = 0
    }

    @exclusivity(unchecked) private var entries: [Entry] = []
    /// Names as reported (dotted paths for nested keys), parallel to `entries`.
    @exclusivity(unchecked) private var names: [String] = []
    @exclusivity(unchecked) private var nameBytes: [UInt8] = []
    /// Open addressing over `entries` (index, or -1 when empty); allocated at the first
    /// unknown key, at least twice ``UnknownKeyCount/maximumNames`` so it never grows.
    @exclusivity(unchecked) private var slots: [Int32] = []
    /// A power of two (the probe masks with it) at least twice the most entries.
    private static let slotCount = 1 << (Int.bitWidth - (2 * UnknownKeyCount.maximumNames - 1).leadingZeroBitCount)
    /// Entries the current record noted.
    @exclusivity(unchecked) private var pending: [Int32] = []
    /// The current record noted a key past the name limit.
    @exclusivity(unchecked) private var pendingOverflow = false
    @exclusivity(unchecked) private var recordMark = 1
    /// Entries with records in the current batch, in order of their first record.
    @exclusivity(unchecked) private var touched: [Int32] = []
    @exclusivity(unchecked) private var batchOverflow = 0
    @exclusivity(unchecked) private var totalOverflow = 0
    /// Entries and name bytes before the current batch, to forget the names a failed batch added.
    @exclusivity(unchecked) private var committedEntries = 0
    @exclusivity(unchecked) private var committedNameBytes = 0

    /// Notes an unknown key of the current record, when its name is tracked or past the limit.
    /// - Parameters:
    ///   - node: The nested node of the object holding the key, or -1 for a record's key.
    ///   - key: The key's (unescaped) bytes.
    ///   - length: Their count.
    ///   - hash: ``_keyHash(_:_:)`` of the bytes.
    /// - Returns: False when the key is new and there is room for it: the caller then makes
    ///   its name and calls ``insert(node:key:length:hash:name:)`` (so names are built at most
    ///   ``UnknownKeyCount/maximumNames`` times in a writer's life, never per record).
    func note(node: Int32, key: UnsafePointer<UInt8>, length: Int, hash: UInt64) -> Bool {
        if slots.isEmpty { slots = Array(repeating: -1, count: Self.slotCount) }
        let slot = find(node: node, key: key, length: length, hash: mix(hash, node))
        guard slot.entry < 0 else {
            if entries[slot.entry].mark != recordMark {
                entries[slot.entry].mark = recordMark
                pending.append(Int32(slot.entry))
            }
            return true
        }
        guard entries.count < UnknownKeyCount.maximumNames else {
            pendingOverflow = true
            return true
        }
        return false
    }

    /// The hash of a key mixed with its node, so one key in two objects is two entries.
    @inline(__always)
    private func mix(_ hash: UInt64, _ node: Int32) -> UInt64 {
        hash ^ (UInt64(UInt32(bitPattern: node)) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The slot of the key's entry, or of the empty slot where it belongs (`entry` -1).
    private func find(
        node: Int32, key: UnsafePointer<UInt8>, length: Int, hash: UInt64
    ) -> (slot: Int, entry: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            let entry = entries[index]
            if entry.hash == hash && entry.node == node && entry.length == length
                && nameBytes.withUnsafeBufferPointer({ length == 0 || _bytesEqual($0.baseAddress! + entry.start, key, length) })
            {
                return (slot, index)
            }
            slot = (slot + 1) & mask
        }
        return (slot, -1)
    }

    /// Adds a key ``note(node:key:length:hash:)`` did not find, noted for the current record.
    /// - Parameters:
    ///   - node: As for ``note(node:key:length:hash:)``.
    ///   - key: The key's (unescaped) bytes.
    ///   - length: Their count.
    ///   - hash: ``_keyHash(_:_:)`` of the bytes.
    ///   - name: The name to report.
    func insert(node: Int32, key: UnsafePointer<UInt8>, length: Int, hash: UInt64, name: String) {
        let mixed = mix(hash, node)
        let slot = find(node: node, key: key, length: length, hash: mixed).slot
        let index = entries.count
        entries.append(Entry(hash: mixed, node: node, start: nameBytes.count, length: length, mark: recordMark))
        nameBytes.append(contentsOf: UnsafeBufferPointer(start: key, count: length))
        names.append(name)
        slots[slot] = Int32(index)
        pending.append(Int32(index))
    }

    /// Counts the keys the current (accepted) record noted.
    func commitRecord() {
        for index in pending {
            let position = Int(index)
            if entries[position].batch == 0 { touched.append(index) }
            entries[position].batch += 1
        }
        if pendingOverflow { batchOverflow += 1 }
        endRecord()
    }

    /// Forgets the keys the current (rejected) record noted.
    func discardRecord() {
        endRecord()
    }

    private func endRecord() {
        pending.removeAll(keepingCapacity: true)
        pendingOverflow = false
        recordMark &+= 1
    }

    /// The current batch's counts, in order of first appearance, the overflow last.
    func batchCounts() -> [UnknownKeyCount] {
        var counts = touched.map { UnknownKeyCount(name: names[Int($0)], records: entries[Int($0)].batch) }
        if batchOverflow > 0 { counts.append(UnknownKeyCount(name: UnknownKeyCount.overflowName, records: batchOverflow)) }
        return counts
    }

    /// Adds the current batch's counts to the totals; the next batch starts empty.
    func commitBatch() {
        for index in touched {
            entries[Int(index)].total += entries[Int(index)].batch
            entries[Int(index)].batch = 0
        }
        totalOverflow += batchOverflow
        batchOverflow = 0
        touched.removeAll(keepingCapacity: true)
        committedEntries = entries.count
        committedNameBytes = nameBytes.count
        endRecord()
    }

    /// Forgets the current batch: its counts and the names it added.
    func abandonBatch() {
        for index in touched { entries[Int(index)].batch = 0 }
        batchOverflow = 0
        touched.removeAll(keepingCapacity: true)
        endRecord()
        guard entries.count > committedEntries else { return }
        entries.removeSubrange(committedEntries...)
        names.removeSubrange(committedEntries...)
        nameBytes.removeSubrange(committedNameBytes...)
        // Emptying the removed entries' slots would break probe chains that ran through them:
        // the rest are inserted again (a failed batch that added names is rare).
        for slot in slots.indices { slots[slot] = -1 }
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// The committed counts of the writer's life, in order of first appearance, the overflow last.
    var totals: [UnknownKeyCount] {
        var counts: [UnknownKeyCount] = []
        for (index, entry) in entries.enumerated() where entry.total > 0 {
            counts.append(UnknownKeyCount(name: names[index], records: entry.total))
        }
        if totalOverflow > 0 { counts.append(UnknownKeyCount(name: UnknownKeyCount.overflowName, records: totalOverflow)) }
        return counts
    }
}
