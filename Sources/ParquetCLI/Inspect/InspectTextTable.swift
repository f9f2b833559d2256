/// A plain-text table: columns padded to their widest cell, numbers right-aligned, two spaces
/// between columns, no trailing spaces.
struct InspectTextTable {
    /// How a column's cells line up.
    enum Alignment {
        case left, right
    }

    /// The header row.
    private let headers: [String]
    /// Per column.
    private let alignments: [Alignment]
    /// The body.
    private var rows: [[String]] = []

    /// Starts a table.
    /// - Parameter columns: Each column's header and alignment.
    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// Adds a row; missing cells are blank, extra ones dropped.
    /// - Parameter cells: The row's cells, one per column.
    mutating func append(_ cells: [String]) {
        rows.append((0..<headers.count).map { $0 < cells.count ? cells[$0] : "" })
    }

    /// Renders the table.
    /// - Parameter indent: Spaces before every line.
    /// - Returns: The lines, each ending with a newline.
    func render(indent: Int) -> String {
        let all = [headers] + rows
        var widths = Array(repeating: 0, count: headers.count)
        for row in all {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        let margin = String(repeating: " ", count: indent)
        var text = ""
        for row in all {
            var line = margin
            for (column, cell) in row.enumerated() {
                if column > 0 { line += "  " }
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                line += alignments[column] == .right ? padding + cell : cell + padding
            }
            while line.last == " " { line.removeLast() }
            text += line + "\n"
        }
        return text
    }
}
