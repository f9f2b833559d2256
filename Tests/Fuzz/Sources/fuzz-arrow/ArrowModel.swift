// The Arrow side of fuzz-arrow: a small model of Arrow fields (ANode), drawn from the input's
// bytes, and the code that lays them out in memory as real ArrowSchema / ArrowArray structures
// with counting release callbacks. See Target.swift for the producer's contract this keeps.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CArrowInterface
import FuzzSupport

// MARK: Reading the input

/// The input as two streams: decisions are read from the front, value bytes from the back (so
/// a long values buffer does not eat the decisions after it). Both give 0 once exhausted, and
/// 0 always means the plain, valid choice; values then come from a fixed pseudo-random
/// sequence, so an input stays deterministic.
struct Input {
    let bytes: UnsafeRawBufferPointer
    var front = 0
    var back: Int
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        back = bytes.count
    }

    /// The next decision byte (0 when exhausted).
    mutating func byte() -> UInt8 {
        guard front < back else { return 0 }
        defer { front += 1 }
        return bytes[front]
    }

    /// A decision in `0..<count`.
    mutating func below(_ count: Int) -> Int {
        count <= 1 ? 0 : Int(byte()) % count
    }

    /// True about once in `odds` (never once the input is exhausted).
    mutating func rare(_ odds: Int) -> Bool {
        Int(byte()) % odds == odds - 1
    }

    /// The next value byte: from the back of the input, then pseudo-random.
    mutating func value() -> UInt8 {
        if back > front {
            back -= 1
            return bytes[back]
        }
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state >> 24)
    }

    /// A little-endian value of `count` value bytes.
    mutating func valueInteger(_ count: Int) -> UInt64 {
        var result: UInt64 = 0
        for index in 0..<count { result |= UInt64(value()) << (8 * UInt64(index)) }
        return result
    }
}

// MARK: The model

/// A binary or string layout: 32-bit offsets, 64-bit offsets, or views.
enum Layout: Equatable, Sendable { case o32, o64, view }

/// An Arrow type, as far as the harness lays it out.
enum AType: Equatable, Sendable {
    case null, bool
    case int(bits: Int, signed: Bool)
    case half, float, double
    case utf8(Layout), binary(Layout)
    case fixed(Int)
    case decimal(precision: Int, scale: Int, bits: Int)
    case date32, date64
    /// `s`/`m` are 32-bit, `u`/`n` 64-bit.
    case time(Character)
    case timestamp(Character, zone: String)
    case duration(Character)
    /// `M` (int32), `D` (2 x int32), `n` (16 bytes).
    case interval(Character)
    case list(large: Bool), fixedList(Int), `struct`, map
    /// Well-formed types the writer refuses: dense/sparse unions, run-end encoded, list views.
    case union(dense: Bool), runEnd, listView
    /// A malformed format string (laid out as an int64 array; the schema must be refused).
    case bad(String)

    var format: String {
        switch self {
        case .null: "n"
        case .bool: "b"
        case .int(let bits, let signed):
            switch bits {
            case 8: signed ? "c" : "C"
            case 16: signed ? "s" : "S"
            case 32: signed ? "i" : "I"
            default: signed ? "l" : "L"
            }
        case .half: "e"
        case .float: "f"
        case .double: "g"
        case .utf8(let layout): ["u", "U", "vu"][[Layout.o32, .o64, .view].firstIndex(of: layout)!]
        case .binary(let layout): ["z", "Z", "vz"][[Layout.o32, .o64, .view].firstIndex(of: layout)!]
        case .fixed(let width): "w:\(width)"
        case .decimal(let precision, let scale, let bits): bits == 128 ? "d:\(precision),\(scale)" : "d:\(precision),\(scale),\(bits)"
        case .date32: "tdD"
        case .date64: "tdm"
        case .time(let unit): "tt\(unit)"
        case .timestamp(let unit, let zone): "ts\(unit):\(zone)"
        case .duration(let unit): "tD\(unit)"
        case .interval(let kind): "ti\(kind)"
        case .list(let large): large ? "+L" : "+l"
        case .fixedList(let size): "+w:\(size)"
        case .struct: "+s"
        case .map: "+m"
        case .union(let dense): dense ? "+ud:0,1" : "+us:0,1"
        case .runEnd: "+r"
        case .listView: "+vl"
        case .bad(let format): format
        }
    }

