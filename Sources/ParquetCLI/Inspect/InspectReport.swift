import ParquetThrift

/// Everything `inspect` says about a file, built from its footer alone; the text and JSON
/// renderers only lay it out.
struct InspectReport: Sendable {
    /// The file as given.
    var path: String
    /// The file's size in bytes.
    var fileSize: Int64
    /// The footer's size in bytes.
    var footerLength: Int
    /// The footer's row count.
    var rows: Int64
    /// The footer's format version.
    var formatVersion: Int32
    /// The writing application, when recorded.
    var createdBy: String?
    /// The footer's key-value metadata, in file order.
    var keyValueMetadata: [KeyValue]
    /// The schema tree, depth-first, root first.
    var schema: [InspectSchemaNode]
    /// The row groups.
    var rowGroups: [InspectRowGroup]
    /// Each column over the whole file, in order of first appearance.
    var columns: [InspectColumnSummary]
    /// Inconsistencies found in the footer (a reader may reject such a file), capped at
    /// ``maximumWarnings`` plus one line saying how many more there were.
    var warnings: [String] = []

    /// The most warnings listed one by one.
    static let maximumWarnings = 20

    /// Builds the report of a decoded footer.
    /// - Parameter footer: The file's footer.
    init(footer: ParquetFooter) {
        let metadata = footer.metadata
        path = footer.path
        fileSize = footer.fileSize
        footerLength = footer.footerLength
        rows = metadata.numRows
        formatVersion = metadata.version
        createdBy = metadata.createdBy
        keyValueMetadata = metadata.keyValueMetadata ?? []
        schema = []
        rowGroups = []
        columns = []

        var warnings: [String] = []
        let (nodes, parents, schemaWarnings) = Self.schemaTree(metadata.schema)
        schema = nodes
        warnings += schemaWarnings
        let leaves = nodes.indices.filter { nodes[$0].isLeaf }
        var leafPaths: [Int: String] = [:]
        /// The dotted path of leaf `index`, built on demand: only chunks without metadata need it.
        func leafPath(_ index: Int) -> String {
            if let known = leafPaths[index] { return known }
            var names: [String] = []
            var node: Int? = leaves[index]
            while let current = node, current != 0 {
                names.append(nodes[current].element.name)
                node = parents[current]
            }
            let path = names.reversed().joined(separator: ".")
            leafPaths[index] = path
            return path
        }

        var summaryIndex: [String: Int] = [:]
        var rowSum: Int64 = 0
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            if group.columns.count != leaves.count {
                warnings.append(
                    "row group \(groupIndex) has \(group.columns.count) column chunks for \(leaves.count) schema leaves")
            }
            var chunks: [InspectColumnChunk] = []
            chunks.reserveCapacity(group.columns.count)
            var compressedSum: Int64 = 0
            for (position, chunk) in group.columns.enumerated() {
                // Chunks follow the schema's leaf order; the name check catches a footer whose
                // chunks and leaves disagree, where the leaf's type would mislead.
                var leafType: InspectColumnType?
                var knownPath: String?
                if position < leaves.count {
                    let leaf = nodes[leaves[position]].element
                    if let names = chunk.metaData?.pathInSchema, names.last != leaf.name {
                        warnings.append(
                            "row group \(groupIndex) column \(position) is '\(names.joined(separator: "."))' "
                                + "but schema leaf \(position) is named '\(leaf.name)'")
                    } else {
                        leafType = InspectColumnType(leaf)
                    }
                    if chunk.metaData == nil { knownPath = leafPath(position) }
                }
                let described = InspectColumnChunk(chunk, leafPath: knownPath, leafType: leafType)
                if chunk.metaData == nil {
                    warnings.append("row group \(groupIndex) column \(position) has no metadata")
                }
                compressedSum = InspectColumnSummary.add(compressedSum, chunk.metaData?.totalCompressedSize ?? 0)
                let summary: Int
                if let known = summaryIndex[described.path] {
                    summary = known
                } else {
                    summary = columns.count
                    summaryIndex[described.path] = summary
                    columns.append(InspectColumnSummary(path: described.path, type: described.type))
                }
                columns[summary].add(described)
                chunks.append(described)
            }
            rowSum = InspectColumnSummary.add(rowSum, group.numRows)
            rowGroups.append(InspectRowGroup(
                index: groupIndex, rows: group.numRows, totalByteSize: group.totalByteSize,
                totalCompressedSize: group.totalCompressedSize ?? compressedSum, fileOffset: group.fileOffset,
                columns: chunks))
        }
        if rowSum != metadata.numRows {
            warnings.append("the row groups hold \(rowSum) rows but the footer says \(metadata.numRows)")
        }
        if footer.trailingFooterBytes > 0 {
            warnings.append("the footer has \(footer.trailingFooterBytes) bytes after its FileMetaData")
        }
        if warnings.count > Self.maximumWarnings {
            let more = warnings.count - Self.maximumWarnings
            warnings.removeLast(more)
            warnings.append("... and \(more) more")
        }
        self.warnings = warnings
    }

    /// Lays the flat schema list out as a tree without recursion.
    /// - Parameter elements: The footer's schema, root first.
    /// - Returns: The nodes, each node's parent index (`nil` for the root), and warnings
    ///   about children that are missing or that no group declares.
    private static func schemaTree(
        _ elements: [SchemaElement]
    ) -> (nodes: [InspectSchemaNode], parents: [Int?], warnings: [String]) {
        var nodes: [InspectSchemaNode] = []
        var parents: [Int?] = []
        var warnings: [String] = []
        nodes.reserveCapacity(elements.count)
        guard let root = elements.first else { return ([], [], ["the schema has no elements"]) }
        nodes.append(InspectSchemaNode(element: root, depth: 0, isLastChild: true, isLeaf: false))
        parents.append(nil)
        // Open groups and how many children each still expects.
        var open: [(index: Int, remaining: Int)] = [(0, max(0, Int(root.numChildren ?? 0)))]
        var strays = 0
        for element in elements.dropFirst() {
            while let last = open.last, last.remaining == 0 { open.removeLast() }
            let index = nodes.count
            let parent: Int
            let isLast: Bool
            if open.isEmpty {
                // More elements than the root's tree holds: show them under the root anyway.
                strays += 1
                parent = 0
                isLast = false
            } else {
                open[open.count - 1].remaining -= 1
                parent = open[open.count - 1].index
                isLast = open[open.count - 1].remaining == 0
            }
            let children = element.numChildren.map(Int.init)
            let isLeaf = children == nil || (children == 0 && element.type != nil)
            nodes.append(InspectSchemaNode(
                element: element, depth: open.isEmpty ? 1 : open.count, isLastChild: isLast, isLeaf: isLeaf))
            parents.append(parent)
            if let children, children > 0 { open.append((index, children)) }
        }
        if strays > 0 {
            warnings.append("\(strays) schema elements lie outside the tree the root declares")
        }
        let missing = open.reduce(0) { $0 + $1.remaining }
        if missing > 0 {
            warnings.append("the schema ends \(missing) elements before the children its groups declare")
        }
        return (nodes, parents, warnings)
    }
}
