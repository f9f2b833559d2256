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
        case .boolean where Element.self == Bool.self:
            booleans.append(contentsOf: UnsafeRawBufferPointer(values).bindMemory(to: Bool.self))
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

    /// Whether the column keeps Swift `Value`s exactly as they are (`Int64` in an int64 or
    /// timestamp column, `Double` in a float64 one, ...), so a run of them is stored with
    /// ``storeExact(_:)``, without a conversion or a check that could fail.
    /// - Parameter type: The Swift type of the values.
    /// - Returns: Whether ``storeExact(_:)`` takes them.
    @inline(__always)
    package func storesExactly<Value>(_ type: Value.Type) -> Bool {
        switch descriptor.type {
        case .boolean: Value.self == Bool.self
        case .int32, .date: Value.self == Int32.self
        case .int64, .timestamp: Value.self == Int64.self
        case .float32: Value.self == Float.self
        case .float64: Value.self == Double.self
        default: false
        }
    }

    /// Appends a run with ``storeExact(_:)`` when the column keeps `Value` exactly.
    /// - Parameter values: The values.
    /// - Returns: false, storing nothing, when it does not (the caller then stores value by value).
    @inline(__always)
    package mutating func storeExactIfKept<Value: BitwiseCopyable>(_ values: UnsafeBufferPointer<Value>) -> Bool {
        guard descriptor.maxRepetitionLevel == 0, storesExactly(Value.self) else { return false }
        storeExact(values)
        return true
    }

    /// Appends a run of optionals to a flat column that keeps `Value` exactly
    /// (``storesExactly(_:)``), `nil` as null: the levels and the values grow once for the
    /// run, with no per-value conversion.
    /// - Parameters:
    ///   - values: The values.
    ///   - stored: On a throw, the position of the rejected value.
    /// - Returns: false, storing nothing, when the column does not keep `Value` exactly (the
    ///   caller then stores value by value).
    /// - Throws: `.invalidValue` for a `nil` in a required column; nothing is stored then.
    @inline(__always)
    package mutating func storeExact<Value: BitwiseCopyable>(
        optionals values: UnsafeBufferPointer<Value?>, stored: inout Int
    ) throws(ParquetError) -> Bool {
        guard descriptor.maxRepetitionLevel == 0, storesExactly(Value.self) else { return false }
        let nullable = descriptor.maxDefinitionLevel > 0
        if !nullable, let index = values.firstIndex(where: { $0 == nil }) {
            stored = index
            throw Self.nullInRequiredColumn
        }
        // Present values at the maximum level and nulls at 0, as appendPresent and appendNull.
        let present: UInt8? = nullable ? UInt8(descriptor.maxDefinitionLevel) : nil
        switch descriptor.storage {
        case .boolean: Self.append(values, as: Bool.self, to: &booleans, levels: &definitionLevels, present: present)
        case .int32: Self.append(values, as: Int32.self, to: &int32s, levels: &definitionLevels, present: present)
        case .int64: Self.append(values, as: Int64.self, to: &int64s, levels: &definitionLevels, present: present)
        case .float: Self.append(values, as: Float.self, to: &floats, levels: &definitionLevels, present: present)
        case .double: Self.append(values, as: Double.self, to: &doubles, levels: &definitionLevels, present: present)
        case .byteArray, .fixedLenByteArray: preconditionFailure("storesExactly admits fixed-width types only")
        }
        rowCount &+= values.count
        stored = values.count
        return true
    }

    /// ``storeExact(optionals:stored:)``'s loop for one value buffer: levels when the column
    /// has them (`present` for a value, 0 for a null), then the present values packed.
    @inline(__always)
    private static func append<Value, Element>(
        _ values: UnsafeBufferPointer<Value?>, as element: Element.Type, to buffer: inout [Element],
        levels: inout [UInt8], present: UInt8?
    ) {
        let values = UnsafeRawBufferPointer(values).bindMemory(to: Element?.self)
        if let present {
            levels.appendFilled(count: values.count, zero: 0) { levels in
                for index in values.indices where values[index] != nil { levels[index] = present }
            }
        }
        buffer.reserveForAppending(values.count)
        for value in values {
            if let value { buffer.append(value) }
        }
    }

    /// Appends Swift strings to a flat string, json or binary column: their UTF-8 bytes as
    /// they are (a Swift string is always valid UTF-8), `nil` as null. The run is checked and
    /// sized first, so the bytes, offsets and levels grow once for it, not once per value.
    /// - Parameters:
    ///   - count: The number of values.
    ///   - stored: On a throw, the position of the rejected value.
    ///   - text: The value at a position (`nil` is null); called up to three times per position.
    /// - Returns: false, storing nothing, for another kind of column (uuid and decimal columns
    ///   parse the text: the caller stores those value by value).
    /// - Throws: `.invalidValue` for a `nil` in a required column, `.limitExceeded` for a value
    ///   over ``maximumValueBytes``; nothing is stored then.
    @inline(__always)
    package mutating func storeTexts(
        count: Int, stored: inout Int, _ text: (Int) -> String?
    ) throws(ParquetError) -> Bool {
        switch descriptor.type {
        case .string, .json, .binary: break
        default: return false
        }
        guard descriptor.maxRepetitionLevel == 0 else { return false }
        let nullable = descriptor.maxDefinitionLevel > 0
        let present = UInt8(descriptor.maxDefinitionLevel)
        var total = 0
        var nulls = 0
        for index in 0..<count {
            guard let value = text(index) else {
                guard nullable else {
                    stored = index
                    throw Self.nullInRequiredColumn
                }
                nulls &+= 1
                continue
            }
            let length = value.utf8.count
            guard length <= Self.maximumValueBytes else {
                stored = index
                throw Self.valueTooLarge(length)
            }
            total &+= length
        }
        // Sized, so every value is copied through a pointer: no capacity or uniqueness check
        // per value.
        let origin = bytes.count
        offsets.appendFilled(count: count &- nulls, zero: 0) { ends in
            _ = bytes.writeUnsafe(maxBytes: total) { base in
                var written = 0
                var next = 0
                for index in 0..<count {
                    guard var value = text(index) else { continue }
                    let copy = { (utf8: UnsafeBufferPointer<UInt8>) in
                        if let from = utf8.baseAddress { (base + written).copyMemory(from: from, byteCount: utf8.count) }
                        written &+= utf8.count
                    }
                    if value.utf8.withContiguousStorageIfAvailable(copy) == nil { value.withUTF8(copy) }
                    ends[next] = origin &+ written
                    next &+= 1
                }
                return written
            }
        }
        if nullable {
            definitionLevels.appendFilled(count: count, zero: 0) { levels in
                for index in 0..<count where text(index) != nil { levels[index] = present }
            }
        }
        rowCount &+= count
        stored = count
        return true
    }

    /// The error for a null given to a required column.
    package static var nullInRequiredColumn: ParquetError {
        ParquetError(.invalidValue, "null in a non-nullable column")
    }

    /// The error for a BYTE_ARRAY value over ``maximumValueBytes``.
    /// - Parameter length: The value's length in bytes.
    package static func valueTooLarge(_ length: Int) -> ParquetError {
        ParquetError(.limitExceeded, "a value of \(length) bytes exceeds the \(maximumValueBytes)-byte limit")
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
                var error = Self.valueTooLarge(Int(valueOffsets[index + 1] - valueOffsets[index]))
                error.row = index
                throw error
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
