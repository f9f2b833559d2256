// Fuzz target 5: Arrow record batches through the C Data Interface entry points
// (Include/parquet_writer.h, "Arrow input"), called as the Swift functions behind the @_cdecl
// entry points of ParquetCABI: write_arrow, write_arrow_stream, schema_from_arrow,
// create_writer, close_writer, abort_writer, last_error, free_string.
//
// Input: byte 0 picks the setup (Setup: inferred file, a file configured with the schema
// schema_from_arrow gave, a file with one of two fixed schemas, an inferred dataset partitioned
// by a column "p"; on_invalid fail/skip; write_arrow per batch or one write_arrow_stream; close
// or abort; malformed structures allowed; threads 2 or rolled files), byte 1 the number of
// batches (1-4) and a failure of the stream's producer. Then, read from the front of the input,
// the decisions: columns (1-6) and their types (every format the writer takes, dictionary
// encoding, nesting to depth 4, refused and malformed formats now and then; or, for the fixed
// schemas, Arrow types that convert to each column), and per batch its length (0-64) and per
// array its offset (0-8), validity mode and null count (none, exact, -1, wrong), offsets,
// views, child lengths, dictionary sizes and indices, and malformations (buffer and child
// counts, NULL pointers, bad lengths). Value bytes (bitmaps, numbers, text) are read from the
// back of the input. See ArrowModel.swift and ArrowLayout.swift.
//
// THE PRODUCER'S CONTRACT (what makes a crash a finding). The C Data Interface does not give a
// consumer buffer sizes: a producer declaring an array of length L at offset O must give
// buffers large enough for O + L slots, and a data buffer large enough for the offsets it
// holds. The harness keeps exactly that side and nothing more, so the importer has to check
// everything else itself:
//   - validity and boolean bitmaps: ceil((O + L) / 8) bytes; fixed-width values (O + L) *
//     width; offsets (O + L + 1) entries; views (O + L) * 16 bytes;
//   - a string/binary data buffer: as large as the largest offset value in its offsets buffer
//     (offsets are clamped to ±4095 but may be out of order or negative: the importer checks
//     the order);
//   - a view's data buffers: exactly the sizes the variadic sizes buffer (the last one) gives
//     (views may point outside them: the importer checks that against the sizes);
//   - the buffers and children arrays have n_buffers and n_children entries (a malformed count
//     comes with an array of that many entries, extra ones NULL or 8-byte buffers);
//   - NOT promised: that a child is as long as its parent needs (list and map offsets past the
//     child, short struct children, short fixed-size-list children), that dictionary indices
//     are inside the dictionary, that null counts are right, that lengths are non-negative or
//     sane (a length or offset over 2^37 comes with small buffers: the importer refuses such
//     lengths before reading). The importer knows child and dictionary lengths and must check.
// Every allocation is exactly its size (ASan reports a read past it), and the root's release
// callback frees the whole tree, as a producer's does (a read after release is a
// heap-use-after-free).
//
// Checked after every call: the returned text is JSON with the documented shape and keys;
// errors carry documented codes (never internal_error), and only the codes the input allows:
// invalid_arrow only when the harness broke a rule (or the stream's producer failed, with its
// message), invalid_schema / type_mismatch only when the types may not fit (not for the schema
// schema_from_arrow gave, nor for an inferred schema schema_from_arrow accepted), a value
// error as the call's failure only under on_invalid fail; last_error() is the error object or
// null; the root schema's and array's release callbacks were each called exactly once by
// write_arrow (success or failure), every child structure once, and the structures are marked
// released; for streams get_schema once, no get_next after the end or an error, every schema
// and array received released once, and the stream released once; schema_from_arrow releases
// nothing and agrees with the writer (its error is the first batch's error in an inferred
// setup, its schema configures a writer that takes the batches); rows written + rejected are
// the batch's rows on success (0 rows written for a failed write_arrow, a prefix of the
// stream's batches for a failed stream); a writer is still usable after a failure (an empty
// batch is then accepted); close reports the rows the batches wrote and every finished file's
// footer has them (checkWrittenFile); abort leaves nothing at the path; a closed handle is
// refused (invalid_handle) and the structures passed are still released.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CArrowInterface
import FuzzSupport
import ParquetCABI
import ParquetJSON

let scratch = ScratchDirectory(target: "arrow")

/// Codes a rejected value gets (a row's error under skip, the call's failure under fail).
let valueCodes: Set<String> = ["missing_value", "invalid_value", "value_out_of_range"]

