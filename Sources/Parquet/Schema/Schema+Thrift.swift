import ParquetThrift

extension Schema {
    /// The flattened schema the footer stores: a root group, then the fields depth-first.
    var thriftElements: [SchemaElement] {
        var elements: [SchemaElement] = []
        elements.reserveCapacity(fields.count + 1)
        // The root has no repetition type and counts its children.
        elements.append(SchemaElement(name: "schema", numChildren: Int32(fields.count)))
        for column in columns {
            elements.append(column.thriftElement)
        }
        return elements
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
        element.repetitionType = maxDefinitionLevel > 0 ? .optional : .required
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
