#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable, contiguous byte buffer with explicit little-endian writes.
///
/// Every encoding stage appends into one of these: page bodies, Thrift headers, compressed
/// output, whole column chunks. It is a copy-on-write value type; the storage is a single
/// heap allocation that grows geometrically and is reused across pages via
/// ``removeAll(keepingCapacity:)``.
///
/// Hot loops should not call ``append(_:)`` once per byte. Reserve the worst case once with
/// ``writeUnsafe(maxBytes:_:)`` and write through the raw pointer with no per-byte checks.
public struct ByteBuffer: Sendable {
    @usableFromInline
    internal var _storage: _ByteBufferStorage

    /// The number of bytes written so far.
    @inlinable
    public var count: Int { _count }

    @usableFromInline
    internal var _count: Int

    /// Creates an empty buffer able to hold `capacity` bytes before it reallocates.
    /// - Parameter capacity: The initial capacity in bytes.
    @inlinable
    public init(capacity: Int = 0) {
        _storage = _ByteBufferStorage(capacity: Swift.max(capacity, 16))
        _count = 0
    }

    /// Creates a buffer holding a copy of `bytes`.
    /// - Parameter bytes: The bytes to copy.
    @inlinable
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        self.init(capacity: bytes.underestimatedCount)
        append(contentsOf: bytes)
    }

    /// The bytes that can be written before the storage must grow.
    @inlinable
    public var capacity: Int { _storage.capacity }

    /// Whether no bytes have been written.
    @inlinable
    public var isEmpty: Bool { _count == 0 }

    /// The written bytes as a new array (for tests and small values; not for hot paths).
    public var bytes: [UInt8] {
        withUnsafeReadableBytes { Array($0) }
    }

    /// Reads the byte at `index`.
    @inlinable
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < _count, "ByteBuffer index out of range")
        return _storage.base.load(fromByteOffset: index, as: UInt8.self)
    }

    // MARK: Capacity

    /// Makes sure at least `minimumCapacity` bytes fit without reallocating.
    /// - Parameter minimumCapacity: The total number of bytes the buffer must be able to hold.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        _makeUniqueAndReserve(minimumCapacity)
    }

    /// Forgets the contents.
    /// - Parameter keepingCapacity: Keep the allocation for reuse (the default, as pages are reused).
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = true) {
        if keepingCapacity {
            if !isKnownUniquelyReferenced(&_storage) {
                _storage = _ByteBufferStorage(capacity: _storage.capacity)
            }
        } else {
            _storage = _ByteBufferStorage(capacity: 16)
        }
        _count = 0
    }

    /// Drops the last bytes so that `newCount` remain.
    /// - Parameter newCount: The number of bytes to keep; at most ``count``.
    @inlinable
    public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= _count, "ByteBuffer truncate out of range")
        _count = newCount
    }

    // The check always inlined, the growth never: as one function the compiler kept it out
    // of line, so every append (each byte of a Thrift header, each PLAIN value) paid a call.
    @inlinable @inline(__always)
    internal mutating func _makeUniqueAndReserve(_ minimumCapacity: Int) {
        let unique = isKnownUniquelyReferenced(&_storage)
        if _fastPath(unique && minimumCapacity <= _storage.capacity) { return }
        _reserve(minimumCapacity, unique: unique)
    }

    /// Grows the storage (or makes it unique) for ``_makeUniqueAndReserve(_:)``.
    @usableFromInline @inline(never)
    internal mutating func _reserve(_ minimumCapacity: Int, unique: Bool) {
        var newCapacity = Swift.max(_storage.capacity, 16)
        while newCapacity < minimumCapacity { newCapacity &*= 2 }
        if unique {
            _storage.grow(to: newCapacity)
            return
        }
        let newStorage = _ByteBufferStorage(capacity: newCapacity)
        newStorage.base.copyMemory(from: _storage.base, byteCount: _count)
        _storage = newStorage
    }

    // MARK: Writing through a cursor

    /// Makes the storage unique with room for `minimumCapacity` bytes in all and returns its
    /// start, for a writer that appends many values in a row through the pointer and then
    /// publishes them with ``unsafeSetCount(_:)``.
    ///
    /// Why: ``append(contentsOf:)`` checks uniqueness (a runtime call) and capacity on every
    /// call; a cursor pays that once per reservation. The pointer is valid until the buffer is
    /// copied or mutated by any other method; bytes up to ``count`` are kept on growth, so set
    /// the count first.
    /// - Parameter minimumCapacity: The total number of bytes the storage must hold.
    /// - Returns: The start of the storage; ``capacity`` bytes are writable.
    @inlinable
    public mutating func unsafeUniqueStorage(minimumCapacity: Int) -> UnsafeMutableRawPointer {
        _makeUniqueAndReserve(minimumCapacity)
        return _storage.base
    }

    /// Sets the number of bytes written through ``unsafeUniqueStorage(minimumCapacity:)``:
    /// every byte below `newCount` must have been written.
    /// - Parameter newCount: At most ``capacity``.
    @inlinable
    public mutating func unsafeSetCount(_ newCount: Int) {
        precondition(newCount >= 0 && newCount <= _storage.capacity, "ByteBuffer count beyond its capacity")
        _count = newCount
    }

    // MARK: Writing

    /// Reserves `maxBytes`, lets `body` write up to that many bytes at the end, and keeps
    /// the number of bytes it reports.
    ///
    /// This is the fast path: the capacity check happens once, not per byte.
    /// - Parameters:
    ///   - maxBytes: An upper bound on what `body` writes.
    ///   - body: Writes at the pointer and returns how many bytes it wrote (0...maxBytes).
    /// - Returns: Whatever `body` returns as its byte count.
    @inlinable
    @discardableResult
    public mutating func writeUnsafe<E: Error>(
        maxBytes: Int,
        _ body: (UnsafeMutableRawPointer) throws(E) -> Int
    ) throws(E) -> Int {
        _makeUniqueAndReserve(_count + maxBytes)
        let written = try body(_storage.base + _count)
        #if DEBUG
        precondition(written >= 0 && written <= maxBytes, "writeUnsafe body overran its reservation")
        #endif
        _count += written
        return written
    }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) {
        _makeUniqueAndReserve(_count + 1)
        _storage.base.storeBytes(of: byte, toByteOffset: _count, as: UInt8.self)
        _count += 1
    }

    /// Appends the bytes of a raw buffer.
    @inlinable
    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        _makeUniqueAndReserve(_count + bytes.count)
        (_storage.base + _count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        _count += bytes.count
    }

    /// Appends a sequence of bytes (contiguous collections take the fast path).
    @inlinable
    public mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            append(contentsOf: UnsafeRawBufferPointer(buffer))
        }
        if done != nil { return }
        for byte in bytes { append(byte) }
    }

    /// Appends the contents of another buffer.
    @inlinable
    public mutating func append(_ other: ByteBuffer) {
        other.withUnsafeReadableBytes { append(contentsOf: $0) }
    }

    /// Appends the UTF-8 bytes of a string with no terminator.
    @inlinable
    public mutating func append(utf8 string: String) {
        var string = string
        string.withUTF8 { append(contentsOf: UnsafeRawBufferPointer($0)) }
    }

    /// Appends `count` copies of `byte`.
    @inlinable
    public mutating func append(repeating byte: UInt8, count: Int) {
        guard count > 0 else { return }
        _makeUniqueAndReserve(_count + count)
        (_storage.base + _count).initializeMemory(as: UInt8.self, repeating: byte, count: count)
        _count += count
    }

    /// Appends an integer as its little-endian bytes.
    @inlinable
    public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        _makeUniqueAndReserve(_count + size)
        _storage.base.storeBytes(of: value.littleEndian, toByteOffset: _count, as: T.self)
        _count += size
    }

    /// Appends a `Float` as its little-endian IEEE 754 bits.
    @inlinable
    public mutating func appendLittleEndian(_ value: Float) {
        appendLittleEndian(value.bitPattern)
    }

    /// Appends a `Double` as its little-endian IEEE 754 bits.
    @inlinable
    public mutating func appendLittleEndian(_ value: Double) {
        appendLittleEndian(value.bitPattern)
    }

    /// Appends an unsigned LEB128 varint (the Thrift compact and RLE-header format).
    @inlinable
    public mutating func appendVarint(_ value: UInt64) {
        writeUnsafe(maxBytes: 10) { pointer in
            ByteBuffer.storeVarint(value, at: pointer)
        }
    }

    /// Appends a zigzag-encoded signed varint.
    @inlinable
    public mutating func appendZigZagVarint(_ value: Int64) {
        appendVarint(ByteBuffer.zigZag(value))
    }

    /// Overwrites four bytes at `offset` with `value` in little-endian order
    /// (used to patch length prefixes once the length is known).
    /// - Parameters:
    ///   - value: The value to store.
    ///   - offset: Where to store it; `offset + 4` must not pass ``count``.
    @inlinable
    public mutating func setLittleEndian(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= _count, "ByteBuffer patch out of range")
        _makeUniqueAndReserve(_count)
        _storage.base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }

    // MARK: Reading

    /// Calls `body` with the written bytes.
    /// - Parameter body: Reads the bytes; the pointer is valid only inside the closure.
    /// - Returns: What `body` returns.
    @inlinable
    public func withUnsafeReadableBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        defer { _fixLifetime(_storage) }
        return try body(UnsafeRawBufferPointer(start: _storage.base, count: _count))
    }

    // MARK: Helpers shared by encoders

    /// Zigzag-maps a signed integer so that small magnitudes get short varints.
    @inlinable
    public static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value >> 63))
    }

    /// The number of bytes `value` takes as an unsigned varint.
    @inlinable
    public static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(bits / 7), with bits = 64 - lzcnt, and 0 taking one byte.
        let bits = 64 &- (value | 1).leadingZeroBitCount
        return (bits &+ 6) / 7
    }

    /// Stores `value` as an unsigned varint at `pointer` with no bounds checks.
    /// - Returns: The number of bytes written (1...10).
    @inlinable
    public static func storeVarint(_ value: UInt64, at pointer: UnsafeMutableRawPointer) -> Int {
        var value = value
        var index = 0
        while value >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: index, as: UInt8.self)
            value &>>= 7
            index &+= 1
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: index, as: UInt8.self)
        return index &+ 1
    }
}

