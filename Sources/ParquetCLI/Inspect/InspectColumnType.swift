import ParquetThrift

/// A leaf column's type as its schema element declares it: what naming the column and
/// decoding its statistics need.
struct InspectColumnType: Sendable, Equatable {
    /// The physical type; `nil` only in a corrupt schema (a leaf without a type).
    var physical: PhysicalType?
    /// The byte width of FIXED_LEN_BYTE_ARRAY values.
    var typeLength: Int32?
    /// The logical type annotation, which wins over `converted` when both are present.
    var logical: LogicalType?
    /// The legacy annotation, all that files from older writers carry.
    var converted: ConvertedType?
    /// The legacy decimal scale (converted DECIMAL only).
    var scale: Int32?
    /// The legacy decimal precision (converted DECIMAL only).
    var precision: Int32?

    /// The type of a schema element.
    /// - Parameter element: A leaf (or, harmlessly, a group) of the schema.
    init(_ element: SchemaElement) {
        physical = element.type
        typeLength = element.typeLength
        logical = element.logicalType
        converted = element.convertedType
        scale = element.scale
        precision = element.precision
    }

    /// A bare physical type, for a column chunk no schema leaf describes.
    /// - Parameter physical: The chunk's physical type, `nil` when not even that is known.
    init(physical: PhysicalType?) {
        self.physical = physical
    }

    /// The physical type's name, with the width of fixed-length byte arrays.
    var physicalName: String {
        guard let physical else { return "?" }
        if physical == .fixedLenByteArray, let typeLength { return "FIXED_LEN_BYTE_ARRAY(\(typeLength))" }
        return InspectNames.physical(physical)
    }

    /// The annotation people read: the logical type, else the converted one with its
    /// decimal parameters; `nil` for an unannotated column.
    var annotation: String? {
        if let logical { return InspectNames.logical(logical) }
        guard let converted else { return nil }
        if converted == .decimal { return "DECIMAL(\(precision ?? 0),\(scale ?? 0))" }
        return InspectNames.converted(converted)
    }

    /// How statistic bytes of this column are meant to be read.
    var valueKind: InspectValueKind {
        if let logical {
            switch logical {
            case .string, .enum, .json: return .text
            case .decimal(let scale, _): return .decimal(scale: Int(scale))
            case .date: return .date
            case .time(_, let unit): return .time(unit)
            case .timestamp(let utc, let unit): return .timestamp(unit, utc: utc)
            case .integer(_, let signed): return signed ? .plain : .unsigned
            case .uuid: return .uuid
            case .float16: return .float16
            case .bson, .map, .list, .unknown, .other: return .plain
            }
        }
        switch converted {
        case .utf8, .enum, .json: return .text
        case .decimal: return .decimal(scale: Int(scale ?? 0))
        case .date: return .date
        case .timeMillis: return .time(.millis)
        case .timeMicros: return .time(.micros)
        // The legacy timestamps are instants, i.e. UTC-adjusted.
        case .timestampMillis: return .timestamp(.millis, utc: true)
        case .timestampMicros: return .timestamp(.micros, utc: true)
        case .uint8, .uint16, .uint32, .uint64: return .unsigned
        default: return .plain
        }
    }

    /// Whether the deprecated `min`/`max` statistics may be shown. They were computed in
    /// signed order, so they are only right where the column's order is signed: never for
    /// byte arrays (unsigned byte-wise order), INT96 (undefined order) or unsigned integers.
    var deprecatedStatisticsUsable: Bool {
        switch physical {
        case .byteArray, .fixedLenByteArray, .int96, nil: false
        default: valueKind != .unsigned
        }
    }
}
