import ParquetJSON
import ParquetThrift

/// Writes an ``InspectReport`` as one JSON object whose shape ``InspectCommand``'s help
/// documents. Every key is always present (null when the footer does not say), so consumers
/// can index without checking.
enum InspectJSONRenderer {
    /// Renders the report.
    /// - Parameter report: What to show.
    /// - Returns: The JSON text (one line, no trailing newline).
    static func render(_ report: InspectReport) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("path"); json.string(report.path)
        json.key("size_bytes"); json.int(report.fileSize)
        json.key("footer_bytes"); json.int(report.footerLength)
        json.key("rows"); json.int(report.rows)
        json.key("row_group_count"); json.int(report.rowGroups.count)
        json.key("created_by"); optional(report.createdBy, into: &json) { $1.string($0) }
        json.key("format_version"); json.int(report.formatVersion)
        json.key("key_value_metadata")
        json.beginArray()
        for entry in report.keyValueMetadata {
            json.beginObject()
            json.key("key"); json.string(entry.key)
            json.key("value"); optional(entry.value, into: &json) { $1.string($0) }
            json.endObject()
        }
        json.endArray()

        json.key("schema")
        json.beginArray()
        for node in report.schema { schemaNode(node, into: &json) }
        json.endArray()

        json.key("row_groups")
        json.beginArray()
        for group in report.rowGroups {
            json.beginObject()
            json.key("index"); json.int(group.index)
            json.key("rows"); json.int(group.rows)
            json.key("total_byte_size"); json.int(group.totalByteSize)
            json.key("total_compressed_size"); json.int(group.totalCompressedSize)
            json.key("file_offset"); optional(group.fileOffset, into: &json) { $1.int($0) }
            json.key("columns")
            json.beginArray()
            for chunk in group.columns { columnChunk(chunk, into: &json) }
            json.endArray()
            json.endObject()
        }
        json.endArray()

        json.key("columns")
        json.beginArray()
        for column in report.columns { columnSummary(column, into: &json) }
        json.endArray()

