import ParquetBytes
import ParquetThrift

/// The order ``WriterOptions/sortBy`` puts rows in, resolved against a file's leaf columns
/// and compared over column builders.
///
/// Values compare as the column's statistics order them (so a reader's min/max and the sort
/// agree): signed or unsigned integers, IEEE floats with NaN after every number (and -0 equal
/// to +0), bytes as unsigned, decimals in fixed bytes as signed big-endian numbers.
package struct RowOrder: Sendable {
    /// One resolved key.
    struct Key: Sendable {
        let leaf: Int
        let storage: ColumnStorage
        let order: StatisticsOrder
        let descending: Bool
        let nullsFirst: Bool
    }

    let keys: [Key]
    /// The keys as the footer records them, in each row group's `sorting_columns`.
    package let sortingColumns: [SortingColumn]

    /// Resolves `sortBy` against a file's leaves.
    /// - Parameters:
    ///   - sortBy: The keys, first key first (not empty).
    ///   - columns: The file's leaf columns.
    /// - Throws: `ParquetError` `.invalidOptions` for a key that is not a top-level primitive
    ///   column of the file.
    package init(_ sortBy: [SortKey], columns: [ColumnDescriptor]) throws(ParquetError) {
        var keys: [Key] = []
        for key in sortBy {
            guard let leaf = columns.firstIndex(where: { $0.path.first == key.column }) else {
                throw ParquetError(.invalidOptions, "'sort_by' names '\(key.column)', which is not a column of the files")
            }
            let column = columns[leaf]
            guard column.path.count == 1, column.maxRepetitionLevel == 0 else {
                throw ParquetError(
                    .invalidOptions,
                    "'sort_by' column '\(key.column)' is a list, struct or map; rows sort by top-level primitive columns")
            }
            keys.append(Key(
                leaf: leaf, storage: column.storage, order: column.statisticsOrder, descending: key.descending,
                nullsFirst: key.nullsFirst))
        }
        self.keys = keys
        self.sortingColumns = keys.map {
            SortingColumn(columnIndex: Int32($0.leaf), descending: $0.descending, nullsFirst: $0.nullsFirst)
        }
    }

    /// Compares row `a` of one set of builders with row `b` of another (or the same), by the
    /// keys from `first` on (a sort that already found the earlier keys equal starts later).
    /// - Parameters:
    ///   - a: Row of `left`.
    ///   - left: One builder per leaf.
    ///   - leftIndex: Their row indexes (only the keys' are read).
    ///   - b: Row of `right`.
    ///   - right: One builder per leaf.
    ///   - rightIndex: Their row indexes.
    ///   - first: The first key to compare.
    /// - Returns: Negative, zero or positive as row `a` sorts before, with or after row `b`.
    @inline(__always)
    package func compare(
        _ a: Int, in left: [ColumnBuilder], _ leftIndex: [ColumnBuilder.RowIndex],
        _ b: Int, in right: [ColumnBuilder], _ rightIndex: [ColumnBuilder.RowIndex], fromKey first: Int
    ) -> Int {
        var position = first
        while position < keys.count {
            let key = keys[position]
            let order = Self.compare(
                key, leftIndex[key.leaf].valueIndex(ofRow: a), left[key.leaf],
                rightIndex[key.leaf].valueIndex(ofRow: b), right[key.leaf])
            if order != 0 { return order }
            position += 1
        }
        return 0
    }

    /// How many leading keys get prefixes (``prefixes(of:indexes:)``): two, or fewer keys.
    package var prefixedKeys: Int { Swift.min(2, keys.count) }

    /// Compares two rows by their prefixes (``prefixes(of:indexes:)``, `prefixedKeys` per
    /// row), then, where those tie, in full from the first key the prefixes leave open.
    /// - Parameters:
    ///   - a: Row of `left`; `leftPrefixes[a * prefixedKeys...]` are its prefixes.
    ///   - b: Row of `right`.
    /// - Returns: Negative, zero or positive as row `a` sorts before, with or after row `b`.
    @inline(__always)
    package func compare(
        _ a: Int, in left: [ColumnBuilder], _ leftIndex: [ColumnBuilder.RowIndex], _ leftPrefixes: UnsafeBufferPointer<UInt64>,
        _ b: Int, in right: [ColumnBuilder], _ rightIndex: [ColumnBuilder.RowIndex], _ rightPrefixes: UnsafeBufferPointer<UInt64>
    ) -> Int {
        let stride = prefixedKeys
        var from = 0
        while from < stride {
            let x = leftPrefixes[a &* stride &+ from], y = rightPrefixes[b &* stride &+ from]
            if x != y { return x < y ? -1 : 1 }
            // A null's prefix may equal a value's (Int64.max ascending with nulls last, say),
            // and long strings share prefixes: those ties are compared in full.
            guard prefixTieIsExact(from, x) else { break }
            from &+= 1
        }
        return from == keys.count ? 0 : compare(a, in: left, leftIndex, b, in: right, rightIndex, fromKey: from)
    }

    /// Whether two rows with this same prefix of key `k` have equal values of it: for
    /// numbers and booleans unless the prefix is also a null's, for strings and binaries
    /// when the value is at most 7 bytes (the prefix holds all of it and its length), for
    /// fixed-length bytes of at most 8.
    @inline(__always)
    private func prefixTieIsExact(_ k: Int, _ prefix: UInt64) -> Bool {
        let key = keys[k]
        if prefix == (key.nullsFirst ? 0 : .max) { return false }
        switch key.storage {
        case .boolean, .int32, .int64, .float, .double: return true
        case .byteArray: return ((key.descending ? ~prefix : prefix) & 0xFF) < 8
        case .fixedLenByteArray(let length): return length <= 8
        }
    }

    /// Each row's leading keys (``prefixedKeys`` of them) as unsigned numbers that sort no
    /// differently: `a` before `b` by a key implies prefix(a) <= prefix(b). Comparing these
    /// first leaves the full comparison to rows whose prefixes tie inexactly, so most
    /// comparisons are integer compares.
    /// - Parameters:
    ///   - builders: One builder per leaf.
    ///   - indexes: Their row indexes.
    /// - Returns: ``prefixedKeys`` prefixes per row, row after row.
    package func prefixes(of builders: [ColumnBuilder], indexes: [ColumnBuilder.RowIndex]) -> [UInt64] {
        let stride = prefixedKeys
        let rows = builders.first?.rowCount ?? 0
        var result = [UInt64](repeating: 0, count: rows * stride)
        result.withUnsafeMutableBufferPointer { out in
            for k in 0..<stride {
                let key = keys[k]
                fillPrefixes(key, builders[key.leaf], indexes[key.leaf], into: out, offset: k, stride: stride)
            }
        }
        return result
    }

    private func fillPrefixes(
        _ key: Key, _ builder: ColumnBuilder, _ index: ColumnBuilder.RowIndex, into out: UnsafeMutableBufferPointer<UInt64>,
        offset: Int, stride: Int
    ) {
        let rows = builder.rowCount
        let null: UInt64 = key.nullsFirst ? 0 : .max
        let flip: UInt64 = key.descending ? .max : 0
        func fill(_ value: (Int) -> UInt64) {
            for row in 0..<rows {
                if let position = index.valueIndex(ofRow: row) {
                    out[row &* stride &+ offset] = value(position) ^ flip
                } else {
                    out[row &* stride &+ offset] = null
                }
            }
        }
        let signBit: UInt64 = 1 << 63
        switch key.storage {
        case .boolean:
            builder.booleans.withUnsafeBufferPointer { values in fill { values[$0] ? 1 : 0 } }
        case .int32:
            builder.int32s.withUnsafeBufferPointer { values in
                if key.order == .unsigned {
                    fill { UInt64(UInt32(bitPattern: values[$0])) }
                } else {
                    fill { UInt64(bitPattern: Int64(values[$0])) ^ signBit }
                }
            }
        case .int64:
            builder.int64s.withUnsafeBufferPointer { values in
                if key.order == .unsigned {
                    fill { UInt64(bitPattern: values[$0]) }
                } else {
                    fill { UInt64(bitPattern: values[$0]) ^ signBit }
                }
            }
        case .float:
            builder.floats.withUnsafeBufferPointer { values in fill { Self.orderedBits(Double(values[$0])) } }
        case .double:
            builder.doubles.withUnsafeBufferPointer { values in fill { Self.orderedBits(values[$0]) } }
        case .byteArray:
            // The first 7 bytes, then the length (8 for longer values): for values of up to
            // 7 bytes this is exactly their order, padding with zeros being shorter.
            builder.offsets.withUnsafeBufferPointer { starts in
                builder.bytes.withUnsafeReadableBytes { all in
                    fill {
                        let range = starts[$0]..<starts[$0 + 1]
                        return Self.bigEndianPrefix(all, range.prefix(7), signed: false) | UInt64(Swift.min(range.count, 8))
                    }
                }
            }
        case .fixedLenByteArray(let length):
            builder.bytes.withUnsafeReadableBytes { all in
                fill {
                    Self.bigEndianPrefix(all, ($0 * length)..<(($0 + 1) * length), signed: key.order == .signedBigEndianBytes)
                }
            }
        }
    }

    /// A double's bits, made to sort as the number: -0 as +0, every NaN above everything.
    @inline(__always)
    private static func orderedBits(_ value: Double) -> UInt64 {
        if value.isNaN { return .max - 1 }
        let bits = (value == 0 ? 0.0 : value).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The first 8 bytes of a value as a big-endian number (short values padded with zeros);
    /// for signed big-endian numbers the sign bit flipped.
    @inline(__always)
    private static func bigEndianPrefix(_ all: UnsafeRawBufferPointer, _ range: Range<Int>, signed: Bool) -> UInt64 {
        var prefix: UInt64 = 0
        var shift: UInt64 = 56
        for offset in range.prefix(8) {
            prefix |= UInt64(all[offset]) << shift
            shift &-= 8
        }
        return signed && !range.isEmpty ? prefix ^ (1 << 63) : prefix
    }

    private static func compare(
        _ key: Key, _ a: Int?, _ left: ColumnBuilder, _ b: Int?, _ right: ColumnBuilder
    ) -> Int {
        guard let a, let b else {
            // Null placement does not flip with the direction.
            if a == nil && b == nil { return 0 }
            return (a == nil) == key.nullsFirst ? -1 : 1
        }
        let order = compareValues(key, a, left, b, right)
        return key.descending ? -order : order
    }

    @inline(__always)
    private static func ordered<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (y < x ? 1 : 0) }

    /// NaN after every number, equal to another NaN.
    @inline(__always)
    private static func orderedFloat<T: BinaryFloatingPoint>(_ x: T, _ y: T) -> Int {
        if x.isNaN || y.isNaN { return x.isNaN ? (y.isNaN ? 0 : 1) : -1 }
        return ordered(x, y)
    }

    private static func compareValues(_ key: Key, _ a: Int, _ left: ColumnBuilder, _ b: Int, _ right: ColumnBuilder) -> Int {
        switch key.storage {
        case .boolean: return ordered(left.booleans[a] ? 1 : 0, right.booleans[b] ? 1 : 0)
        case .int32:
            let x = left.int32s[a], y = right.int32s[b]
            return key.order == .unsigned ? ordered(UInt32(bitPattern: x), UInt32(bitPattern: y)) : ordered(x, y)
        case .int64:
            let x = left.int64s[a], y = right.int64s[b]
            return key.order == .unsigned ? ordered(UInt64(bitPattern: x), UInt64(bitPattern: y)) : ordered(x, y)
        case .float: return orderedFloat(left.floats[a], right.floats[b])
        case .double: return orderedFloat(left.doubles[a], right.doubles[b])
        case .byteArray:
            let x = left.offsets[a]..<left.offsets[a + 1], y = right.offsets[b]..<right.offsets[b + 1]
            return compareBytes(key, x, left, y, right)
        case .fixedLenByteArray(let length):
            return compareBytes(key, (a * length)..<((a + 1) * length), left, (b * length)..<((b + 1) * length), right)
        }
    }

    private static func compareBytes(
        _ key: Key, _ x: Range<Int>, _ left: ColumnBuilder, _ y: Range<Int>, _ right: ColumnBuilder
    ) -> Int {
        left.bytes.withUnsafeReadableBytes { l in
            right.bytes.withUnsafeReadableBytes { r in
                let lhs = UnsafeRawBufferPointer(rebasing: l[x]), rhs = UnsafeRawBufferPointer(rebasing: r[y])
                return key.order == .signedBigEndianBytes
                    ? ByteArrayStatistics.compareSignedBigEndian(lhs, rhs)
                    : ByteArrayStatistics.compareUnsigned(lhs, rhs)
            }
        }
    }
}
