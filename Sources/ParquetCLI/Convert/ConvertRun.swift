#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetJSON

/// One conversion's read loop: chunks of input cut into batches at record boundaries (the
/// last newline of NDJSON, whole elements of a JSON array), each written as it is complete,
/// with errors placed in the input (line and byte offset), not in the batch.
struct ConvertRun {
    let descriptor: Int32
    /// The input as messages name it.
    let inputName: String
    var format: ConvertCommand.InputFormat
    let batchBytes: Int
    var progress: ConvertProgress

    /// Input bytes read so far.
    private(set) var bytesRead = 0
    /// Files finished while writing (a dataset's rolled files).
    private(set) var files: [WriteSummary] = []

    /// Input not yet written: the start of an unfinished record, then what was just read.
    private var pending: [UInt8] = []
    /// The input offset of `pending[0]`.
    private var pendingOffset = 0
    /// Newlines in the input before `pending[0]` (NDJSON line numbers).
    private var linesBefore = 0
    /// Array input: the frame scanner and the complete elements not yet written.
    private var splitter = JSONArraySplitter()
    private var elements: [Range<Int>] = []
    private var elementBytes = 0
    private var scanned = 0
    private var recordsBefore = 0
    /// Rejections printed one by one so far (then only counted).
    private var rejectionsShown = 0

    static let rejectionsToShow = 10

    init(descriptor: Int32, inputName: String, format: ConvertCommand.InputFormat, batchBytes: Int, progress: ConvertProgress) {
        self.descriptor = descriptor
        self.inputName = inputName
        self.format = format
        self.batchBytes = batchBytes
        self.progress = progress
    }

    enum Outcome: Equatable {
        case finished
        /// The message, and the exit status.
        case failed(String, Int32)
    }

