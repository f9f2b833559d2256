import ParquetThrift

extension Schema {
    /// The flattened schema the footer stores: a root group, then every node depth-first,
    /// groups counting their children. Made once, by ``init(_:)``: every file's footer
    /// repeats it (a partitioned dataset writes thousands of files of one schema).
    static func thriftElements(of fields: [Field], columns: [ColumnDescriptor]) -> [SchemaElement] {
        var elements: [SchemaElement] = []
        elements.reserveCapacity(columns.count * 2 + 1)
        // The root has no repetition type and counts its children.
        elements.append(SchemaElement(name: "schema", numChildren: Int32(fields.count)))
        var leaf = 0
        for field in fields {
            Schema.appendElements(of: field, repetition: field.nullable ? .optional : .required,
                                  leaves: columns, leaf: &leaf, to: &elements)
        }
        return elements
    }

    /// Appends `field`'s elements: a group with its children for nested types (with the spec's
    /// LIST `list`/`element` and MAP `key_value`/`key`/`value` layouts), else the leaf's element.
    private static func appendElements(
        of field: Field, repetition: FieldRepetitionType, leaves: [ColumnDescriptor], leaf: inout Int,
        to elements: inout [SchemaElement]
    ) {
        func child(_ field: Field) -> FieldRepetitionType { field.nullable ? .optional : .required }
        switch field.type {
        case .struct(let children):
            elements.append(SchemaElement(
                name: field.name, repetitionType: repetition, numChildren: Int32(children.count), fieldID: field.fieldID))
            for member in children {
                appendElements(of: member, repetition: child(member), leaves: leaves, leaf: &leaf, to: &elements)
            }
        case .list(let element):
            elements.append(SchemaElement(
                name: field.name, repetitionType: repetition, numChildren: 1, convertedType: .list, fieldID: field.fieldID,
                logicalType: .list))
            elements.append(SchemaElement(name: "list", repetitionType: .repeated, numChildren: 1))
            var element = element
            element.name = "element"
            appendElements(of: element, repetition: child(element), leaves: leaves, leaf: &leaf, to: &elements)
        case .map(let key, let value):
            elements.append(SchemaElement(
                name: field.name, repetitionType: repetition, numChildren: 1, convertedType: .map, fieldID: field.fieldID,
                logicalType: .map))
            elements.append(SchemaElement(name: "key_value", repetitionType: .repeated, numChildren: 2))
            var key = key
            var value = value
            key.name = "key"
            value.name = "value"
            appendElements(of: key, repetition: .required, leaves: leaves, leaf: &leaf, to: &elements)
            appendElements(of: value, repetition: child(value), leaves: leaves, leaf: &leaf, to: &elements)
        default:
            var element = leaves[leaf].thriftElement
            element.repetitionType = repetition
            element.fieldID = field.fieldID
            elements.append(element)
            leaf += 1
        }
    }
}

extension ColumnDescriptor {
    /// The physical type recorded in the schema and the column metadata.
    var physicalType: PhysicalType {
        switch storage {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .byteArray: .byteArray
        case .fixedLenByteArray: .fixedLenByteArray
        }
    }

    /// The leaf's schema element: physical type, repetition, and both the logical type and
    /// (where one exists) the legacy converted type, so old and new readers agree.
    var thriftElement: SchemaElement {
        var element = SchemaElement(name: path.last!)
        element.type = physicalType
        element.repetitionType = nullable ? .optional : .required
        if case .fixedLenByteArray(let length) = storage { element.typeLength = Int32(length) }
        switch type {
        case .boolean, .float32, .float64, .binary, .fixedBinary, .int32, .int64:
            break
        case .int8: element.annotate(.integer(bitWidth: 8, isSigned: true), .int8)
        case .int16: element.annotate(.integer(bitWidth: 16, isSigned: true), .int16)
        case .uint8: element.annotate(.integer(bitWidth: 8, isSigned: false), .uint8)
        case .uint16: element.annotate(.integer(bitWidth: 16, isSigned: false), .uint16)
        case .uint32: element.annotate(.integer(bitWidth: 32, isSigned: false), .uint32)
        case .uint64: element.annotate(.integer(bitWidth: 64, isSigned: false), .uint64)
        case .string: element.annotate(.string, .utf8)
        case .json: element.annotate(.json, .json)
        case .uuid: element.annotate(.uuid, nil)
        case .date: element.annotate(.date, .date)
        case .time(let unit):
            // A time of day is wall-clock time, as Arrow writes it: DuckDB reads a UTC-adjusted
            // TIME as TIME WITH TIME ZONE. There is no converted type for nanoseconds.
            element.annotate(
                .time(isAdjustedToUTC: false, unit: unit.thrift),
                unit == .milliseconds ? .timeMillis : unit == .microseconds ? .timeMicros : nil)
        case .timestamp(let unit, let utc):
            // TIMESTAMP_MILLIS/MICROS are written for local timestamps too, as Arrow does,
            // so readers that only know converted types still see a timestamp.
            element.annotate(
                .timestamp(isAdjustedToUTC: utc, unit: unit.thrift),
                unit == .milliseconds ? .timestampMillis : unit == .microseconds ? .timestampMicros : nil)
        case .decimal(let precision, let scale):
            element.annotate(.decimal(scale: Int32(scale), precision: Int32(precision)), .decimal)
            element.scale = Int32(scale)
            element.precision = Int32(precision)
        case .list, .struct, .map:
            preconditionFailure("a leaf column never has a nested type")
        }
        return element
    }
}

extension SchemaElement {
    fileprivate mutating func annotate(_ logical: LogicalType, _ converted: ConvertedType?) {
        logicalType = logical
        convertedType = converted
    }
}

extension TimeUnit {
    var thrift: ParquetThrift.TimeUnit {
        switch self {
        case .milliseconds: .millis
        case .microseconds: .micros
        case .nanoseconds: .nanos
        }
    }
}
