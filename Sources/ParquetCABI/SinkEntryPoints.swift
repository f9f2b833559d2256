#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CParquetABISupport
import Parquet
import ParquetJSON

// The sink form of create_writer (Include/parquet_writer.h, section SINKS): the same writer,
// with its bytes handed to the caller's callbacks instead of local files. Failures come back
// as create_writer's do: NULL, and the error in last_error().

/// `parquet_writer *create_writer_with_sink(const char *config_json, const struct parquet_writer_sink *sink)`.
@_cdecl("create_writer_with_sink")
public func create_writer_with_sink(
    _ config: UnsafePointer<CChar>?, _ sink: UnsafePointer<cparquet_writer_sink>?
) -> UnsafeMutableRawPointer? {
    cparquet_clear_last_error()
    guard let sink else {
        recordLastError(.invalidArgument("the sink is NULL"))
        return nil
    }
    // From here the library owns the caller's context: every path below ends with release
    // called once, here on failure (the callbacks object is the only owner), or when the
    // writer is released.
    let callbacks: SinkCallbacks
    do throws(ABIError) {
        callbacks = try SinkCallbacks(sink)
    } catch {
        recordLastError(error)
        return nil
    }
    guard let config else {
        recordLastError(.invalidArgument("the configuration is NULL"))
        return nil
    }
    let text = UnsafeRawBufferPointer(start: config, count: strlen(config))
    let configuration: WriterConfiguration
    do throws(ParquetError) {
        configuration = try WriterConfiguration(jsonText: text)
    } catch {
        recordLastError(ABIError(error))
        return nil
    }
    let sinks = CallbackSinkFactory(
        callbacks: callbacks, directory: configuration.dataset == nil ? nil : configuration.path)
    switch createWriter(configuration, sinks: sinks) {
    case .success(let pointer):
        return pointer
    case .failure(let error):
        recordLastError(error)
        return nil
    }
}
