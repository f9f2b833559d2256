import Parquet
import ParquetJSON

/// The columns Airbyte's Destinations V2 add to every stream, and their values for a batch:
///
/// - `_airbyte_raw_id` (string): a random UUID v4 per record, so a record can be told apart
///   from an identical one and traced through later stages;
/// - `_airbyte_extracted_at` (timestamp, UTC, microseconds): when the source read the
///   record (the message's `emitted_at`, in milliseconds);
/// - `_airbyte_meta` (json): `{"sync_id": N, "changes": [...]}`, the source's own changes to
///   the record followed by the destination's (a value nulled because it did not fit its
///   column: `{"field": ..., "change": "NULLED", "reason": "DESTINATION_SERIALIZATION_ERROR"}`);
/// - `_airbyte_generation_id` (int64): the configured stream's `generation_id`.
///
/// They come first in each file, as in Airbyte's own destinations' tables. None is nullable.
struct AirbyteRecordColumns {
    /// The columns' names, in file order.
    static let names = ["_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta", "_airbyte_generation_id"]

    /// The columns as schema fields.
    static let fields: [Field] = [
        Field(names[0], .string, nullable: false),
        Field(names[1], .timestamp(.microseconds, utc: true), nullable: false),
        Field(names[2], .json, nullable: false),
        Field(names[3], .int64, nullable: false),
    ]

    /// The builders, one per column, for the batch being written.
    private(set) var builders: [ColumnBuilder]
    private let random = AirbyteRandomSource()
    private var randomBytes: [UInt8] = []
    private var text: [UInt8] = []
    /// `{"sync_id":N,"changes":[` for this stream: every meta value starts so.
    private let metaPrefix: [UInt8]

    /// Empty builders for the columns.
    /// - Parameters:
    ///   - descriptors: The first four leaves of the dataset's schema (these columns).
    ///   - syncID: The sync's id, written into every `_airbyte_meta`.
    init(descriptors: ArraySlice<ColumnDescriptor>, syncID: Int64) {
        builders = descriptors.map { ColumnBuilder(descriptor: $0) }
        metaPrefix = Array(#"{"sync_id":\#(syncID),"changes":["#.utf8)
    }

    /// Empties the builders for the next batch, keeping their capacity.
    mutating func removeAll() {
        for index in builders.indices { builders[index].removeAll() }
    }

    /// Makes random bytes for `count` records' ids, used by ``append(extractedAt:generation:changes:)``.
    /// - Parameter count: The records the batch writes.
    mutating func prepareIDs(count: Int) {
        randomBytes = [UInt8](repeating: 0, count: count * 16)
        randomBytes.withUnsafeMutableBytes { random.fill($0) }
    }

    /// Appends one record's values.
    /// - Parameters:
    ///   - record: The record's position among those written in the batch (picks its id bytes).
    ///   - extractedAt: Microseconds since the epoch.
    ///   - generation: The stream's generation id.
    ///   - changes: The members of the `changes` array (without brackets), comma-separated;
    ///     empty for none.
    mutating func append(record: Int, extractedAt: Int64, generation: Int64, changes: ArraySlice<UInt8>) {
        text.removeAll(keepingCapacity: true)
        Self.appendUUID(randomBytes[(record * 16)..<(record * 16 + 16)], to: &text)
        builders[0].appendPresent()
        text.withUnsafeBytes { builders[0].appendByteArrayValue($0) }
        builders[1].appendPresent()
        builders[1].int64s.append(extractedAt)
        text.removeAll(keepingCapacity: true)
        text.append(contentsOf: metaPrefix)
        text.append(contentsOf: changes)
        text.append(contentsOf: "]}".utf8)
        builders[2].appendPresent()
        text.withUnsafeBytes { builders[2].appendByteArrayValue($0) }
        builders[3].appendPresent()
        builders[3].int64s.append(generation)
    }

    /// A `changes` member for a value the destination nulled.
    /// - Parameter field: The top-level field nulled.
    /// - Returns: `{"field":...,"change":"NULLED","reason":"DESTINATION_SERIALIZATION_ERROR"}`.
    static func nulledChange(field: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("field")
        json.string(field)
        json.key("change")
        json.string("NULLED")
        json.key("reason")
        json.string("DESTINATION_SERIALIZATION_ERROR")
        json.endObject()
        return json.text
    }

    /// Writes 16 random bytes as a UUID v4 (RFC 9562: version 4, variant 10).
    /// - Parameters:
    ///   - bytes: 16 random bytes.
    ///   - text: Where the 36 characters go.
    static func appendUUID(_ bytes: ArraySlice<UInt8>, to text: inout [UInt8]) {
        // Once per record: no allocation, one pass.
        @inline(__always) func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
        var offset = 0
        for var byte in bytes {
            if offset == 6 { byte = byte & 0x0F | 0x40 }
            if offset == 8 { byte = byte & 0x3F | 0x80 }
            if offset == 4 || offset == 6 || offset == 8 || offset == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex(byte >> 4))
            text.append(hex(byte & 0x0F))
            offset += 1
        }
    }
}
