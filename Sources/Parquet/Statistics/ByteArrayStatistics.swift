#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Running min/max of a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY column chunk.
///
/// The bounds are copied only when they change, so a chunk costs at most a few allocations
/// once its extremes have been seen.
struct ByteArrayStatistics {
    /// Compare big-endian two's complement (decimals in fixed bytes) instead of unsigned bytes.
    let signedBigEndian: Bool
    private(set) var minimum: [UInt8]?
    private(set) var maximum: [UInt8]?

    init(signedBigEndian: Bool) {
        self.signedBigEndian = signedBigEndian
    }

    /// Folds one value in.
    mutating func update(_ value: UnsafeRawBufferPointer) {
        guard let low = minimum, let high = maximum else {
            minimum = Array(value)
            maximum = minimum
            return
        }
        if compare(value, low) < 0 {
            minimum = Array(value)
        } else if compare(value, high) > 0 {
            maximum = Array(value)
        }
    }

    /// Folds another run's min/max in (a page's into its chunk's).
    mutating func merge(_ other: Self) {
        if let low = other.minimum { low.withUnsafeBytes { update($0) } }
        if let high = other.maximum { high.withUnsafeBytes { update($0) } }
    }

    /// The bounds a page index entry takes: truncated as ``encodedBounds(truncatingTo:utf8:)``
    /// does, except that a maximum that cannot be rounded up stays whole (every page of a
    /// column index needs both bounds).
    func pageBounds(truncatingTo limit: Int?, utf8: Bool) -> (min: [UInt8], max: [UInt8])? {
        guard let bounds = encodedBounds(truncatingTo: limit, utf8: utf8) else { return nil }
        return (bounds.min, bounds.max ?? maximum!)
    }

    private func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        b.withUnsafeBytes { b in
            signedBigEndian ? Self.compareSignedBigEndian(a, b) : Self.compareUnsigned(a, b)
        }
    }

    /// Lexicographic unsigned-byte order: the order of strings, binary and UUIDs.
    static func compareUnsigned(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(a.count, b.count)
        // memcmp compares as unsigned char, which is exactly this order, a word at a time.
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Two's complement big-endian numbers of equal width: the sign byte compares signed,
    /// the rest unsigned.
    static func compareSignedBigEndian(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return compareUnsigned(a, b) }
        let signA = Int8(bitPattern: a[0])
        let signB = Int8(bitPattern: b[0])
        if signA != signB { return signA < signB ? -1 : 1 }
        return compareUnsigned(UnsafeRawBufferPointer(rebasing: a.dropFirst()), UnsafeRawBufferPointer(rebasing: b.dropFirst()))
    }

    /// The final bounds, truncated to `limit` bytes when given.
    ///
    /// A truncated minimum is its prefix (still ≤ every value). A truncated maximum is its
    /// prefix with the last byte incremented (still ≥ every value); when no byte can be
    /// incremented the maximum is dropped rather than written wrong.
    /// - Parameters:
    ///   - limit: The longest bound to write, or nil for no truncation.
    ///   - utf8: Keep the bounds valid UTF-8 (string and JSON columns).
    /// - Returns: The bounds and whether each is the exact value.
    func encodedBounds(truncatingTo limit: Int?, utf8: Bool) -> Bounds? {
        guard let low = minimum, let high = maximum else { return nil }
        guard let limit else { return Bounds(min: low, max: high, minIsExact: true, maxIsExact: true) }
        var bounds = Bounds(min: low, max: high, minIsExact: true, maxIsExact: true)
        if low.count > limit {
            bounds.min = utf8 ? Self.utf8Prefix(low, limit) : Array(low.prefix(limit))
            bounds.minIsExact = false
        }
        if high.count > limit {
            bounds.max = utf8 ? Self.incrementedUTF8Prefix(high, limit) : Self.incrementedPrefix(high, limit)
            bounds.maxIsExact = false
        }
        return bounds
    }

    struct Bounds: Equatable {
        var min: [UInt8]
        /// Nil when the maximum was too long and could not be rounded up.
        var max: [UInt8]?
        var minIsExact: Bool
        var maxIsExact: Bool
    }

    /// The longest prefix of at most `limit` bytes that ends on a UTF-8 character boundary.
    static func utf8Prefix(_ bytes: [UInt8], _ limit: Int) -> [UInt8] {
        var end = Swift.min(limit, bytes.count)
        // A continuation byte (10xxxxxx) at `end` means a character straddles the cut.
        while end > 0 && end < bytes.count && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(bytes[..<end])
    }

    /// The first `limit` bytes with the last non-0xFF byte incremented and what follows dropped.
    static func incrementedPrefix(_ bytes: [UInt8], _ limit: Int) -> [UInt8]? {
        var prefix = Array(bytes.prefix(limit))
        while let last = prefix.last {
            if last != 0xFF {
                prefix[prefix.count - 1] = last + 1
                return prefix
            }
            prefix.removeLast()
        }
        return nil
    }

    /// A UTF-8 prefix of at most `limit` bytes whose last character is replaced by the next
    /// code point, so the result is valid UTF-8 and sorts after every value with that prefix.
    static func incrementedUTF8Prefix(_ bytes: [UInt8], _ limit: Int) -> [UInt8]? {
        var prefix = utf8Prefix(bytes, limit)
        while !prefix.isEmpty {
            var start = prefix.count - 1
            while start > 0 && prefix[start] & 0xC0 == 0x80 { start -= 1 }
            let scalar = decodeScalar(prefix[start...])
            prefix.removeSubrange(start...)
            var next = scalar + 1
            if next == 0xD800 { next = 0xE000 }  // skip the surrogate range
            if next <= 0x10FFFF, let encoded = Unicode.Scalar(next) {
                var utf8 = Array(String(Character(encoded)).utf8)
                // Only accept the increment if it still fits the limit.
                if prefix.count + utf8.count <= limit {
                    prefix.append(contentsOf: utf8)
                    return prefix
                }
                utf8.removeAll()
            }
        }
        return nil
    }

    private static func decodeScalar(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar.value }
        // Not reachable for valid UTF-8; treat stray bytes as their own values.
        return UInt32(bytes.first ?? 0)
    }

    mutating func reset() {
        minimum = nil
        maximum = nil
    }
}
