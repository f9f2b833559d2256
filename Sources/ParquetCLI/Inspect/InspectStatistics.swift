import ParquetThrift

/// A column chunk's statistics, decoded for people.
struct InspectStatistics: Sendable, Equatable {
    /// Nulls in the chunk, when the writer recorded them.
    var nullCount: Int64?
    /// Distinct values, when the writer recorded them (rare).
    var distinctCount: Int64?
    /// The lower bound, `nil` when absent or not trustworthy (see ``init(_:type:)``).
    var min: InspectValue?
    /// The upper bound, likewise.
    var max: InspectValue?
    /// Whether `min` is an actual value rather than a truncated bound, when recorded.
    var minExact: Bool?
    /// Whether `max` is an actual value rather than a truncated bound, when recorded.
    var maxExact: Bool?
    /// Whether the bounds come from the deprecated `min`/`max` fields.
    var deprecatedMinMax: Bool

    /// Decodes a chunk's statistics.
    ///
    /// `min_value`/`max_value` are used when either is present: they follow the column's
    /// own order. Otherwise the deprecated `min`/`max`, written in signed order by old
    /// writers, are used only where that order is the column's (see
    /// ``InspectColumnType/deprecatedStatisticsUsable``); elsewhere they may be wrong, and
    /// showing no bounds beats showing false ones.
    /// - Parameters:
    ///   - statistics: The footer's statistics.
    ///   - type: The column's type.
    init(_ statistics: Statistics, type: InspectColumnType) {
        nullCount = statistics.nullCount
        distinctCount = statistics.distinctCount
        var minimum: [UInt8]?
        var maximum: [UInt8]?
        if statistics.minValue != nil || statistics.maxValue != nil {
            minimum = statistics.minValue
            maximum = statistics.maxValue
            minExact = statistics.isMinValueExact
            maxExact = statistics.isMaxValueExact
            deprecatedMinMax = false
        } else if type.deprecatedStatisticsUsable, statistics.min != nil || statistics.max != nil {
            minimum = statistics.min
            maximum = statistics.max
            deprecatedMinMax = true
        } else {
            deprecatedMinMax = false
        }
        if let physical = type.physical {
            let kind = type.valueKind
            min = minimum.map { InspectValueDecoder.decode($0, physical: physical, kind: kind) }
            max = maximum.map { InspectValueDecoder.decode($0, physical: physical, kind: kind) }
        }
    }
}
