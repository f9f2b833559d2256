// Fuzz target 4: the footer reader behind `parquet-writer inspect` (ParquetFooter,
// InspectReport and both renderers) on arbitrary bytes given as a file.
//
// The reader only opens files, so each input is written to a file in the scratch directory.
// Checked: a report or a ParquetFooterError, never a trap; the error is one line naming the
// file and is the one the file's size and magic bytes call for (too short, bad leading or
// trailing magic, encrypted, footer length out of range); a report renders as text and as
// JSON that parses. Hangs and huge allocations are libFuzzer's -timeout and -malloc_limit_mb.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import FuzzSupport
import ParquetJSON
@testable import ParquetCLI

let scratch = ScratchDirectory(target: "footer")
let path = scratch.path + "/input.parquet"

func run(_ data: UnsafeRawBufferPointer) {
    Fuzz.beginInput()
    writeFile(path, data)
    let size = data.count
    let magic = Array("PAR1".utf8)
    let tail = size >= 4 ? Array(data[(size - 4)...]) : []
    let head = Array(data.prefix(4))
    let declared = size >= 8 ? Int(data[size - 8]) | Int(data[size - 7]) << 8 | Int(data[size - 6]) << 16 | Int(data[size - 5]) << 24 : 0

    let report: InspectReport
    do {
        report = try InspectCommand.report(path: path)
    } catch {
        let text = error.description
        Fuzz.check(!text.contains("\n"), "the error is not one line: \(text)")
        Fuzz.check(text.contains("'\(path)'"), "the error does not name the file: \(text)")
        Fuzz.check(error.path == path, "the error is about \(error.path), not \(path)")
        switch error {
        case .tooShort(_, let reported):
            Fuzz.check(size < 12 && reported == Int64(size), "tooShort(\(reported)) for a \(size)-byte file")
        case .encryptedFooter:
            Fuzz.check(size >= 12 && tail == Array("PARE".utf8), "encryptedFooter for a file ending \(tail)")
        case .badTrailingMagic(_, let found):
            Fuzz.check(size >= 12 && tail != magic && found == tail, "badTrailingMagic(\(found)) for a file ending \(tail)")
        case .badLeadingMagic(_, let found):
            Fuzz.check(size >= 12 && tail == magic && head != magic && found == head, "badLeadingMagic(\(found)) for a file starting \(head)")
        case .footerLengthOutOfRange(_, let length, let reported):
            Fuzz.check(size >= 12 && head == magic && tail == magic && Int(length) == declared && declared > size - 12 && reported == Int64(size),
                       "footerLengthOutOfRange(\(length), \(reported)) for a \(size)-byte file declaring \(declared)")
        case .undecodableFooter(_, let length, _):
            Fuzz.check(size >= 12 && head == magic && tail == magic && length == declared && declared <= size - 12,
                       "undecodableFooter(\(length)) for a \(size)-byte file declaring \(declared)")
        case .cannotOpen, .isDirectory, .notRegularFile, .readFailed:
            Fuzz.fail("an I/O error reading a regular file that exists: \(text)")
        }
        return
    }
    Fuzz.check(size >= 12 && head == magic && tail == magic && declared <= size - 12,
               "a report for a \(size)-byte file starting \(head), ending \(tail), declaring a \(declared)-byte footer")
    Fuzz.check(report.footerLength == declared && report.fileSize == Int64(size),
               "the report says footer \(report.footerLength) / size \(report.fileSize); the file says \(declared) / \(size)")
    Fuzz.check(report.warnings.count <= InspectReport.maximumWarnings + 1, "\(report.warnings.count) warnings, more than the cap")
    let text = InspectTextRenderer.render(report)
    Fuzz.check(text.hasSuffix("\n"), "the text report does not end with a newline")
    let json = InspectJSONRenderer.render(report)
    do {
        let value = try JSONValue.parse(json)
        Fuzz.check(integer(value["footer_bytes"]) == declared, "inspect --json footer_bytes is \(value["footer_bytes"].map { "\($0)" } ?? "missing"), the file declares \(declared)")
        Fuzz.check(integer(value["size_bytes"]) == size, "inspect --json size_bytes is wrong")
    } catch {
        Fuzz.fail("inspect --json is not valid JSON (\(error)): \(Fuzz.preview(json, limit: 400))")
    }
}

/// One libFuzzer input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
