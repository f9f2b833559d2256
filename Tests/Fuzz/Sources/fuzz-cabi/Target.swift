// Fuzz target 1: JSON batches through the C ABI (Include/parquet_writer.h), called as the
// Swift functions behind the @_cdecl entry points of ParquetCABI.
//
// Input: byte 0 picks a writer setup (WriterSetup.all, modulo 8), bytes 1-2 its knobs
// (WriterKnobs: policy, codec, dictionary, tiny row groups/pages/column buffer, threads,
// metadata, write_batch vs write_batch_n, how it ends). The rest is split at NUL bytes: each
// piece is one batch, an empty piece (two NULs in a row) is a commit_files call. So call
// sequences are fuzzed along with the batches.
//
// Checked after every call: the returned text is JSON with the documented shape, errors carry
// documented codes (never internal_error), last_error() is the error object after a failure
// and `null` after a success, a rejected batch leaves the writer usable (a known-good batch is
// then accepted whole), a batch's rows written + rejected are its records (when JSONValue can
// count them), no file appears at a single file's path before close, a dataset's
// committed files are exactly those reported, row totals add up across batches, commits and
// the close summary, every finished file's footer has the rows reported (read with the
// footer reader behind `inspect`, which must find no inconsistency), and after an abort or a
// failed close nothing is left but files already reported finished (no temporaries).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import FuzzSupport
import ParquetCABI
import ParquetJSON

let scratch = ScratchDirectory(target: "cabi")

/// At most this many batches and commits per input.
let maximumSteps = 48

/// The state of one writer as the harness tracks it.
struct Session {
    let setup: WriterSetup
    let knobs: WriterKnobs
    let output: String
    let runDirectory: String
    var pointer: UnsafeMutableRawPointer?
    var rowsWritten = 0
    var rowsRejected = 0
    /// Files reported finished (path -> rows), from write_batch, commit_files and close_writer.
    var finished: [String: Int] = [:]
    /// After io_error or writer_closed the writer is unusable by contract.
    var broken = false

    var isDataset: Bool { setup.isDataset }
}

/// last_error() as JSON (never NULL).
func lastErrorJSON(_ what: String) -> JSONValue {
    parseReturnedJSON(last_error(), "last_error() after \(what)")
}

/// Checks last_error() against the outcome of the call just made.
func checkLastError(after what: String, error: ErrorObject?) {
    let last = lastErrorJSON(what)
    if let error {
        Fuzz.check(last == error.json, "last_error() after \(what) is \(last), not the error returned: \(error.json)")
    } else {
        Fuzz.check(last == .null, "last_error() after a successful \(what) is \(last), not null")
    }
}

/// Takes a returned string: parses it, frees it, checks `ok` and the failure shape.
func take(_ pointer: UnsafeMutablePointer<CChar>?, _ what: String, inputLength: Int? = nil) -> (JSONValue, ErrorObject?) {
    let value = parseReturnedJSON(pointer, what)
    free_string(pointer)
    guard case .bool(let ok)? = value["ok"] else { Fuzz.fail("\(what): 'ok' is not true or false: \(value)") }
    if ok { return (value, nil) }
    checkKeys(value, ["ok", "error"], what)
    let error = checkErrorObject(value["error"]!, "\(what) error", inputLength: inputLength)
    checkLastError(after: what, error: error)
    return (value, error)
}

/// Checks a FILE object and records it as finished.
func recordFiles(_ value: JSONValue?, _ session: inout Session, _ what: String) {
    guard let files = elements(value) else { Fuzz.fail("\(what): 'files' is not an array") }
    for file in files {
        checkKeys(file, ["path", "rows", "bytes", "row_groups", "columns"], "\(what) FILE")
        guard let path = string(file["path"]), let rows = integer(file["rows"]), let bytes = integer(file["bytes"]),
            let groups = integer(file["row_groups"]), members(file["columns"]) != nil
        else { Fuzz.fail("\(what): a FILE has a value of the wrong type: \(file)") }
        Fuzz.check(rows >= 0 && bytes > 0 && groups >= 0, "\(what): impossible FILE numbers: \(file)")
        Fuzz.check(session.finished[path] == nil, "\(what): \(path) is reported finished a second time")
        if session.isDataset {
            Fuzz.check(path.hasPrefix(session.output + "/"), "\(what): \(path) is outside the dataset's directory")
        } else {
            Fuzz.check(path == session.output, "\(what): the file is \(path), not the configured \(session.output)")
        }
        checkWrittenFile(path, rows: rows, rowGroups: groups, bytes: bytes, what)
        session.finished[path] = rows
    }
}