    /// Reads the whole input into `records`.
    /// - Parameters:
    ///   - records: The output.
    ///   - quiet: Whether rejected records go unreported.
    /// - Returns: `.finished`, or why and with which status the conversion stopped.
    mutating func convert(into records: ConfiguredJSONWriter, quiet: Bool) -> Outcome {
        var chunk = [UInt8](repeating: 0, count: batchBytes)
        while true {
            if let signal = ConvertSignals.received { return interrupted(signal) }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed("cannot read \(inputName): \(CLIFiles.errorText())", 1)
            }
            if let signal = ConvertSignals.received { return interrupted(signal) }
            if count == 0 { break }
            bytesRead += count
            pending.append(contentsOf: chunk[..<count])
            if format == .auto, let first = pending.first(where: { !Self.isSpace($0) }) {
                format = first == UInt8(ascii: "[") ? .array : .ndjson
            }
            if let failure = writeComplete(into: records, quiet: quiet, atEnd: false) { return failure }
            progress.update(bytes: bytesRead, rows: records.rowsWritten)
        }
        if format == .auto { format = .ndjson }
        return writeComplete(into: records, quiet: quiet, atEnd: true) ?? .finished
    }

    private func interrupted(_ signal: Int32) -> Outcome {
        .failed("interrupted by \(signal == SIGINT ? "SIGINT" : "SIGTERM"); the output was discarded", 128 + signal)
    }

    /// Writes the complete records in `pending` (at the end: all of them).
    private mutating func writeComplete(into records: ConfiguredJSONWriter, quiet: Bool, atEnd: Bool) -> Outcome? {
        switch format {
        case .auto:
            return nil
        case .ndjson:
            let end = atEnd ? pending.count : (pending.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0)
            if end == 0 {
                guard pending.count <= ConvertCommand.maximumRecordBytes else {
                    return .failed("\(inputName):\(linesBefore + 1): a line is longer than 1 GiB", 1)
                }
                return nil
            }
            // A copy of the batch: the writer is called while `self` (and `pending`) may change.
            let batch = Array(pending[..<end])
            let (name, lines, offset) = (inputName, linesBefore, pendingOffset)
            let failure = batch.withUnsafeBytes { bytes -> Outcome? in
                write(bytes, into: records, quiet: quiet) { error in
                    Self.locateLine(error, in: bytes, name: name, linesBefore: lines, batchOffset: offset)
                }
            }
            if let failure { return failure }
            linesBefore += pending[..<end].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            pendingOffset += end
            pending.removeFirst(end)
            return nil
        case .array:
            do throws(JSONArraySplitter.FrameError) {
                // withUnsafeBytes rethrows untyped errors: the frame error travels in a Result.
                var splitter = self.splitter
                var elements = self.elements
                let from = scanned
                try pending.withUnsafeBytes { all in
                    Result { () throws(JSONArraySplitter.FrameError) in try splitter.scan(all, from: from, into: &elements) }
                }.get()
                self.splitter = splitter
                self.elements = elements
                if atEnd { try splitter.finish(at: pending.count) }
            } catch {
                return .failed("\(inputName): byte \(pendingOffset + error.position): \(error.message)", 1)
            }
            scanned = pending.count
            elementBytes = elements.reduce(0) { $0 + $1.count }
            guard atEnd || elementBytes >= batchBytes else {
                guard (splitter.elementStart.map { pending.count - $0 } ?? 0) <= ConvertCommand.maximumRecordBytes else {
                    return .failed("\(inputName): an array element is longer than 1 GiB", 1)
                }
                return nil
            }
            if let failure = writeElements(into: records, quiet: quiet) { return failure }
            let drop = splitter.elementStart ?? pending.count
            pending.removeFirst(drop)
            pendingOffset += drop
            scanned -= drop
            splitter.shift(by: drop)
            return nil
        }
    }

    /// Writes the complete array elements as one `[e1,e2,...]` batch.
    private mutating func writeElements(into records: ConfiguredJSONWriter, quiet: Bool) -> Outcome? {
        guard !elements.isEmpty else { return nil }
        var framed: [UInt8] = [UInt8(ascii: "[")]
        framed.reserveCapacity(elementBytes + elements.count + 2)
        var starts: [Int] = []
        for (index, range) in elements.enumerated() {
            if index > 0 { framed.append(UInt8(ascii: ",")) }
            starts.append(framed.count)
            framed.append(contentsOf: pending[range])
        }
        framed.append(UInt8(ascii: "]"))
        let inputStarts = elements.map { pendingOffset + $0.lowerBound }
        let base = recordsBefore
        let name = inputName
        let failure = framed.withUnsafeBytes { batch in
            write(batch, into: records, quiet: quiet) { error in
                var place = "record \(base + (error.row ?? 0) + 1)"
                if let offset = error.offset, let element = starts.lastIndex(where: { $0 <= offset }) {
                    place = "record \(base + element + 1), byte \(inputStarts[element] + offset - starts[element])"
                }
                return "\(name): \(place)"
            }
        }
        recordsBefore += elements.count
        elements.removeAll(keepingCapacity: true)
        elementBytes = 0
        return failure
    }

    /// `input:line N (byte B)` for an error in an NDJSON batch that starts at `pending[0]`.
    static func locateLine(
        _ error: ParquetError, in batch: UnsafeRawBufferPointer, name: String, linesBefore: Int, batchOffset: Int
    ) -> String {
        guard let offset = error.offset, offset <= batch.count else {
            return "\(name): line \(linesBefore + 1)+"
        }
        let lines = batch[..<offset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        return "\(name):\(linesBefore + lines + 1) (byte \(batchOffset + offset))"
    }

    /// Writes one batch; reports its rejected records; returns the failure that stops the run.
    private mutating func write(
        _ batch: UnsafeRawBufferPointer, into records: ConfiguredJSONWriter, quiet: Bool,
        locate: (ParquetError) -> String
    ) -> Outcome? {
        do {
            let result = try records.write(batch)
            files += result.files
            for rejection in result.rejected where !quiet {
                rejectionsShown += 1
                if rejectionsShown <= Self.rejectionsToShow {
                    progress.end()
                    ConvertProgress.write("skipped: \(locate(rejection)): \(Self.describe(rejection))\n")
                } else if rejectionsShown == Self.rejectionsToShow + 1 {
                    ConvertProgress.write("skipped: more records; the summary counts them\n")
                }
            }
            return nil
        } catch {
            return .failed("\(locate(error)): \(Self.describe(error))", 1)
        }
    }

    /// The error without its batch-relative row and offset (the caller gives input positions).
    static func describe(_ error: ParquetError) -> String {
        "\(error.code.rawValue): \(error.message)" + (error.column.map { " (column '\($0)')" } ?? "")
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
