import ParquetThrift

/// One column of one row group, as `inspect` reports it.
struct InspectColumnChunk: Sendable {
    /// The column's dotted path ("tags.list.element").
    var path: String
    /// The column's type: its schema leaf's, or the chunk's bare physical type when no leaf
    /// matches.
    var type: InspectColumnType
    /// The chunk's metadata; `nil` only in files that keep it elsewhere (encryption,
    /// external chunks), where nothing else can be said about the chunk.
    var metadata: ColumnMetaData?
    /// The decoded statistics, when the chunk has any.
    var statistics: InspectStatistics?

    /// Describes a column chunk.
    /// - Parameters:
    ///   - chunk: The footer's column chunk.
    ///   - leafPath: The dotted path of the schema leaf at the chunk's position, if any
    ///     (used only when the chunk's own metadata is missing).
    ///   - leafType: That leaf's type, used when the chunk agrees with it.
    init(_ chunk: ColumnChunk, leafPath: String?, leafType: InspectColumnType?) {
        metadata = chunk.metaData
        guard let metadata = chunk.metaData else {
            path = leafPath ?? "?"
            type = leafType ?? InspectColumnType(physical: nil)
            return
        }
        path = metadata.pathInSchema.joined(separator: ".")
        // A leaf whose physical type disagrees with the chunk's would decode the chunk's
        // statistics with the wrong layout; the chunk's own type is the one its bytes have.
        if let leafType, leafType.physical == metadata.type {
            type = leafType
        } else {
            type = InspectColumnType(physical: metadata.type)
        }
        statistics = metadata.statistics.map { InspectStatistics($0, type: type) }
    }

    /// Whether the chunk starts with a dictionary page (pyarrow's `has_dictionary_page`).
    var hasDictionaryPage: Bool { metadata?.dictionaryPageOffset != nil }

    /// Uncompressed over compressed size (2.0 = stored in half the space); `nil` when the
    /// compressed size is not positive.
    var compressionRatio: Double? {
        guard let metadata, metadata.totalCompressedSize > 0 else { return nil }
        return Double(metadata.totalUncompressedSize) / Double(metadata.totalCompressedSize)
    }
}
