/// One node of the flattened schema tree (`SchemaElement`).
///
/// The schema is a depth-first list: a group has `numChildren` and no `type`; a leaf
/// has a `type` and no `numChildren`. The root has no `repetitionType`.
public struct SchemaElement: ThriftCodable, Sendable, Hashable {
    /// The physical type of a leaf (field 1); `nil` for groups.
    public var type: PhysicalType?
    /// The byte width of FIXED_LEN_BYTE_ARRAY values (field 2).
    public var typeLength: Int32?
    /// Required, optional or repeated (field 3); `nil` only for the root.
    public var repetitionType: FieldRepetitionType?
    /// The field name (field 4, required).
    public var name: String
    /// The number of children of a group (field 5).
    public var numChildren: Int32?
    /// The legacy annotation, still expected by old readers (field 6).
    public var convertedType: ConvertedType?
    /// The legacy decimal scale (field 7).
    public var scale: Int32?
    /// The legacy decimal precision (field 8).
    public var precision: Int32?
    /// The original schema's field id, e.g. from Iceberg or Arrow (field 9).
    public var fieldID: Int32?
    /// The logical type annotation (field 10).
    public var logicalType: LogicalType?

    /// Creates a schema element.
    /// - Parameters:
    ///   - name: The field name.
    ///   - type: The physical type, for leaves.
    ///   - typeLength: The fixed byte width, for FIXED_LEN_BYTE_ARRAY leaves.
    ///   - repetitionType: The repetition, for every node but the root.
    ///   - numChildren: The child count, for groups.
    ///   - convertedType: The legacy annotation.
    ///   - scale: The legacy decimal scale.
    ///   - precision: The legacy decimal precision.
    ///   - fieldID: The original field id.
    ///   - logicalType: The logical type annotation.
    public init(
        name: String,
        type: PhysicalType? = nil,
        typeLength: Int32? = nil,
        repetitionType: FieldRepetitionType? = nil,
        numChildren: Int32? = nil,
        convertedType: ConvertedType? = nil,
        scale: Int32? = nil,
        precision: Int32? = nil,
        fieldID: Int32? = nil,
        logicalType: LogicalType? = nil
    ) {
        self.type = type
        self.typeLength = typeLength
        self.repetitionType = repetitionType
        self.name = name
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        if let type { writer.writeField(1, enum: type) }
        if let typeLength { writer.writeField(2, i32: typeLength) }
        if let repetitionType { writer.writeField(3, enum: repetitionType) }
        writer.writeField(4, string: name)
        if let numChildren { writer.writeField(5, i32: numChildren) }
        if let convertedType { writer.writeField(6, enum: convertedType) }
        if let scale { writer.writeField(7, i32: scale) }
        if let precision { writer.writeField(8, i32: precision) }
        if let fieldID { writer.writeField(9, i32: fieldID) }
        if let logicalType { writer.writeField(10, struct: logicalType) }
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing name.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var name: String?
        var element = SchemaElement(name: "")
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): element.type = try reader.readEnum()
            case (2, .i32): element.typeLength = try reader.readI32()
            case (3, .i32): element.repetitionType = try reader.readEnum()
            case (4, .binary): name = try reader.readString()
            case (5, .i32): element.numChildren = try reader.readI32()
            case (6, .i32): element.convertedType = try reader.readEnum()
            case (7, .i32): element.scale = try reader.readI32()
            case (8, .i32): element.precision = try reader.readI32()
            case (9, .i32): element.fieldID = try reader.readI32()
            case (10, .struct): element.logicalType = try LogicalType(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        element.name = try requireField(name, "SchemaElement", "name")
        self = element
    }
}
