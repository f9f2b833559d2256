import ParquetBytes

extension Bool: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        try sink.builder.storeBoolean(self)
    }

    public static func _storeContiguous(_ values: UnsafeBufferPointer<Bool>, into sink: inout _ColumnSink) -> Bool {
        guard case .boolean = sink.builder.descriptor.type else { return false }
        sink.builder.appendPresent(count: values.count)
        sink.builder.booleans.append(contentsOf: values)
        return true
    }
}

extension Int: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension Int8: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension Int16: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension Int32: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }

    /// int32 and date columns store any Int32 as it is.
    public static func _storeContiguous(_ values: UnsafeBufferPointer<Int32>, into sink: inout _ColumnSink) -> Bool {
        switch sink.builder.descriptor.type {
        case .int32, .date:
            sink.builder.appendPresent(count: values.count)
            sink.builder.int32s.append(contentsOf: values)
            return true
        default:
            return false
        }
    }
}
extension Int64: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }

    /// int64 and timestamp columns store any Int64 as it is.
    public static func _storeContiguous(_ values: UnsafeBufferPointer<Int64>, into sink: inout _ColumnSink) -> Bool {
        switch sink.builder.descriptor.type {
        case .int64, .timestamp:
            sink.builder.appendPresent(count: values.count)
            sink.builder.int64s.append(contentsOf: values)
            return true
        default:
            return false
        }
    }
}
extension Int128: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension UInt: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension UInt8: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension UInt16: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension UInt32: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}
extension UInt64: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
}

extension Double: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeFloatingPoint(self) }

    public static func _storeContiguous(_ values: UnsafeBufferPointer<Double>, into sink: inout _ColumnSink) -> Bool {
        guard case .float64 = sink.builder.descriptor.type else { return false }
        sink.builder.appendPresent(count: values.count)
        sink.builder.doubles.append(contentsOf: values)
        return true
    }
}
extension Float: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeFloatingPoint(Double(self)) }

    public static func _storeContiguous(_ values: UnsafeBufferPointer<Float>, into sink: inout _ColumnSink) -> Bool {
        guard case .float32 = sink.builder.descriptor.type else { return false }
        sink.builder.appendPresent(count: values.count)
        sink.builder.floats.append(contentsOf: values)
        return true
    }
}

extension String: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        try sink.builder.storeText(self)
    }
}

extension Array: ColumnValue where Element == UInt8 {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        try withUnsafeBufferPointer { bytes throws(ParquetError) in
            try sink.builder.storeBytes(UnsafeRawBufferPointer(bytes))
        }
    }
}
