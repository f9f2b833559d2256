extension ColumnBuilder {
    /// Appends every row staged in `other` (a builder of the same column) after this one's
    /// rows: what joins the pieces of a batch parsed on several threads, in record order. The
    /// result is what appending the rows one by one would have staged.
    /// - Parameter other: Rows of the same column; left unchanged.
    package mutating func appendContents(of other: ColumnBuilder) {
        definitionLevels.append(contentsOf: other.definitionLevels)
        repetitionLevels.append(contentsOf: other.repetitionLevels)
        switch descriptor.storage {
        case .boolean: booleans.append(contentsOf: other.booleans)
        case .int32: int32s.append(contentsOf: other.int32s)
        case .int64: int64s.append(contentsOf: other.int64s)
        case .float: floats.append(contentsOf: other.floats)
        case .double: doubles.append(contentsOf: other.doubles)
        case .fixedLenByteArray:
            other.bytes.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
        case .byteArray:
            // The other builder's offsets start at 0: they move by this builder's bytes.
            let base = bytes.count
            other.bytes.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
            offsets.reserveForAppending(other.offsets.count - 1)
            other.offsets.withUnsafeBufferPointer { source in
                for index in 1..<source.count { offsets.append(base &+ source[index]) }
            }
        }
        rowCount += other.rowCount
    }
}
