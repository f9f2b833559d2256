import Parquet
import ParquetJSON

/// A failure as the C ABI reports it: a `ParquetError`, or one of the two codes only the
/// boundary has (`invalid_argument` for NULL or impossible arguments, `invalid_handle` for a
/// writer pointer that is not live).
struct ABIError: Error, Equatable {
    /// The stable code: a `ParquetError.Code` raw value, `invalid_argument` or `invalid_handle`.
    var code: String
    var message: String
    var column: String?
    var row: Int?
    var offset: Int?

    init(code: String, message: String, column: String? = nil, row: Int? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.column = column
        self.row = row
        self.offset = offset
    }

    init(_ error: ParquetError) {
        self.init(code: error.code.rawValue, message: error.message, column: error.column, row: error.row, offset: error.offset)
    }

    static func invalidArgument(_ message: String) -> ABIError {
        ABIError(code: "invalid_argument", message: message)
    }

    static let invalidHandle = ABIError(
        code: "invalid_handle",
        message: "the writer handle is not live: it was already closed or aborted, or did not come from create_writer")
}

/// The JSON texts the entry points return.
enum ResultRendering {
    /// `{"code": ..., "message": ..., "column": ..., "row": ..., "offset": ...}`, absent parts null.
    static func write(_ error: ABIError, into json: inout JSONWriter) {
        json.beginObject()
        json.key("code")
        json.string(error.code)
        json.key("message")
        json.string(error.message)
        json.key("column")
        if let column = error.column { json.string(column) } else { json.null() }
        json.key("row")
        if let row = error.row { json.int(row) } else { json.null() }
        json.key("offset")
        if let offset = error.offset { json.int(offset) } else { json.null() }
        json.endObject()
    }

    /// The error object alone (what `last_error()` returns).
    static func errorObject(_ error: ABIError) -> JSONWriter {
        var json = JSONWriter()
        write(error, into: &json)
        return json
    }

    /// `{"ok": false, "error": {...}}`.
    static func failure(_ error: ABIError) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.key("ok")
        json.bool(false)
        json.key("error")
        write(error, into: &json)
        json.endObject()
        return json
    }

    /// `{"ok": false, "error": {...}, "rows_written": n, "rows_rejected": m, "errors": [...],
    /// "files": [...]}`: a call that wrote part of its input (an Arrow stream's earlier
    /// batches) before failing.
    static func failure(_ error: ABIError, written: JSONBatchResult, fileSchema: Schema?) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.key("ok")
        json.bool(false)
        json.key("error")
        write(error, into: &json)
        writeTotals(written, fileSchema: fileSchema, into: &json)
        json.endObject()
        return json
    }

    /// `{"ok": true, "rows_written": n, "rows_rejected": m, "errors": [...], "files": [...], "unknown_keys": {...}}`:
    /// the files are those finished during the call (a dataset's files that reached a limit).
    static func batch(_ result: JSONBatchResult, fileSchema: Schema?) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.key("ok")
        json.bool(true)
        writeTotals(result, fileSchema: fileSchema, into: &json)
        json.endObject()
        return json
    }

    /// The members a batch result and a partial failure share: `"rows_written", "rows_rejected",
    /// "errors", "files", "unknown_keys"`.
    private static func writeTotals(_ result: JSONBatchResult, fileSchema: Schema?, into json: inout JSONWriter) {
        json.key("rows_written")
        json.int(result.rowsWritten)
        json.key("rows_rejected")
        json.int(result.rejected.count)
        json.key("errors")
        json.beginArray()
        for error in result.rejected { write(ABIError(error), into: &json) }
        json.endArray()
        json.key("files")
        write(result.files, fileSchema: fileSchema, into: &json)
        write(unknownKeys: result.unknownKeys, into: &json)
    }

    /// `"unknown_keys": {"<name>": <records>, ...}`, always present (`{}` when there were
    /// none), as `errors` and `files` are.
    static func write(unknownKeys: [UnknownKeyCount], into json: inout JSONWriter) {
        json.key("unknown_keys")
        json.beginObject()
        for count in unknownKeys {
            json.key(count.name)
            json.int(count.records)
        }
        json.endObject()
    }

    /// `{"ok": true, "rows_written": n, "rows_rejected": m, "files": [...], "unknown_keys": {...}}` for close_writer
    /// and commit_files: the totals so far and the files finished by the call.
    static func summary(_ finished: WriterHandle.Finished) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.key("ok")
        json.bool(true)
        json.key("rows_written")
        json.int(finished.rowsWritten)
        json.key("rows_rejected")
        json.int(finished.rowsRejected)
        json.key("files")
        write(finished.files, fileSchema: finished.fileSchema, into: &json)
        write(unknownKeys: finished.unknownKeys, into: &json)
        json.endObject()
        return json
    }

    /// `[{"path", "rows", "bytes", "row_groups", "columns": {"<name>": {"null_count", "min",
    /// "max"}}}]`; min and max are left out when the file has none.
    static func write(_ files: [WriteSummary], fileSchema: Schema?, into json: inout JSONWriter) {
        let leaves = fileSchema?.leafColumns ?? []
        json.beginArray()
        for file in files {
            json.beginObject()
            json.key("path")
            json.string(file.path)
            json.key("rows")
            json.int(file.rows)
            json.key("bytes")
            json.int(file.bytes)
            json.key("row_groups")
            json.int(file.rowGroups)
            json.key("columns")
            json.beginObject()
            for (index, column) in file.columns.enumerated() {
                json.key(column.name)
                json.beginObject()
                json.key("null_count")
                json.int(column.nullCount)
                let type = index < leaves.count ? leaves[index].type : .binary
                if let minimum = column.minimum {
                    json.key("min")
                    StatisticRendering.write(minimum, type: type, into: &json)
                }
                if let maximum = column.maximum {
                    json.key("max")
                    StatisticRendering.write(maximum, type: type, into: &json)
                }
                json.endObject()
            }
            json.endObject()
            json.endObject()
        }
        json.endArray()
    }
}
