/// An Arrow data type as a C Data Interface format string gives it (children, a dictionary's
/// value type and extension names live in ``ArrowField``).
package enum ArrowType: Sendable, Hashable {
    case null
    case boolean
    case integer(bits: Int, signed: Bool)
    case float16, float32, float64
    /// `u`/`U`/`vu`: UTF-8 text with 32- or 64-bit offsets, or views.
    case utf8(ArrowBinaryLayout)
    /// `z`/`Z`/`vz`: bytes with 32- or 64-bit offsets, or views.
    case binary(ArrowBinaryLayout)
    case fixedSizeBinary(Int)
    /// `d:P,S[,BITS]`: BITS is 32, 64, 128 (the default) or 256.
    case decimal(precision: Int, scale: Int, bits: Int)
    case date32, date64
    case time(ArrowTimeUnit)
    /// `tsu:Europe/Oslo`: an empty time zone is a local (wall clock) timestamp.
    case timestamp(ArrowTimeUnit, timeZone: String)
    case duration(ArrowTimeUnit)
    case interval
    /// `+l` (32-bit offsets) or `+L` (64-bit).
    case list(large: Bool)
    case fixedSizeList(Int)
    case `struct`
    /// `+m`: a list of key/value entries.
    case map
    /// Types with no Parquet counterpart here (unions, list views, run-end encoded, ...),
    /// kept by format so a message can name them.
    case unsupported(String)

    /// Parses a C Data Interface format string.
    /// - Parameter format: The string, e.g. `i`, `tsu:UTC`, `d:12,2`, `+l`.
    /// - Returns: The type; unknown formats are ``unsupported(_:)``, malformed parameters nil.
    package init?(format: String) {
        let bytes = Array(format.utf8)
        guard let first = bytes.first else { return nil }
        if bytes.count == 1 {
            switch first {
            case UInt8(ascii: "n"): self = .null
            case UInt8(ascii: "b"): self = .boolean
            case UInt8(ascii: "c"): self = .integer(bits: 8, signed: true)
            case UInt8(ascii: "C"): self = .integer(bits: 8, signed: false)
            case UInt8(ascii: "s"): self = .integer(bits: 16, signed: true)
            case UInt8(ascii: "S"): self = .integer(bits: 16, signed: false)
            case UInt8(ascii: "i"): self = .integer(bits: 32, signed: true)
            case UInt8(ascii: "I"): self = .integer(bits: 32, signed: false)
            case UInt8(ascii: "l"): self = .integer(bits: 64, signed: true)
            case UInt8(ascii: "L"): self = .integer(bits: 64, signed: false)
            case UInt8(ascii: "e"): self = .float16
            case UInt8(ascii: "f"): self = .float32
            case UInt8(ascii: "g"): self = .float64
            case UInt8(ascii: "u"): self = .utf8(.offsets32)
            case UInt8(ascii: "U"): self = .utf8(.offsets64)
            case UInt8(ascii: "z"): self = .binary(.offsets32)
            case UInt8(ascii: "Z"): self = .binary(.offsets64)
            default: self = .unsupported(format)
            }
            return
        }
        switch format {
        case "vu": self = .utf8(.views)
        case "vz": self = .binary(.views)
        case "tdD": self = .date32
        case "tdm": self = .date64
        case "+l": self = .list(large: false)
        case "+L": self = .list(large: true)
        case "+s": self = .struct
        case "+m": self = .map
        default:
            // Widths and sizes are int32 in Arrow; bounding them here keeps every product of
            // a width and a slot position (at most 2^38, see ArrowArrayView) inside Int.
            if format.hasPrefix("w:") {
                guard let width = Int(format.dropFirst(2)), width > 0, width <= Int(Int32.max) else { return nil }
                self = .fixedSizeBinary(width)
            } else if format.hasPrefix("+w:") {
                guard let size = Int(format.dropFirst(3)), size >= 0, size <= Int(Int32.max) else { return nil }
                self = .fixedSizeList(size)
            } else if format.hasPrefix("d:") {
                let parts = format.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 2 || parts.count == 3,
                    let precision = Int(parts[0]), let scale = Int(parts[1]),
                    let bits = parts.count == 3 ? Int(parts[2]) : 128,
                    // decimal32, decimal64, decimal128, decimal256: any other width would make
                    // the importer read values of the wrong size (past the buffer's end).
                    [32, 64, 128, 256].contains(bits)
                else { return nil }
                self = .decimal(precision: precision, scale: scale, bits: bits)
            } else if bytes.count == 3 && bytes[0] == UInt8(ascii: "t") && bytes[1] == UInt8(ascii: "t") {
                guard let unit = ArrowTimeUnit(letter: bytes[2]) else { return nil }
                self = .time(unit)
            } else if bytes.count >= 4 && bytes[0] == UInt8(ascii: "t") && bytes[1] == UInt8(ascii: "s")
                && bytes[3] == UInt8(ascii: ":")
            {
                guard let unit = ArrowTimeUnit(letter: bytes[2]) else { return nil }
                self = .timestamp(unit, timeZone: String(decoding: bytes[4...], as: UTF8.self))
            } else if bytes.count == 3 && bytes[0] == UInt8(ascii: "t") && bytes[1] == UInt8(ascii: "D") {
                guard let unit = ArrowTimeUnit(letter: bytes[2]) else { return nil }
                self = .duration(unit)
            } else if format.hasPrefix("ti") {
                self = .interval
            } else {
                self = .unsupported(format)
            }
        }
    }

    /// What messages call the type (pyarrow's names).
    package var name: String {
        switch self {
        case .null: "null"
        case .boolean: "bool"
        case .integer(let bits, let signed): "\(signed ? "" : "u")int\(bits)"
        case .float16: "halffloat"
        case .float32: "float"
        case .float64: "double"
        case .utf8(let layout): layout == .views ? "string_view" : layout.prefix + "string"
        case .binary(let layout): layout == .views ? "binary_view" : layout.prefix + "binary"
        case .fixedSizeBinary(let width): "fixed_size_binary[\(width)]"
        case .decimal(let precision, let scale, let bits): "decimal\(bits)(\(precision), \(scale))"
        case .date32: "date32"
        case .date64: "date64"
        case .time(let unit): "time[\(unit.name)]"
        case .timestamp(let unit, let zone): zone.isEmpty ? "timestamp[\(unit.name)]" : "timestamp[\(unit.name), tz=\(zone)]"
        case .duration(let unit): "duration[\(unit.name)]"
        case .interval: "interval"
        case .list(let large): large ? "large_list" : "list"
        case .fixedSizeList(let size): "fixed_size_list[\(size)]"
        case .struct: "struct"
        case .map: "map"
        case .unsupported(let format): "the Arrow format '\(format)'"
        }
    }
}

/// How variable-length bytes are laid out in an Arrow array.
package enum ArrowBinaryLayout: Sendable, Hashable {
    /// Int32 offsets into one data buffer (`u`, `z`).
    case offsets32
    /// Int64 offsets (`U`, `Z`: large_string, large_binary).
    case offsets64
    /// 16-byte views, short values inline, long ones in variadic data buffers (`vu`, `vz`).
    case views

    var prefix: String { self == .offsets64 ? "large_" : "" }
}