/// Checks the output directory: a single file never appears before close; a dataset holds
/// exactly the files reported finished, with no temporary left, when `settled` (no file open).
func checkDisk(_ session: Session, settled: Bool, allRowsFinished: Bool = false, _ what: String) {
    if !session.isDataset {
        if settled {
            // Closed or aborted: the file if it was finished, and no temporary beside it.
            let present = filesBelow(session.runDirectory)
            let expected = session.finished.keys.sorted()
            Fuzz.check(present == expected, "\(what): the directory holds \(present), expected \(expected)")
        } else {
            // Open: the file is written under a temporary name and appears only at close.
            Fuzz.check(!exists(session.output), "\(what): a file appeared at \(session.output) before close_writer")
        }
        return
    }
    let present = filesBelow(session.output)
    if settled {
        Fuzz.check(present == session.finished.keys.sorted(),
                   "\(what): the dataset holds \(present), but the files reported finished are \(session.finished.keys.sorted())")
    } else {
        for path in session.finished.keys {
            Fuzz.check(present.contains(path), "\(what): the finished file \(path) is gone")
        }
    }
    let total = session.finished.values.reduce(0, +)
    if allRowsFinished {
        Fuzz.check(total == session.rowsWritten, "\(what): the finished files hold \(total) rows, \(session.rowsWritten) were written")
    } else {
        Fuzz.check(total <= session.rowsWritten, "\(what): the finished files hold \(total) rows, only \(session.rowsWritten) were written")
    }
}

/// How many records a batch holds, when the project's strict parser can tell: the elements of
/// a JSON array, one for a lone object, or the lines of NDJSON whose every non-blank line is one
/// object. nil when it cannot (malformed for JSONValue, deeper than its limit, invalid UTF-8 the
/// decoder reports per record, several values on a line, ...).
func recordCount(_ bytes: UnsafeRawBufferPointer) -> Int? {
    if let whole = try? JSONValue.parse(bytes) {
        switch whole {
        case .array(let items): return items.count
        case .object: return 1
        default: return nil
        }
    }
    var count = 0
    for line in Fuzz.split(bytes, at: UInt8(ascii: "\n"), limit: Int.max) {
        let text = UnsafeRawBufferPointer(rebasing: bytes[line])
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
        guard case .object? = try? JSONValue.parse(text) else { return nil }
        count += 1
    }
    return count
}