/// How one input sets the writer up (byte 0).
struct Setup: CustomStringConvertible {
    /// 0 inferred file, 1 the schema schema_from_arrow gives, 2 a fixed schema, 3 inferred
    /// dataset partitioned by "p".
    var mode: Int
    var skip: Bool
    var stream: Bool
    var abort: Bool
    /// Mode 2: which fixed schema; mode 3: files rolled every 16 rows.
    var alternative: Bool
    var malformed: Bool
    /// threads 2 (files) / compression none (datasets).
    var variant: Bool

    init(_ byte: UInt8) {
        mode = Int(byte & 3)
        skip = byte & 4 != 0
        stream = byte & 8 != 0
        abort = byte & 16 != 0
        alternative = byte & 32 != 0
        malformed = byte & 64 != 0
        variant = byte & 128 != 0
    }

    var isDataset: Bool { mode == 3 }

    var description: String {
        var parts = [["inferred", "from-arrow", "fixed-\(alternative ? 1 : 0)", "dataset"][mode], skip ? "skip" : "fail"]
        parts.append(stream ? "stream" : "write_arrow")
        parts.append(abort ? "abort" : "close")
        if malformed { parts.append("malformed") }
        if variant { parts.append(isDataset ? "uncompressed" : "threads-2") }
        if isDataset && alternative { parts.append("rolled") }
        return parts.joined(separator: " ")
    }
}

// MARK: Results

/// last_error() as JSON (never NULL).
func lastErrorJSON(_ what: String) -> JSONValue {
    parseReturnedJSON(last_error(), "last_error() after \(what)")
}

func checkLastError(after what: String, error: ErrorObject?) {
    let last = lastErrorJSON(what)
    if let error {
        Fuzz.check(last == error.json, "last_error() after \(what) is \(last), not the error returned: \(error.json)")
    } else {
        Fuzz.check(last == .null, "last_error() after a successful \(what) is \(last), not null")
    }
}

/// A write's result: the counts (also of a failure that carries them) and the error.
struct WriteResult {
    var ok: Bool
    var written = 0
    var rejected = 0
    var error: ErrorObject?
    var rowErrors: [ErrorObject] = []
    var files: [JSONValue] = []
    /// The failure carried rows_written etc.
    var long = false
}

/// Parses a write_arrow / write_arrow_stream result and checks its shape and last_error().
func takeWrite(_ pointer: UnsafeMutablePointer<CChar>?, _ what: String) -> WriteResult {
    let value = parseReturnedJSON(pointer, what)
    free_string(pointer)
    guard case .bool(let ok)? = value["ok"] else { Fuzz.fail("\(what): 'ok' is not true or false: \(value)") }
    var result = WriteResult(ok: ok)
    if !ok {
        guard let keys = members(value)?.map(\.key) else { Fuzz.fail("\(what): not an object: \(value)") }
        result.long = keys.count > 2
        checkKeys(value, result.long ? ["ok", "error", "rows_written", "rows_rejected", "errors", "files", "unknown_keys"] : ["ok", "error"], what)
        result.error = checkErrorObject(value["error"]!, "\(what) error")
        checkLastError(after: what, error: result.error)
        if !result.long { return result }
    } else {
        checkKeys(value, ["ok", "rows_written", "rows_rejected", "errors", "files", "unknown_keys"], what)
        checkLastError(after: what, error: nil)
    }
    guard let written = integer(value["rows_written"]), let rejected = integer(value["rows_rejected"]),
        let errors = elements(value["errors"]), let files = elements(value["files"])
    else { Fuzz.fail("\(what): counts, errors or files of the wrong type: \(value)") }
    Fuzz.check(written >= 0 && rejected >= 0, "\(what): negative counts: \(value)")
    Fuzz.check(errors.count == rejected, "\(what): \(errors.count) errors listed for \(rejected) rejected rows: \(value)")
    result.written = written
    result.rejected = rejected
    result.rowErrors = errors.map { checkErrorObject($0, "\(what) rejected row") }
    result.files = files
    return result
}

// MARK: The session

/// What the harness knows of the writer and the batches so far.
struct Session {
    let setup: Setup
    let output: String
    let runDirectory: String
    var pointer: UnsafeMutableRawPointer?
    /// The Arrow schema's fields (the root struct); every batch uses it.
    let root: ANode
    /// schema_from_arrow's error code for `root`, if it refused it.
    var schemaError: String?
    /// The writer's schema is one `root` fits exactly (inferred and accepted by
    /// schema_from_arrow, or schema_from_arrow's own): invalid_schema / type_mismatch are bugs.
    var typesFit: Bool
    /// No schema configured: the first accepted batch fixes it.
    var inferred: Bool
    /// The schema has NULL children entries (malformed): invalid_arrow is a right answer.
    var schemaBroken = false
    var rowsWritten = 0
    var rowsRejected = 0
    var anyAccepted = false
    var finished: [String: Int] = [:]
    var broken = false
    var batchIndex = 0
}

