#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CParquetABISupport
import CParquetBuildInfo
import Parquet
import ParquetJSON

// The C entry points of libparquet_writer.so, declared in Include/parquet_writer.h.
//
// No Swift error crosses the boundary: every failure, NULL arguments included, comes back as
// an error result (and as the calling thread's last_error()). Returned strings are malloc'd
// JSON the caller frees with free_string. These symbols, create_writer_with_sink
// (SinkEntryPoints.swift) and the Arrow entry points (ArrowEntryPoints.swift) are the only ones
// the shared library exports (Include/parquet_writer.map).

// MARK: Helpers

/// Copies JSON text into a malloc'd NUL-terminated string (nil only when memory ran out).
func mallocString(_ json: JSONWriter) -> UnsafeMutablePointer<CChar>? {
    json.buffer.withUnsafeReadableBytes { bytes -> UnsafeMutablePointer<CChar>? in
        guard let memory = malloc(bytes.count + 1) else { return nil }
        if let base = bytes.baseAddress, bytes.count > 0 { memcpy(memory, base, bytes.count) }
        memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        return memory.assumingMemoryBound(to: CChar.self)
    }
}

/// Records `error` as the calling thread's last error.
func recordLastError(_ error: ABIError) {
    let json = ResultRendering.errorObject(error)
    json.buffer.withUnsafeReadableBytes { bytes in
        _ = bytes.withMemoryRebound(to: CChar.self) { chars in
            cparquet_set_last_error(chars.baseAddress, chars.count)
        }
    }
}

/// `{"ok": false, "error": ...}` as a malloc'd string, recorded as the last error too.
func failureString(_ error: ABIError) -> UnsafeMutablePointer<CChar>? {
    recordLastError(error)
    return mallocString(ResultRendering.failure(error))
}

/// The writer a C token names, or the error to report.
func liveHandle(_ pointer: UnsafeMutableRawPointer?) -> Result<WriterHandle, ABIError> {
    guard let pointer else { return .failure(.invalidArgument("the writer is NULL")) }
    guard let handle = HandleRegistry.lookup(pointer) else { return .failure(.invalidHandle) }
    return .success(handle)
}

/// Creates a writer from configuration text, or returns the error.
func createWriter(_ configuration: UnsafeRawBufferPointer) -> Result<UnsafeMutableRawPointer, ABIError> {
    do throws(ParquetError) {
        return createWriter(try WriterConfiguration(jsonText: configuration), sinks: nil)
    } catch {
        return .failure(ABIError(error))
    }
}

/// Creates a writer from a parsed configuration, its outputs opened by `sinks` (nil: local
/// paths), and registers it; or returns the error.
func createWriter(
    _ parsed: WriterConfiguration, sinks: sending (any OutputSinkFactory)?
) -> Result<UnsafeMutableRawPointer, ABIError> {
    do throws(ParquetError) {
        let handle = try WriterHandle(configuration: parsed, sinks: sinks)
        guard let token = HandleRegistry.register(handle) else {
            handle.abort()
            let limit = HandleToken.slotLimit
            return .failure(ABIError(ParquetError(
                .limitExceeded, "no writer handle left (at most \(limit) writers can be open at once)")))
        }
        return .success(token)
    } catch {
        return .failure(ABIError(error))
    }
}

/// Writes one batch given as bytes and renders the result.
func writeBatch(_ pointer: UnsafeMutableRawPointer?, _ data: UnsafeRawBufferPointer) -> UnsafeMutablePointer<CChar>? {
    let handle: WriterHandle
    switch liveHandle(pointer) {
    case .success(let live): handle = live
    case .failure(let error): return failureString(error)
    }
    switch handle.write(data) {
    case .written(let result, let fileSchema):
        return mallocString(ResultRendering.batch(result, fileSchema: fileSchema))
    case .failed(let error):
        return failureString(ABIError(error))
    }
}

// MARK: Entry points

