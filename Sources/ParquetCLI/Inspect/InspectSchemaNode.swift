import ParquetThrift

/// One element of the schema tree, in the footer's depth-first order.
///
/// The tree stays a flat list with depths (rather than nested nodes) so that building and
/// printing it never recurses: a corrupt footer can declare a schema thousands of levels deep.
struct InspectSchemaNode: Sendable {
    /// The footer's element.
    var element: SchemaElement
    /// 0 for the root, 1 for its children, ...
    var depth: Int
    /// Whether no sibling follows this node under its parent (for drawing the tree).
    var isLastChild: Bool
    /// Whether the node is a leaf column (it has no `num_children`, or none and a type).
    var isLeaf: Bool

    /// The element's type, for leaves and for annotated groups (LIST, MAP).
    var type: InspectColumnType { InspectColumnType(element) }
}