/// Checks the files a result reports and records them.
func recordFiles(_ files: [JSONValue], _ session: inout Session, _ what: String) {
    for file in files {
        checkKeys(file, ["path", "rows", "bytes", "row_groups", "columns"], "\(what) FILE")
        guard let path = string(file["path"]), let rows = integer(file["rows"]), let bytes = integer(file["bytes"]),
            let groups = integer(file["row_groups"]), members(file["columns"]) != nil
        else { Fuzz.fail("\(what): a FILE has a value of the wrong type: \(file)") }
        Fuzz.check(rows >= 0 && bytes > 0 && groups >= 0, "\(what): impossible FILE numbers: \(file)")
        Fuzz.check(session.finished[path] == nil, "\(what): \(path) is reported finished a second time")
        if session.setup.isDataset {
            Fuzz.check(path.hasPrefix(session.output + "/"), "\(what): \(path) is outside the dataset's directory")
        } else {
            Fuzz.check(path == session.output, "\(what): the file is \(path), not the configured \(session.output)")
        }
        checkWrittenFile(path, rows: rows, rowGroups: groups, bytes: bytes, what)
        session.finished[path] = rows
    }
}

/// What the batches of one call were: their declared lengths and whether a rule was broken.
struct Sent {
    var lengths: [Int] = []
    var corrupt = false
    /// The stream's producer failed (get_schema or get_next returned an error).
    var producerFailed = false
    var empty = false
}

/// Checks one write result against what was sent; returns whether it failed.
@discardableResult
func checkWrite(_ result: WriteResult, _ sent: Sent, _ session: inout Session, _ what: String) -> Bool {
    let total = sent.lengths.reduce(0) { $0 + max($1, 0) }
    // The rows written + rejected before each batch: a failed stream stops at one of them.
    var prefixes = [0]
    for length in sent.lengths { prefixes.append(prefixes.last! + max(length, 0)) }
    for rowError in result.rowErrors {
        Fuzz.check(session.setup.skip, "\(what): rows rejected under on_invalid fail: \(rowError)")
        guard let row = rowError.row else { Fuzz.fail("\(what): a rejected row's error has no row: \(rowError)") }
        Fuzz.check(row < total, "\(what): rejected row \(row) is past the \(total) rows sent")
        Fuzz.check(valueCodes.contains(rowError.code) || (rowError.code == "invalid_arrow" && sent.corrupt),
                   "\(what): a row rejected with \(rowError.code), not a value error\(sent.corrupt ? "" : " (the batch keeps every layout rule)"): \(rowError)")
    }
    Fuzz.check(Set(result.rowErrors.compactMap(\.row)).count == result.rowErrors.count, "\(what): a row is listed as rejected twice")
    session.rowsWritten += result.written
    session.rowsRejected += result.rejected
    recordFiles(result.files, &session, what)
    if !session.setup.isDataset {
        Fuzz.check(result.files.isEmpty, "\(what): a single-file writer reported a finished file before close")
        Fuzz.check(!exists(session.output), "\(what): a file appeared at \(session.output) before close_writer")
    }
    guard let error = result.error else {
        note("  -> ok, \(result.written) written, \(result.rejected) rejected")
        Fuzz.check(result.written + result.rejected == total,
                   "\(what): \(result.written) rows written + \(result.rejected) rejected, but \(total) rows were sent")
        session.anyAccepted = true
        return false
    }
    note("  -> \(error) (\(result.written) written, \(result.rejected) rejected)")
    if result.long {
        Fuzz.check(prefixes.contains(result.written + result.rejected),
                   "\(what): a failure after \(result.written) rows written + \(result.rejected) rejected, which is not where a batch of \(sent.lengths) starts")
        if !session.setup.stream {
            Fuzz.check(result.written + result.rejected == 0, "\(what): a failed write_arrow of \(total) rows wrote \(result.written) and rejected \(result.rejected)")
        }
        if let row = error.row {
            Fuzz.check(row >= result.written + result.rejected && row < total,
                       "\(what): the failing row \(row) is not in the batch after the \(result.written + result.rejected) rows written or rejected")
        }
    }
    switch error.code {
    case "invalid_arrow":
        Fuzz.check(sent.corrupt || sent.producerFailed || session.schemaBroken || session.schemaError == "invalid_arrow",
                   "\(what): invalid_arrow for batches that keep every rule of the C Data Interface: \(error)")
        if sent.producerFailed && !sent.corrupt && session.schemaError == nil {
            Fuzz.check(error.message.contains(producerMessage), "\(what): the stream's failure does not carry the producer's message: \(error)")
        }
    case "invalid_schema", "type_mismatch":
        Fuzz.check(!session.typesFit || sent.corrupt, "\(what): \(error.code) for batches of the schema the writer has (from schema_from_arrow): \(error)")
    case "missing_value", "invalid_value", "value_out_of_range":
        Fuzz.check(!session.setup.skip || session.setup.isDataset,
                   "\(what): a value error rejected the whole call under on_invalid skip: \(error)")
        Fuzz.check(error.row != nil || session.setup.isDataset, "\(what): a value error without a row: \(error)")
    case "writer_closed":
        Fuzz.check(session.broken, "\(what): writer_closed from a writer that never failed: \(error)")
    default:
        Fuzz.fail("\(what): the error \(error.code) is not one this input can cause: \(error)")
    }
    if session.inferred && !session.anyAccepted, let expected = session.schemaError, !sent.producerFailed {
        Fuzz.check(error.code == expected,
                   "\(what): schema_from_arrow refused the schema with \(expected), the first write failed with \(error.code): \(error)")
    }
    return true
}