        json.key("warnings")
        json.beginArray()
        for warning in report.warnings { json.string(warning) }
        json.endArray()
        json.endObject()
        return json.text
    }

    /// Writes one schema element.
    /// - Parameters:
    ///   - node: The element and its place in the tree.
    ///   - json: The writer to append to.
    private static func schemaNode(_ node: InspectSchemaNode, into json: inout JSONWriter) {
        let element = node.element
        json.beginObject()
        json.key("name"); json.string(element.name)
        json.key("depth"); json.int(node.depth)
        json.key("is_leaf"); json.bool(node.isLeaf)
        json.key("repetition"); optional(element.repetitionType, into: &json) { $1.string(InspectNames.repetition($0)) }
        json.key("physical_type"); optional(element.type, into: &json) { $1.string(InspectNames.physical($0)) }
        json.key("type_length"); optional(element.typeLength, into: &json) { $1.int($0) }
        json.key("logical_type"); optional(element.logicalType, into: &json) { $1.string(InspectNames.logical($0)) }
        json.key("converted_type"); optional(element.convertedType, into: &json) { $1.string(InspectNames.converted($0)) }
        json.key("scale"); optional(element.scale, into: &json) { $1.int($0) }
        json.key("precision"); optional(element.precision, into: &json) { $1.int($0) }
        json.key("num_children"); optional(element.numChildren, into: &json) { $1.int($0) }
        json.key("field_id"); optional(element.fieldID, into: &json) { $1.int($0) }
        json.endObject()
    }

    /// Writes one column chunk.
    /// - Parameters:
    ///   - chunk: The chunk.
    ///   - json: The writer to append to.
    private static func columnChunk(_ chunk: InspectColumnChunk, into json: inout JSONWriter) {
        let metadata = chunk.metadata
        json.beginObject()
        json.key("path"); json.string(chunk.path)
        json.key("path_in_schema")
        if let names = metadata?.pathInSchema {
            json.beginArray()
            for name in names { json.string(name) }
            json.endArray()
        } else {
            json.null()
        }
        json.key("physical_type"); optional(chunk.type.physical, into: &json) { $1.string(InspectNames.physical($0)) }
        json.key("codec"); optional(metadata?.codec, into: &json) { $1.string(InspectNames.codec($0)) }
        json.key("encodings")
        json.beginArray()
        for encoding in metadata?.encodings ?? [] { json.string(InspectNames.encoding(encoding)) }
        json.endArray()
        json.key("num_values"); optional(metadata?.numValues, into: &json) { $1.int($0) }
        json.key("total_compressed_size"); optional(metadata?.totalCompressedSize, into: &json) { $1.int($0) }
        json.key("total_uncompressed_size"); optional(metadata?.totalUncompressedSize, into: &json) { $1.int($0) }
        json.key("compression_ratio"); optional(chunk.compressionRatio, into: &json) { $1.double($0) }
        json.key("has_dictionary_page"); json.bool(chunk.hasDictionaryPage)
        json.key("dictionary_page_offset"); optional(metadata?.dictionaryPageOffset, into: &json) { $1.int($0) }
        json.key("data_page_offset"); optional(metadata?.dataPageOffset, into: &json) { $1.int($0) }
        json.key("statistics")
        if let statistics = chunk.statistics {
            json.beginObject()
            json.key("null_count"); optional(statistics.nullCount, into: &json) { $1.int($0) }
            json.key("distinct_count"); optional(statistics.distinctCount, into: &json) { $1.int($0) }
            json.key("min"); optional(statistics.min, into: &json, value)
            json.key("max"); optional(statistics.max, into: &json, value)
            json.key("min_exact"); optional(statistics.minExact, into: &json) { $1.bool($0) }
            json.key("max_exact"); optional(statistics.maxExact, into: &json) { $1.bool($0) }
            json.key("deprecated_min_max"); json.bool(statistics.deprecatedMinMax)
            json.endObject()
        } else {
            json.null()
        }
        json.endObject()
    }

    /// Writes one column over the whole file.
    /// - Parameters:
    ///   - column: The column's summary.
    ///   - json: The writer to append to.
    private static func columnSummary(_ column: InspectColumnSummary, into json: inout JSONWriter) {
        json.beginObject()
        json.key("path"); json.string(column.path)
        json.key("physical_type"); optional(column.type.physical, into: &json) { $1.string(InspectNames.physical($0)) }
        json.key("logical_type"); optional(column.type.logical, into: &json) { $1.string(InspectNames.logical($0)) }
        json.key("converted_type"); optional(column.type.converted, into: &json) { $1.string(InspectNames.converted($0)) }
        json.key("codecs")
        json.beginArray()
        for codec in column.codecs { json.string(InspectNames.codec(codec)) }
        json.endArray()
        json.key("encodings")
        json.beginArray()
        for encoding in column.encodings { json.string(InspectNames.encoding(encoding)) }
        json.endArray()
        json.key("chunks"); json.int(column.chunks)
        json.key("num_values"); json.int(column.numValues)
        json.key("null_count"); optional(column.nullCount, into: &json) { $1.int($0) }
        json.key("total_compressed_size"); json.int(column.totalCompressedSize)
        json.key("total_uncompressed_size"); json.int(column.totalUncompressedSize)
        json.key("compression_ratio"); optional(column.compressionRatio, into: &json) { $1.double($0) }
        json.endObject()
    }

    /// Writes a statistic: booleans and numbers as JSON values, everything else as a string.
    /// - Parameters:
    ///   - value: The decoded bound.
    ///   - json: The writer to append to.
    private static func value(_ value: InspectValue, into json: inout JSONWriter) {
        switch value {
        case .boolean(let flag): json.bool(flag)
        case .integer(let number): json.int(number)
        case .unsigned(let number): json.int(number)
        case .float(let number):
            // A float32's shortest text reads back as the same float32; widening to Double
            // first would print noise digits (0.1 as 0.10000000149011612).
            if number.isFinite { json.raw(number.description) } else { json.double(Double(number)) }
        case .double(let number): json.double(number)
        case .text(let text): json.string(text)
        }
    }

    /// Writes `value` with `write`, or null when absent, so every key is always present.
    /// - Parameters:
    ///   - value: The value, if any.
    ///   - json: The writer to append to.
    ///   - write: Writes a present value.
    private static func optional<T>(
        _ value: T?, into json: inout JSONWriter, _ write: (T, inout JSONWriter) -> Void
    ) {
        if let value { write(value, &json) } else { json.null() }
    }
}
