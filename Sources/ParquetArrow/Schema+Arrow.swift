import CArrowInterface
import Parquet

extension Schema {
    /// The native schema an Arrow record batch's schema maps to, as `write_arrow` takes it
    /// when the configuration gives none.
    ///
    /// The mapping follows what `pyarrow.parquet` writes: signed and unsigned integers keep
    /// their width; `halffloat` widens to float32; string, large_string and string_view are
    /// `string` (`json` with the `arrow.json` extension); the binary kinds are `binary`;
    /// fixed_size_binary is `fixed_binary` (`uuid` with the `arrow.uuid` extension); decimal32,
    /// decimal64, decimal128 (and decimal256 up to precision 38) are `decimal`; date32/date64 are `date`; time32[s]
    /// widens to `time_ms`; timestamps keep their unit (seconds widen to milliseconds) and are
    /// UTC-adjusted exactly when they carry a time zone; list, large_list and fixed_size_list
    /// are `list`, struct `struct`, map `map`; a dictionary-encoded field is its value type.
    /// A field's `PARQUET:field_id` metadata (pyarrow's and pyiceberg's key) becomes its
    /// ``Field/fieldID``.
    /// - Parameter arrow: The root field: a struct whose children are the columns.
    /// - Throws: `ParquetError` `.invalidSchema` naming the first field with no Parquet
    ///   counterpart (null, duration, interval, union, ...), or a root that is not a struct.
    package init(arrow root: ArrowField) throws(ParquetError) {
        guard case .struct = root.type else {
            throw ParquetError(
                .invalidSchema, "an Arrow record batch is a struct of columns; this one is \(root.type.name)")
        }
        var fields: [Field] = []
        fields.reserveCapacity(root.children.count)
        for child in root.children {
            fields.append(try Field(arrow: child, path: child.name))
        }
        try self.init(fields)
    }

    /// The native schema of an `ArrowSchema` (see ``init(arrow:)``).
    /// - Parameter schema: The schema, read only during the call.
    /// - Throws: `ParquetError` (`.invalidArrow` for a malformed schema).
    package init(arrowSchema schema: UnsafePointer<ArrowSchema>) throws(ParquetError) {
        try self.init(arrow: try ArrowField(schema))
    }
}

extension Field {
    /// The native field an Arrow field maps to (see ``Schema/init(arrow:)``).
    /// - Parameters:
    ///   - arrow: The Arrow field.
    ///   - path: Its dotted path, for messages.
    /// - Throws: `ParquetError` `.invalidSchema` for a type with no Parquet counterpart.
    package init(arrow: ArrowField, path: String) throws(ParquetError) {
        self.init(arrow.name, try Self.dataType(of: arrow, path: path), nullable: arrow.nullable, fieldID: arrow.fieldID)
    }

    private static func dataType(of arrow: ArrowField, path: String) throws(ParquetError) -> DataType {
        let extensionName = arrow.dictionary?.field.extensionName ?? arrow.extensionName
        switch arrow.valueType {
        case .boolean: return .boolean
        case .integer(let bits, let signed):
            switch (bits, signed) {
            case (8, true): return .int8
            case (16, true): return .int16
            case (32, true): return .int32
            case (64, true): return .int64
            case (8, false): return .uint8
            case (16, false): return .uint16
            case (32, false): return .uint32
            default: return .uint64
            }
        case .float16, .float32: return .float32
        case .float64: return .float64
        case .utf8: return extensionName == "arrow.json" ? .json : .string
        case .binary: return .binary
        case .fixedSizeBinary(let width):
            return extensionName == "arrow.uuid" && width == 16 ? .uuid : .fixedBinary(length: width)
        case .decimal(let precision, let scale, let bits):
            guard bits != 256 || precision <= 38 else {
                throw ParquetError(
                    .invalidSchema,
                    "the Arrow field '\(path)' is \(arrow.valueType.name), more than 38 digits; Parquet decimals here hold at most 38",
                    column: path)
            }
            return .decimal(precision: precision, scale: scale)
        case .date32, .date64: return .date
        case .time(let unit):
            switch unit {
            case .seconds, .milliseconds: return .time(.milliseconds)
            case .microseconds: return .time(.microseconds)
            case .nanoseconds: return .time(.nanoseconds)
            }
        case .timestamp(let unit, let zone):
            let utc = !zone.isEmpty
            switch unit {
            case .seconds, .milliseconds: return .timestamp(.milliseconds, utc: utc)
            case .microseconds: return .timestamp(.microseconds, utc: utc)
            case .nanoseconds: return .timestamp(.nanoseconds, utc: utc)
            }
        case .list, .fixedSizeList:
            let element = arrow.valueChildren[0]
            return .list(element: Field(
                "element", try dataType(of: element, path: path + ".element"), nullable: element.nullable,
                fieldID: element.fieldID))
        case .struct:
            var fields: [Field] = []
            for child in arrow.valueChildren {
                fields.append(try Field(arrow: child, path: path + "." + child.name))
            }
            return .struct(fields: fields)
        case .map:
            let entries = arrow.valueChildren[0].children
            let key = entries[0]
            let value = entries[1]
            return .map(
                key: Field("key", try dataType(of: key, path: path + ".key"), nullable: false, fieldID: key.fieldID),
                value: Field(
                    "value", try dataType(of: value, path: path + ".value"), nullable: value.nullable,
                    fieldID: value.fieldID))
        case .null, .duration, .interval, .unsupported:
            throw ParquetError(
                .invalidSchema,
                "the Arrow field '\(path)' is \(arrow.valueType.name), which has no Parquet type here; give the column a type in the writer's schema",
                column: path)
        }
    }
}