/// `parquet_writer *create_writer(const char *config_json)`.
@_cdecl("create_writer")
public func create_writer(_ config: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? {
    cparquet_clear_last_error()
    guard let config else {
        recordLastError(.invalidArgument("the configuration is NULL"))
        return nil
    }
    switch createWriter(UnsafeRawBufferPointer(start: config, count: strlen(config))) {
    case .success(let pointer):
        return pointer
    case .failure(let error):
        recordLastError(error)
        return nil
    }
}

/// `char *write_batch(parquet_writer *w, const char *records_json)`.
@_cdecl("write_batch")
public func write_batch(_ writer: UnsafeMutableRawPointer?, _ records: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    cparquet_clear_last_error()
    guard let records else {
        if writer == nil { return failureString(.invalidArgument("the writer is NULL")) }
        return failureString(.invalidArgument("the records are NULL"))
    }
    return writeBatch(writer, UnsafeRawBufferPointer(start: records, count: strlen(records)))
}

/// `char *write_batch_n(parquet_writer *w, const char *data, size_t length)`.
@_cdecl("write_batch_n")
public func write_batch_n(
    _ writer: UnsafeMutableRawPointer?, _ data: UnsafePointer<CChar>?, _ length: UInt
) -> UnsafeMutablePointer<CChar>? {
    cparquet_clear_last_error()
    guard let data else {
        if writer == nil { return failureString(.invalidArgument("the writer is NULL")) }
        return failureString(.invalidArgument("the data is NULL"))
    }
    guard let count = Int(exactly: length) else {
        return failureString(.invalidArgument("the length \(length) is larger than any buffer can be"))
    }
    return writeBatch(writer, UnsafeRawBufferPointer(start: data, count: count))
}

/// `char *close_writer(parquet_writer *w)`: the handle is released whatever the outcome.
@_cdecl("close_writer")
public func close_writer(_ writer: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<CChar>? {
    cparquet_clear_last_error()
    guard let writer else { return failureString(.invalidArgument("the writer is NULL")) }
    guard let handle = HandleRegistry.remove(writer) else { return failureString(.invalidHandle) }
    switch handle.close() {
    case .success(let finished):
        return mallocString(ResultRendering.summary(finished))
    case .failure(let error):
        return failureString(ABIError(error))
    }
}

/// `char *commit_files(parquet_writer *w)`: a dataset finishes its open files; the writer stays open.
@_cdecl("commit_files")
public func commit_files(_ writer: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<CChar>? {
    cparquet_clear_last_error()
    let handle: WriterHandle
    switch liveHandle(writer) {
    case .success(let live): handle = live
    case .failure(let error): return failureString(error)
    }
    switch handle.commit() {
    case .success(let finished):
        return mallocString(ResultRendering.summary(finished))
    case .failure(let error):
        return failureString(ABIError(error))
    }
}

/// `void abort_writer(parquet_writer *w)`: discards the file and releases the handle.
@_cdecl("abort_writer")
public func abort_writer(_ writer: UnsafeMutableRawPointer?) {
    cparquet_clear_last_error()
    guard let writer else {
        recordLastError(.invalidArgument("the writer is NULL"))
        return
    }
    guard let handle = HandleRegistry.remove(writer) else {
        recordLastError(.invalidHandle)
        return
    }
    handle.abort()
}

/// `void free_string(char *s)`: frees a string this library returned; NULL is a no-op.
@_cdecl("free_string")
public func free_string(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}

/// `const char *last_error(void)`: the calling thread's last error as JSON, or "null".
@_cdecl("last_error")
public func last_error() -> UnsafePointer<CChar>? {
    cparquet_last_error()
}

/// `const char *parquet_writer_version(void)`: "<VERSION> (build <hash>)", a static C string.
@_cdecl("parquet_writer_version")
public func parquet_writer_version() -> UnsafePointer<CChar>? {
    cparquet_version_text()
}