    /// Bytes per slot of a fixed-width data buffer (nil: not fixed width; bool is bits).
    var width: Int? {
        switch self {
        case .int(let bits, _): bits / 8
        case .half: 2
        case .float, .date32: 4
        case .double, .date64, .duration, .timestamp: 8
        case .time(let unit): unit == "s" || unit == "m" ? 4 : 8
        case .interval(let kind): kind == "M" ? 4 : kind == "D" ? 8 : 16
        case .fixed(let width): width
        case .decimal(_, _, let bits): bits / 8
        case .bad: 8
        default: nil
        }
    }

    var isNested: Bool {
        switch self {
        case .list, .fixedList, .struct, .map, .union, .runEnd, .listView: true
        default: false
        }
    }
}

/// One Arrow field and how the harness draws its arrays.
final class ANode {
    var name: String
    var type: AType
    var nullable: Bool
    /// `ARROW:extension:name` metadata (`arrow.uuid`, `arrow.json`, or another name).
    var extensionName: String?
    var children: [ANode]
    /// Dictionary-encoded: `type` is the index type, this the values.
    var dictionary: ANode?
    /// Malformed schema: this many extra NULL entries in its children array (n_children too).
    var extraSchemaChildren = 0

    init(_ name: String, _ type: AType, nullable: Bool = true, children: [ANode] = [], extensionName: String? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.children = children
        self.extensionName = extensionName
    }

    /// The type for messages: format strings, nesting in brackets.
    var summary: String {
        var text = type.format
        if let dictionary { text += "{dict " + dictionary.summary + "}" }
        if let extensionName { text += "<\(extensionName)>" }
        if !nullable { text += "!" }
        if extraSchemaChildren > 0 { text += "+\(extraSchemaChildren)NULL" }
        if !children.isEmpty { text += "[" + children.map { "\($0.name): \($0.summary)" }.joined(separator: ", ") + "]" }
        return text
    }

    /// Whether any node below (or this one) matches.
    func contains(_ test: (ANode) -> Bool) -> Bool {
        test(self) || children.contains { $0.contains(test) } || (dictionary?.contains(test) ?? false)
    }
}

// MARK: Drawing a schema

/// Formats the importer must refuse (malformed) or refuse by type (well-formed but
/// unsupported). Laid out as int64 arrays: nothing may read them.
let badFormats = [
    "", "d:abc", "d:10,2,48", "d:", "d:1,2,3,4", "w:0", "w:-4", "w:99999999999", "w:", "+w:", "+w:-1",
    "tsx:UTC", "ttq", "tdX", "tDx", "Q", "+", "+x", "vv", "ts", "tsu", "d:,", "w:1x", "+w:2147483648",
]

