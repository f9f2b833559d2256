#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ParquetJSON
import Testing

@testable import ParquetCABI

/// The C entry points from many threads at once (`make test-tsan` runs these under
/// ThreadSanitizer): many writers on many threads, last_error() per thread, a writer handed
/// between threads, close racing a write, and stale handles. Every file closed is read back
/// and compared byte for byte with the file one thread writes from the same accepted batches
/// (the single-threaded path the other suites check against real readers), and its summary's
/// row count, id bounds and null count are checked against the batches.
@Suite struct ConcurrencyTests {
    // MARK: Data

    /// Rows in batch `batch` of writer `writer`: a few dozen, and every sixteenth batch a few
    /// thousand (long enough to be still encoding in the background when the next call comes).
    static func rows(_ writer: Int, _ batch: Int) -> Int {
        batch % 16 == 15 ? 3_000 + writer % 45 : 20 + (writer * 7 + batch * 13) % 45
    }

    /// One record; ids are unique across writers and batches, every fifth `s` is null.
    static func record(_ writer: Int, _ batch: Int, _ row: Int) -> String {
        let id = writer * 10_000_000 + batch * 10_000 + row
        if row % 5 == 3 { return #"{"id": \#(id), "s": null}"# }
        return #"{"id": \#(id), "s": "w\#(writer) b\#(batch) r\#(row % 7)"}"#
    }

    /// A batch whose records are all valid (NDJSON).
    static func goodBatch(_ writer: Int, _ batch: Int) -> String {
        (0..<rows(writer, batch)).map { record(writer, batch, $0) }.joined(separator: "\n")
    }

    /// A batch (JSON array) with one invalid record, at `row`: under on_invalid "fail" it is
    /// rejected whole with type_mismatch naming that row.
    static func badBatch(_ writer: Int, _ batch: Int, row: Int) -> String {
        var records = (0..<row + 3).map { record(writer, batch, $0) }
        records.insert(#"{"id": "bad", "s": "x"}"#, at: row)
        return "[" + records.joined(separator: ", ") + "]"
    }

    /// Input that is not JSON, first wrong at byte `offset`.
    static func malformed(at offset: Int) -> String {
        String(repeating: " ", count: offset) + "x"
    }

    /// A file writer's configuration: id int64 (required), s string, 50-row row groups.
    static func config(_ path: String, threads: Int = 1, compression: String = "snappy") -> String {
        #"{"path": "\#(path)", "schema": {"fields": [{"name": "id", "type": "int64", "nullable": false}, "#
            + #"{"name": "s", "type": "string"}]}, "compression": "\#(compression)", "row_group_rows": 50, "#
            + #""threads": \#(threads)}"#
    }

    static func compression(_ writer: Int) -> String {
        ["snappy", "zstd", "none", "gzip"][writer % 4]
    }

    /// Busy-waits (so the thread stays on its core) for about `microseconds`.
    static func spin(microseconds: Int) {
        var start = timespec(), now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        repeat {
            clock_gettime(CLOCK_MONOTONIC, &now)
        } while (now.tv_sec - start.tv_sec) * 1_000_000 + (now.tv_nsec - start.tv_nsec) / 1_000 < microseconds
    }

    // MARK: Checks

    /// What is wrong with a close summary of writer `writer` after good batches `batches`.
    static func summaryProblems(_ summary: JSONValue?, writer: Int, batches: [Int]) -> [String] {
        let rows = batches.map { Self.rows(writer, $0) }.reduce(0, +)
        let nulls = batches.map { batch in (0..<Self.rows(writer, batch)).filter { $0 % 5 == 3 }.count }.reduce(0, +)
        guard summary?["ok"] == .bool(true), case .array(let files)? = summary?["files"], files.count == 1 else {
            return ["writer \(writer): close failed: \(describe(summary))"]
        }
        let file = files[0]
        var problems: [String] = []
        if integer(summary?["rows_written"]) != rows || integer(file["rows"]) != rows {
            problems.append("writer \(writer): \(rows) rows expected: \(describe(file))")
        }
        if let first = batches.min(), let last = batches.max() {
            let id = file["columns"]?["id"]
            let min = writer * 10_000_000 + first * 10_000
            let max = writer * 10_000_000 + last * 10_000 + Self.rows(writer, last) - 1
            if integer(id?["min"]) != min || integer(id?["max"]) != max {
                problems.append("writer \(writer): id bounds \(min)...\(max) expected: \(describe(id))")
            }
        }
        if integer(file["columns"]?["s"]?["null_count"]) != nulls {
            problems.append("writer \(writer): \(nulls) nulls expected: \(describe(file))")
        }
        return problems
    }

    /// The file one thread writes from writer `writer`'s good batches `batches`, read back
    /// (written at `path`, then removed).
    static func referenceFile(_ path: String, writer: Int, batches: [Int], compression: String) -> [UInt8]? {
        guard let token = abiCreate(config(path, compression: compression)) else { return nil }
        for batch in batches where abiWrite(token, goodBatch(writer, batch))?["ok"] != .bool(true) {
            abort_writer(abiPointer(token))
            return nil
        }
        guard abiClose(token)?["ok"] == .bool(true) else { return nil }
        defer { unlink(path) }
        return fileContents(path)
    }

    /// Writes batch `batch` of `writer` (and, depending on the two, rejected batches and a
    /// NULL argument around it) and says what came back wrong.
    static func writeRound(_ writer: Int, _ token: UInt, _ batch: Int) -> [String] {
        var problems: [String] = []
        let mix = writer + batch
        if mix % 4 == 1 {
            let row = mix % 10
            let result = abiWrite(token, badBatch(writer, batch, row: row))
            if errorCode(result) != "type_mismatch" || integer(result?["error"]?["row"]) != row
                || lastErrorCode() != "type_mismatch" {
                problems.append("writer \(writer) batch \(batch): type_mismatch at row \(row) expected: \(describe(result))")
            }
        }
        if mix % 5 == 2 {
            let result = abiWrite(token, malformed(at: mix))
            if errorCode(result) != "malformed_json" || integer(result?["error"]?["offset"]) != mix {
                problems.append("writer \(writer) batch \(batch): malformed_json expected: \(describe(result))")
            }
        }
        if mix % 7 == 3 {
            let result = abiTake(write_batch(abiPointer(token), nil))
            if errorCode(result) != "invalid_argument" { problems.append("NULL records: \(describe(result))") }
        }
        let result = abiWrite(token, goodBatch(writer, batch))
        if result?["ok"] != .bool(true) || integer(result?["rows_written"]) != rows(writer, batch)
            || abiLastErrorText() != "null" {
            problems.append("writer \(writer) batch \(batch): \(describe(result)) / \(abiLastErrorText())")
        }
        return problems
    }

    // MARK: Tests

    /// 8 threads, 24 writers each, three open at a time per thread: create, good and rejected
    /// batches, NULL arguments, abort or close, then the dead handle, all interleaved.
    @Test func manyWritersOnManyThreads() throws {
        let directory = makeScratchDirectory("many")
        defer { removeDirectory(directory) }
        let threads = 8, writersPerThread = 24, openAtOnce = 3, rounds = 4
        let failures = ThreadGroup.failures(threads) { thread in
            var failures: [String] = []
            for first in stride(from: 0, to: writersPerThread, by: openAtOnce) {
                var open: [(writer: Int, token: UInt)] = []
                for writer in (first..<first + openAtOnce).map({ thread * 100 + $0 }) {
                    let config = Self.config(
                        directory + "/\(writer).parquet", threads: writer % 3 == 2 ? 2 : 1,
                        compression: Self.compression(writer))
                    guard let token = abiCreate(config) else {
                        failures.append("create \(writer): \(abiLastErrorText())")
                        continue
                    }
                    open.append((writer, token))
                }
                for batch in 0..<rounds {
                    for (writer, token) in open { failures += Self.writeRound(writer, token, batch) }
                }
                for (writer, token) in open {
                    if writer % 5 == 4 {
                        abort_writer(abiPointer(token))
                        if abiLastErrorText() != "null" { failures.append("abort \(writer): \(abiLastErrorText())") }
                    } else {
                        failures += Self.summaryProblems(abiClose(token), writer: writer, batches: Array(0..<rounds))
                    }
                    // Dead now, whatever the other threads have created since.
                    let write = abiWrite(token, Self.goodBatch(writer, 9))
                    let close = abiClose(token)
                    if errorCode(write) != "invalid_handle" || errorCode(close) != "invalid_handle" {
                        failures.append("dead \(writer): \(describe(write)) \(describe(close))")
                    }
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) failures, the first: \(failures.prefix(3))")

        var closed: [Int] = []
        for thread in 0..<threads {
            for index in 0..<writersPerThread where (thread * 100 + index) % 5 != 4 { closed.append(thread * 100 + index) }
        }
        #expect(directoryEntries(directory) == closed.map { "\($0).parquet" }.sorted(), "aborted writers leave nothing")
        for writer in closed {
            let reference = Self.referenceFile(
                directory + "/reference.parquet", writer: writer, batches: Array(0..<rounds),
                compression: Self.compression(writer))
            #expect(reference != nil)
            let same = fileContents(directory + "/\(writer).parquet") == reference
            #expect(same, "writer \(writer): not the file one thread writes from its batches")
        }
    }

    /// Each thread's last_error() is the error of its own last call, while seven other
    /// threads fail differently (errors naming their own key, row or offset) or succeed.
    @Test func lastErrorStaysWithItsThread() throws {
        let directory = makeScratchDirectory("errors")
        defer { removeDirectory(directory) }
        let failures = ThreadGroup.failures(8) { thread in
            guard let token = abiCreate(Self.config(directory + "/\(thread).parquet")) else {
                return ["create: \(abiLastErrorText())"]
            }
            defer { abort_writer(abiPointer(token)) }
            var failures: [String] = []
            for step in 0..<160 {
                // Own values: no other thread's error can match them.
                let row = thread * 16 + step % 16, offset = thread * 100 + step % 50, key = "unknown_\(thread)_\(step)"
                let expected: (code: String, member: String, value: JSONValue)?
                switch (thread + step) % 4 {
                case 0:
                    let config = #"{"path": "x.parquet", "schema": {"fields": [{"name": "a", "type": "int64"}]}, "\#(key)": 1}"#
                    if abiCreate(config) != nil { failures.append("create with \(key) succeeded") }
                    expected = nil
                case 1:
                    _ = abiWrite(token, Self.badBatch(thread, step, row: row))
                    expected = ("type_mismatch", "row", .number("\(row)"))
                case 2:
                    _ = abiWrite(token, Self.malformed(at: offset))
                    expected = ("malformed_json", "offset", .number("\(offset)"))
                default:
                    _ = abiWrite(token, Self.goodBatch(thread, step))
                    expected = ("", "", .null)
                }
                // Let the other threads make calls between this one and the check.
                if step % 3 == 0 { sched_yield() }
                let text = abiLastErrorText()
                switch expected {
                case nil:
                    if !(text.contains("\"invalid_options\"") && text.contains(key)) {
                        failures.append("step \(step): invalid_options naming \(key) expected: \(text)")
                    }
                case ("", _, _)?:
                    if text != "null" { failures.append("step \(step): null expected: \(text)") }
                case let (code, member, value)?:
                    let error = try? JSONValue.parse(text)
                    if error?["code"] != .string(code) || error?[member] != value {
                        failures.append("step \(step): \(code) with \(member) \(value) expected: \(text)")
                    }
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) failures, the first: \(failures.prefix(3))")
    }

    /// One writer handed from thread to thread (each write on the next thread, in order,
    /// with rejected batches among them; the last thread closes it) writes the exact file.
    @Test(arguments: [1, 2])
    func aWriterHandedBetweenThreadsWritesTheExactFile(threads: Int) throws {
        let directory = makeScratchDirectory("handover")
        defer { removeDirectory(directory) }
        let path = directory + "/handed.parquet"
        let writer = 7, batches = 48, threadCount = 4
        let token = try #require(abiCreate(Self.config(path, threads: threads, compression: "zstd")))
        let baton = Baton()
        let failures = ThreadGroup.failures(threadCount) { thread in
            var failures: [String] = []
            for batch in stride(from: thread, to: batches, by: threadCount) {
                baton.wait(for: batch)
                failures += Self.writeRound(writer, token, batch)
                baton.pass(after: batch)
            }
            if batches % threadCount == thread {
                baton.wait(for: batches)
                failures += Self.summaryProblems(abiClose(token), writer: writer, batches: Array(0..<batches))
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) failures, the first: \(failures.prefix(3))")
        let reference = Self.referenceFile(
            directory + "/reference.parquet", writer: writer, batches: Array(0..<batches), compression: "zstd")
        #expect(reference != nil)
        let same = fileContents(path) == reference
        #expect(same, "not the file one thread writes from the same batches")
        #expect(directoryEntries(directory) == ["handed.parquet"])
    }

    /// close_writer (or abort_writer, or a second close) racing write_batch calls on the same
    /// writer, made one after another until one is refused: each write either succeeded and
    /// is in the file, or was refused (writer_closed / invalid_handle) and so was every later
    /// one; the close always succeeds, and its file holds exactly the writes that succeeded.
    @Test func closeRacingWritesLeavesAConsistentFile() throws {
        let directory = makeScratchDirectory("race")
        defer { removeDirectory(directory) }
        let writer = 5, base = [0, 1], extra = 2, rounds = 48
        let extraBatch = Self.goodBatch(writer, extra)
        // The file of the base batches and `n` copies of the extra one, as one thread writes it.
        var references: [Int: [UInt8]] = [:]
        func reference(_ n: Int) -> [UInt8]? {
            if let known = references[n] { return known }
            references[n] = Self.referenceFile(
                directory + "/reference.parquet", writer: writer, batches: base + Array(repeating: extra, count: n),
                compression: "snappy")
            return references[n]
        }
        var outcomes: [String: Int] = [:]
        for round in 0..<rounds {
            let path = directory + "/race-\(round).parquet"
            let token = try #require(abiCreate(Self.config(path, threads: round % 2 + 1)))
            for batch in base { #expect(abiWrite(token, Self.goodBatch(writer, batch))?["ok"] == .bool(true)) }
            let ending = ["close", "close", "abort", "close twice"][round % 4]
            // "close twice": two threads close at once; exactly one gets the writer.
            let reports = ThreadGroup.run(ending == "close twice" ? 3 : 2) { thread in
                if thread == 0 {
                    // Writes until refused (the close comes after at most a few hundred).
                    var written = 0
                    while written < 10_000 {
                        let result = abiWrite(token, extraBatch)
                        guard result?["ok"] == .bool(true) else {
                            return ["\(written)", errorCode(result) ?? "unexpected \(describe(result))"]
                        }
                        if integer(result?["rows_written"]) != Self.rows(writer, extra) {
                            return ["\(written)", "unexpected \(describe(result))"]
                        }
                        written += 1
                    }
                    return ["\(written)", "never refused"]
                }
                // The writes' head start grows with the round, so the close comes after none,
                // one or several of them, and sometimes between a write's look-up and its lock.
                Self.spin(microseconds: [0, 30, 100, 300][round / 4 % 4])
                switch ending {
                case "abort":
                    abort_writer(abiPointer(token))
                    return [lastErrorCode() ?? "aborted"]
                default:
                    let result = abiClose(token)
                    guard result?["ok"] == .bool(true) else { return [errorCode(result) ?? describe(result)] }
                    return ["closed \(integer(result?["rows_written"]) ?? -1)"]
                }
            }
            let written = Int(reports[0][0]) ?? -1, refusal = reports[0][1]
            outcomes["\(ending): \(min(written, 3)) \(refusal)", default: 0] += 1
            #expect(["writer_closed", "invalid_handle"].contains(refusal), "round \(round): \(reports)")
            let rows = base.map { Self.rows(writer, $0) }.reduce(0, +) + written * Self.rows(writer, extra)
            switch ending {
            case "abort":
                #expect(reports[1] == ["aborted"], "round \(round): \(reports)")
                #expect(fileContents(path) == nil, "round \(round): an aborted writer leaves nothing")
            case "close twice":
                #expect(Set(reports[1...]) == [["closed \(rows)"], ["invalid_handle"]], "round \(round): \(reports)")
                let same = fileContents(path) == reference(written)
                #expect(same, "round \(round): \(written) writes succeeded, the file does not hold exactly them")
            default:
                #expect(reports[1] == ["closed \(rows)"], "round \(round): \(reports)")
                let same = fileContents(path) == reference(written)
                #expect(same, "round \(round): \(written) writes succeeded, the file does not hold exactly them")
            }
            // The handle is dead for good.
            #expect(errorCode(abiWrite(token, extraBatch)) == "invalid_handle")
        }
        #expect(outcomes.values.reduce(0, +) == rounds, "\(outcomes)")
    }

    /// After hundreds of create/close/abort cycles (each new writer most likely in the slot
    /// the last one left), no stale token reaches a writer: every call on one is an
    /// invalid_handle error, tokens never repeat, and the live writers are untouched.
    @Test func staleTokensStayInvalidAfterManyCycles() throws {
        let directory = makeScratchDirectory("stale")
        defer { removeDirectory(directory) }
        let keeper = try #require(abiCreate(Self.config(directory + "/keeper.parquet")))
        var stale: [UInt] = []
        var seen: Set<UInt> = [keeper]
        var sharedSlot = 0
        for cycle in 0..<300 {
            let token = try #require(abiCreate(Self.config(directory + "/cycle.parquet", threads: cycle % 2 + 1)))
            #expect(seen.insert(token).inserted, "cycle \(cycle): token reused")
            #expect(token >> 48 == 0xA5C3, "cycle \(cycle): the tag")
            // While the new writer lives, the last tokens (most likely of its very slot) are dead.
            for old in stale.suffix(3) {
                #expect(errorCode(abiWrite(old, Self.goodBatch(3, cycle))) == "invalid_handle", "cycle \(cycle)")
                if HandleToken(abiPointer(old)!)?.slot == HandleToken(abiPointer(token)!)?.slot { sharedSlot += 1 }
            }
            #expect(abiWrite(token, Self.goodBatch(3, cycle))?["ok"] == .bool(true))
            #expect(abiWrite(keeper, Self.goodBatch(4, cycle))?["ok"] == .bool(true))
            if cycle % 3 == 0 {
                #expect(Self.summaryProblems(abiClose(token), writer: 3, batches: [cycle]) == [])
            } else {
                abort_writer(abiPointer(token))
            }
            stale.append(token)
        }
        #expect(sharedSlot > 0, "no new writer took a released slot: the test checks nothing")
        let fresh = try #require(abiCreate(Self.config(directory + "/fresh.parquet")))
        for old in stale {
            #expect(errorCode(abiWrite(old, Self.goodBatch(3, 0))) == "invalid_handle")
            #expect(errorCode(abiCommit(old)) == "invalid_handle")
            #expect(errorCode(abiClose(old)) == "invalid_handle")
            abort_writer(abiPointer(old))
            #expect(lastErrorCode() == "invalid_handle")
        }
        // Values that were never tokens: an address, an unused slot, generation 0.
        var local = 0
        let notTokens: [UInt] = [
            withUnsafeMutablePointer(to: &local) { UInt(bitPattern: $0) }, 0xA5C3 << 48 | 1 << 20 | 0xFFFFF,
            0xA5C3 << 48 | 5, 0xA5C4 << 48 | 1 << 20,
        ]
        for value in notTokens {
            #expect(errorCode(abiWrite(value, Self.goodBatch(3, 0))) == "invalid_handle", "\(value)")
        }
        // The live writers were never touched by a stale call.
        #expect(abiWrite(fresh, Self.goodBatch(4, 300))?["ok"] == .bool(true))
        #expect(Self.summaryProblems(abiClose(fresh), writer: 4, batches: [300]) == [])
        #expect(Self.summaryProblems(abiClose(keeper), writer: 4, batches: Array(0..<300)) == [])
        let keeperIntact = fileContents(directory + "/keeper.parquet") == Self.referenceFile(
            directory + "/reference.parquet", writer: 4, batches: Array(0..<300), compression: "snappy")
        let freshIntact = fileContents(directory + "/fresh.parquet") == Self.referenceFile(
            directory + "/reference.parquet", writer: 4, batches: [300], compression: "snappy")
        #expect(keeperIntact && freshIntact, "a live writer's file is not the one its batches make")
    }
}