// MARK: Calls

/// One write_arrow call with a batch drawn from the input.
func writeOne(_ session: inout Session, _ input: inout Input, length: Int, empty: Bool = false) -> (WriteResult, Sent) {
    let label = empty ? "empty" : "#\(session.batchIndex)"
    let schema = UnsafeMutablePointer<ArrowSchema>.allocate(capacity: 1)
    let array = UnsafeMutablePointer<ArrowArray>.allocate(capacity: 1)
    defer {
        schema.deallocate()
        array.deallocate()
    }
    schema.initialize(to: makeSchema(session.root, label: label))
    var builder = ArrayBuilder(input: input, malformed: session.setup.malformed && !empty)
    array.initialize(to: builder.makeRoot(session.root, length: length, label: label))
    input = builder.input
    var sent = Sent(lengths: [length], corrupt: builder.corrupt, empty: empty)
    if sent.corrupt, array.pointee.length < 0 || array.pointee.length > Int64(Int32.max) * 64 { sent.lengths = [0] }
    let what = "write_arrow \(label)"
    note("\(what): \(length) rows\(builder.breaks.isEmpty ? "" : ", broken: " + builder.breaks.joined(separator: "; "))")
    let schemaData = schema.pointee.private_data
    let arrayData = array.pointee.private_data
    let result = takeWrite(write_arrow(session.pointer, schema, array), what)
    Fuzz.check(schema.pointee.release == nil, "\(what): the root ArrowSchema is not marked released after write_arrow")
    Fuzz.check(array.pointee.release == nil, "\(what): the root ArrowArray is not marked released after write_arrow")
    Fuzz.check(Registry.releases(schemaData) == 1, "\(what): the root ArrowSchema was released \(Registry.releases(schemaData)) times")
    Fuzz.check(Registry.releases(arrayData) == 1, "\(what): the root ArrowArray was released \(Registry.releases(arrayData)) times")
    return (result, sent)
}

/// The text the harness's stream gives from get_last_error.
let producerMessage = "fuzz producer failure"
nonisolated(unsafe) let producerMessagePointer = UnsafePointer(strdup(producerMessage)!)

/// The state of the stream write_arrow_stream is reading (one at a time).
struct StreamState {
    var root: ANode
    var input: Input
    var malformed: Bool
    var lengths: [Int]
    var failNextAt: Int?
    var failSchema: Bool
    var getSchemaCalls = 0
    var getNextCalls = 0
    var ended = false
    var sent = Sent()
    var roots: [UnsafeMutableRawPointer?] = []
    var releases = 0
}

nonisolated(unsafe) var stream: StreamState?

let streamGetSchema: @convention(c) (UnsafeMutablePointer<ArrowArrayStream>?, UnsafeMutablePointer<ArrowSchema>?) -> CInt = { handle, out in
    guard var state = stream, let handle, let out else { Fuzz.fail("get_schema called with NULL or with no stream") }
    Fuzz.check(handle.pointee.release != nil, "get_schema called on a released stream")
    state.getSchemaCalls += 1
    defer { stream = state }
    if state.failSchema {
        state.sent.producerFailed = true
        return EINVAL
    }
    out.pointee = makeSchema(state.root, label: "of the stream")
    state.roots.append(out.pointee.private_data)
    return 0
}