extension ByteBuffer: Equatable {
    public static func == (lhs: ByteBuffer, rhs: ByteBuffer) -> Bool {
        guard lhs._count == rhs._count else { return false }
        return lhs.withUnsafeReadableBytes { l in
            rhs.withUnsafeReadableBytes { r in l.elementsEqual(r) }
        }
    }
}

/// The heap allocation behind a ``ByteBuffer``.
@usableFromInline
internal final class _ByteBufferStorage: @unchecked Sendable {
    // @unchecked: the storage is only mutated through a uniquely referenced ByteBuffer.
    // `@exclusivity(unchecked)`: these are read on every append; dynamic exclusivity checks on
    // a class's `var`s cost a tenth of a partitioned write's instructions in a profile, and
    // the only writer, `grow(to:)`, runs on a uniquely referenced buffer.
    @usableFromInline @exclusivity(unchecked) private(set) var base: UnsafeMutableRawPointer
    @usableFromInline @exclusivity(unchecked) private(set) var capacity: Int

    /// Allocates `capacity` bytes with `malloc`, so that ``grow(to:)`` can `realloc` them.
    @usableFromInline
    init(capacity: Int) {
        self.capacity = capacity
        // malloc's blocks are aligned for any scalar (16 bytes on 64-bit Linux and Darwin),
        // as the 16-byte alignment asked of `allocate` before; a failed allocation traps, as
        // `allocate` does.
        guard let base = malloc(capacity) else { fatalError("ByteBuffer cannot allocate \(capacity) bytes") }
        self.base = base
    }

    /// Grows the allocation to `newCapacity` bytes, keeping its contents.
    ///
    /// Why `realloc` and not a new block and a copy: a buffer that grows to megabytes (a page
    /// of long strings, a partition's staged values) is an `mmap`ed block, and glibc grows one
    /// with `mremap`, which moves the pages instead of copying them and faulting in fresh ones.
    /// In a profile of a partitioned write those copies were a tenth of the extra instructions.
    /// - Parameter newCapacity: At least ``capacity``.
    @usableFromInline
    func grow(to newCapacity: Int) {
        guard let grown = realloc(base, newCapacity) else { fatalError("ByteBuffer cannot grow to \(newCapacity) bytes") }
        base = grown
        capacity = newCapacity
    }

    deinit {
        free(base)
    }
}
