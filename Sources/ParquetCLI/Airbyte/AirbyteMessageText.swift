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

    /// A CONNECTION_STATUS message, what `check` prints.
    /// - Parameters:
    ///   - succeeded: Whether the destination can write with the configuration.
    ///   - message: What was checked, or why it failed.
    /// - Returns: `{"type":"CONNECTION_STATUS","connectionStatus":{"status":...,"message":...}}`.
    static func connectionStatus(succeeded: Bool, _ message: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("type")
        json.string("CONNECTION_STATUS")
        json.key("connectionStatus")
        json.beginObject()
        json.key("status")
        json.string(succeeded ? "SUCCEEDED" : "FAILED")
        json.key("message")
        json.string(message)
        json.endObject()
        json.endObject()
        return json.text
    }

    /// Writes a parsed JSON value back as compact JSON text.
    /// - Parameters:
    ///   - value: The value.
    ///   - json: Where it goes.
    static func render(_ value: JSONValue, into json: inout JSONWriter) {
        switch value {
        case .null: json.null()
        case .bool(let flag): json.bool(flag)
        case .number(let text): json.raw(text)
        case .string(let text): json.string(text)
        case .array(let values):
            json.beginArray()
            for element in values { render(element, into: &json) }
            json.endArray()
        case .object(let members):
            json.beginObject()
            for (key, member) in members {
                json.key(key)
                render(member, into: &json)
            }
            json.endObject()
        }
    }
}