/// One batch; returns the error when it was rejected.
@discardableResult
func writeBatch(_ bytes: UnsafeRawBufferPointer, _ session: inout Session, label: String) -> ErrorObject? {
    let what = "write_batch\(session.knobs.nulTerminated ? "" : "_n") #\(label)"
    Fuzz.note("\(what) \(Fuzz.preview(bytes))")
    let copy = Fuzz.exactCopy(bytes, nulTerminated: session.knobs.nulTerminated)
    defer { free(copy) }
    let result = session.knobs.nulTerminated
        ? write_batch(session.pointer, copy) : write_batch_n(session.pointer, copy, UInt(bytes.count))
    // write_batch stops at the first NUL: the pieces have none, so the whole piece is the batch.
    let (value, error) = take(result, what, inputLength: bytes.count)
    if let error {
        Fuzz.note("  -> \(error)")
        switch error.code {
        case "writer_closed":
            Fuzz.check(session.broken, "\(what): writer_closed from a writer that never failed: \(error)")
        case "io_error":
            Fuzz.fail("\(what): io_error in a scratch directory on tmpfs: \(error)")
        case "invalid_argument", "invalid_handle":
            Fuzz.fail("\(what): \(error.code) for a live writer and a valid buffer: \(error)")
        default:
            if session.knobs.skipInvalid && error.row != nil && error.code != "malformed_json" && error.code != "limit_exceeded" && !session.setup.partitioned {
                // Under skip an invalid record is skipped, not a reason to reject the batch.
                Fuzz.fail("\(what): a record-level error rejected the whole batch under on_invalid skip: \(error)")
            }
        }
        return error
    }
    checkKeys(value, ["ok", "rows_written", "rows_rejected", "errors", "files", "unknown_keys"], what)
    guard let written = integer(value["rows_written"]), let rejected = integer(value["rows_rejected"]),
        let errors = elements(value["errors"])
    else { Fuzz.fail("\(what): counts or errors of the wrong type: \(value)") }
    Fuzz.check(written >= 0 && rejected >= 0, "\(what): negative counts: \(value)")
    Fuzz.check(errors.count == rejected, "\(what): \(errors.count) errors listed for \(rejected) rejected rows: \(value)")
    if !session.knobs.skipInvalid {
        Fuzz.check(rejected == 0, "\(what): rows rejected under on_invalid fail: \(value)")
    }
    if let records = recordCount(bytes) {
        Fuzz.check(written + rejected == records,
                   "\(what): \(written) rows written + \(rejected) rejected, but the batch holds \(records) records")
    }
    var rows = Set<Int>()
    for item in errors {
        let rowError = checkErrorObject(item, "\(what) skipped record", inputLength: bytes.count)
        guard let row = rowError.row else { Fuzz.fail("\(what): a skipped record's error has no row: \(item)") }
        Fuzz.check(row < written + rejected, "\(what): skipped row \(row) is past the batch's \(written + rejected) records")
        Fuzz.check(rows.insert(row).inserted, "\(what): row \(row) is listed as skipped twice")
        Fuzz.check(!["io_error", "writer_closed", "malformed_json", "invalid_argument", "invalid_handle"].contains(rowError.code),
                   "\(what): a skipped record with a batch-level code: \(rowError)")
    }
    Fuzz.note("  -> ok, \(written) written, \(rejected) rejected")
    checkLastError(after: what, error: nil)
    session.rowsWritten += written
    session.rowsRejected += rejected
    recordFiles(value["files"], &session, what)
    if !session.isDataset {
        Fuzz.check(elements(value["files"])?.isEmpty == true, "\(what): a single-file writer reported a finished file before close")
    }
    checkDisk(session, settled: false, what)
    return nil
}

/// The known-good batch: must be accepted whole while the writer is usable.
func writeGood(_ session: inout Session, after error: ErrorObject) {
    let before = session.rowsWritten
    let rejected = session.rowsRejected
    let good = session.setup.goodBatch
    var copy = good
    let failure = copy.withUTF8 { writeBatch(UnsafeRawBufferPointer($0), &session, label: "good") }
    if let failure {
        Fuzz.fail("the writer is not usable after a rejected batch (\(error)): the known-good batch \(good) failed: \(failure)")
    }
    Fuzz.check(session.rowsWritten == before + 1 && session.rowsRejected == rejected,
               "the known-good batch \(good) wrote \(session.rowsWritten - before) rows, rejected \(session.rowsRejected - rejected)")
}

/// commit_files: a dataset finishes every open file; a single file refuses.
func commit(_ session: inout Session) {
    Fuzz.note("commit_files")
    let (value, error) = take(commit_files(session.pointer), "commit_files")
    if let error {
        Fuzz.note("  -> \(error)")
        if session.isDataset {
            if error.code == "writer_closed" && session.broken { return }
            Fuzz.fail("commit_files of a dataset failed: \(error)")
        }
        Fuzz.check(error.code == "invalid_options", "commit_files of a single file: expected invalid_options, got \(error)")
        return
    }
    Fuzz.check(session.isDataset, "commit_files of a single-file writer succeeded: \(value)")
    checkSummary(value, &session, "commit_files")
    checkDisk(session, settled: true, allRowsFinished: true, "commit_files")
}

