#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The heap allocation behind a ``ByteBuffer``.
///
/// It is a `malloc` block so that a uniquely referenced buffer grows with `realloc`: glibc
/// moves a large block by remapping its pages (`mremap`), so growing a buffer of many
/// megabytes (a partition's staged strings, a column chunk's pages) neither copies it nor
/// touches fresh pages, where allocate-and-copy did both.
@usableFromInline
internal final class _ByteBufferStorage: @unchecked Sendable {
    // @unchecked: the storage is only mutated through a uniquely referenced ByteBuffer.
    // `let`, not `var`: a class's stored `var` is checked for exclusive access at run time on
    // every read, which on the hot paths costs more than the copies realloc saves.
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int
    /// Whether this object frees ``base``: false once ``grown(to:)`` handed the block on.
    private var ownsBlock = true

    /// Allocates `capacity` bytes (16-byte aligned, as `malloc` is on 64-bit systems).
    @usableFromInline
    init(capacity: Int) {
        guard let base = malloc(Swift.max(capacity, 1)) else {
            fatalError("out of memory allocating \(capacity) bytes")
        }
        self.capacity = capacity
        self.base = base
    }

    private init(adopting base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Moves the block into a larger one (by `realloc`), which a new storage object owns.
    /// Call only on a uniquely referenced storage, and drop it after.
    /// - Parameter newCapacity: More than ``capacity``.
    /// - Returns: The storage of the grown block, holding the same bytes.
    @usableFromInline
    func grown(to newCapacity: Int) -> _ByteBufferStorage {
        guard let moved = realloc(base, newCapacity) else {
            fatalError("out of memory growing a buffer to \(newCapacity) bytes")
        }
        ownsBlock = false
        return _ByteBufferStorage(adopting: moved, capacity: newCapacity)
    }

    deinit {
        if ownsBlock { free(base) }
    }
}
