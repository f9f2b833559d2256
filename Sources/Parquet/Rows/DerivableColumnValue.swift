/// A leaf value type with a column type of its own, for schemas derived from Swift types
/// (``Schema/init(deriving:)``).
///
/// The standard library's scalars need no conformance (`Int` is int64, `String` string,
/// `[UInt8]` binary, ...). Conform a type of your own, or one from another module (the
/// `ParquetFoundation` module conforms `Date`, `UUID`, `Decimal`, `Data` and `URL`), when its
/// `Decodable` form would say something else: a `Date` decodes as a `Double`, but its column
/// is a timestamp. Values are stored through ``ColumnValue``, so a conforming type usually
/// conforms to both.
public protocol DerivableColumnValue {
    /// The column type a derived schema gives fields of this type.
    static var derivedColumnType: DataType { get }
    /// Any value of the type: deriving a schema runs the enclosing type's `init(from:)` with
    /// made-up values, and hands it this one for a field of this type.
    static var derivationPlaceholder: Self { get }
}
