import CArrowInterface
import Parquet

/// One field of an Arrow schema, read out of an `ArrowSchema` into Swift values so nothing
/// points into the producer's memory after the import.
package struct ArrowField: Sendable, Hashable {
    /// The field's name (`""` when the producer gave none).
    package var name: String
    /// The type of the array's own buffers: a dictionary-encoded field's index type.
    package var type: ArrowType
    /// Whether the field may hold nulls (`ARROW_FLAG_NULLABLE`).
    package var nullable: Bool
    /// Child fields: a struct's fields, a list's element, a map's entries struct.
    package var children: [ArrowField]
    /// For a dictionary-encoded field, the dictionary's values (whose type is the field's
    /// logical type); nil otherwise.
    package var dictionary: ArrowFieldBox?
    /// `ARROW:extension:name` from the field's metadata (`arrow.uuid`, `arrow.json`, ...).
    package var extensionName: String?
    /// `PARQUET:field_id` from the field's metadata, as pyarrow and pyiceberg set it; nil when
    /// absent or not a number in 0...2³¹-1.
    package var fieldID: Int32?

    /// The most nested levels read from a schema: Parquet files deeper than
    /// ``Schema/maximumDepth`` are refused anyway, and this keeps the recursion bounded.
    package static let maximumDepth = 128

    /// Reads a field (and its children) from an Arrow schema.
    /// - Parameters:
    ///   - schema: A schema that is not released (its `release` is not NULL).
    ///   - depth: The nesting depth of `schema` (0 for the root).
    /// - Throws: `ParquetError` `.invalidArrow` for a malformed schema (NULL format, a bad
    ///   format string, missing children).
    package init(_ schema: UnsafePointer<ArrowSchema>, depth: Int = 0) throws(ParquetError) {
        let raw = schema.pointee
        guard depth <= Self.maximumDepth else {
            throw ParquetError(.invalidArrow, "the Arrow schema is nested deeper than \(Self.maximumDepth) levels")
        }
        name = raw.name.map { String(cString: $0) } ?? ""
        guard let formatPointer = raw.format else {
            throw ParquetError(.invalidArrow, "the Arrow field '\(name)' has no format string")
        }
        let format = String(cString: formatPointer)
        guard let type = ArrowType(format: format) else {
            throw ParquetError(.invalidArrow, "the Arrow field '\(name)' has a malformed format string '\(format)'")
        }
        self.type = type
        nullable = raw.flags & Int64(ARROW_FLAG_NULLABLE) != 0
        guard raw.n_children >= 0, raw.n_children == 0 || raw.children != nil else {
            throw ParquetError(.invalidArrow, "the Arrow field '\(name)' has \(raw.n_children) children but no child array")
        }
        var children: [ArrowField] = []
        children.reserveCapacity(Int(raw.n_children))
        for index in 0..<Int(raw.n_children) {
            guard let child = raw.children[index] else {
                throw ParquetError(.invalidArrow, "child \(index) of the Arrow field '\(name)' is NULL")
            }
            children.append(try ArrowField(child, depth: depth + 1))
        }
        self.children = children
        if let dictionary = raw.dictionary {
            guard case .integer = type else {
                throw ParquetError(.invalidArrow, "the dictionary-encoded Arrow field '\(name)' has non-integer indices (\(format))")
            }
            let values = try ArrowField(dictionary, depth: depth + 1)
            // A dictionary of dictionaries would have the importer read the inner indices as
            // the values: refuse it (no Arrow producer writes one for a Parquet leaf).
            guard values.dictionary == nil else {
                throw ParquetError(
                    .invalidSchema, "the Arrow field '\(name)' is a dictionary whose values are dictionary-encoded",
                    column: name)
            }
            self.dictionary = ArrowFieldBox(values)
        } else {
            self.dictionary = nil
        }
        extensionName = raw.metadata.flatMap { Self.metadataValue(of: "ARROW:extension:name", in: $0) }
        fieldID = raw.metadata.flatMap { Self.metadataValue(of: "PARQUET:field_id", in: $0) }.flatMap { Int32($0) }
            .flatMap { $0 >= 0 ? $0 : nil }
        try checkChildCount()
    }

    /// The type of the values: the dictionary's for a dictionary-encoded field.
    package var valueType: ArrowType { dictionary?.field.type ?? type }

    /// The children of the values (a dictionary of lists has them on the dictionary).
    package var valueChildren: [ArrowField] { dictionary?.field.children ?? children }

    /// Checks the children a nested type needs, so importers can index them freely.
    private func checkChildCount() throws(ParquetError) {
        let expected: Int
        switch type {
        case .list, .fixedSizeList, .map: expected = 1
        // Types refused later (unions, list views, run-end encoded, ...) have children of their
        // own: they are not malformed, and the refusal names them as invalid_schema/type_mismatch.
        case .struct, .unsupported: return
        default: expected = 0
        }
        guard children.count == expected else {
            throw ParquetError(.invalidArrow, 
                "the Arrow field '\(name)' of type \(type.name) has \(children.count) children, expected \(expected)")
        }
        if case .map = type {
            guard case .struct = children[0].type, children[0].children.count == 2 else {
                throw ParquetError(.invalidArrow, "the entries of the Arrow map '\(name)' are not a struct of key and value")
            }
        }
    }

    /// Finds a key in Arrow's binary metadata: an int32 count, then per pair an int32 length
    /// and the key's bytes, an int32 length and the value's bytes (native byte order).
    private static func metadataValue(of wanted: String, in metadata: UnsafePointer<CChar>) -> String? {
        let base = UnsafeRawPointer(metadata)
        var position = 0
        func int32() -> Int {
            defer { position += 4 }
            return Int(base.loadUnaligned(fromByteOffset: position, as: Int32.self))
        }
        let pairs = int32()
        guard pairs >= 0 && pairs < 1 << 20 else { return nil }
        for _ in 0..<pairs {
            let keyLength = int32()
            guard keyLength >= 0 else { return nil }
            let key = UnsafeRawBufferPointer(start: base + position, count: keyLength)
            position += keyLength
            let valueLength = int32()
            guard valueLength >= 0 else { return nil }
            if key.elementsEqual(wanted.utf8) {
                return String(decoding: UnsafeRawBufferPointer(start: base + position, count: valueLength), as: UTF8.self)
            }
            position += valueLength
        }
        return nil
    }
}

/// A boxed ``ArrowField``, so a field can hold its dictionary's field.
package final class ArrowFieldBox: Sendable, Hashable {
    package let field: ArrowField
    init(_ field: ArrowField) { self.field = field }
    package static func == (lhs: ArrowFieldBox, rhs: ArrowFieldBox) -> Bool { lhs.field == rhs.field }
    package func hash(into hasher: inout Hasher) { hasher.combine(field) }
}
