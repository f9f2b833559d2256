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
    /// `--on-malformed`: whether a malformed line (or array element) stops the run.
    let onMalformed: MalformedLinePolicy
    /// `--rejects`: where left-out input goes, if anywhere.
    let rejects: RejectsFile?

    /// Malformed lines or elements left out (under `--on-malformed skip`).
    private(set) var malformedSkipped = 0

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

    init(
        descriptor: Int32, inputName: String, format: ConvertCommand.InputFormat, batchBytes: Int,
        progress: ConvertProgress, onMalformed: MalformedLinePolicy = .fail, rejects: RejectsFile? = nil
    ) {
        self.descriptor = descriptor
        self.inputName = inputName
        self.format = format
        self.batchBytes = batchBytes
        self.progress = progress
        self.onMalformed = onMalformed
        self.rejects = rejects
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
            let (lines, offset) = (linesBefore, pendingOffset)
            let failure = batch.withUnsafeBytes { bytes -> Outcome? in
                writeLines(bytes, linesBefore: lines, offset: offset, into: records, quiet: quiet)
            }
            if let failure { return failure }
            linesBefore += batch.withUnsafeBytes { LineLocator.newlineCount(in: $0) }
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

    /// Writes the complete array elements as `[e1,e2,...]` batches: all of them as one, or,
    /// under `--on-malformed skip`, around the malformed ones.
    private mutating func writeElements(into records: ConfiguredJSONWriter, quiet: Bool) -> Outcome? {
        guard !elements.isEmpty else { return nil }
        var work: [(range: Range<Int>, single: Bool)] = [(0..<elements.count, false)]
        var failure: Outcome?
        while failure == nil, let (range, single) = work.popLast() {
            guard !range.isEmpty else { continue }
            let (framed, starts) = frame(range)
            let base = recordsBefore
            let (pending, elements, pendingOffset, rejects) = (self.pending, self.elements, self.pendingOffset, self.rejects)
            let inputStarts = range.map { pendingOffset + elements[$0].lowerBound }
            let name = inputName
            let element = { (error: ParquetError) -> Int in
                error.offset.flatMap { offset in starts.lastIndex(where: { $0 <= offset }) } ?? (error.row ?? 0)
            }
            let locate = { (error: ParquetError) -> String in
                var place = "record \(base + range.lowerBound + (error.row ?? 0) + 1)"
                if let offset = error.offset, let index = starts.lastIndex(where: { $0 <= offset }) {
                    place = "record \(base + range.lowerBound + index + 1), byte \(inputStarts[index] + offset - starts[index])"
                }
                return "\(name): \(place)"
            }
            let error = framed.withUnsafeBytes { batch in
                attempt(batch, into: records, quiet: quiet, locate: locate) { rejection throws(ParquetError) in
                    let index = range.lowerBound + element(rejection)
                    try rejects?.append(
                        place: ("record", base + index + 1), byte: pendingOffset + elements[index].lowerBound,
                        reason: rejection, text: Array(pending[elements[index]]))
                }
            }
            guard let error else { continue }
            guard error.code == .malformedJSON, onMalformed == .skip else {
                failure = .failed("\(locate(error)): \(Self.describe(error))", 1)
                break
            }
            let index = range.lowerBound + Swift.min(element(error), range.count - 1)
            if single {
                failure = skipMalformed(
                    place: ("record", base + index + 1), shown: locate(error), error: error,
                    message: error.message, byte: pendingOffset + elements[index].lowerBound, text: elements[index])
            } else {
                work.append(((index + 1)..<range.upperBound, false))
                work.append((index..<(index + 1), true))
                work.append((range.lowerBound..<index, false))
            }
        }
        recordsBefore += elements.count
        elements.removeAll(keepingCapacity: true)
        elementBytes = 0
        return failure
    }

    /// Elements `range` framed as a JSON array, and where each starts in it.
    private func frame(_ range: Range<Int>) -> (bytes: [UInt8], starts: [Int]) {
        var framed: [UInt8] = [UInt8(ascii: "[")]
        framed.reserveCapacity(range.reduce(0) { $0 + elements[$1].count } + range.count + 2)
        var starts: [Int] = []
        for index in range {
            if index > range.lowerBound { framed.append(UInt8(ascii: ",")) }
            starts.append(framed.count)
            framed.append(contentsOf: pending[elements[index]])
        }
        framed.append(UInt8(ascii: "]"))
        return (framed, starts)
    }

    /// NDJSON lines of one batch, written in order: the whole batch at once, or, under
    /// `--on-malformed skip`, around each malformed line. A batch that fails at line L is
    /// written as the lines before L (which may fail earlier in turn), line L alone (left out
    /// if it fails alone), and the lines after L.
    /// - Parameters:
    ///   - bytes: Whole lines; the first is input line `linesBefore + 1`, at input byte `offset`.
    private mutating func writeLines(
        _ bytes: UnsafeRawBufferPointer, linesBefore: Int, offset: Int, into records: ConfiguredJSONWriter, quiet: Bool
    ) -> Outcome? {
        let lines = LineLocator(bytes: bytes, linesBefore: linesBefore)
        var work: [(range: Range<Int>, single: Bool)] = [(0..<bytes.count, false)]
        let (name, rejects) = (inputName, self.rejects)
        while let (range, single) = work.popLast() {
            guard !range.isEmpty else { continue }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
            let locate = { (error: ParquetError) -> String in
                Self.locateLine(error, in: slice, name: name, linesBefore: lines.number(at: range.lowerBound) - 1,
                                batchOffset: offset + range.lowerBound)
            }
            let error = attempt(slice, into: records, quiet: quiet, locate: locate) { rejection throws(ParquetError) in
                guard let rejects else { return }
                let line = lines.line(containing: range.lowerBound + Swift.min(rejection.offset ?? 0, range.count))
                try rejects.append(
                    place: ("line", lines.number(at: line.lowerBound)), byte: offset + line.lowerBound, reason: rejection,
                    text: Array(bytes[lines.content(of: line)]))
            }
            guard let error else { continue }
            let position = range.lowerBound + Swift.min(error.offset ?? range.count, range.count)
            let explained = explain(error, at: position, in: range, lines: lines, bytes: bytes)
            guard error.code == .malformedJSON, onMalformed == .skip else {
                let place = explained.line.map { "\(name):\(lines.number(at: $0.lowerBound)) (byte \(offset + position))" }
                    ?? locate(error)
                var shown = error
                shown.message = explained.message
                return .failed("\(place): \(Self.describe(shown))", 1)
            }
            let found = explained.line ?? lines.line(containing: position)
            let line = Swift.max(found.lowerBound, range.lowerBound)..<Swift.min(found.upperBound, range.upperBound)
            if single || line == range {
                if let failure = skipMalformed(
                    place: ("line", lines.number(at: line.lowerBound)),
                    shown: "\(name):\(lines.number(at: line.lowerBound))", error: error, message: explained.message,
                    byte: offset + line.lowerBound, text: lines.content(of: line), in: bytes)
                { return failure }
            } else {
                work.append((line.upperBound..<range.upperBound, false))
                work.append((line, true))
                work.append((range.lowerBound..<line.lowerBound, false))
            }
        }
        return nil
    }

    /// A malformed error in words about the input: a line that ends inside a string, object or
    /// array (a truncated line) says so, and names that line.
    /// - Returns: The message, and the line at fault when it is not simply the line holding
    ///   the error's position.
    private func explain(
        _ error: ParquetError, at position: Int, in range: Range<Int>, lines: LineLocator, bytes: UnsafeRawBufferPointer
    ) -> (message: String, line: Range<Int>?) {
        guard error.code == .malformedJSON else { return (error.message, nil) }
        let inside = error.message.contains("string") ? "a string"
            : error.message.contains("object") || error.message.contains("'}'") ? "an object"
            : error.message.contains("array") || error.message.contains("']'") ? "an array" : nil
        // At the end of a line (its newline, or the end of the batch): that line is cut short.
        let atLineEnd = position >= range.upperBound || bytes[position] == 0x0A || bytes[position] == 0x0D
        if atLineEnd, let inside {
            let line = lines.line(containing: Swift.min(position, range.upperBound - 1), lastContentBefore: range.upperBound)
            return ("line \(ConvertProgress.grouped(lines.number(at: line.lowerBound))) ends inside \(inside)", line)
        }
        // At the first byte of a line, when the line before is not a whole JSON value on its
        // own: that line is the one cut short (the parser read on into this one).
        let line = lines.line(containing: position)
        if lines.content(of: line).lowerBound == position && line.lowerBound > range.lowerBound {
            let previous = lines.line(containing: line.lowerBound - 1)
            let whole = (try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: bytes[lines.content(of: previous)]))) != nil
            guard !whole else { return (error.message, nil) }
            return (
                "line \(ConvertProgress.grouped(lines.number(at: previous.lowerBound))) ends inside \(inside ?? "a record") "
                    + "(line \(ConvertProgress.grouped(lines.number(at: line.lowerBound))) starts before it is closed)",
                previous)
        }
        return (error.message, nil)
    }

    /// Leaves out a malformed line or element: counts it, reports it (the first few), writes it
    /// to the rejects file.
    private mutating func skipMalformed(
        place: (String, Int), shown: String, error: ParquetError, message: String, byte: Int, text: Range<Int>,
        in bytes: UnsafeRawBufferPointer? = nil
    ) -> Outcome? {
        malformedSkipped += 1
        report(shown: shown, "\(error.code.rawValue): \(message)")
        do throws(ParquetError) {
            if let bytes {
                try rejects?.append(
                    place: place, byte: byte, reason: error, message: message, text: Array(bytes[text]))
            } else {
                try rejects?.append(place: place, byte: byte, reason: error, message: message, text: Array(pending[text]))
            }
        } catch {
            return .failed(error.message, 1)
        }
        return nil
    }

    /// `input:line N (byte B)` for an error in an NDJSON batch that starts at `pending[0]`.
    static func locateLine(
        _ error: ParquetError, in batch: UnsafeRawBufferPointer, name: String, linesBefore: Int, batchOffset: Int
    ) -> String {
        guard let offset = error.offset, offset <= batch.count else {
            return "\(name): line \(linesBefore + 1)+"
        }
        let lines = LineLocator.newlineCount(in: UnsafeRawBufferPointer(rebasing: batch[..<offset]))
        return "\(name):\(linesBefore + lines + 1) (byte \(batchOffset + offset))"
    }

    /// Writes one batch; reports its rejected records (and hands them to `rejected`).
    /// - Returns: The error that refused the batch, if any (a rejects file that cannot be
    ///   written is one).
    private mutating func attempt(
        _ batch: UnsafeRawBufferPointer, into records: ConfiguredJSONWriter, quiet: Bool,
        locate: (ParquetError) -> String, rejected: (ParquetError) throws(ParquetError) -> Void
    ) -> ParquetError? {
        do throws(ParquetError) {
            let result = try records.write(batch)
            files += result.files
            for rejection in result.rejected {
                if !quiet { report(shown: locate(rejection), Self.describe(rejection)) }
                try rejected(rejection)
            }
            return nil
        } catch {
            return error
        }
    }

    /// One line on standard error for left-out input, the first ``rejectionsToShow`` of them.
    private mutating func report(shown place: String, _ what: String) {
        rejectionsShown += 1
        if rejectionsShown <= Self.rejectionsToShow {
            progress.end()
            ConvertProgress.write("skipped: \(place): \(what)\n")
        } else if rejectionsShown == Self.rejectionsToShow + 1 {
            ConvertProgress.write("skipped: more records; the summary counts them\n")
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
