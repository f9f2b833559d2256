// Laying ANode trees out as C Data Interface structures, and the release callbacks that count.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CArrowInterface
import FuzzSupport

// MARK: Memory and release book-keeping

/// The memory of one produced structure tree (buffers, strings, child structures), freed by
/// its root's release callback as a producer's would be: a read after release is then a
/// heap-use-after-free that AddressSanitizer reports.
final class Arena {
    var blocks: [UnsafeMutableRawPointer] = []
    var schemas: [UnsafeMutablePointer<ArrowSchema>] = []
    var arrays: [UnsafeMutablePointer<ArrowArray>] = []

    /// `size` bytes in an allocation of exactly that size (so ASan sees any read past it).
    func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        guard let memory = malloc(size) ?? malloc(1) else { Fuzz.fail("malloc(\(size)) failed") }
        blocks.append(memory)
        return memory
    }

    func string(_ text: String) -> UnsafePointer<CChar> {
        var copy = text
        let bytes = copy.withUTF8 { Array($0) }
        let memory = allocate(bytes.count + 1)
        bytes.withUnsafeBytes { if $0.count > 0 { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        return UnsafePointer(memory.assumingMemoryBound(to: CChar.self))
    }

    func free() {
        for block in blocks { Glibc.free(block) }
        blocks.removeAll()
        schemas.removeAll()
        arrays.removeAll()
    }
}

/// Every structure handed to the library is registered: its `private_data` is its index + 1.
/// A root owns an arena; its release releases the children still live (as the specification
/// asks of a producer's release) and frees the arena.
enum Registry {
    struct Record {
        var what: String
        var releases = 0
        var arena: Arena?
    }
    nonisolated(unsafe) static var records: [Record] = []

    static func register(_ what: String, arena: Arena?) -> UnsafeMutableRawPointer {
        records.append(Record(what: what, arena: arena))
        return UnsafeMutableRawPointer(bitPattern: records.count)!
    }

    static func id(_ privateData: UnsafeMutableRawPointer?) -> Int {
        let id = Int(bitPattern: privateData) - 1
        guard id >= 0 && id < records.count else { Fuzz.fail("a release callback got private_data \(String(describing: privateData)), which the harness never set") }
        return id
    }

    static func releases(_ privateData: UnsafeMutableRawPointer?) -> Int { records[id(privateData)].releases }

    /// Counts a release; for a root, releases what is left of its tree and frees its memory.
    static func released(_ privateData: UnsafeMutableRawPointer?) {
        let id = id(privateData)
        records[id].releases += 1
        guard let arena = records[id].arena else { return }
        records[id].arena = nil
        for child in arena.schemas {
            if let release = child.pointee.release { release(child) }
            Fuzz.check(releases(child.pointee.private_data) == 1, "a child ArrowSchema of \(records[id].what) was released \(releases(child.pointee.private_data)) times")
        }
        for child in arena.arrays {
            if let release = child.pointee.release { release(child) }
            Fuzz.check(releases(child.pointee.private_data) == 1, "a child ArrowArray of \(records[id].what) was released \(releases(child.pointee.private_data)) times")
        }
        arena.free()
    }

    static func reset() {
        for record in records { record.arena?.free() }
        records.removeAll(keepingCapacity: true)
    }
}

let releaseSchema: @convention(c) (UnsafeMutablePointer<ArrowSchema>?) -> Void = { schema in
    guard let schema else { Fuzz.fail("an ArrowSchema release callback was called with NULL") }
    guard schema.pointee.release != nil else { Fuzz.fail("the release callback of a released ArrowSchema was called") }
    // Marked released first: the specification's order, and what a re-entrant check would see.
    let data = schema.pointee.private_data
    schema.pointee.release = nil
    Registry.released(data)
}

let releaseArray: @convention(c) (UnsafeMutablePointer<ArrowArray>?) -> Void = { array in
    guard let array else { Fuzz.fail("an ArrowArray release callback was called with NULL") }
    guard array.pointee.release != nil else { Fuzz.fail("the release callback of a released ArrowArray was called") }
    let data = array.pointee.private_data
    array.pointee.release = nil
    Registry.released(data)
}

// MARK: Schemas

/// Lays out the schema of `root` (a struct of columns); the root structure is returned by
/// value (the caller places it), everything below lives in a new arena the root's release frees.
func makeSchema(_ root: ANode, label: String) -> ArrowSchema {
    let arena = Arena()
    var schema = schemaNode(root, arena: arena)
    schema.private_data = Registry.register("root schema \(label)", arena: arena)
    return schema
}

private func schemaNode(_ node: ANode, arena: Arena) -> ArrowSchema {
    let count = node.children.count + node.extraSchemaChildren
    var children: UnsafeMutablePointer<UnsafeMutablePointer<ArrowSchema>?>? = nil
    if count > 0 {
        children = arena.allocate(count * MemoryLayout<UnsafeMutablePointer<ArrowSchema>?>.stride)
            .bindMemory(to: UnsafeMutablePointer<ArrowSchema>?.self, capacity: count)
        for index in 0..<count {
            children![index] = index < node.children.count ? placeSchema(node.children[index], arena: arena) : nil
        }
    }
    var flags: Int64 = node.nullable ? Int64(ARROW_FLAG_NULLABLE) : 0
    if case .map = node.type { flags |= Int64(ARROW_FLAG_MAP_KEYS_SORTED) }
    return ArrowSchema(
        format: arena.string(node.type.format), name: arena.string(node.name), metadata: metadata(node.extensionName, arena: arena),
        flags: flags, n_children: Int64(count), children: children,
        dictionary: node.dictionary.map { placeSchema($0, arena: arena) }, release: releaseSchema, private_data: nil)
}

private func placeSchema(_ node: ANode, arena: Arena) -> UnsafeMutablePointer<ArrowSchema> {
    let pointer = arena.allocate(MemoryLayout<ArrowSchema>.stride).bindMemory(to: ArrowSchema.self, capacity: 1)
    var schema = schemaNode(node, arena: arena)
    schema.private_data = Registry.register("schema \(node.name)", arena: nil)
    pointer.initialize(to: schema)
    arena.schemas.append(pointer)
    return pointer
}

/// Arrow's binary metadata (int32 count, then length-prefixed keys and values) holding an
/// extension name, after a second pair now and then.
private func metadata(_ extensionName: String?, arena: Arena) -> UnsafePointer<CChar>? {
    guard let extensionName else { return nil }
    var bytes: [UInt8] = []
    func int32(_ value: Int) { withUnsafeBytes(of: Int32(value).littleEndian) { bytes += $0 } }
    let pairs = [("ARROW:extension:metadata", ""), ("ARROW:extension:name", extensionName)]
    int32(pairs.count)
    for (key, value) in pairs {
        int32(key.utf8.count)
        bytes += key.utf8
        int32(value.utf8.count)
        bytes += value.utf8
    }
    let memory = arena.allocate(bytes.count)
    bytes.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    return UnsafePointer(memory.assumingMemoryBound(to: CChar.self))
}

// MARK: Arrays

/// Draws the arrays of one record batch from the input. Every buffer is allocated at the size
/// the array's declared layout implies (see the contract in Target.swift); deliberate breaks
/// of the layout rules (offsets out of order or past a child, short children, views outside
/// their buffers, dictionary indices out of range, malformed structures) set `corrupt`.
struct ArrayBuilder {
    var input: Input
    let arena = Arena()
    /// Structural malformations (buffer and child counts, NULL pointers, bad lengths) allowed.
    let malformed: Bool
    /// Set when the batch breaks a rule: invalid_arrow is then a right answer.
    var corrupt = false
    /// What was broken, for the trace.
    var breaks: [String] = []

    init(input: Input, malformed: Bool) {
        self.input = input
        self.malformed = malformed
    }

    mutating func broke(_ what: String) {
        corrupt = true
        if breaks.count < 8 { breaks.append(what) }
    }

    /// The root struct array of `root` with `length` rows, by value (its release frees the arena).
    mutating func makeRoot(_ root: ANode, length: Int, label: String) -> ArrowArray {
        var array = arrayNode(root, length: length, isRoot: true)
        array.private_data = Registry.register("root array \(label)", arena: arena)
        return array
    }

    private mutating func place(_ node: ANode, length: Int) -> UnsafeMutablePointer<ArrowArray> {
        let pointer = arena.allocate(MemoryLayout<ArrowArray>.stride).bindMemory(to: ArrowArray.self, capacity: 1)
        var array = arrayNode(node, length: length, isRoot: false)
        array.private_data = Registry.register("array \(node.name)", arena: nil)
        pointer.initialize(to: array)
        arena.arrays.append(pointer)
        return pointer
    }

    /// A buffer of `size` bytes filled by `fill` (called with the memory).
    private mutating func buffer(_ size: Int, _ fill: (inout Input, UnsafeMutableRawPointer) -> Void = { _, _ in }) -> UnsafeMutableRawPointer {
        let memory = arena.allocate(size)
        if size > 0 { memset(memory, 0, size) }
        fill(&input, memory)
        return memory
    }

    private mutating func arrayNode(_ node: ANode, length: Int, isRoot: Bool) -> ArrowArray {
        let offset = isRoot ? (input.rare(8) ? input.below(4) : 0) : (input.rare(3) ? input.below(9) : 0)
        let slots = offset + length
        var buffers: [UnsafeRawPointer?] = []
        var children: [UnsafeMutablePointer<ArrowArray>?] = []
        var dictionary: UnsafeMutablePointer<ArrowArray>? = nil
        var nullCount: Int64 = 0

        // The validity bitmap (types with one), and the null count: exact, -1, or wrong.
        func validityBitmap(_ builder: inout ArrayBuilder) -> UnsafeRawPointer? {
            let mode = isRoot ? (builder.malformed && builder.input.rare(16) ? 4 : 0) : builder.input.below(8)
            guard mode >= 4 else { return nil }
            let density = Int(builder.input.value() % 5)
            var nulls = 0
            let bitmap = builder.buffer((slots + 7) / 8) { input, memory in
                for slot in 0..<slots where Int(input.value() % 5) >= density {
                    memory.storeBytes(of: memory.load(fromByteOffset: slot / 8, as: UInt8.self) | 1 << UInt8(slot % 8),
                                      toByteOffset: slot / 8, as: UInt8.self)
                }
                for slot in offset..<slots where memory.load(fromByteOffset: slot / 8, as: UInt8.self) & 1 << UInt8(slot % 8) == 0 { nulls += 1 }
            }
            switch mode {
            case 4, 5: nullCount = Int64(nulls)
            case 6: nullCount = -1
            default: nullCount = Int64(nulls) + 1 - Int64(builder.input.below(3))
            }
            if isRoot && nulls > 0 && nullCount != 0 { builder.broke("root struct with null rows") }
            return UnsafeRawPointer(bitmap)
        }

        if let dictionaryNode = node.dictionary {
            // Indices of `node.type`, into a dictionary of 0-16 values (at least 1 for a valid batch).
            buffers.append(validityBitmap(&self))
            var dictionaryLength = input.below(17)
            let wild = input.rare(malformed ? 8 : 48)
            if dictionaryLength == 0 && length > 0 && !wild { dictionaryLength = 1 }
            let width = node.type.width!
            var outside = false
            buffers.append(UnsafeRawPointer(buffer(slots * width) { input, memory in
                for slot in 0..<slots {
                    var index = Int64(input.value())
                    if wild {
                        index = Int64(truncatingIfNeeded: input.valueInteger(width) << (64 - 8 * UInt64(width))) >> (64 - 8 * Int64(width))
                    } else {
                        index %= Int64(max(dictionaryLength, 1))
                    }
                    if index < 0 || index >= dictionaryLength { outside = true }
                    withUnsafeBytes(of: index.littleEndian) { memory.advanced(by: slot * width).copyMemory(from: $0.baseAddress!, byteCount: width) }
                }
            }))
            if outside && length > 0 { broke("dictionary indices outside the dictionary") }
            dictionary = place(dictionaryNode, length: dictionaryLength)
        } else {
            switch node.type {
            case .null:
                nullCount = input.rare(8) ? -1 : Int64(length)
            case .bool:
                buffers.append(validityBitmap(&self))
                buffers.append(UnsafeRawPointer(buffer((slots + 7) / 8) { input, memory in
                    for index in 0..<((slots + 7) / 8) { memory.storeBytes(of: input.value(), toByteOffset: index, as: UInt8.self) }
                }))
            case .utf8(let layout), .binary(let layout):
                buffers.append(validityBitmap(&self))
                if layout == .view {
                    appendViews(&buffers, slots: slots, length: length, node: node)
                } else {
                    appendOffsetsAndData(&buffers, slots: slots, large: layout == .o64, node: node)
                }
            case .list, .map:
                let large: Bool = { if case .list(let large) = node.type { return large } else { return false } }()
                buffers.append(validityBitmap(&self))
                let childLength = appendListOffsets(&buffers, slots: slots, length: length, large: large)
                children.append(place(node.children[0], length: childLength))
            case .fixedList(let size):
                buffers.append(validityBitmap(&self))
                var childLength = slots * size + (input.rare(4) ? input.below(3) : 0)
                if malformed && slots * size > 0 && input.rare(6) {
                    childLength = slots * size - 1 - input.below(min(3, slots * size))
                    broke("fixed-size list child too short")
                }
                children.append(place(node.children[0], length: childLength))
            case .struct:
                buffers.append(validityBitmap(&self))
                for child in node.children {
                    var childLength = slots + (input.rare(4) ? input.below(3) : 0)
                    if malformed && slots > 0 && input.rare(8) {
                        childLength = slots - 1 - input.below(min(2, slots))
                        broke("struct child too short")
                    }
                    children.append(place(child, length: childLength))
                }
            case .union(let dense):
                buffers.append(UnsafeRawPointer(buffer(slots)))
                if dense { buffers.append(UnsafeRawPointer(buffer(slots * 4))) }
                for child in node.children { children.append(place(child, length: dense ? 1 : slots)) }
            case .runEnd:
                children.append(place(node.children[0], length: 1))
                children.append(place(node.children[1], length: 1))
            case .listView:
                buffers.append(validityBitmap(&self))
                buffers.append(UnsafeRawPointer(buffer(slots * 4)))
                buffers.append(UnsafeRawPointer(buffer(slots * 4)))
                children.append(place(node.children[0], length: 0))
            default:
                // Fixed-width values: small, raw, zero or extreme, by the array's mode.
                let width = node.type.width!
                buffers.append(validityBitmap(&self))
                let mode = input.below(4)
                let isFloat: Bool = { switch node.type { case .half, .float, .double: true; default: false } }()
                buffers.append(UnsafeRawPointer(buffer(slots * width) { input, memory in
                    for slot in 0..<slots {
                        let target = memory.advanced(by: slot * width)
                        switch mode {
                        case 0:
                            let small = Int8(bitPattern: input.value())
                            if isFloat {
                                switch width {
                                case 2: target.storeBytes(of: Float16Bits.of(Int(small)), as: UInt16.self)
                                case 4: target.storeBytes(of: Float(small), as: Float.self)
                                default: target.storeBytes(of: Double(small), as: Double.self)
                                }
                            } else {
                                for byte in 0..<width { target.storeBytes(of: byte == 0 ? UInt8(bitPattern: small) : (small < 0 ? 0xFF : 0), toByteOffset: byte, as: UInt8.self) }
                            }
                        case 1:
                            for byte in 0..<width { target.storeBytes(of: input.value(), toByteOffset: byte, as: UInt8.self) }
                        case 2:
                            break
                        default:
                            let negative = input.value() & 1 == 1
                            for byte in 0..<width {
                                let value: UInt8 = byte == width - 1 ? (negative ? 0x80 : 0x7F) : (negative ? 0x00 : 0xFF)
                                target.storeBytes(of: value, toByteOffset: byte, as: UInt8.self)
                            }
                        }
                    }
                }))
            }
        }

        var n_children = children.count
        var lengthValue = Int64(length)
        var offsetValue = Int64(offset)
        var buffersNull = false
        var childrenNull = false
        if malformed && input.rare(5) {
            // One structural malformation of this array.
            switch input.below(9) {
            case 0 where !buffers.isEmpty:
                buffers.removeLast()
                broke("one buffer too few")
            case 1:
                // Sized for the layout the count now declares: a view array's last buffer is
                // then read as n_buffers - 3 variadic sizes (zeros here), 8 bytes each.
                buffers.append(UnsafeRawPointer(buffer(8 * (buffers.count + 1))))
                broke("one buffer too many")
            case 2 where buffers.count > 1:
                buffers[1 + input.below(buffers.count - 1)] = nil
                broke("a NULL buffer")
            case 3:
                children.append(nil)
                n_children += 1
                broke("an extra NULL child")
            case 4 where !children.isEmpty:
                children.removeLast()
                n_children -= 1
                broke("a child missing")
            case 5:
                lengthValue = [-1, -Int64(length) - 1, Int64(Int32.max) * 64 + 1, Int64.min, Int64.max][input.below(5)]
                broke("length \(lengthValue)")
            case 6:
                offsetValue = [-1, Int64(Int32.max) * 64 + 1, Int64.min][input.below(3)]
                broke("offset \(offsetValue)")
            case 7 where !buffers.isEmpty:
                buffersNull = true
                broke("NULL buffers pointer")
            case 8 where n_children > 0:
                childrenNull = true
                broke("NULL children pointer")
            default:
                if dictionary != nil {
                    dictionary = nil
                    broke("dictionary missing")
                }
            }
        }
        var bufferArray: UnsafeMutablePointer<UnsafeRawPointer?>? = nil
        if !buffers.isEmpty && !buffersNull {
            bufferArray = arena.allocate(buffers.count * MemoryLayout<UnsafeRawPointer?>.stride)
                .bindMemory(to: UnsafeRawPointer?.self, capacity: buffers.count)
            for (index, pointer) in buffers.enumerated() { bufferArray![index] = pointer }
        }
        var childArray: UnsafeMutablePointer<UnsafeMutablePointer<ArrowArray>?>? = nil
        if !children.isEmpty && !childrenNull {
            childArray = arena.allocate(children.count * MemoryLayout<UnsafeMutablePointer<ArrowArray>?>.stride)
                .bindMemory(to: UnsafeMutablePointer<ArrowArray>?.self, capacity: children.count)
            for (index, pointer) in children.enumerated() { childArray![index] = pointer }
        }
        let buffersPointer = bufferArray.map { UnsafeMutablePointer<UnsafeRawPointer?>($0) }
        return ArrowArray(
            length: lengthValue, null_count: nullCount, offset: offsetValue, n_buffers: Int64(buffers.count),
            n_children: Int64(n_children), buffers: buffersPointer, children: childArray, dictionary: dictionary,
            release: releaseArray, private_data: nil)
    }

    /// String or binary offsets (32 or 64 bits) and the data buffer they point into, sized to
    /// the largest offset present. Mostly in order; now and then arbitrary (clamped to ±4095).
    private mutating func appendOffsetsAndData(_ buffers: inout [UnsafeRawPointer?], slots: Int, large: Bool, node: ANode) {
        let width = large ? 8 : 4
        let wild = input.rare(malformed ? 6 : 40)
        let textMode = input.below(4)
        var offsets: [Int] = []
        var current = input.rare(4) ? input.below(8) : 0
        for _ in 0...slots {
            if wild {
                let raw = Int(Int16(bitPattern: UInt16(input.value()) | UInt16(input.value()) << 8)) % 4096
                offsets.append(raw)
            } else {
                offsets.append(current)
                current += Int(input.value() % 9)
            }
        }
        if wild { broke("arbitrary string offsets") }
        let dataSize = max(0, offsets.max() ?? 0)
        buffers.append(UnsafeRawPointer(buffer((slots + 1) * width) { _, memory in
            for (index, value) in offsets.enumerated() {
                if large {
                    memory.storeBytes(of: Int64(value), toByteOffset: 8 * index, as: Int64.self)
                } else {
                    memory.storeBytes(of: Int32(value), toByteOffset: 4 * index, as: Int32.self)
                }
            }
        }))
        buffers.append(UnsafeRawPointer(buffer(dataSize) { input, memory in
            fillText(&input, memory, dataSize, mode: textMode)
        }))
    }

    /// Views: 16 bytes a slot, values up to 12 bytes inline, longer ones in 0-2 data buffers
    /// of 0-64 bytes whose sizes the last buffer gives. Now and then a view points anywhere.
    private mutating func appendViews(_ buffers: inout [UnsafeRawPointer?], slots: Int, length: Int, node: ANode) {
        let dataCount = input.below(3)
        let sizes = (0..<dataCount).map { _ in input.below(65) }
        let textMode = input.below(4)
        let wild = input.rare(malformed ? 6 : 40)
        var data: [UnsafeMutableRawPointer] = []
        for size in sizes {
            data.append(buffer(size) { input, memory in fillText(&input, memory, size, mode: textMode) })
        }
        var outside = false
        let views = buffer(slots * 16) { input, memory in
            for slot in 0..<slots {
                let view = memory.advanced(by: 16 * slot)
                var count = Int(input.value() % 24)
                if wild {
                    count = Int(Int8(bitPattern: input.value()))
                    let index = Int32(Int8(bitPattern: input.value()) % 4)
                    let start = Int32(Int8(bitPattern: input.value()))
                    view.storeBytes(of: Int32(count), as: Int32.self)
                    view.storeBytes(of: index, toByteOffset: 8, as: Int32.self)
                    view.storeBytes(of: start, toByteOffset: 12, as: Int32.self)
                    if count < 0 || (count > 12 && (index < 0 || Int(index) >= sizes.count || start < 0 || Int(start) + count > sizes[Int(index)])) {
                        outside = true
                    }
                    continue
                }
                if count > 12 {
                    let fitting = sizes.indices.filter { sizes[$0] >= count }
                    if fitting.isEmpty {
                        count %= 13
                    } else {
                        let index = fitting[Int(input.value()) % fitting.count]
                        let start = Int(input.value()) % (sizes[index] - count + 1)
                        view.storeBytes(of: Int32(count), as: Int32.self)
                        view.advanced(by: 4).copyMemory(from: data[index].advanced(by: start), byteCount: 4)
                        view.storeBytes(of: Int32(index), toByteOffset: 8, as: Int32.self)
                        view.storeBytes(of: Int32(start), toByteOffset: 12, as: Int32.self)
                        continue
                    }
                }
                view.storeBytes(of: Int32(count), as: Int32.self)
                fillText(&input, view.advanced(by: 4), count, mode: textMode)
            }
        }
        if wild && length > 0 && outside { broke("views outside their buffers") }
        buffers.append(UnsafeRawPointer(views))
        for memory in data { buffers.append(UnsafeRawPointer(memory)) }
        buffers.append(UnsafeRawPointer(buffer(8 * dataCount) { _, memory in
            for (index, size) in sizes.enumerated() { memory.storeBytes(of: Int64(size), toByteOffset: 8 * index, as: Int64.self) }
        }))
    }

    /// List or map offsets; returns the child's length. In order, 0-3 elements a slot, the
    /// child as long as they need (plus slack); now and then arbitrary offsets and child length.
    private mutating func appendListOffsets(_ buffers: inout [UnsafeRawPointer?], slots: Int, length: Int, large: Bool) -> Int {
        let wild = malformed && input.rare(6)
        var offsets: [Int] = []
        var current = input.rare(4) ? input.below(3) : 0
        for _ in 0...slots {
            if wild {
                offsets.append(Int(Int8(bitPattern: input.value())) % 24)
            } else {
                offsets.append(current)
                current += Int(input.value() % 4)
            }
        }
        var childLength = wild ? input.below(17) : current + (input.rare(4) ? input.below(3) : 0)
        if !wild && slots > 0 && malformed && input.rare(8) && current > 0 {
            childLength = current - 1
            broke("list offsets past the child")
        }
        if wild { broke("arbitrary list offsets") }
        let width = large ? 8 : 4
        buffers.append(UnsafeRawPointer(buffer((slots + 1) * width) { _, memory in
            for (index, value) in offsets.enumerated() {
                if large {
                    memory.storeBytes(of: Int64(value), toByteOffset: 8 * index, as: Int64.self)
                } else {
                    memory.storeBytes(of: Int32(value), toByteOffset: 4 * index, as: Int32.self)
                }
            }
        }))
        return childLength
    }
}

/// Text bytes: letters, digits 1-9 (valid JSON numbers), raw bytes, or a canonical UUID's
/// characters, by `mode`.
func fillText(_ input: inout Input, _ memory: UnsafeMutableRawPointer, _ count: Int, mode: Int) {
    let uuid = Array("123e4567-e89b-12d3-a456-426614174000".utf8)
    for index in 0..<count {
        let value = input.value()
        let byte: UInt8
        switch mode {
        case 0: byte = UInt8(ascii: "a") + value % 26
        case 1: byte = UInt8(ascii: "1") + value % 9
        case 2: byte = value
        default: byte = index < uuid.count ? uuid[index] : UInt8(ascii: "0") + value % 10
        }
        memory.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
    }
}

/// Half-precision bits of a small integer (exact for |value| <= 2048).
enum Float16Bits {
    static func of(_ value: Int) -> UInt16 {
        if value == 0 { return 0 }
        let sign: UInt16 = value < 0 ? 0x8000 : 0
        var magnitude = abs(value)
        var exponent = 15
        while magnitude >= 2 { magnitude >>= 1; exponent += 1 }
        let full = abs(value)
        let shift = exponent - 15
        let fraction = UInt16(((full << 10) >> shift) & 0x3FF)
        return sign | UInt16(exponent) << 10 | fraction
    }
}
