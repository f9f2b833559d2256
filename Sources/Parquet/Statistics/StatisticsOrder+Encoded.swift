extension ColumnDescriptor {
    /// Compares two PLAIN-encoded statistic values in the column's order
    /// (used to merge row-group statistics into whole-file ones).
    /// - Returns: A negative number, zero or a positive number as `a` sorts before, with or after `b`.
    func compareEncoded(_ a: [UInt8], _ b: [UInt8]) -> Int {
        func ordered<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        switch (storage, statisticsOrder) {
        case (.boolean, _): return ordered(a.first ?? 0, b.first ?? 0)
        case (.int32, .unsigned): return ordered(UInt32(bitPattern: load(a, Int32.self)), UInt32(bitPattern: load(b, Int32.self)))
        case (.int32, _): return ordered(load(a, Int32.self), load(b, Int32.self))
        case (.int64, .unsigned): return ordered(UInt64(bitPattern: load(a, Int64.self)), UInt64(bitPattern: load(b, Int64.self)))
        case (.int64, _): return ordered(load(a, Int64.self), load(b, Int64.self))
        case (.float, _): return ordered(load(a, Float.self), load(b, Float.self))
        case (.double, _): return ordered(load(a, Double.self), load(b, Double.self))
        case (_, .signedBigEndianBytes):
            return a.withUnsafeBytes { x in b.withUnsafeBytes { y in ByteArrayStatistics.compareSignedBigEndian(x, y) } }
        default:
            return a.withUnsafeBytes { x in b.withUnsafeBytes { y in ByteArrayStatistics.compareUnsigned(x, y) } }
        }
    }

    /// Decodes a PLAIN-encoded statistic for ``ColumnSummary``.
    func decodeStatistic(_ bytes: [UInt8]) -> StatisticValue {
        switch storage {
        case .boolean: return .boolean(bytes.first == 1)
        case .int32:
            let value = load(bytes, Int32.self)
            return statisticsOrder == .unsigned ? .uint(UInt64(UInt32(bitPattern: value))) : .int(Int64(value))
        case .int64:
            let value = load(bytes, Int64.self)
            return statisticsOrder == .unsigned ? .uint(UInt64(bitPattern: value)) : .int(value)
        case .float: return .float(Double(load(bytes, Float.self)))
        case .double: return .float(load(bytes, Double.self))
        case .byteArray, .fixedLenByteArray:
            if isText, let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
            return .bytes(bytes)
        }
    }

    private func load<T: BitwiseCopyable>(_ bytes: [UInt8], _ type: T.Type) -> T {
        precondition(bytes.count == MemoryLayout<T>.size, "statistic of the wrong width")
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
}