/// The leaf types drawn for inferred columns, with 0 (the exhausted input's choice) an int64.
func drawLeaf(_ input: inout Input, allowRefused: Bool) -> AType {
    let units: [Character] = ["s", "m", "u", "n"]
    let zones = ["", "UTC", "Europe/Oslo", "+01:00", "America/New_York"]
    switch input.below(allowRefused ? 34 : 30) {
    case 0: return .int(bits: 64, signed: true)
    case 1: return .bool
    case 2: return .int(bits: 8, signed: true)
    case 3: return .int(bits: 8, signed: false)
    case 4: return .int(bits: 16, signed: true)
    case 5: return .int(bits: 16, signed: false)
    case 6: return .int(bits: 32, signed: true)
    case 7: return .int(bits: 32, signed: false)
    case 8: return .int(bits: 64, signed: false)
    case 9: return .half
    case 10: return .float
    case 11: return .double
    case 12: return .utf8(.o32)
    case 13: return .utf8(.o64)
    case 14: return .utf8(.view)
    case 15: return .binary(.o32)
    case 16: return .binary(.o64)
    case 17: return .binary(.view)
    case 18: return .fixed(1 + input.below(20))
    case 19, 20:
        let bits = [128, 32, 64, 256][input.below(4)]
        let maximum = [128: 38, 32: 9, 64: 18, 256: 40][bits]!
        let precision = 1 + input.below(maximum)
        var scale = input.below(precision + 1)
        if input.rare(16) { scale = -1 - input.below(3) }
        if input.rare(32) { scale = precision + 1 }
        return .decimal(precision: input.rare(32) ? 0 : precision, scale: scale, bits: bits)
    case 21: return .date32
    case 22: return .date64
    case 23: return .time(["s", "m"][input.below(2)])
    case 24: return .time(["u", "n"][input.below(2)])
    case 25, 26: return .timestamp(units[input.below(4)], zone: zones[input.below(zones.count)])
    case 27: return .utf8(.o32)
    case 28: return .int(bits: 32, signed: true)
    case 29: return .null
    case 30: return .duration(units[input.below(4)])
    case 31: return .interval(["M", "D", "n"][input.below(3)])
    case 32: return [.union(dense: true), .union(dense: false), .runEnd, .listView][input.below(4)]
    default: return .bad(badFormats[input.below(badFormats.count)])
    }
}

/// A field for an inferred schema: leaves mostly, nested types down to `depth` 4.
func drawNode(_ input: inout Input, name: String, depth: Int, allowRefused: Bool) -> ANode {
    let nullable = !input.rare(6)
    let choice = depth < 4 ? input.below(14) : 0
    var node: ANode
    switch choice {
    case 9: node = ANode(name, .list(large: input.rare(3)), nullable: nullable,
                         children: [drawNode(&input, name: "item", depth: depth + 1, allowRefused: allowRefused)])
    case 10: node = ANode(name, .fixedList(input.below(4)), nullable: nullable,
                          children: [drawNode(&input, name: "item", depth: depth + 1, allowRefused: allowRefused)])
    case 11:
        let count = 1 + input.below(3)
        node = ANode(name, .struct, nullable: nullable,
                     children: (0..<count).map { drawNode(&input, name: "f\($0)", depth: depth + 1, allowRefused: allowRefused) })
    case 12:
        let key = ANode("key", drawKeyType(&input), nullable: false)
        let value = drawNode(&input, name: "value", depth: depth + 2, allowRefused: allowRefused)
        node = ANode(name, .map, nullable: nullable,
                     children: [ANode("entries", .struct, nullable: false, children: [key, value])])
    case 13:
        // Dictionary-encoded leaf: indices of some integer type, values of a leaf type.
        node = ANode(name, drawIndexType(&input), nullable: nullable)
        node.dictionary = ANode("", drawDictionaryValues(&input), nullable: true)
    default:
        node = ANode(name, drawLeaf(&input, allowRefused: allowRefused), nullable: nullable)
    }
    switch node.type {
    case .union: node.children = [ANode("a", .int(bits: 32, signed: true)), ANode("b", .utf8(.o32))]
    case .runEnd: node.children = [ANode("run_ends", .int(bits: 32, signed: true), nullable: false), ANode("values", .double)]
    case .listView: node.children = [ANode("item", .int(bits: 32, signed: true))]
    case .fixed(16) where input.rare(3): node.extensionName = "arrow.uuid"
    case .utf8 where input.rare(4): node.extensionName = "arrow.json"
    default: if input.rare(64) { node.extensionName = "other.ext" }
    }
    return node
}

func drawKeyType(_ input: inout Input) -> AType {
    [.utf8(.o32), .int(bits: 32, signed: true), .int(bits: 64, signed: true), .utf8(.view), .date32, .binary(.o32), .bool,
     .utf8(.o64), .decimal(precision: 5, scale: 1, bits: 128)][input.below(9)]
}

func drawIndexType(_ input: inout Input) -> AType {
    .int(bits: [32, 8, 16, 64][input.below(4)], signed: !input.rare(4))
}

