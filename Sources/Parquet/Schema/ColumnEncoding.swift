/// How a leaf column's values are encoded, chosen per field (``Field/encoding``); nil (the
/// default) lets the writer decide: a dictionary while it pays, PLAIN otherwise.
///
/// The DELTA encodings and BYTE_STREAM_SPLIT date from format 2.x; readers built before them
/// (and some current ones for INT32/INT64/FIXED_LEN_BYTE_ARRAY byte stream split, added in
/// format 2.11) cannot read them, so the writer never picks them itself.
public enum ColumnEncoding: String, Sendable, Hashable, CaseIterable {
    /// PLAIN throughout: the dictionary is off for this column.
    case plain
    /// A dictionary for the whole chunk, kept past the first page's check; only the
    /// dictionary page size limit turns the rest of the chunk PLAIN.
    case dictionary
    /// DELTA_BINARY_PACKED: INT32 and INT64 (and the types stored in them).
    case deltaBinaryPacked = "delta_binary_packed"
    /// DELTA_LENGTH_BYTE_ARRAY: BYTE_ARRAY (strings, binary, JSON).
    case deltaLengthByteArray = "delta_length_byte_array"
    /// DELTA_BYTE_ARRAY: BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY.
    case deltaByteArray = "delta_byte_array"
    /// BYTE_STREAM_SPLIT: FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
    case byteStreamSplit = "byte_stream_split"

    /// Whether values stored as `storage` can take this encoding.
    package func applies(to storage: ColumnStorage) -> Bool {
        switch (self, storage) {
        case (.plain, _): true
        case (.dictionary, .boolean): false
        case (.dictionary, _): true
        case (.deltaBinaryPacked, .int32), (.deltaBinaryPacked, .int64): true
        case (.deltaLengthByteArray, .byteArray): true
        case (.deltaByteArray, .byteArray), (.deltaByteArray, .fixedLenByteArray): true
        case (.byteStreamSplit, .float), (.byteStreamSplit, .double), (.byteStreamSplit, .int32),
            (.byteStreamSplit, .int64), (.byteStreamSplit, .fixedLenByteArray):
            true
        default: false
        }
    }
}
