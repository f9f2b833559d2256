/// A Swift value that can be stored in a column: the element type of what
/// ``ColumnBatch/append(_:to:)`` takes.
///
/// Conforming types: `Bool`; every fixed-width integer and `Int128` (integer, date, time,
/// timestamp and decimal columns, the last as the unscaled value); `Float` and `Double`;
/// `String` (string, json, uuid in canonical text, decimal in exact text, binary);
/// `[UInt8]` (binary, fixed_binary, uuid, string, json); and `Optional` of any of them,
/// where `nil` is null.
public protocol ColumnValue {
    /// Stores the value at the end of the column, or throws without storing anything.
    /// An implementation detail of ``ColumnBatch``; call that instead.
    func _store(into sink: inout _ColumnSink) throws(ParquetError)

    /// Appends a whole contiguous run at once when the column stores this type exactly as it
    /// is (no conversion, no check that could fail), or returns false so each value goes
    /// through ``_store(into:)``. An implementation detail of ``ColumnBatch``.
    static func _storeContiguous(_ values: UnsafeBufferPointer<Self>, into sink: inout _ColumnSink) -> Bool

    /// Stores a contiguous run value by value, counting the values stored in `stored`, and
    /// throws at the first rejected one. An implementation detail of ``ColumnBatch``: called
    /// through the protocol once per run, so a conforming type's loop is compiled for that
    /// type (a generic loop in the caller's module would pay a witness call and a value
    /// copy through the type's metadata for every value).
    static func _storeEach(
        _ values: UnsafeBufferPointer<Self>, into sink: inout _ColumnSink, stored: inout Int
    ) throws(ParquetError)
}

extension ColumnValue {
    public static func _storeContiguous(_ values: UnsafeBufferPointer<Self>, into sink: inout _ColumnSink) -> Bool {
        false
    }

    public static func _storeEach(
        _ values: UnsafeBufferPointer<Self>, into sink: inout _ColumnSink, stored: inout Int
    ) throws(ParquetError) {
        for value in values {
            try value._store(into: &sink)
            stored &+= 1
        }
    }
}

extension Optional: ColumnValue where Wrapped: ColumnValue {
    public func _store(into sink: inout _ColumnSink) throws(ParquetError) {
        if let value = self {
            try value._store(into: &sink)
        } else {
            try sink.builder.appendNullChecked()
        }
    }

    /// The usual nullable columns get a run stored at once: `String?` in a text column, and
    /// the fixed-width types a column keeps exactly (`Int64?` in an int64 column, ...). This
    /// runs unspecialized (the caller is generic over the element), so each is recognised by
    /// its type and the run rebound to it; other wrapped types and columns go value by value.
    public static func _storeEach(
        _ values: UnsafeBufferPointer<Self>, into sink: inout _ColumnSink, stored: inout Int
    ) throws(ParquetError) {
        if Wrapped.self == String.self {
            let strings = UnsafeRawBufferPointer(values).bindMemory(to: String?.self)
            if try sink.builder.storeTexts(count: strings.count, stored: &stored, { strings[$0] }) { return }
            for value in strings {
                if let value { try value._store(into: &sink) } else { try sink.builder.appendNullChecked() }
                stored &+= 1
            }
            return
        }
        if try storeExact(values, as: Int64.self, into: &sink, stored: &stored) { return }
        if try storeExact(values, as: Double.self, into: &sink, stored: &stored) { return }
        if try storeExact(values, as: Int32.self, into: &sink, stored: &stored) { return }
        if try storeExact(values, as: Float.self, into: &sink, stored: &stored) { return }
        if try storeExact(values, as: Bool.self, into: &sink, stored: &stored) { return }
        for value in values {
            try value._store(into: &sink)
            stored &+= 1
        }
    }
}

extension Optional where Wrapped: ColumnValue {
    /// Stores the run at once when `Wrapped` is `Value` and the column keeps it exactly.
    /// - Returns: Whether it did.
    @inline(__always)
    private static func storeExact<Value: BitwiseCopyable>(
        _ values: UnsafeBufferPointer<Self>, as type: Value.Type, into sink: inout _ColumnSink, stored: inout Int
    ) throws(ParquetError) -> Bool {
        guard Wrapped.self == Value.self else { return false }
        return try sink.builder.storeExact(
            optionals: UnsafeRawBufferPointer(values).bindMemory(to: Value?.self), stored: &stored)
    }
}

extension ColumnBuilder {
    /// Appends a null, or throws when the column is required.
    mutating func appendNullChecked() throws(ParquetError) {
        guard descriptor.maxDefinitionLevel > 0 else { throw Self.nullInRequiredColumn }
        appendNull()
    }

    func mismatch(_ swiftType: String) -> ParquetError {
        ParquetError(.typeMismatch, "a \(descriptor.type.name) column cannot store \(swiftType) values")
    }
}