func drawDictionaryValues(_ input: inout Input) -> AType {
    [.utf8(.o32), .int(bits: 64, signed: true), .utf8(.view), .binary(.o32), .double, .utf8(.o64), .fixed(3),
     .decimal(precision: 9, scale: 2, bits: 128), .date32, .timestamp("u", zone: "UTC"), .bool, .null][input.below(12)]
}

// MARK: The configured schemas ("fixed" setups) and Arrow fields that fit them

/// A native column type of the fixed schemas, with the Arrow types that may be written to it.
indirect enum NType: Sendable {
    case leaf(json: String, arrow: [AType])
    case list(NField)
    case `struct`([NField])
    case map(key: NType, value: NField)
}

struct NField: Sendable {
    var name: String
    var type: NType
    var nullable = true

    var json: String {
        "{\"name\": \"\(name)\", " + typeJSON(type) + (nullable ? "" : ", \"nullable\": false") + "}"
    }

    private func typeJSON(_ type: NType) -> String {
        switch type {
        case .leaf(let json, _): return json
        case .list(let element): return "\"type\": \"list\", \"items\": {" + typeJSON(element.type) + (element.nullable ? "" : ", \"nullable\": false") + "}"
        case .struct(let fields): return "\"type\": \"struct\", \"fields\": [" + fields.map(\.json).joined(separator: ", ") + "]"
        case .map(let key, let value):
            return "\"type\": \"map\", \"keys\": {" + typeJSON(key) + "}, \"values\": {" + typeJSON(value.type)
                + (value.nullable ? "" : ", \"nullable\": false") + "}"
        }
    }
}

let integerArrow: [AType] = [.int(bits: 64, signed: true), .int(bits: 8, signed: true), .int(bits: 8, signed: false), .int(bits: 16, signed: true),
                             .int(bits: 16, signed: false), .int(bits: 32, signed: true), .int(bits: 32, signed: false), .int(bits: 64, signed: false)]
let textArrow: [AType] = [.utf8(.o32), .utf8(.o64), .utf8(.view), .binary(.o32), .binary(.o64), .binary(.view)]

func leaf(_ type: String, _ arrow: [AType], _ extra: String = "") -> NType {
    .leaf(json: "\"type\": \"\(type)\"" + extra, arrow: arrow)
}

