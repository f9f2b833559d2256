import ParquetThrift

/// Lays an ``InspectReport`` out as aligned plain text for a terminal: the file's facts, the
/// schema as a tree, one table per row group and a whole-file table per column.
enum InspectTextRenderer {
    /// The most characters of a statistic shown in a table cell.
    static let maximumValueCharacters = 40
    /// The most characters of a key-value metadata value shown (ARROW:schema runs to kilobytes).
    static let maximumMetadataCharacters = 80
    /// The deepest schema level drawn with tree lines; deeper nodes show their depth instead,
    /// so a pathologically deep schema cannot produce quadratic output.
    static let maximumDrawnDepth = 32

    /// Renders the report.
    /// - Parameter report: What to show.
    /// - Returns: The text, ending with a newline.
    static func render(_ report: InspectReport) -> String {
        var text = ""
        var facts = InspectTextTable([("", .left), ("", .left)])
        facts.append(["file", report.path])
        facts.append(["size", "\(report.fileSize) bytes (footer \(report.footerLength) bytes)"])
        facts.append(["rows", String(report.rows)])
        facts.append(["row groups", String(report.rowGroups.count)])
        facts.append(["created by", report.createdBy.map { clean($0, limit: maximumMetadataCharacters) } ?? "(not recorded)"])
        facts.append(["format version", String(report.formatVersion)])
        if report.keyValueMetadata.isEmpty {
            facts.append(["metadata", "(none)"])
        }
        for (index, entry) in report.keyValueMetadata.enumerated() {
            let value = entry.value.map { value -> String in
                let shown = clean(value, limit: maximumMetadataCharacters)
                return shown == value ? shown : shown + " (\(value.utf8.count) bytes)"
            } ?? "(no value)"
            facts.append([index == 0 ? "metadata" : "", clean(entry.key, limit: maximumMetadataCharacters) + " = " + value])
        }
        text += dropHeader(facts.render(indent: 0))

        text += "\nschema\n" + schema(report.schema)

        for group in report.rowGroups {
            text += "\nrow group \(group.index): \(group.rows) rows, \(group.totalByteSize) bytes uncompressed, "
                + "\(group.totalCompressedSize) bytes compressed"
                + (group.fileOffset.map { ", at offset \($0)" } ?? "") + "\n"
            text += chunks(group.columns)
        }

        text += "\ncolumns (whole file)\n"
        var summary = InspectTextTable([
            ("column", .left), ("type", .left), ("codec", .left), ("encodings", .left), ("values", .right),
            ("nulls", .right), ("compressed", .right), ("uncompressed", .right), ("ratio", .right),
        ])
        for column in report.columns {
            summary.append([
                clean(column.path, limit: .max), typeName(column.type),
                column.codecs.map(InspectNames.codec).joined(separator: ","),
                column.encodings.map(InspectNames.encoding).joined(separator: ","),
                String(column.numValues), column.nullCount.map(String.init) ?? "?",
                String(column.totalCompressedSize), String(column.totalUncompressedSize), ratio(column.compressionRatio),
            ])
        }
        text += summary.render(indent: 2)

        if !report.warnings.isEmpty {
            text += "\nwarnings\n"
            for warning in report.warnings { text += "  " + clean(warning, limit: .max) + "\n" }
        }
        return text
    }

    /// The schema tree: names with tree lines, then repetition, physical type, annotation.
    /// - Parameter nodes: The schema, depth-first.
    /// - Returns: One line per node.
    private static func schema(_ nodes: [InspectSchemaNode]) -> String {
        var table = InspectTextTable([("", .left), ("", .left), ("", .left), ("", .left), ("", .left)])
        // isLast[d]: whether the most recent node at depth d was its parent's last child,
        // which decides whether its subtree's lines continue with "│".
        var isLast: [Bool] = []
        for node in nodes {
            let depth = node.depth
            var prefix = ""
            if depth > maximumDrawnDepth {
                prefix = "… [depth \(depth)] "
            } else if depth > 0 {
                while isLast.count <= depth { isLast.append(true) }
                isLast[depth] = node.isLastChild
                for level in 1..<depth { prefix += isLast[level] ? "    " : "│   " }
                prefix += node.isLastChild ? "└── " : "├── "
            }
            let type = node.type
            let leafType = node.isLeaf || node.element.type != nil ? type.physicalName : ""
            var annotation = type.annotation ?? ""
            if let fieldID = node.element.fieldID { annotation += (annotation.isEmpty ? "" : "  ") + "field_id=\(fieldID)" }
            table.append([
                prefix + clean(node.element.name, limit: .max),
                node.element.repetitionType.map(InspectNames.repetition) ?? "",
                leafType, annotation,
            ])
        }
        return dropHeader(table.render(indent: 2))
    }

