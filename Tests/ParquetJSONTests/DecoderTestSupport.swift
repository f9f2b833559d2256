import Testing
@testable import Parquet
@testable import ParquetJSON

/// Builders for every column of `schema`, as the writer makes them.
func makeBuilders(_ schema: Schema) -> [ColumnBuilder] {
    schema.columns.map { ColumnBuilder(descriptor: $0) }
}

/// Decodes `bytes` into `builders` with a fresh decoder.
@discardableResult
func decode(
    _ bytes: [UInt8], _ schema: Schema, into builders: inout [ColumnBuilder], policy: InvalidRecordPolicy = .fail,
    maximumDepth: Int? = nil
) throws(ParquetError) -> JSONBatchOutcome {
    var decoder = JSONBatchDecoder(schema: schema)
    if let maximumDepth { decoder.maximumDepth = maximumDepth }
    return try bytes.withUnsafeBufferPointer { (buffer) throws(ParquetError) -> JSONBatchOutcome in
        try decoder.decode(UnsafeRawBufferPointer(buffer), into: &builders, policy: policy)
    }
}

@discardableResult
func decode(
    _ text: String, _ schema: Schema, into builders: inout [ColumnBuilder], policy: InvalidRecordPolicy = .fail,
    maximumDepth: Int? = nil
) throws(ParquetError) -> JSONBatchOutcome {
    try decode(Array(text.utf8), schema, into: &builders, policy: policy, maximumDepth: maximumDepth)
}

/// The error decoding throws, or nil when it succeeds.
func decodeError(
    _ bytes: [UInt8], _ schema: Schema, policy: InvalidRecordPolicy = .fail, maximumDepth: Int? = nil
) -> ParquetError? {
    var builders = makeBuilders(schema)
    do {
        try decode(bytes, schema, into: &builders, policy: policy, maximumDepth: maximumDepth)
        return nil
    } catch {
        return error
    }
}

func decodeError(
    _ text: String, _ schema: Schema, policy: InvalidRecordPolicy = .fail, maximumDepth: Int? = nil
) -> ParquetError? {
    decodeError(Array(text.utf8), schema, policy: policy, maximumDepth: maximumDepth)
}

/// A one-column schema `v`.
func single(_ type: DataType, nullable: Bool = true) -> Schema {
    try! Schema([Field("v", type, nullable: nullable)])
}

/// Decodes one record `{"v": <json>}` into a fresh builder of a one-column schema.
func decodeOne(_ json: String, _ type: DataType, nullable: Bool = true) throws(ParquetError) -> ColumnBuilder {
    let schema = single(type, nullable: nullable)
    var builders = makeBuilders(schema)
    try decode("{\"v\": \(json)}", schema, into: &builders)
    return builders[0]
}

/// The error of one record `{"v": <json>}`; the value starts at byte 6.
func oneError(_ json: String, _ type: DataType, nullable: Bool = true) -> ParquetError? {
    decodeError("{\"v\": \(json)}", single(type, nullable: nullable))
}

/// Byte-array values of a builder, one array per present value.
func byteValues(_ builder: ColumnBuilder) -> [[UInt8]] {
    let bytes = builder.bytes.bytes
    if case .fixedLenByteArray(let length) = builder.descriptor.storage {
        return stride(from: 0, to: bytes.count, by: length).map { Array(bytes[$0..<$0 + length]) }
    }
    return (0..<builder.offsets.count - 1).map { Array(bytes[builder.offsets[$0]..<builder.offsets[$0 + 1]]) }
}

func stringValues(_ builder: ColumnBuilder) -> [String] {
    byteValues(builder).map { String(decoding: $0, as: UTF8.self) }
}

/// Every builder has the same row count, and levels and values agree with it.
func checkConsistent(_ builders: [ColumnBuilder], rows: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    for builder in builders {
        #expect(builder.rowCount == rows, "\(builder.descriptor.name)", sourceLocation: sourceLocation)
        if builder.descriptor.maxDefinitionLevel > 0 {
            #expect(builder.definitionLevels.count == rows, sourceLocation: sourceLocation)
            #expect(builder.definitionLevels.filter { $0 == 1 }.count == builder.valueCount, sourceLocation: sourceLocation)
        } else {
            #expect(builder.valueCount == rows, "\(builder.descriptor.name)", sourceLocation: sourceLocation)
        }
        if builder.descriptor.storage == .byteArray {
            #expect(builder.offsets.last == builder.bytes.count, sourceLocation: sourceLocation)
        }
    }
}

/// A deterministic generator for fuzzing (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
