import Testing
@testable import Parquet
import ParquetThrift

/// Builds a batch for `schema` with `fill`.
func makeBatch(_ schema: Schema, _ fill: (inout ColumnBatch) throws -> Void) throws -> ColumnBatch {
    var batch = ColumnBatch(schema: schema)
    try fill(&batch)
    return batch
}

/// Writes `batches` to `path` and closes the file.
@discardableResult
func writeFile(
    _ path: String, schema: Schema, options: WriterOptions = WriterOptions(), batches: [ColumnBatch]
) throws -> WriteSummary {
    let writer = try ParquetWriter(path: path, schema: schema, options: options)
    for batch in batches { try writer.write(batch) }
    return try writer.close()
}

/// Writes one batch to a fresh file in `directory`, reads it back and validates its layout.
func writeAndRead(
    in directory: TemporaryDirectory, name: String = "data.parquet",
    schema: Schema, options: WriterOptions = WriterOptions(), batches: [ColumnBatch]
) throws -> (ParquetFileReader, WriteSummary) {
    let path = directory.file(name)
    let summary = try writeFile(path, schema: schema, options: options, batches: batches)
    let reader = try ParquetFileReader(path: path)
    try reader.validate()
    return (reader, summary)
}

/// Little-endian bytes of a fixed-width value, as PLAIN and statistics store it.
func littleEndianBytes<T: BitwiseCopyable>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
}

/// The big-endian two's complement bytes of `value` in `width` bytes (FLBA decimals).
func bigEndianBytes(_ value: Int128, width: Int) -> [UInt8] {
    (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * (width - 1 - $0))) }
}

/// A deterministic generator (SplitMix64) so data-driven tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension PhysicalValue {
    var int64Value: Int64? { if case .int64(let v) = self { v } else { nil } }
    var stringValue: String? { if case .bytes(let b) = self { String(validating: b, as: UTF8.self) } else { nil } }
}
