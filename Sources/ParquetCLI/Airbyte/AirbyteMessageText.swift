#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ParquetJSON

/// The destination's own Airbyte messages, as JSON lines.
enum AirbyteMessageText {
    /// A LOG message.
    /// - Parameters:
    ///   - level: `INFO`, `WARN` or `ERROR`.
    ///   - message: The text.
    /// - Returns: `{"type":"LOG","log":{"level":...,"message":...}}`.
    static func log(level: String, _ message: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("type")
        json.string("LOG")
        json.key("log")
        json.beginObject()
        json.key("level")
        json.string(level)
        json.key("message")
        json.string(message)
        json.endObject()
        json.endObject()
        return json.text
    }

    /// A TRACE message of type ERROR, which the platform shows as the sync's failure reason.
    /// - Parameters:
    ///   - message: The text for people.
    ///   - failureType: `system_error` or `config_error`.
    /// - Returns: `{"type":"TRACE","trace":{"type":"ERROR","emitted_at":...,"error":{...}}}`.
    static func traceError(_ message: String, failureType: String) -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var json = JSONWriter()
        json.beginObject()
        json.key("type")
        json.string("TRACE")
        json.key("trace")
        json.beginObject()
        json.key("type")
        json.string("ERROR")
        json.key("emitted_at")
        json.int(Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
        json.key("error")
        json.beginObject()
        json.key("message")
        json.string(message)
        json.key("failure_type")
        json.string(failureType)
        json.endObject()
        json.endObject()
        json.endObject()
        return json.text
    }
}
