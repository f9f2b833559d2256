/// Per-page bounds and null counts of one column chunk, part of the page index
/// (`ColumnIndex`). Entry `i` of every list describes page `i` of the `OffsetIndex`.
public struct ColumnIndex: ThriftCodable, Sendable, Hashable {
    /// Whether each page holds only nulls (field 1); such pages have empty bounds.
    public var nullPages: [Bool]
    /// Per-page lower bounds (field 2).
    public var minValues: [[UInt8]]
    /// Per-page upper bounds (field 3).
    public var maxValues: [[UInt8]]
    /// Whether the bounds are sorted across pages (field 4).
    public var boundaryOrder: BoundaryOrder
    /// Per-page null counts (field 5); writers should always set it.
    public var nullCounts: [Int64]?
    /// Concatenated per-page repetition level histograms (field 6).
    public var repetitionLevelHistograms: [Int64]?
    /// Concatenated per-page definition level histograms (field 7).
    public var definitionLevelHistograms: [Int64]?

    /// Creates a column index.
    /// - Parameters:
    ///   - nullPages: All-null flags.
    ///   - minValues: Lower bounds.
    ///   - maxValues: Upper bounds.
    ///   - boundaryOrder: Ordering of the bounds.
    ///   - nullCounts: Null counts.
    ///   - repetitionLevelHistograms: Repetition level histograms.
    ///   - definitionLevelHistograms: Definition level histograms.
    public init(
        nullPages: [Bool],
        minValues: [[UInt8]],
        maxValues: [[UInt8]],
        boundaryOrder: BoundaryOrder,
        nullCounts: [Int64]? = nil,
        repetitionLevelHistograms: [Int64]? = nil,
        definitionLevelHistograms: [Int64]? = nil
    ) {
        self.nullPages = nullPages
        self.minValues = minValues
        self.maxValues = maxValues
        self.boundaryOrder = boundaryOrder
        self.nullCounts = nullCounts
        self.repetitionLevelHistograms = repetitionLevelHistograms
        self.definitionLevelHistograms = definitionLevelHistograms
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, boolList: nullPages)
        writer.writeField(2, binaryList: minValues)
        writer.writeField(3, binaryList: maxValues)
        writer.writeField(4, enum: boundaryOrder)
        if let nullCounts { writer.writeField(5, i64List: nullCounts) }
        if let repetitionLevelHistograms { writer.writeField(6, i64List: repetitionLevelHistograms) }
        if let definitionLevelHistograms { writer.writeField(7, i64List: definitionLevelHistograms) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var nullPages: [Bool]?
        var minValues: [[UInt8]]?
        var maxValues: [[UInt8]]?
        var boundaryOrder: BoundaryOrder?
        var nullCounts: [Int64]?
        var repetitionLevelHistograms: [Int64]?
        var definitionLevelHistograms: [Int64]?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .list): nullPages = try reader.readBoolList()
            case (2, .list): minValues = try reader.readBinaryList()
            case (3, .list): maxValues = try reader.readBinaryList()
            case (4, .i32): boundaryOrder = try reader.readEnum()
            case (5, .list): nullCounts = try reader.readI64List()
            case (6, .list): repetitionLevelHistograms = try reader.readI64List()
            case (7, .list): definitionLevelHistograms = try reader.readI64List()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            nullPages: try requireField(nullPages, "ColumnIndex", "null_pages"),
            minValues: try requireField(minValues, "ColumnIndex", "min_values"),
            maxValues: try requireField(maxValues, "ColumnIndex", "max_values"),
            boundaryOrder: try requireField(boundaryOrder, "ColumnIndex", "boundary_order"),
            nullCounts: nullCounts,
            repetitionLevelHistograms: repetitionLevelHistograms,
            definitionLevelHistograms: definitionLevelHistograms
        )
    }
}
