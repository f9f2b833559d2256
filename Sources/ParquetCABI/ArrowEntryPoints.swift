import CArrowInterface
import CParquetABISupport
import Parquet
import ParquetArrow
import ParquetJSON

// The Arrow C Data Interface entry points, declared in Include/parquet_writer.h.
//
// write_arrow and write_arrow_stream take ownership of what they are given, as the Arrow
// specification describes a move: they call the release callbacks before returning, whatever
// the outcome, and keep no pointer into the producer's memory. schema_from_arrow only reads.

/// Releases an Arrow structure that is not released yet (the callback marks it released).
private func release(_ schema: UnsafeMutablePointer<ArrowSchema>?) {
    if let schema, let callback = schema.pointee.release { callback(schema) }
}

private func release(_ array: UnsafeMutablePointer<ArrowArray>?) {
    if let array, let callback = array.pointee.release { callback(array) }
}

private func release(_ stream: UnsafeMutablePointer<ArrowArrayStream>?) {
    if let stream, let callback = stream.pointee.release { callback(stream) }
}

/// The batch result, or the failure, as a malloc'd string.
private func rendered(_ outcome: WriterHandle.BatchOutcome) -> UnsafeMutablePointer<CChar>? {
    switch outcome {
    case .written(let result, let fileSchema): mallocString(ResultRendering.batch(result, fileSchema: fileSchema))
    case .failed(let error): failureString(ABIError(error))
    }
}

/// `char *write_arrow(parquet_writer *w, struct ArrowSchema *schema, struct ArrowArray *array)`.
@_cdecl("write_arrow")
public func write_arrow(
    _ writer: UnsafeMutableRawPointer?, _ schema: UnsafeMutablePointer<ArrowSchema>?,
    _ array: UnsafeMutablePointer<ArrowArray>?
) -> UnsafeMutablePointer<CChar>? {
    cparquet_clear_last_error()
    defer {
        release(array)
        release(schema)
    }
    guard let schema, schema.pointee.release != nil else {
        return failureString(.invalidArgument("the Arrow schema is NULL or already released"))
    }
    guard let array, array.pointee.release != nil else {
        return failureString(.invalidArgument("the Arrow array is NULL or already released"))
    }
    let handle: WriterHandle
    switch liveHandle(writer) {
    case .success(let live): handle = live
    case .failure(let error): return failureString(error)
    }
    let root: ArrowField
    do throws(ParquetError) {
        root = try ArrowField(schema)
    } catch {
        return failureString(ABIError(error))
    }
    return rendered(handle.writeArrow(root: root, array: array))
}

/// `char *write_arrow_stream(parquet_writer *w, struct ArrowArrayStream *stream)`.
@_cdecl("write_arrow_stream")
public func write_arrow_stream(
    _ writer: UnsafeMutableRawPointer?, _ stream: UnsafeMutablePointer<ArrowArrayStream>?
) -> UnsafeMutablePointer<CChar>? {
    cparquet_clear_last_error()
    defer { release(stream) }
    guard let stream, stream.pointee.release != nil,
        let getSchema = stream.pointee.get_schema, let getNext = stream.pointee.get_next
    else {
        return failureString(.invalidArgument("the Arrow stream is NULL, already released, or has no callbacks"))
    }
    let handle: WriterHandle
    switch liveHandle(writer) {
    case .success(let live): handle = live
    case .failure(let error): return failureString(error)
    }
    /// The producer's own message for a failed callback.
    func streamError(_ status: Int32, _ doing: String) -> ABIError {
        let detail = stream.pointee.get_last_error?(stream).map { String(cString: $0) } ?? "no message"
        return ABIError(code: ParquetError.Code.invalidArrow.rawValue, message: "the Arrow stream failed \(doing) (error \(status)): \(detail)")
    }
    var schema = ArrowSchema()
    let status = getSchema(stream, &schema)
    guard status == 0, schema.release != nil else { return failureString(streamError(status, "to give its schema")) }
    defer { release(&schema) }
    let root: ArrowField
    do throws(ParquetError) {
        root = try ArrowField(&schema)
    } catch {
        return failureString(ABIError(error))
    }
    var total = JSONBatchResult(rowsWritten: 0, rejected: [])
    var fileSchema: Schema?
    var rowsRead = 0
    while true {
        var array = ArrowArray()
        let status = getNext(stream, &array)
        guard status == 0 else {
            return partialFailure(streamError(status, "to give its next batch after \(rowsRead) rows"), total, fileSchema)
        }
        guard array.release != nil else { break }
        let length = Int(array.length)
        let outcome = handle.writeArrow(root: root, array: &array, rowBase: rowsRead)
        release(&array)
        switch outcome {
        case .written(let result, let schema):
            total.rowsWritten += result.rowsWritten
            total.rejected += result.rejected
            total.files += result.files
            fileSchema = schema
        case .failed(let error):
            return partialFailure(ABIError(error), total, fileSchema)
        }
        rowsRead += length
    }
    return mallocString(ResultRendering.batch(total, fileSchema: fileSchema))
}

/// A stream's failure, with what its earlier batches wrote.
private func partialFailure(
    _ error: ABIError, _ written: JSONBatchResult, _ fileSchema: Schema?
) -> UnsafeMutablePointer<CChar>? {
    recordLastError(error)
    return mallocString(ResultRendering.failure(error, written: written, fileSchema: fileSchema))
}

/// `char *schema_from_arrow(const struct ArrowSchema *schema)`.
@_cdecl("schema_from_arrow")
public func schema_from_arrow(_ schema: UnsafePointer<ArrowSchema>?) -> UnsafeMutablePointer<CChar>? {
    cparquet_clear_last_error()
    guard let schema, schema.pointee.release != nil else {
        return failureString(.invalidArgument("the Arrow schema is NULL or already released"))
    }
    do throws(ParquetError) {
        let native = try Schema(arrowSchema: schema)
        var json = JSONWriter()
        json.beginObject()
        json.key("ok")
        json.bool(true)
        json.key("schema")
        native.renderJSON(into: &json)
        json.endObject()
        return mallocString(json)
    } catch {
        return failureString(ABIError(error))
    }
}
