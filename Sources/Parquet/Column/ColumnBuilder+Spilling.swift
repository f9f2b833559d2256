import ParquetBytes

/// Staged rows written to a scratch file and read back: how a partitioned dataset writer
/// keeps its memory budget while partitions wait for enough rows to fill a row group.
///
/// The layout is the builder's own buffers back to back, behind a header of five counts, in
/// the host's byte order: it is read back by the same process, never by anyone else.
extension ColumnBuilder {
    /// Memory the builder holds, in bytes, as a budget counts it: its buffers' capacities
    /// (an array that grew by doubling holds up to twice its contents), each array's taken as
    /// the power of two its count grew to (``Array/reserveForAppending(_:)``), not as
    /// `capacity` says.
    ///
    /// Why not `capacity`: Swift sets it from what malloc really gave (`malloc_usable_size`),
    /// which depends on the heap's state, so two writers given the same rows measured
    /// slightly different sizes, and a budget decision on the edge (which partition spills,
    /// when a row group is written early) went either way: the files' row groups and names
    /// differed from run to run. The count alone decides this figure, for `bytes` too (a
    /// ``ByteBuffer`` grows by doubling as well): a builder emptied with its capacity kept
    /// counts 0 here, and whoever keeps it counts what it kept.
    package var heldBytes: Int {
        var total = Self.nominal(definitionLevels) + Self.nominal(repetitionLevels)
        switch descriptor.storage {
        case .boolean: total += Self.nominal(booleans)
        case .int32: total += Self.nominal(int32s)
        case .int64: total += Self.nominal(int64s)
        case .float: total += Self.nominal(floats)
        case .double: total += Self.nominal(doubles)
        case .byteArray: total += [UInt8].nominalCapacity(bytes.count) + Self.nominal(offsets)
        case .fixedLenByteArray: total += [UInt8].nominalCapacity(bytes.count)
        }
        return total
    }

    /// An array's bytes as ``heldBytes`` counts them.
    private static func nominal<Element>(_ array: [Element]) -> Int {
        [Element].nominalCapacity(array.count) * MemoryLayout<Element>.stride
    }

    /// The bytes ``serialize(into:)`` appends.
    package var serializedByteCount: Int {
        var total = Self.headerBytes + definitionLevels.count + repetitionLevels.count
        switch descriptor.storage {
        case .boolean: total += booleans.count
        case .int32: total += int32s.count * 4
        case .int64: total += int64s.count * 8
        case .float: total += floats.count * 4
        case .double: total += doubles.count * 8
        case .byteArray: total += (offsets.count - 1) * 8 + bytes.count
        case .fixedLenByteArray: total += bytes.count
        }
        return total
    }

    private static let headerBytes = 5 * 8

    /// Appends the staged rows to `buffer`.
    package func serialize(into buffer: inout ByteBuffer) {
        let valueElements: Int
        switch descriptor.storage {
        case .boolean: valueElements = booleans.count
        case .int32: valueElements = int32s.count
        case .int64: valueElements = int64s.count
        case .float: valueElements = floats.count
        case .double: valueElements = doubles.count
        case .byteArray: valueElements = offsets.count - 1
        case .fixedLenByteArray: valueElements = bytes.count
        }
        buffer.reserveCapacity(buffer.count + serializedByteCount)
        buffer.appendLittleEndian(Int64(rowCount))
        buffer.appendLittleEndian(Int64(definitionLevels.count))
        buffer.appendLittleEndian(Int64(repetitionLevels.count))
        buffer.appendLittleEndian(Int64(valueElements))
        buffer.appendLittleEndian(Int64(bytes.count))
        definitionLevels.withUnsafeBytes { buffer.append(contentsOf: $0) }
        repetitionLevels.withUnsafeBytes { buffer.append(contentsOf: $0) }
        switch descriptor.storage {
        case .boolean: booleans.withUnsafeBytes { buffer.append(contentsOf: $0) }
        case .int32: int32s.withUnsafeBytes { buffer.append(contentsOf: $0) }
        case .int64: int64s.withUnsafeBytes { buffer.append(contentsOf: $0) }
        case .float: floats.withUnsafeBytes { buffer.append(contentsOf: $0) }
        case .double: doubles.withUnsafeBytes { buffer.append(contentsOf: $0) }
        case .byteArray:
            // Value ends only (the first start is always 0 in a serialized run), written
            // through one reservation: no capacity check per value.
            let base = offsets[0]
            offsets.withUnsafeBufferPointer { offsets in
                _ = buffer.writeUnsafe(maxBytes: (offsets.count - 1) * 8) { out in
                    for index in 1..<offsets.count {
                        out.storeBytes(
                            of: Int64(offsets[index] - base).littleEndian, toByteOffset: (index - 1) * 8, as: Int64.self)
                    }
                    return (offsets.count - 1) * 8
                }
            }
            bytes.withUnsafeReadableBytes { buffer.append(contentsOf: $0) }
        case .fixedLenByteArray:
            bytes.withUnsafeReadableBytes { buffer.append(contentsOf: $0) }
        }
    }

    /// Appends rows serialized by ``serialize(into:)`` for the same column.
    /// - Parameter raw: Starts with a serialized builder.
    /// - Returns: The bytes of `raw` it took.
    package mutating func appendSerialized(_ raw: UnsafeRawBufferPointer) -> Int {
        func count(_ field: Int) -> Int {
            Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: field * 8, as: Int64.self)))
        }
        let rows = count(0)
        let definitions = count(1)
        let repetitions = count(2)
        let valueElements = count(3)
        let byteCount = count(4)
        var offset = Self.headerBytes
        func take(_ length: Int) -> UnsafeRawBufferPointer {
            defer { offset += length }
            return UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)])
        }
        definitionLevels.append(contentsOf: take(definitions))
        repetitionLevels.append(contentsOf: take(repetitions))
        // Elements are copied as bytes (the run was written by this process, in its byte
        // order), into room made once: no capacity check per element, and no alignment
        // needed of the source.
        func appendElements<Element: BitwiseCopyable>(_ array: inout [Element], stride: Int, zero: Element) {
            let source = take(valueElements * stride)
            array.appendFilled(count: valueElements, zero: zero) { out in
                UnsafeMutableRawBufferPointer(out).copyMemory(from: source)
            }
        }
        switch descriptor.storage {
        case .boolean: booleans.append(contentsOf: take(valueElements).lazy.map { $0 != 0 })
        case .int32: appendElements(&int32s, stride: 4, zero: 0)
        case .int64: appendElements(&int64s, stride: 8, zero: 0)
        case .float: appendElements(&floats, stride: 4, zero: 0)
        case .double: appendElements(&doubles, stride: 8, zero: 0)
        case .byteArray:
            let ends = take(valueElements * 8)
            let shift = bytes.count
            offsets.appendFilled(count: valueElements, zero: 0) { out in
                for index in 0..<valueElements {
                    out[index] = shift + Int(Int64(littleEndian: ends.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)))
                }
            }
            bytes.append(contentsOf: take(byteCount))
        case .fixedLenByteArray:
            bytes.append(contentsOf: take(byteCount))
        }
        rowCount &+= rows
        return offset
    }
}
