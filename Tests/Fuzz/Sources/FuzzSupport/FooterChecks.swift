@testable import ParquetCLI

/// Checks a Parquet file the writer finished, through the footer reader behind
/// `parquet-writer inspect`: the footer decodes, holds `rows` rows in row groups that add up
/// to it, `rowGroups` row groups and `bytes` bytes when given, and `inspect` finds no
/// inconsistency in it.
public func checkWrittenFile(_ path: String, rows: Int, rowGroups: Int? = nil, bytes: Int? = nil, _ what: String) {
    let footer: ParquetFooter
    do {
        footer = try ParquetFooter(path: path)
    } catch {
        Fuzz.fail("\(what): the footer of \(path) cannot be read: \(error)")
    }
    let metadata = footer.metadata
    Fuzz.check(metadata.numRows == Int64(rows), "\(what): \(path) has num_rows \(metadata.numRows), expected \(rows)")
    let sum = metadata.rowGroups.reduce(Int64(0)) { $0 + $1.numRows }
    Fuzz.check(sum == metadata.numRows, "\(what): \(path)'s row groups hold \(sum) rows, its footer says \(metadata.numRows)")
    if let rowGroups {
        Fuzz.check(metadata.rowGroups.count == rowGroups, "\(what): \(path) has \(metadata.rowGroups.count) row groups, the summary says \(rowGroups)")
    }
    if let bytes {
        Fuzz.check(Int64(bytes) == footer.fileSize, "\(what): \(path) is \(footer.fileSize) bytes, the summary says \(bytes)")
    }
    Fuzz.check(footer.trailingFooterBytes == 0, "\(what): \(path)'s footer has \(footer.trailingFooterBytes) bytes after FileMetaData")
    let report = InspectReport(footer: footer)
    Fuzz.check(report.warnings.isEmpty, "\(what): inspect finds inconsistencies in \(path): \(report.warnings)")
    // Rendering the report (text and JSON) is left to the footer target: here it would cost
    // more than the rest of the input (measured: a third of the C ABI target's time).
}
