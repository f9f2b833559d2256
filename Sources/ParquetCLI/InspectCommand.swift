import ArgumentParser

/// `parquet-writer inspect FILE [--json]`: what a Parquet file holds, read from its footer.
///
/// Only the footer is read (the last 8 bytes, the first 4 and the footer itself), so inspecting
/// a file of any size is instant. Any file works, not only this package's.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a Parquet file's footer: schema, row groups, column chunks and statistics.",
        discussion: """
            Reads only the footer. The text output shows the file's facts, the schema as a tree \
            (repetition, physical type, logical or converted type), a table per row group (one \
            line per column chunk: codec, encodings, values, nulls, compressed and uncompressed \
            bytes, their ratio, whether a dictionary page is present, min and max), a whole-file \
            table per column, and any inconsistencies found as warnings. A "~" before a bound \
            marks a truncated one.

            Statistics are decoded by type: integers, floats and booleans as numbers; strings \
            as text; dates as YYYY-MM-DD; times as HH:MM:SS.fff; timestamps in RFC 3339 with the \
            unit's digits ("Z" when UTC-adjusted); decimals as exact decimal text; UUIDs \
            canonically; other bytes as "0x" hex. min_value/max_value are used; the deprecated \
            min/max only where their signed order is the column's (not for byte arrays, INT96 \
            or unsigned integers).

            --json prints one object; every key is always present (null when the footer \
            has no value):
              path, size_bytes, footer_bytes, rows, row_group_count, created_by,
              format_version,
              key_value_metadata: [{key, value}],
              schema: [{name, depth, is_leaf, repetition, physical_type, type_length,
                logical_type, converted_type, scale, precision, num_children,
                field_id}]  (depth-first, the root at depth 0),
              row_groups: [{index, rows, total_byte_size, total_compressed_size,
                file_offset,
                columns: [{path, path_in_schema, physical_type, codec, encodings,
                  num_values, total_compressed_size, total_uncompressed_size,
                  compression_ratio, has_dictionary_page, dictionary_page_offset,
                  data_page_offset,
                  statistics: null | {null_count, distinct_count, min, max,
                    min_exact, max_exact, deprecated_min_max}}]}],
              columns: [{path, physical_type, logical_type, converted_type, codecs,
                encodings, chunks, num_values, null_count, total_compressed_size,
                total_uncompressed_size, compression_ratio}]  (over all row groups),
              warnings: [string]

            Type names are parquet.thrift's (INT64, BYTE_ARRAY, ZSTD, RLE_DICTIONARY, UTF8); \
            logical types carry their parameters (DECIMAL(10,2), TIMESTAMP(MILLIS, utc)); \
            compression_ratio is uncompressed / compressed. min and max are JSON numbers or \
            booleans for numeric and boolean columns and strings otherwise, as in the text output.

            A file that is missing, a directory, shorter than 12 bytes, without "PAR1" at both \
            ends, with a footer length that does not fit, or with a footer that does not decode \
            is reported in one line on stderr, with exit status 1.
            """)

    @Argument(help: ArgumentHelp("The Parquet file.", valueName: "file"))
    var file: String

    @Flag(help: "Print one JSON object instead of text (shape in the discussion above).")
    var json = false

    /// Prints what the file holds on stdout.
    /// - Throws: ``ParquetFooterError``; ArgumentParser prints it on stderr as one line after
    ///   "Error: " and exits with status 1.
    func run() throws {
        print(try Self.render(path: file, json: json), terminator: json ? "\n" : "")
    }

    /// Reads a file's footer and renders what it holds: the whole command but printing, so
    /// tests can check the output without starting a process.
    /// - Parameters:
    ///   - path: The Parquet file.
    ///   - json: JSON (one object, no trailing newline) rather than text (ending with a newline).
    /// - Returns: The output.
    /// - Throws: ``ParquetFooterError`` when the footer cannot be read.
    static func render(path: String, json: Bool) throws(ParquetFooterError) -> String {
        let report = try report(path: path)
        return json ? InspectJSONRenderer.render(report) : InspectTextRenderer.render(report)
    }

    /// Reads a file's footer and describes it.
    /// - Parameter path: The Parquet file.
    /// - Returns: The report the renderers lay out.
    /// - Throws: ``ParquetFooterError`` when the footer cannot be read.
    static func report(path: String) throws(ParquetFooterError) -> InspectReport {
        InspectReport(footer: try ParquetFooter(path: path))
    }
}
