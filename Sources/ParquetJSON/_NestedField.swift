/// A struct field as the walk over a struct value reads it: what matching the next key and
/// dispatching its value need, for the child at one position of ``_NestedTree/children``.
///
/// Why a table of its own: read through `children`, then the child's ``_NestedNode``, then its
/// name bytes, each field's key match waited on three dependent loads; here it waits on one,
/// and a name of up to 7 bytes is compared as one masked word with no second load at all.
struct _NestedField {
    /// The child's node.
    var node: Int
    /// The child's leaf column when it is a leaf, else -1.
    var leaf: Int
    /// The first 8 bytes of the name followed by its `"`, as a little-endian word (zeros past
    /// the quote).
    var nameWord: UInt64
    /// The name's length plus its closing `"`; 0 when the name is not written as it is in JSON
    /// (then keys are matched by a scan, ``_NestedNode/simpleName``).
    var matchLength: Int
    /// Where the name starts in ``_NestedTree/nameBytes``.
    var nameStart: Int

    /// The fields of every struct in `tree`, one per entry of its `children` (the entries of
    /// lists and maps too, which are never read as fields).
    /// - Parameter tree: A complete tree (its name bytes padded).
    /// - Returns: The fields, in the order of `tree.children`.
    static func fields(of tree: _NestedTree) -> [_NestedField] {
        tree.children.map { child in
            let node = tree.nodes[child]
            var word: UInt64 = 0
            let length = node.nameLength + 1
            for offset in 0..<Swift.min(length, 8) {
                word |= UInt64(tree.nameBytes[node.nameStart + offset]) << UInt64(8 * offset)
            }
            return _NestedField(
                node: child, leaf: node.leaf, nameWord: word, matchLength: node.simpleName ? length : 0,
                nameStart: node.nameStart)
        }
    }
}
