/// A decoded field header: which field follows and how it is encoded.
public struct ThriftField: Sendable, Hashable {
    /// The field id from the IDL.
    public var id: Int16
    /// The wire type of the value that follows.
    public var type: ThriftType

    /// Creates a field header.
    /// - Parameters:
    ///   - id: The field id.
    ///   - type: The wire type.
    @inlinable
    public init(id: Int16, type: ThriftType) {
        self.id = id
        self.type = type
    }
}
