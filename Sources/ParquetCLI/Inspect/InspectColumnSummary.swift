import ParquetThrift

/// One column over the whole file: its chunks' sizes, codecs, encodings and null counts added
/// up across row groups.
struct InspectColumnSummary: Sendable {
    /// The column's dotted path.
    var path: String
    /// The column's type.
    var type: InspectColumnType
    /// Codecs used by the column's chunks, in order of first use.
    var codecs: [CompressionCodec] = []
    /// Every encoding any chunk used, in parquet.thrift order.
    var encodings: [Encoding] = []
    /// Values (nulls included) over all chunks.
    var numValues: Int64 = 0
    /// Nulls over all chunks; `nil` when some chunk did not record its count.
    var nullCount: Int64? = 0
    /// Stored bytes over all chunks.
    var totalCompressedSize: Int64 = 0
    /// Uncompressed bytes over all chunks.
    var totalUncompressedSize: Int64 = 0
    /// Chunks counted (row groups holding the column).
    var chunks = 0

    /// Starts an empty summary.
    /// - Parameters:
    ///   - path: The column's dotted path.
    ///   - type: The column's type.
    init(path: String, type: InspectColumnType) {
        self.path = path
        self.type = type
    }

    /// Adds one chunk of the column.
    /// - Parameter chunk: A chunk of this column from some row group.
    mutating func add(_ chunk: InspectColumnChunk) {
        chunks += 1
        guard let metadata = chunk.metadata else {
            nullCount = nil
            return
        }
        if !codecs.contains(metadata.codec) { codecs.append(metadata.codec) }
        for encoding in metadata.encodings where !encodings.contains(encoding) { encodings.append(encoding) }
        encodings.sort { $0.rawValue < $1.rawValue }
        // Saturating sums: a corrupt footer's sizes must not overflow (and trap) here.
        numValues = Self.add(numValues, metadata.numValues)
        totalCompressedSize = Self.add(totalCompressedSize, metadata.totalCompressedSize)
        totalUncompressedSize = Self.add(totalUncompressedSize, metadata.totalUncompressedSize)
        if let total = nullCount, let count = chunk.statistics?.nullCount {
            nullCount = Self.add(total, count)
        } else {
            nullCount = nil
        }
    }

    /// Uncompressed over compressed size, `nil` when nothing is stored.
    var compressionRatio: Double? {
        guard totalCompressedSize > 0 else { return nil }
        return Double(totalUncompressedSize) / Double(totalCompressedSize)
    }

    /// `a + b`, clamped to Int64's range.
    /// - Parameters:
    ///   - a: A count.
    ///   - b: Another.
    /// - Returns: The clamped sum.
    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b > 0 ? .max : .min
    }
}