let streamGetNext: @convention(c) (UnsafeMutablePointer<ArrowArrayStream>?, UnsafeMutablePointer<ArrowArray>?) -> CInt = { handle, out in
    guard var state = stream, let handle, let out else { Fuzz.fail("get_next called with NULL or with no stream") }
    Fuzz.check(handle.pointee.release != nil, "get_next called on a released stream")
    Fuzz.check(!state.ended, "get_next called after the stream ended or failed")
    defer { stream = state }
    let index = state.getNextCalls
    state.getNextCalls += 1
    if index == state.failNextAt {
        state.ended = true
        state.sent.producerFailed = true
        return EIO
    }
    guard index < state.lengths.count else {
        state.ended = true
        out.pointee = ArrowArray()
        out.pointee.release = nil
        return 0
    }
    var builder = ArrayBuilder(input: state.input, malformed: state.malformed)
    out.pointee = builder.makeRoot(state.root, length: state.lengths[index], label: "stream #\(index)")
    state.input = builder.input
    state.roots.append(out.pointee.private_data)
    var length = state.lengths[index]
    if builder.corrupt {
        state.sent.corrupt = true
        if out.pointee.length < 0 || out.pointee.length > Int64(Int32.max) * 64 { length = 0 }
    }
    state.sent.lengths.append(length)
    note("  get_next #\(index): \(state.lengths[index]) rows\(builder.breaks.isEmpty ? "" : ", broken: " + builder.breaks.joined(separator: "; "))")
    return 0
}

let streamGetLastError: @convention(c) (UnsafeMutablePointer<ArrowArrayStream>?) -> UnsafePointer<CChar>? = { _ in
    producerMessagePointer
}

let streamRelease: @convention(c) (UnsafeMutablePointer<ArrowArrayStream>?) -> Void = { handle in
    guard let handle else { Fuzz.fail("the stream's release was called with NULL") }
    Fuzz.check(handle.pointee.release != nil, "the release callback of a released stream was called")
    handle.pointee.release = nil
    stream?.releases += 1
}

