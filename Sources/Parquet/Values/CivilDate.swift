/// A day of the proleptic Gregorian calendar, from a count of days since 1970-01-01: what
/// statistics rendering and date partitioning both print.
package struct CivilDate: Sendable, Equatable {
    package var year: Int64
    /// 1...12.
    package var month: Int64
    /// 1...31.
    package var day: Int64

    /// The date `days` days after (or before) 1970-01-01.
    package init(daysSinceEpoch days: Int64) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The year as ISO 8601 prints it: four digits, or signed and expanded outside 0...9999.
    package var yearText: String {
        (0...9999).contains(year) ? Self.padded(year.magnitude, 4) : (year < 0 ? "-" : "+") + Self.padded(year.magnitude, 4)
    }

    /// "YYYY-MM-DD".
    package var text: String { "\(yearText)-\(Self.padded(month.magnitude, 2))-\(Self.padded(day.magnitude, 2))" }

    /// `value` in decimal, zero-padded to `width` digits.
    package static func padded(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
