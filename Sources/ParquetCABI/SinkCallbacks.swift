import CParquetABISupport
import Parquet

/// A C caller's `struct parquet_writer_sink`, copied at `create_writer_with_sink`, and the one
/// place its function pointers are called. Every sink and factory of one writer shares this
/// object, so `release` runs exactly once, in `deinit`, after the last of them is gone: after
/// every other callback, as the header promises.
///
/// `@unchecked Sendable`: its only state is the immutable copy, and the header makes the
/// caller's callbacks safe to call from the thread of each library call, one at a time per
/// writer, which the writer's lock ensures.
final class SinkCallbacks: @unchecked Sendable {
    /// The copy; its callbacks are checked non-NULL by ``init(_:)`` (all but `release`).
    private let sink: cparquet_writer_sink

    /// Copies and checks the caller's struct.
    /// - Parameter sink: The caller's struct, read only during the call.
    /// - Throws: `ABIError` `invalid_argument` naming a missing callback; `release` has then
    ///   already been called (the caller handed `context` over with the call).
    init(_ sink: UnsafePointer<cparquet_writer_sink>) throws(ABIError) {
        let copy = sink.pointee
        let missing = [
            ("open", copy.open == nil), ("write", copy.write == nil),
            ("finish", copy.finish == nil), ("abort", copy.abort == nil),
        ].first(where: { $0.1 })?.0
        if let missing {
            copy.release?(copy.context)
            throw ABIError.invalidArgument("the sink's \(missing) callback is NULL")
        }
        self.sink = copy
    }

    deinit {
        sink.release?(sink.context)
    }

    /// Calls `open`.
    /// - Parameter path: The name handed to the callback.
    /// - Returns: The caller's handle for the output (may be nil).
    /// - Throws: `ParquetError` `.io` when the callback refuses.
    func open(_ path: String) throws(ParquetError) -> UnsafeMutableRawPointer? {
        var file: UnsafeMutableRawPointer?
        let status = path.withCString { name in sink.open!(sink.context, name, &file) }
        guard status == 0 else {
            throw ParquetError(.io, "the sink's open callback refused '\(path)' (it returned \(status))")
        }
        return file
    }

    /// Calls `write` (never with zero bytes).
    /// - Returns: The callback's status, 0 for success.
    func write(_ file: UnsafeMutableRawPointer?, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return sink.write!(sink.context, file, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Calls `finish`.
    /// - Returns: The callback's status, 0 for success.
    func finish(_ file: UnsafeMutableRawPointer?) -> Int32 {
        sink.finish!(sink.context, file)
    }

    /// Calls `abort`.
    func abort(_ file: UnsafeMutableRawPointer?) {
        sink.abort!(sink.context, file)
    }
}
