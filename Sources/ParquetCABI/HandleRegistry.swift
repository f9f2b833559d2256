import ParquetBytes

/// The live writers of the process, named to C callers by ``HandleToken``s.
///
/// A value that is not a live token -- closed, aborted, never created, or an address -- is
/// reported as an error instead of being dereferenced, and since no token is ever reused, a
/// stale one stays an error whatever was created since.
enum HandleRegistry {
    private static let table = Lock(HandleTable<WriterHandle>())

    /// Makes `handle` live for the C caller (the registry keeps it until ``remove(_:)``).
    /// - Parameter handle: A writer just opened.
    /// - Returns: The token to hand out, or nil when ``HandleToken/slotLimit`` writers are
    ///   open already (or, after about 2^48 writers, every slot is retired).
    static func register(_ handle: WriterHandle) -> UnsafeMutableRawPointer? {
        table.withLock { $0.insert(handle) }?.pointer
    }

    /// The writer behind a live token (a strong reference: it stays valid even if another
    /// thread closes the writer meanwhile).
    /// - Parameter pointer: The value the C caller passed.
    /// - Returns: nil when it is not a live token.
    static func lookup(_ pointer: UnsafeMutableRawPointer) -> WriterHandle? {
        guard let token = HandleToken(pointer) else { return nil }
        return table.withLock { $0.lookup(token) }
    }

    /// Ends a token's life and hands over the registry's reference to the writer.
    /// - Parameter pointer: The value the C caller passed.
    /// - Returns: The writer, or nil when the value was not a live token; only one of several
    ///   threads removing the same token gets it.
    static func remove(_ pointer: UnsafeMutableRawPointer) -> WriterHandle? {
        guard let token = HandleToken(pointer) else { return nil }
        return table.withLock { $0.remove(token) }
    }
}
