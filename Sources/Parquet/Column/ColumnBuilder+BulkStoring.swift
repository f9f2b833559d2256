import ParquetBytes

/// Checked appends of whole runs of a flat column, for producers that hold columnar data
/// (Arrow arrays): the same conversions and checks as the per-value stores in
/// `ColumnBuilder+Storing.swift`, paid once per run instead of once per value.
extension ColumnBuilder {
    /// Appends `count` present values of a flat column stored exactly as the column keeps
    /// them (an Arrow int64 array for an int64 or same-unit timestamp column, ...).
    /// - Parameter values: The values; `Element` must be the column's physical element type.
    package mutating func storeExact<Element: BitwiseCopyable>(_ values: UnsafeBufferPointer<Element>) {
        switch descriptor.storage {
        case .int32 where Element.self == Int32.self:
            int32s.append(contentsOf: UnsafeRawBufferPointer(values).bindMemory(to: Int32.self))
        case .int64 where Element.self == Int64.self:
            int64s.append(contentsOf: UnsafeRawBufferPointer(values).bindMemory(to: Int64.self))
        case .float where Element.self == Float.self:
            floats.append(contentsOf: UnsafeRawBufferPointer(values).bindMemory(to: Float.self))
        case .double where Element.self == Double.self:
            doubles.append(contentsOf: UnsafeRawBufferPointer(values).bindMemory(to: Double.self))
        default:
            preconditionFailure("storeExact: \(Element.self) is not how \(descriptor.type.name) is stored")
        }
        appendPresent(count: values.count)
    }

    /// Appends consecutive BYTE_ARRAY values of a flat string, json or binary column, given as
    /// `count + 1` offsets into `data` (Arrow's string and binary layout).
    ///
    /// String and json values must be UTF-8: the run is validated once, and every value must
    /// start on a character boundary, which together make each value valid.
    /// - Parameters:
    ///   - data: The bytes the offsets point into.
    ///   - offsets: Non-decreasing offsets, one more than the values.
    /// - Throws: `.typeMismatch` for another column type, `.invalidValue` for bytes that are
    ///   not UTF-8 in a string or json column (nothing is appended), `.limitExceeded` for a
    ///   value over ``maximumValueBytes``.
    package mutating func storeByteArrayRun(
        data: UnsafeRawPointer, offsets: UnsafeBufferPointer<Int32>
    ) throws(ParquetError) {
        try storeByteArrays(data: data, offsets: offsets)
    }

    /// The same for 64-bit offsets (Arrow's large_string and large_binary).
    package mutating func storeByteArrayRun(
        data: UnsafeRawPointer, offsets: UnsafeBufferPointer<Int64>
    ) throws(ParquetError) {
        try storeByteArrays(data: data, offsets: offsets)
    }

    /// Both offset widths, specialized for each by the two entry points above (a generic
    /// called across modules would run unspecialized: a witness call per offset).
    @inline(__always)
    private mutating func storeByteArrays<Offset: FixedWidthInteger>(
        data: UnsafeRawPointer, offsets valueOffsets: UnsafeBufferPointer<Offset>
    ) throws(ParquetError) {
        let count = valueOffsets.count - 1
        guard count > 0 else { return }
        let first = Int(valueOffsets[0])
        let end = Int(valueOffsets[count])
        let run = UnsafeRawBufferPointer(start: data + first, count: end - first)
        switch descriptor.type {
        case .binary:
            break
        case .string, .json:
            var valid = (try? Self.checkUTF8(run)) != nil
            for index in 0..<count where valid {
                let start = Int(valueOffsets[index]) - first
                if start < run.count && run[start] & 0xC0 == 0x80 { valid = false }
            }
            if !valid {
                // The error names the first value that is not UTF-8 (the run's check cannot say
                // which; a value cut mid-character comes before the one its tail starts).
                // Checked one by one only here, on the failure path.
                for index in 0..<count {
                    let start = Int(valueOffsets[index]) - first
                    let value = UnsafeRawBufferPointer(rebasing: run[start..<(Int(valueOffsets[index + 1]) - first)])
                    if (try? Self.checkUTF8(value)) == nil {
                        throw ParquetError(.invalidValue, "bytes are not valid UTF-8", row: index)
                    }
                }
                throw ParquetError(.invalidValue, "bytes are not valid UTF-8", row: 0)
            }
        default:
            throw ParquetError(.typeMismatch, "a \(descriptor.type.name) column does not take byte arrays")
        }
        if end - first > ColumnBuilder.maximumValueBytes {
            for index in 0..<count where Int(valueOffsets[index + 1] - valueOffsets[index]) > ColumnBuilder.maximumValueBytes {
                throw ParquetError(
                    .limitExceeded,
                    "a value of \(valueOffsets[index + 1] - valueOffsets[index]) bytes exceeds the \(ColumnBuilder.maximumValueBytes)-byte limit",
                    row: index)
            }
        }
        let base = bytes.count - first
        bytes.append(contentsOf: run)
        offsets.reserveForAppending(count)
        for index in 1...count { offsets.append(base + Int(valueOffsets[index])) }
        appendPresent(count: count)
    }

    /// Throws `.invalidValue` unless `bytes` are UTF-8.
    package static func checkUTF8(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        let valid = bytes.withMemoryRebound(to: UInt8.self) { buffer in
            (try? UTF8Span(validating: Span(_unsafeElements: buffer))) != nil
        }
        guard valid else { throw ParquetError(.invalidValue, "bytes are not valid UTF-8") }
    }
}
