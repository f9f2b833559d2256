// The seed corpus of fuzz-arrow (`make fuzz-seeds`). The input is a sequence of decisions, not
// a file format, so seeds are found rather than written: candidates from a fixed pseudo-random
// sequence, per setup, are run through the harness itself (every invariant checked) and the
// first few that wrote rows without a failure are kept, plus a few that each failure path took.
import FuzzSupport

/// What the last input did (set by run(_:)), for choosing seeds.
nonisolated(unsafe) var lastInputWritten = 0
nonisolated(unsafe) var lastInputFailures = 0

func writeArrowSeeds(into directory: String) {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next() -> UInt8 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state >> 32)
    }
    // Setups: 4 modes x fail/skip x write_arrow/stream, close; a few with abort, threads,
    // rolled dataset files, and malformed structures (kept whatever they did).
    var setups: [UInt8] = []
    for mode: UInt8 in 0..<4 { for flags: UInt8 in [0, 4, 8, 12] { setups.append(mode | flags) } }
    setups += [2 | 32, 2 | 32 | 8, 3 | 32, 0 | 16, 1 | 128, 3 | 128 | 4]
    var kept = 0
    for setup in setups {
        var found = 0
        for _ in 0..<400 where found < 2 {
            var bytes: [UInt8] = [setup, next() & 0x03]
            let count = 40 + Int(next() % 200)
            for _ in 0..<count { bytes.append(next()) }
            bytes.withUnsafeBytes { run($0) }
            guard lastInputWritten > 0 && lastInputFailures == 0 else { continue }
            found += 1
            writeSeed(directory, "setup\(setup)-\(found)", bytes)
            kept += 1
        }
    }
    for (index, setup) in ([64, 64 | 8, 64 | 1, 64 | 2 | 4] as [UInt8]).enumerated() {
        for variant in 0..<3 {
            var bytes: [UInt8] = [setup, 0x03]
            for _ in 0..<160 { bytes.append(next()) }
            writeSeed(directory, "malformed\(index)-\(variant)", bytes)
            kept += 1
        }
    }
    // A failing producer: get_schema (plan 6 << 2) and get_next #1 (plan 7 << 2 | 1 << 5).
    writeSeed(directory, "stream-get-schema-fails", [8, 6 << 2] + (0..<64).map { _ in next() })
    writeSeed(directory, "stream-get-next-fails", [8, 7 << 2 | 1 << 5 | 2] + (0..<64).map { _ in next() })
    print("wrote \(kept + 2) seeds into \(directory)")
}
