#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibFuzzer

/// The main of every fuzz target (its main.swift calls this and nothing else).
///
/// With `PARQUET_FUZZ_WRITE_SEEDS=<dir>` it writes the target's seed corpus into `<dir>` and
/// exits; otherwise it hands the command line to libFuzzer (`LLVMFuzzerRunDriver`), which
/// fuzzes the target's `LLVMFuzzerTestOneInput` (a `@_cdecl` function in its Target.swift) or
/// replays files, as its flags say.
///
/// Why not libFuzzer's own `main`: SwiftPM links an executable target with its entry point
/// renamed (`--defsym main=<target>_main`), so a target without top-level code does not link;
/// a main.swift calling the driver works whatever SwiftPM does with entry points. (libFuzzer's
/// `main` is still pulled from its archive, unused, which is why `LLVMFuzzerTestOneInput` must
/// be defined under that name; it is referenced only through the C declaration, because a
/// Swift reference to a `@_cdecl` function from another file emits a second definition.)
public func runLibFuzzer(writeSeeds: (String) -> Void) -> Never {
    if let directory = Fuzz.environment("PARQUET_FUZZ_WRITE_SEEDS") {
        writeSeeds(directory)
        exit(0)
    }
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput)
    exit(status)
}
