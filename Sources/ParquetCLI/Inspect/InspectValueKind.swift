import ParquetThrift

/// What a column's values mean beyond their physical type, which decides how a statistic's
/// bytes are shown (derived from the logical or converted type by ``InspectColumnType``).
enum InspectValueKind: Sendable, Equatable {
    /// Shown by physical type alone: numbers, booleans; byte arrays as hex.
    case plain
    /// An unsigned integer stored in INT32/INT64 bits.
    case unsigned
    /// UTF-8 text (strings, enums, JSON).
    case text
    /// Days since 1970-01-01, shown as YYYY-MM-DD.
    case date
    /// Time of day in `unit`, shown as HH:MM:SS.fraction.
    case time(TimeUnit)
    /// An instant (`utc`) or a wall-clock date-time, shown in RFC 3339 form.
    case timestamp(TimeUnit, utc: Bool)
    /// An unscaled integer times 10^-scale, shown as exact decimal text.
    case decimal(scale: Int)
    /// 16 bytes shown as canonical UUID text.
    case uuid
    /// An IEEE half-precision float in 2 bytes.
    case float16
}
