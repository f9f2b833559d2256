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

/// The result of Arrow input as a malloc'd string: the batch result, or the failure with what
/// was written before it.
private func rendered(_ outcome: WriterHandle.ArrowOutcome) -> UnsafeMutablePointer<CChar>? {
    guard let failure = outcome.failure else {
        return mallocString(ResultRendering.batch(outcome.written, fileSchema: outcome.fileSchema))
    }
    let error = ABIError(failure)
    recordLastError(error)
    return mallocString(ResultRendering.failure(error, written: outcome.written, fileSchema: outcome.fileSchema))
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
    var outcome = WriterHandle.ArrowOutcome()
    handle.writeArrow(root: root, array: array, rowBase: 0, into: &outcome)
    return rendered(outcome)
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
    var outcome = WriterHandle.ArrowOutcome()
    var rowsRead = 0
    while true {
        var array = ArrowArray()
        let status = getNext(stream, &array)
        guard status == 0 else {
            let failure = streamError(status, "to give its next batch after \(rowsRead) rows")
            recordLastError(failure)
            return mallocString(ResultRendering.failure(failure, written: outcome.written, fileSchema: outcome.fileSchema))
        }
        guard array.release != nil else { break }
        let length = Int(array.length)
        handle.writeArrow(root: root, array: &array, rowBase: rowsRead, into: &outcome)
        release(&array)
        if outcome.failure != nil { break }
        rowsRead += length
    }
    return rendered(outcome)
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
