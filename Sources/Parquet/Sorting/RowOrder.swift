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

    /// Compares row `a` of one set of builders with row `b` of another (or the same).
    /// - Parameters:
    ///   - a: Row of `left`.
    ///   - left: One builder per leaf.
    ///   - leftIndex: Their row indexes (only the keys' are read).
    ///   - b: Row of `right`.
    ///   - right: One builder per leaf.
    ///   - rightIndex: Their row indexes.
    /// - Returns: Negative, zero or positive as row `a` sorts before, with or after row `b`.
    @inline(__always)
    package func compare(
        _ a: Int, in left: [ColumnBuilder], _ leftIndex: [ColumnBuilder.RowIndex],
        _ b: Int, in right: [ColumnBuilder], _ rightIndex: [ColumnBuilder.RowIndex]
    ) -> Int {
        for key in keys {
            let order = Self.compare(
                key, leftIndex[key.leaf].valueIndex(ofRow: a), left[key.leaf],
                rightIndex[key.leaf].valueIndex(ofRow: b), right[key.leaf])
            if order != 0 { return order }
        }
        return 0
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