    /// One row group's chunks as a table.
    /// - Parameter chunks: The group's column chunks.
    /// - Returns: The table, header first.
    private static func chunks(_ chunks: [InspectColumnChunk]) -> String {
        var table = InspectTextTable([
            ("column", .left), ("type", .left), ("codec", .left), ("encodings", .left), ("values", .right),
            ("nulls", .right), ("compressed", .right), ("uncompressed", .right), ("ratio", .right), ("dict", .left),
            ("min", .left), ("max", .left),
        ])
        for chunk in chunks {
            let statistics = chunk.statistics
            table.append([
                clean(chunk.path, limit: .max), chunk.type.physicalName,
                chunk.metadata.map { InspectNames.codec($0.codec) } ?? "?",
                chunk.metadata?.encodings.map(InspectNames.encoding).joined(separator: ",") ?? "?",
                chunk.metadata.map { String($0.numValues) } ?? "?",
                statistics?.nullCount.map(String.init) ?? "",
                chunk.metadata.map { String($0.totalCompressedSize) } ?? "?",
                chunk.metadata.map { String($0.totalUncompressedSize) } ?? "?",
                ratio(chunk.compressionRatio), chunk.hasDictionaryPage ? "yes" : "no",
                bound(statistics?.min, exact: statistics?.minExact),
                bound(statistics?.max, exact: statistics?.maxExact),
            ])
        }
        return table.render(indent: 2)
    }

    /// A statistic for a table cell; "~" marks a truncated bound (not an actual value).
    /// - Parameters:
    ///   - value: The bound, if any.
    ///   - exact: Whether the writer says the bound is an actual value.
    /// - Returns: The cell's text, empty without a bound.
    private static func bound(_ value: InspectValue?, exact: Bool?) -> String {
        guard let value else { return "" }
        var text = value.text
        if case .text = value, text.isEmpty { text = "\"\"" }
        return (exact == false ? "~" : "") + clean(text, limit: maximumValueCharacters)
    }

    /// The physical type and, when there is one, the annotation ("BYTE_ARRAY STRING").
    /// - Parameter type: A column's type.
    /// - Returns: The name.
    private static func typeName(_ type: InspectColumnType) -> String {
        type.physicalName + (type.annotation.map { " " + $0 } ?? "")
    }

    /// A ratio with two decimals, formatted by hand since the CLI does without Foundation.
    /// - Parameter value: Uncompressed over compressed size, if known.
    /// - Returns: "2.47x", or "-" when there is no (sensible) ratio.
    private static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite, value < 1e15 else { return "-" }
        let hundredths = Int64((value * 100).rounded())
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)x"
    }

    /// Makes text safe for one table cell: control characters escaped (a newline in a string
    /// statistic must not break the layout) and long text cut with "…".
    /// - Parameters:
    ///   - text: Any text from the file.
    ///   - limit: The most characters kept.
    /// - Returns: One line.
    static func clean(_ text: String, limit: Int) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                result += "…"
                break
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }

    /// Removes a table's (blank) header line, for tables used only for alignment.
    /// - Parameter table: A rendered table.
    /// - Returns: Its lines after the first.
    private static func dropHeader(_ table: String) -> String {
        guard let newline = table.firstIndex(of: "\n") else { return table }
        return String(table[table.index(after: newline)...])
    }
}
