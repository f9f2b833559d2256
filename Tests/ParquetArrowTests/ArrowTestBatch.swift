#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CArrowInterface

/// One column of a hand-built Arrow record batch: its format, flags and buffers as bytes
/// (nil for an absent validity bitmap).
struct ArrowTestColumn {
    var name: String
    var format: String
    var nullable: Bool
    var length: Int
    var nullCount: Int
    var buffers: [[UInt8]?]

    /// An int64 column; nil values are nulls.
    static func int64(_ name: String, _ values: [Int64?], nullable: Bool = true) -> ArrowTestColumn {
        let data = values.flatMap { bytes(of: $0 ?? 0) }
        return ArrowTestColumn(
            name: name, format: "l", nullable: nullable, length: values.count,
            nullCount: values.filter { $0 == nil }.count, buffers: [validity(values.map { $0 != nil }), data])
    }

    /// A float64 column.
    static func double(_ name: String, _ values: [Double?]) -> ArrowTestColumn {
        let data = values.flatMap { bytes(of: $0 ?? 0) }
        return ArrowTestColumn(
            name: name, format: "g", nullable: true, length: values.count,
            nullCount: values.filter { $0 == nil }.count, buffers: [validity(values.map { $0 != nil }), data])
    }

    /// A bool column (values bit-packed as Arrow keeps them).
    static func boolean(_ name: String, _ values: [Bool?]) -> ArrowTestColumn {
        ArrowTestColumn(
            name: name, format: "b", nullable: true, length: values.count,
            nullCount: values.filter { $0 == nil }.count,
            buffers: [validity(values.map { $0 != nil }), bitmap(values.map { $0 ?? false })])
    }

    /// A utf8 column with int32 offsets.
    static func string(_ name: String, _ values: [String?]) -> ArrowTestColumn {
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for value in values {
            data += Array((value ?? "").utf8)
            offsets.append(Int32(data.count))
        }
        return ArrowTestColumn(
            name: name, format: "u", nullable: true, length: values.count,
            nullCount: values.filter { $0 == nil }.count,
            buffers: [validity(values.map { $0 != nil }), offsets.flatMap { bytes(of: $0) }, data])
    }

    static func bytes<T: BitwiseCopyable>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    static func bitmap(_ bits: [Bool]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (index, bit) in bits.enumerated() where bit { bytes[index / 8] |= 1 << UInt8(index % 8) }
        return bytes
    }

    static func validity(_ present: [Bool]) -> [UInt8]? {
        present.allSatisfy { $0 } ? nil : bitmap(present)
    }
}

/// A record batch built by hand as the Arrow C Data Interface lays it out: a struct array
/// whose children are the columns, with its schema. The memory stays owned here; the release
/// callbacks only mark the structures released (and count the calls), as a producer's would.
final class ArrowTestBatch {
    let schema: UnsafeMutablePointer<ArrowSchema>
    let array: UnsafeMutablePointer<ArrowArray>
    /// Memory from `allocate` (freed with `deallocate`) and from `strdup` (freed with `free`).
    private var allocations: [UnsafeMutableRawPointer] = []
    private var strings: [UnsafeMutablePointer<CChar>] = []

    /// Builds the batch.
    /// - Parameters:
    ///   - columns: The columns, of equal length.
    ///   - offset: The root struct's offset (a slice of the batch).
    ///   - length: The root's length (default: the columns' length less `offset`).
    init(_ columns: [ArrowTestColumn], offset: Int = 0, length: Int? = nil) {
        schema = .allocate(capacity: 1)
        array = .allocate(capacity: 1)
        let childSchemas = UnsafeMutablePointer<UnsafeMutablePointer<ArrowSchema>?>.allocate(capacity: columns.count)
        let childArrays = UnsafeMutablePointer<UnsafeMutablePointer<ArrowArray>?>.allocate(capacity: columns.count)
        allocations += [UnsafeMutableRawPointer(childSchemas), UnsafeMutableRawPointer(childArrays)]
        for (index, column) in columns.enumerated() {
            let childSchema = UnsafeMutablePointer<ArrowSchema>.allocate(capacity: 1)
            childSchema.initialize(to: ArrowSchema(
                format: cString(column.format), name: cString(column.name), metadata: nil,
                flags: column.nullable ? Int64(ARROW_FLAG_NULLABLE) : 0, n_children: 0, children: nil,
                dictionary: nil, release: markSchemaReleased, private_data: nil))
            let buffers = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: column.buffers.count)
            for (slot, bytes) in column.buffers.enumerated() { buffers[slot] = bytes.map(copy) }
            let childArray = UnsafeMutablePointer<ArrowArray>.allocate(capacity: 1)
            childArray.initialize(to: ArrowArray(
                length: Int64(column.length), null_count: Int64(column.nullCount), offset: 0,
                n_buffers: Int64(column.buffers.count), n_children: 0, buffers: buffers, children: nil,
                dictionary: nil, release: markArrayReleased, private_data: nil))
            allocations += [UnsafeMutableRawPointer(childSchema), UnsafeMutableRawPointer(buffers), UnsafeMutableRawPointer(childArray)]
            childSchemas[index] = childSchema
            childArrays[index] = childArray
        }
        let rootBuffers = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: 1)
        rootBuffers[0] = nil
        allocations.append(UnsafeMutableRawPointer(rootBuffers))
        schema.initialize(to: ArrowSchema(
            format: cString("+s"), name: cString(""), metadata: nil, flags: 0, n_children: Int64(columns.count),
            children: childSchemas, dictionary: nil, release: markSchemaReleased, private_data: nil))
        let total = columns.first?.length ?? 0
        array.initialize(to: ArrowArray(
            length: Int64(length ?? total - offset), null_count: 0, offset: Int64(offset), n_buffers: 1,
            n_children: Int64(columns.count), buffers: rootBuffers, children: childArrays, dictionary: nil,
            release: markArrayReleased, private_data: nil))
    }

    private func copy(_ bytes: [UInt8]) -> UnsafeRawPointer {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        allocations.append(memory)
        return UnsafeRawPointer(memory)
    }

    private func cString(_ text: String) -> UnsafePointer<CChar> {
        let memory = strdup(text)!
        strings.append(memory)
        return UnsafePointer(memory)
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
        for string in strings { free(string) }
        schema.deallocate()
        array.deallocate()
    }
}

private func markSchemaReleased(_ schema: UnsafeMutablePointer<ArrowSchema>?) {
    schema?.pointee.release = nil
}

private func markArrayReleased(_ array: UnsafeMutablePointer<ArrowArray>?) {
    array?.pointee.release = nil
}