/// The summary of commit_files and close_writer: totals so far, and the files finished.
func checkSummary(_ value: JSONValue, _ session: inout Session, _ what: String) {
    checkKeys(value, ["ok", "rows_written", "rows_rejected", "files", "unknown_keys"], what)
    checkLastError(after: what, error: nil)
    Fuzz.check(integer(value["rows_written"]) == session.rowsWritten,
               "\(what) says rows_written \(value["rows_written"].map { "\($0)" } ?? "-"), the batches wrote \(session.rowsWritten)")
    Fuzz.check(integer(value["rows_rejected"]) == session.rowsRejected,
               "\(what) says rows_rejected \(value["rows_rejected"].map { "\($0)" } ?? "-"), the batches rejected \(session.rowsRejected)")
    recordFiles(value["files"], &session, what)
}

/// A released handle must be refused, not used.
func checkReleased(_ pointer: UnsafeMutableRawPointer) {
    let (_, writeError) = take(write_batch_n(pointer, "[]", 2), "write_batch_n on a released writer")
    Fuzz.check(writeError?.code == "invalid_handle", "write_batch_n on a released writer: \(writeError.map { "\($0)" } ?? "succeeded")")
    let (_, closeError) = take(close_writer(pointer), "close_writer on a released writer")
    Fuzz.check(closeError?.code == "invalid_handle", "close_writer on a released writer: \(closeError.map { "\($0)" } ?? "succeeded")")
}

func run(_ data: UnsafeRawBufferPointer) {
    Fuzz.beginInput()
    let setup = WriterSetup.all[Int(data.first ?? 0) % WriterSetup.all.count]
    let knobs = WriterKnobs(data.count > 1 ? data[1] : 0, data.count > 2 ? data[2] : 0)
    let rest = UnsafeRawBufferPointer(rebasing: data[min(3, data.count)...])
    let runDirectory = scratch.fresh()
    let output = runDirectory + (setup.isDataset ? "/dataset" : "/out.parquet")
    let configuration = setup.configuration(output: output, knobs: knobs)
    Fuzz.note("setup \(setup.name), knobs \(knobs)")
    Fuzz.note("create_writer \(configuration)")

    var session = Session(setup: setup, knobs: knobs, output: output, runDirectory: runDirectory)
    session.pointer = create_writer(configuration)
    guard session.pointer != nil else {
        Fuzz.fail("create_writer refused a valid configuration: \(lastErrorJSON("create_writer"))")
    }
    checkLastError(after: "create_writer", error: nil)

    for (index, piece) in Fuzz.split(rest, at: 0, limit: maximumSteps).enumerated() where data.count > 3 {
        if piece.isEmpty {
            commit(&session)
            continue
        }
        if let error = writeBatch(UnsafeRawBufferPointer(rebasing: rest[piece]), &session, label: "\(index)") {
            if error.code == "writer_closed" || error.code == "io_error" {
                session.broken = true
            } else {
                writeGood(&session, after: error)
            }
        }
    }

    if knobs.ending & 1 == 1 { commit(&session) }
    let pointer = session.pointer!
    if knobs.ending >= 2 {
        Fuzz.note("abort_writer")
        abort_writer(pointer)
        checkLastError(after: "abort_writer", error: nil)
        checkDisk(session, settled: true, "after abort_writer")
    } else {
        Fuzz.note("close_writer")
        let (value, error) = take(close_writer(pointer), "close_writer")
        if let error {
            Fuzz.note("  -> \(error)")
            let nothingToInfer = setup.inferred && !setup.isDataset && error.code == "invalid_schema" && session.rowsWritten == 0
            Fuzz.check(nothingToInfer || (session.broken && error.code == "writer_closed"), "close_writer failed: \(error)")
            checkDisk(session, settled: true, "after a failed close_writer")
        } else {
            checkSummary(value, &session, "close_writer")
            if !setup.isDataset {
                Fuzz.check(session.finished[output] == session.rowsWritten,
                           "close_writer reported \(output) with \(session.finished[output].map(String.init) ?? "no entry") rows, the batches wrote \(session.rowsWritten)")
            }
            checkDisk(session, settled: true, allRowsFinished: true, "after close_writer")
        }
    }
    checkReleased(pointer)
    scratch.clear()
}

/// One libFuzzer input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