/// One write_arrow_stream call over `lengths` batches.
func writeStream(_ session: inout Session, _ input: inout Input, lengths: [Int], failNextAt: Int?, failSchema: Bool) -> (WriteResult, Sent) {
    stream = StreamState(root: session.root, input: input, malformed: session.setup.malformed, lengths: lengths,
                         failNextAt: failNextAt, failSchema: failSchema)
    let handle = UnsafeMutablePointer<ArrowArrayStream>.allocate(capacity: 1)
    defer { handle.deallocate() }
    handle.initialize(to: ArrowArrayStream(get_schema: streamGetSchema, get_next: streamGetNext, get_last_error: streamGetLastError,
                                           release: streamRelease, private_data: nil))
    let what = "write_arrow_stream"
    note("\(what): batches of \(lengths) rows\(failSchema ? ", get_schema fails" : "")\(failNextAt.map { ", get_next #\($0) fails" } ?? "")")
    let result = takeWrite(write_arrow_stream(session.pointer, handle), what)
    guard let state = stream else { Fuzz.fail("the stream state is gone") }
    stream = nil
    input = state.input
    Fuzz.check(handle.pointee.release == nil && state.releases == 1, "\(what): the stream was released \(state.releases) times")
    Fuzz.check(state.getSchemaCalls == 1, "\(what): get_schema was called \(state.getSchemaCalls) times")
    for data in state.roots {
        Fuzz.check(Registry.releases(data) == 1, "\(what): a schema or array the stream gave was released \(Registry.releases(data)) times")
    }
    if result.ok {
        Fuzz.check(state.ended, "\(what): succeeded without reading to the end of the stream")
    }
    return (result, state.sent)
}

/// After a failure the writer must take an empty, well-formed batch of the same schema.
func checkUsable(_ session: inout Session, _ input: inout Input, after error: ErrorObject) {
    guard session.typesFit, session.schemaError == nil, !session.broken else { return }
    let (result, sent) = writeOne(&session, &input, length: 0, empty: true)
    // An empty root can still have children with rows (its offset, slack): a broken one may fail.
    if let failure = result.error, !sent.corrupt {
        Fuzz.fail("the writer is not usable after a failure (\(error)): an empty batch failed: \(failure)")
    }
    checkWrite(result, sent, &session, "write_arrow empty")
}

/// A closed handle must be refused, and the structures still released.
func checkReleasedHandle(_ pointer: UnsafeMutableRawPointer, _ session: inout Session, _ input: inout Input) {
    let saved = session.pointer
    session.pointer = pointer
    let (result, _) = writeOne(&session, &input, length: 1, empty: true)
    session.pointer = saved
    Fuzz.check(result.error?.code == "invalid_handle", "write_arrow on a released writer: \(result.error.map { "\($0)" } ?? "succeeded")")
    let (_, closeError) = takeClose(close_writer(pointer), "close_writer on a released writer")
    Fuzz.check(closeError?.code == "invalid_handle", "close_writer on a released writer: \(closeError.map { "\($0)" } ?? "succeeded")")
}

func takeClose(_ pointer: UnsafeMutablePointer<CChar>?, _ what: String) -> (JSONValue, ErrorObject?) {
    let value = parseReturnedJSON(pointer, what)
    free_string(pointer)
    guard case .bool(let ok)? = value["ok"] else { Fuzz.fail("\(what): 'ok' is not true or false: \(value)") }
    if ok {
        checkKeys(value, ["ok", "rows_written", "rows_rejected", "files", "unknown_keys"], what)
        checkLastError(after: what, error: nil)
        return (value, nil)
    }
    checkKeys(value, ["ok", "error"], what)
    let error = checkErrorObject(value["error"]!, "\(what) error")
    checkLastError(after: what, error: error)
    return (value, error)
}

/// schema_from_arrow on the input's schema: releases nothing; the schema object or an error.
/// Returns the schema's JSON text (for create_writer) or the error code.
func schemaFromArrow(_ root: ANode) -> (schema: String?, error: String?) {
    let schema = UnsafeMutablePointer<ArrowSchema>.allocate(capacity: 1)
    defer { schema.deallocate() }
    schema.initialize(to: makeSchema(root, label: "for schema_from_arrow"))
    let data = schema.pointee.private_data
    let pointer = schema_from_arrow(schema)
    Fuzz.check(schema.pointee.release != nil && Registry.releases(data) == 0, "schema_from_arrow released the schema it only reads")
    guard let pointer else { Fuzz.fail("schema_from_arrow returned NULL") }
    let text = String(cString: pointer)
    let value = parseReturnedJSON(pointer, "schema_from_arrow")
    free_string(pointer)
    schema.pointee.release!(schema)
    Fuzz.check(Registry.releases(data) == 1, "the schema was released \(Registry.releases(data)) times")
    guard case .bool(let ok)? = value["ok"] else { Fuzz.fail("schema_from_arrow: 'ok' is not true or false: \(value)") }
    if ok {
        checkKeys(value, ["ok", "schema"], "schema_from_arrow")
        checkLastError(after: "schema_from_arrow", error: nil)
        guard let fields = elements(value["schema"]?["fields"]), !fields.isEmpty else {
            Fuzz.fail("schema_from_arrow: 'schema' has no fields: \(value)")
        }
        // The text of the "schema" member: the result is {"ok":true,"schema":{...}} as rendered.
        guard let range = text.firstRange(of: "\"schema\":") else { Fuzz.fail("schema_from_arrow: no \"schema\" key in \(text)") }
        let member = String(text[range.upperBound...].dropLast())
        note("schema_from_arrow -> \(member)")
        return (member, nil)
    }
    checkKeys(value, ["ok", "error"], "schema_from_arrow")
    let error = checkErrorObject(value["error"]!, "schema_from_arrow error")
    checkLastError(after: "schema_from_arrow", error: error)
    Fuzz.check(["invalid_schema", "invalid_arrow"].contains(error.code), "schema_from_arrow failed with \(error.code): \(error)")
    note("schema_from_arrow -> \(error)")
    return (nil, error.code)
}

// MARK: One input

/// The Arrow fields of a batch (the root struct's children).
func drawSchema(_ setup: Setup, _ input: inout Input) -> ANode {
    var columns: [ANode] = []
    if setup.mode == 2 {
        for field in fixedSchema(setup.alternative ? 1 : 0) where !input.rare(64) {
            columns.append(drawFitting(field, &input))
        }
        if input.rare(64) { columns.append(ANode("extra", .int(bits: 32, signed: true))) }
    } else {
        if setup.isDataset {
            let partitionTypes: [AType] = [.utf8(.o32), .int(bits: 32, signed: true), .int(bits: 64, signed: true), .bool, .date32,
                                           .utf8(.view), .int(bits: 8, signed: false), .utf8(.o64), .date64, .int(bits: 16, signed: true)]
            let partition = ANode("p", partitionTypes[input.below(partitionTypes.count)])
            if input.rare(6) {
                partition.dictionary = ANode("", partition.type)
                partition.type = drawIndexType(&input)
            }
            columns.append(partition)
        }
        let allowRefused = input.rare(4)
        for index in 0..<(1 + input.below(6)) {
            var name = "c\(index)"
            if input.rare(48) { name = index > 0 ? "c\(index - 1)" : "" }
            columns.append(drawNode(&input, name: name, depth: 1, allowRefused: allowRefused))
        }
    }
    let root = ANode("", .struct, nullable: false, children: columns)
    if setup.malformed && input.rare(8) {
        // A malformed schema: NULL entries in some node's children array.
        var nodes: [ANode] = []
        func walk(_ node: ANode) { nodes.append(node); node.children.forEach(walk) }
        walk(root)
        nodes[input.below(nodes.count)].extraSchemaChildren = 1 + input.below(2)
    }
    return root
}

func configuration(_ setup: Setup, output: String, schema: String?) -> String {
    var text = "{" + (setup.isDataset ? "\"directory\": " : "\"path\": ") + jsonString(output)
    if let schema { text += ", \"schema\": " + schema }
    text += ", \"on_invalid\": " + (setup.skip ? "\"skip\"" : "\"fail\"")
    if setup.isDataset {
        text += ", \"partition_by\": [\"p\"]"
        if setup.alternative { text += ", \"max_rows_per_file\": 16" }
        if setup.variant { text += ", \"compression\": \"none\"" }
    } else if setup.variant {
        text += ", \"threads\": 2"
    }
    return text + "}"
}

func run(_ data: UnsafeRawBufferPointer) {
    Fuzz.beginInput()
    Registry.reset()
    var input = Input(data)
    let setup = Setup(input.byte())
    let plan = input.byte()
    let batchCount = 1 + Int(plan & 3)
    let failure = Int(plan >> 2 & 7)
    let root = drawSchema(setup, &input)
    note("setup \(setup); columns \(root.children.map { "\($0.name): \($0.summary)" }.joined(separator: ", "))")

    let (derived, schemaError) = schemaFromArrow(root)
    var schemaText: String? = nil
    var typesFit = schemaError == nil && setup.mode != 2
    if setup.mode == 1 {
        schemaText = derived
    } else if setup.mode == 2 {
        schemaText = "{\"fields\": [" + fixedSchema(setup.alternative ? 1 : 0).map(\.json).joined(separator: ", ") + "]}"
    }
    if root.contains({ $0.extraSchemaChildren > 0 }) { typesFit = false }
    let runDirectory = scratch.fresh()
    let output = runDirectory + (setup.isDataset ? "/dataset" : "/out.parquet")
    let config = configuration(setup, output: output, schema: schemaText)
    note("create_writer \(config)")
    var session = Session(setup: setup, output: output, runDirectory: runDirectory, root: root,
                          schemaError: schemaText == nil ? schemaError : nil, typesFit: typesFit, inferred: schemaText == nil)
    session.schemaBroken = root.contains { $0.extraSchemaChildren > 0 }
    session.pointer = create_writer(config)
    guard session.pointer != nil else {
        Fuzz.fail("create_writer refused a configuration\(setup.mode == 1 ? " with the schema schema_from_arrow gave" : ""): \(lastErrorJSON("create_writer"))")
    }
    checkLastError(after: "create_writer", error: nil)

    var failures = 0
    var lengths: [Int] = []
    for _ in 0..<batchCount { lengths.append(input.below(4) == 3 ? input.below(65) : input.below(9)) }
    if setup.stream {
        let failNextAt = failure == 7 ? Int(plan >> 5) % (batchCount + 1) : nil
        let (result, sent) = writeStream(&session, &input, lengths: lengths, failNextAt: failNextAt, failSchema: failure == 6)
        if failure == 6 {
            Fuzz.check(result.error?.code == "invalid_arrow", "write_arrow_stream with a failing get_schema: \(result.error.map { "\($0)" } ?? "succeeded")")
        }
        if checkWrite(result, sent, &session, "write_arrow_stream"), let error = result.error {
            failures += 1
            checkUsable(&session, &input, after: error)
        }
    } else {
        for length in lengths {
            if setup.malformed && input.rare(32) {
                // A released (or NULL) argument: invalid_argument, and the other one still released.
                checkReleasedArgument(&session, &input)
            }
            let (result, sent) = writeOne(&session, &input, length: length)
            session.batchIndex += 1
            if checkWrite(result, sent, &session, "write_arrow #\(session.batchIndex - 1)"), let error = result.error {
                failures += 1
                checkUsable(&session, &input, after: error)
            }
        }
    }

    let pointer = session.pointer!
    if setup.abort {
        note("abort_writer")
        abort_writer(pointer)
        checkLastError(after: "abort_writer", error: nil)
        checkSettled(session, "after abort_writer")
    } else {
        note("close_writer")
        let (value, error) = takeClose(close_writer(pointer), "close_writer")
        if let error {
            note("  -> \(error)")
            Fuzz.check(session.inferred && !setup.isDataset && !session.anyAccepted && session.rowsWritten == 0 && error.code == "invalid_schema",
                       "close_writer failed: \(error)")
        } else {
            Fuzz.check(integer(value["rows_written"]) == session.rowsWritten,
                       "close_writer says rows_written \(value["rows_written"].map { "\($0)" } ?? "-"), the batches wrote \(session.rowsWritten)")
            Fuzz.check(integer(value["rows_rejected"]) == session.rowsRejected,
                       "close_writer says rows_rejected \(value["rows_rejected"].map { "\($0)" } ?? "-"), the batches rejected \(session.rowsRejected)")
            recordFiles(elements(value["files"]) ?? [], &session, "close_writer")
            if !setup.isDataset {
                Fuzz.check(session.finished[output] == session.rowsWritten,
                           "close_writer reported \(output) with \(session.finished[output].map(String.init) ?? "no entry") rows, the batches wrote \(session.rowsWritten)")
            }
            let total = session.finished.values.reduce(0, +)
            Fuzz.check(total == session.rowsWritten, "the finished files hold \(total) rows, \(session.rowsWritten) were written")
        }
        checkSettled(session, "after close_writer")
    }
    checkReleasedHandle(pointer, &session, &input)
    lastInputWritten = session.rowsWritten
    lastInputFailures = failures
    Registry.reset()
    scratch.clear()
}

/// After close or abort: exactly the files reported finished, no temporaries.
func checkSettled(_ session: Session, _ what: String) {
    let present = filesBelow(session.runDirectory)
    let expected = session.finished.keys.sorted()
    Fuzz.check(present == expected, "\(what): the directory holds \(present), expected \(expected)")
}

/// write_arrow with a released schema or array (or a NULL one): invalid_argument, and the
/// library still releases the structure that was live.
func checkReleasedArgument(_ session: inout Session, _ input: inout Input) {
    let schema = UnsafeMutablePointer<ArrowSchema>.allocate(capacity: 1)
    let array = UnsafeMutablePointer<ArrowArray>.allocate(capacity: 1)
    defer {
        schema.deallocate()
        array.deallocate()
    }
    schema.initialize(to: makeSchema(session.root, label: "released-argument"))
    var builder = ArrayBuilder(input: input, malformed: false)
    array.initialize(to: builder.makeRoot(session.root, length: 1, label: "released-argument"))
    input = builder.input
    let which = input.below(4)
    let schemaData = schema.pointee.private_data
    let arrayData = array.pointee.private_data
    if which == 0 { schema.pointee.release!(schema) } else if which == 1 { array.pointee.release!(array) }
    note("write_arrow with a \(["released schema", "released array", "NULL schema", "NULL array"][which])")
    let result = takeWrite(write_arrow(session.pointer, which == 2 ? nil : schema, which == 3 ? nil : array), "write_arrow (bad argument)")
    Fuzz.check(result.error?.code == "invalid_argument", "write_arrow with a released or NULL argument: \(result.error.map { "\($0)" } ?? "succeeded")")
    if which == 2 { schema.pointee.release!(schema) }
    if which == 3 { array.pointee.release!(array) }
    Fuzz.check(Registry.releases(schemaData) == 1 && Registry.releases(arrayData) == 1,
               "write_arrow with a bad argument: the schema was released \(Registry.releases(schemaData)) times, the array \(Registry.releases(arrayData))")
}

/// One libFuzzer input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// `PARQUET_FUZZ_VERBOSE=1` prints every step (replaying an input by hand, or seeing what a
/// corpus reaches); the steps are otherwise printed only when an invariant fails.
let verbose = Fuzz.environment("PARQUET_FUZZ_VERBOSE") != nil

func note(_ step: String) {
    Fuzz.note(step)
    if verbose { print(step) }
}
