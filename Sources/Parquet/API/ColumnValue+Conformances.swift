import ParquetBytes

extension Bool: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        guard case .boolean = sink.builder.descriptor.type else { throw sink.builder.mismatch("Bool") }
        sink.builder.appendPresent()
        sink.builder.booleans.append(self)
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
}
extension Int64: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeInteger(self) }
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
}
extension Float: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) { try sink.builder.storeFloatingPoint(Double(self)) }
}

extension String: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        // withUTF8 is rethrows, so the typed error is carried out by hand.
        var text = self
        var failure: ParquetError?
        text.withUTF8 { bytes in
            do throws(ParquetError) { try sink.builder.storeText(UnsafeRawBufferPointer(bytes)) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

extension Array: ColumnValue where Element == UInt8 {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        try withUnsafeBufferPointer { bytes throws(ParquetError) in
            try sink.builder.storeBytes(UnsafeRawBufferPointer(bytes))
        }
    }
}