/// Two configured schemas: every scalar type with the Arrow types that convert to it, and
/// nested columns (list, struct, map, list of lists, list of structs, a map of lists).
///
/// Built per call, not a global: LeakSanitizer does not see the boxes of indirect enum cases
/// held by a global (their pointers carry tag bits) and reports them as leaks.
func fixedSchema(_ index: Int) -> [NField] {
    [[
        NField(name: "id", type: leaf("int64", integerArrow), nullable: false),
        NField(name: "i8", type: leaf("int8", integerArrow)),
        NField(name: "u16", type: leaf("uint16", integerArrow)),
        NField(name: "u64", type: leaf("uint64", integerArrow)),
        NField(name: "f32", type: leaf("float32", [.float, .double, .half, .int(bits: 32, signed: true)])),
        NField(name: "f", type: leaf("float64", [.double, .float, .half, .int(bits: 64, signed: true)])),
        NField(name: "s", type: leaf("string", textArrow)),
        NField(name: "bin", type: leaf("binary", textArrow + [.fixed(4)])),
        NField(name: "fb", type: leaf("fixed_binary", [.fixed(4), .binary(.o32), .binary(.view), .fixed(5)], ", \"length\": 4")),
        NField(name: "u", type: leaf("uuid", [.fixed(16), .utf8(.o32), .binary(.o32), .utf8(.view)])),
        NField(name: "j", type: leaf("json", [.utf8(.o32), .binary(.o64), .utf8(.view)])),
        NField(name: "dec", type: leaf("decimal", [.decimal(precision: 12, scale: 2, bits: 128), .decimal(precision: 9, scale: 0, bits: 32),
                                                   .decimal(precision: 18, scale: 2, bits: 64), .decimal(precision: 12, scale: 1, bits: 256),
                                                   .utf8(.o32), .decimal(precision: 12, scale: 3, bits: 128)], ", \"precision\": 12, \"scale\": 2")),
        NField(name: "d", type: leaf("date", [.date32, .date64, .int(bits: 32, signed: true)])),
        NField(name: "t", type: leaf("time_us", [.time("u"), .time("s"), .time("m"), .time("n"), .int(bits: 64, signed: true)])),
        NField(name: "ts", type: leaf("timestamp_ms", [.timestamp("m", zone: "UTC"), .timestamp("s", zone: ""), .timestamp("n", zone: "UTC"),
                                                       .timestamp("u", zone: "Europe/Oslo"), .int(bits: 64, signed: true)])),
        NField(name: "tsn", type: leaf("timestamp_ns", [.timestamp("n", zone: ""), .timestamp("s", zone: "UTC"), .timestamp("m", zone: "")], ", \"utc\": false")),
        NField(name: "b", type: leaf("boolean", [.bool, .int(bits: 8, signed: true)])),
    ],
    [
        NField(name: "id", type: leaf("int64", integerArrow), nullable: false),
        NField(name: "tags", type: .list(NField(name: "element", type: leaf("string", textArrow)))),
        NField(name: "addr", type: .struct([
            NField(name: "city", type: leaf("string", textArrow)),
            NField(name: "zip", type: leaf("int32", integerArrow), nullable: false),
            NField(name: "geo", type: .list(NField(name: "element", type: leaf("float64", [.double, .float]), nullable: false))),
        ])),
        NField(name: "attrs", type: .map(key: leaf("string", textArrow), value: NField(name: "value", type: leaf("int64", integerArrow)))),
        NField(name: "matrix", type: .list(NField(name: "element", type: .list(NField(name: "element", type: leaf("int64", integerArrow)))))),
        NField(name: "people", type: .list(NField(name: "element", type: .struct([
            NField(name: "name", type: leaf("string", textArrow)),
            NField(name: "scores", type: .list(NField(name: "element", type: leaf("int32", integerArrow)))),
        ])))),
        NField(name: "deep", type: .map(key: leaf("int32", integerArrow),
                                         value: NField(name: "value", type: .list(NField(name: "element", type: leaf("date", [.date32, .date64])))))),
    ]][index]
}

/// An Arrow field for a configured column: a type that converts to it (sometimes one that
/// does not, or an all-null `n` array), dictionary-encoded sometimes.
func drawFitting(_ field: NField, _ input: inout Input) -> ANode {
    let nullable = field.nullable ? !input.rare(8) : input.rare(8)
    if input.rare(24) { return ANode(field.name, .null, nullable: true) }
    switch field.type {
    case .leaf(_, let choices):
        let type = input.rare(32) ? drawLeaf(&input, allowRefused: false) : choices[input.below(choices.count)]
        if !type.isNested, type != .bool, input.rare(8) {
            let node = ANode(field.name, drawIndexType(&input), nullable: nullable)
            node.dictionary = ANode("", type)
            return node
        }
        let node = ANode(field.name, type, nullable: nullable)
        if case .fixed(16) = type, input.rare(2) { node.extensionName = "arrow.uuid" }
        return node
    case .list(let element):
        let type: AType = [.list(large: false), .list(large: true), .fixedList(input.below(3))][input.below(3)]
        return ANode(field.name, type, nullable: nullable, children: [drawFitting(NField(name: "item", type: element.type, nullable: element.nullable), &input)])
    case .struct(let fields):
        var children = fields.map { drawFitting($0, &input) }
        if children.count > 1 && input.rare(4) { children.swapAt(0, children.count - 1) }
        return ANode(field.name, .struct, nullable: nullable, children: children)
    case .map(let key, let value):
        let entries = ANode("entries", .struct, nullable: false, children: [
            drawFitting(NField(name: "key", type: key, nullable: false), &input), drawFitting(value, &input),
        ])
        return ANode(field.name, .map, nullable: nullable, children: [entries])
    }
}
