import ParquetBytes

extension RLEBitPackedHybridEncoder {
    /// Writes the open RLE run (``_repeatCount`` copies of ``_previous``), closing any
    /// bit-packed run first. The pending values are copies inside the run and are dropped.
    @inlinable
    internal mutating func _writeRLERun() {
        _closeBitPackedRun()
        let header = UInt64(_repeatCount) &<< 1
        let value = _previous
        let byteWidth = _byteWidth
        _output.writeUnsafe(maxBytes: 10 &+ 4) { pointer in
            let headerSize = ByteBuffer.storeVarint(header, at: pointer)
            var bits = value
            for index in 0..<byteWidth {
                pointer.storeBytes(of: UInt8(truncatingIfNeeded: bits), toByteOffset: headerSize &+ index, as: UInt8.self)
                bits &>>= 8
            }
            return headerSize &+ byteWidth
        }
        _repeatCount = 0
        _pendingCount = 0
    }

    /// Bit-packs the 8 pending values as one group of the open bit-packed run.
    @inlinable
    internal mutating func _packPendingGroup() {
        _packGroup(_pending)
    }

    /// Bit-packs 8 values as one group of the open bit-packed run, opening a run (and
    /// reserving its header byte) if none is open or the open one is full.
    ///
    /// The group travels by value: the values were just stored one by one, and reading them
    /// back as one wide copy through memory would stall store-to-load forwarding.
    /// - Parameter group: The values; bits above the bit width must be zero.
    @inlinable
    internal mutating func _packGroup(_ group: _Group) {
        if _bitPackedGroupCount == Self._maxGroupsPerRun { _closeBitPackedRun() }
        let openRun = _bitPackedHeaderOffset < 0
        if openRun { _bitPackedHeaderOffset = _output.count }
        let width = _bitWidth
        _output.writeUnsafe(maxBytes: 1 &+ width) { pointer in
            var out = pointer
            if openRun {
                // Placeholder; patched with the group count when the run closes.
                out.storeBytes(of: 0, as: UInt8.self)
                out += 1
            }
            var packer = _BitPacker(bitWidth: width, output: out)
            packer.put(group.0)
            packer.put(group.1)
            packer.put(group.2)
            packer.put(group.3)
            packer.put(group.4)
            packer.put(group.5)
            packer.put(group.6)
            packer.put(group.7)
            packer.finishGroup()
            return (openRun ? 1 : 0) &+ width
        }
        _bitPackedGroupCount &+= 1
        _pendingCount = 0
        _repeatCount = 0
    }

    /// Patches the reserved header byte of the open bit-packed run, if any, and closes it.
    @inlinable
    internal mutating func _closeBitPackedRun() {
        let headerOffset = _bitPackedHeaderOffset
        guard headerOffset >= 0 else { return }
        let header = UInt8(truncatingIfNeeded: (_bitPackedGroupCount &<< 1) | 1)
        let distanceBack = _output.count &- headerOffset
        // ByteBuffer has no single-byte patch; a zero-byte reservation hands out the end of
        // its contiguous storage, and the header byte lies `distanceBack` bytes before it.
        _output.writeUnsafe(maxBytes: 0) { end in
            #if DEBUG
            precondition(distanceBack > 0, "bit-packed header offset past the end")
            #endif
            (end - distanceBack).storeBytes(of: header, as: UInt8.self)
            return 0
        }
        _bitPackedHeaderOffset = -1
        _bitPackedGroupCount = 0
    }

    /// The header bytes that packing one more group would add: 1 if it has to open a run.
    @inlinable
    internal var _newRunHeaderSize: Int {
        _bitPackedHeaderOffset < 0 || _bitPackedGroupCount == Self._maxGroupsPerRun ? 1 : 0
    }

    /// Writes out everything still buffered so that ``_output`` holds the complete encoding.
    @inlinable
    internal mutating func _finish() {
        if _repeatCount >= 8 {
            _writeRLERun()
        } else if _pendingCount > 0 {
            let pendingCount = _pendingCount
            if _repeatCount == pendingCount {
                // The partial group is one repeated value: an RLE run may be shorter than a
                // zero-padded group (always at bit width 0, where a group packs to nothing).
                let rleSize = ByteBuffer.varintSize(UInt64(pendingCount) &<< 1) &+ _byteWidth
                let packedSize = _bitWidth &+ _newRunHeaderSize
                if rleSize <= packedSize {
                    _writeRLERun()
                    return
                }
            }
            withUnsafeMutableBytes(of: &_pending) { pending in
                for index in pendingCount..<8 {
                    pending.storeBytes(of: 0, toByteOffset: index &<< 2, as: UInt32.self)
                }
            }
            _packPendingGroup()
        }
        _closeBitPackedRun()
    }

    /// Clears all state for the next page, keeping the output buffer's capacity.
    @inlinable
    internal mutating func _reset() {
        _output.removeAll(keepingCapacity: true)
        _pendingCount = 0
        _previous = 0
        _repeatCount = 0
        _bitPackedHeaderOffset = -1
        _bitPackedGroupCount = 0
        _count = 0
    }
}
