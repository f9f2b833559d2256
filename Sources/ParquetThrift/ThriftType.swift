/// A Thrift value type as it appears on the wire in the compact protocol.
///
/// The raw value is the 4-bit compact type code. Booleans have two codes on the wire
/// (1 = true, 2 = false) because a bool *field* carries its value in the field header;
/// ``bool`` uses code 1, which is also what Apache Thrift writes as the element type of a
/// `list<bool>`. ``CompactReader`` accepts 1 and 2 for a bool wherever a type code appears.
public enum ThriftType: UInt8, Sendable, Hashable, CaseIterable {
    case bool = 1
    case i8 = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    /// Strings and binary share this code.
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    /// Structs and unions share this code.
    case `struct` = 12
    /// A 16-byte UUID with no length prefix (newer Thrift); parquet.thrift does not use it,
    /// but a reader must still be able to skip it.
    case uuid = 13

    /// Maps a 4-bit compact type code to a type, folding both boolean codes into ``bool``.
    /// - Parameter code: The low nibble of a field or collection header.
    /// - Returns: The type, or `nil` for the stop code (0) and the unassigned codes 14 and 15.
    @inlinable
    public init?(compactCode code: UInt8) {
        if code == 2 {
            self = .bool
        } else {
            self.init(rawValue: code)
        }
    }
}
