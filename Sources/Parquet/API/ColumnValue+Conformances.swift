import ParquetBytes

extension Bool: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        try sink.builder.storeBoolean(self)
    }

    public static func _storeContiguous(_ values: UnsafeBufferPointer<Bool>, into sink: inout _ColumnSink) -> Bool {
        sink.builder.storeExactIfKept(values)
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
        sink.builder.storeExactIfKept(values)
    }
}
extension Int64: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }

    /// int64 and timestamp columns store any Int64 as it is.
    public static func _storeContiguous(_ values: UnsafeBufferPointer<Int64>, into sink: inout _ColumnSink) -> Bool {
        sink.builder.storeExactIfKept(values)
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
        sink.builder.storeExactIfKept(values)
    }
}
extension Float: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeFloatingPoint(Double(self)) }

    public static func _storeContiguous(_ values: UnsafeBufferPointer<Float>, into sink: inout _ColumnSink) -> Bool {
        sink.builder.storeExactIfKept(values)
    }
}

extension String: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        try sink.builder.storeText(self)
    }

    /// Text columns take the run at once; uuid and decimal columns parse each value.
    public static func _storeEach(
        _ values: UnsafeBufferPointer<String>, into sink: inout _ColumnSink, stored: inout Int
    ) throws(ParquetError) {
        if try sink.builder.storeTexts(count: values.count, stored: &stored, { values[$0] }) { return }
        for value in values {
            try sink.builder.storeText(value)
            stored &+= 1
        }
    }
}

extension Array: ColumnValue where Element == UInt8 {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        try withUnsafeBufferPointer { bytes throws(ParquetError) in
            try sink.builder.storeBytes(UnsafeRawBufferPointer(bytes))
        }
    }
}
