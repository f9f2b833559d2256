// swift-tools-version:6.1
import Foundation
import PackageDescription

/// The abbreviated commit of this checkout, for `created_by` ("0000000" outside git).
/// SwiftPM caches the manifest, so a dev build can show an older hash; clean builds are exact.
func buildHash() -> String {
    let git = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(".git")
    func read(_ path: String) -> String? {
        (try? String(contentsOf: git.appendingPathComponent(path), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let head = read("HEAD") else { return "0000000" }
    var hash = head
    if head.hasPrefix("ref: ") {
        let ref = String(head.dropFirst(5))
        if let direct = read(ref) {
            hash = direct
        } else if let packed = read("packed-refs"),
                  let line = packed.split(separator: "\n").first(where: { $0.hasSuffix(" " + ref) }) {
            hash = String(line.prefix(40))
        } else {
            return "0000000"
        }
    }
    let hex = hash.prefix(12)
    return hex.allSatisfy(\.isHexDigit) && hex.count == 12 ? String(hex).lowercased() : "0000000"
}

/// The project's one version number, from the VERSION file beside this manifest. The library,
/// the CLI and `created_by` take it from here; the C header's macros and the Python package
/// carry copies that `make set-version` writes and `make test` compares.
func projectVersion() -> String {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("VERSION")
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
        fatalError("VERSION is missing beside Package.swift")
    }
    let version = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let parts = version.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
        fatalError("VERSION must be MAJOR.MINOR.PATCH, not '\(version)'")
    }
    return version
}

// Module map (one responsibility each; data flows top to bottom):
//   ParquetBytes        growable little-endian byte buffer shared by every stage; Lock, the one lock type
//   ParquetThrift       Thrift compact protocol + the parquet.thrift structures
//   ParquetEncoding     PLAIN, RLE/bit-packed hybrid, dictionaries, DELTA_*, BYTE_STREAM_SPLIT;
//                       ParquetDecoding decodes DELTA_* and BYTE_STREAM_SPLIT for tests only
//   ParquetCompression  snappy / gzip / zstd / lz4_raw / brotli over the system libraries
//                       (CSnappy, CZlib, CZstd, CLz4, CBrotli); ParquetDecompression reads
//                       pages back for tests (CBrotliDecoder), outside the shipped library
//   Parquet             schema, column writers, statistics, row groups, file writer, Swift API
//   ParquetDataset      many files: rolling, hive partitions, atomic commits of each file
//   ParquetJSON         JSON batches straight into column builders; JSON values and writing
//   ParquetFoundation   Date, Decimal, UUID, Data, URL as column values; URL and FileHandle outputs
//                       (the one module that imports Foundation; not in libparquet_writer.so)
//   ParquetCABI         the C entry points of libparquet_writer.so (CParquetABISupport: C helpers)
//   ParquetCLI          the `parquet-writer` command (convert, inspect, airbyte)
let package = Package(
    name: "parquet-writer",
    products: [
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "ParquetJSON", targets: ["ParquetJSON"]),
        // Foundation conformances (Date, Decimal, UUID, Data, URL) and outputs (URL, FileHandle),
        // for Swift programs that use Foundation; the modules above stay Foundation-free.
        .library(name: "ParquetFoundation", targets: ["ParquetFoundation"]),
        // The shared library other languages load: the C ABI over everything above.
        .library(name: "parquet_writer", type: .dynamic, targets: ["ParquetCABI"]),
        // The command-line tool: convert, inspect, airbyte.
        .executable(name: "parquet-writer", targets: ["parquet-writer"]),
        // For the fuzz targets' own package (Tests/Fuzz), which links these modules statically.
        .library(name: "ParquetCABI", targets: ["ParquetCABI"]),
        .library(name: "ParquetCLI", targets: ["ParquetCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (make docs): DocC for the public modules.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C shims over the system compression libraries.
        .target(name: "CZstd", linkerSettings: [.linkedLibrary("zstd")]),
        .target(name: "CSnappy", linkerSettings: [.linkedLibrary("snappy")]),
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CLz4", linkerSettings: [.linkedLibrary("lz4")]),
        .target(name: "CBrotli", linkerSettings: [.linkedLibrary("brotlienc")]),
        // The brotli decoder, for ParquetDecompression only (the library never decodes).
        .target(name: "CBrotliDecoder", linkerSettings: [.linkedLibrary("brotlidec")]),

        .target(
            name: "CParquetBuildInfo",
            cSettings: [
                .define("PARQUET_BUILD_HASH", to: "\"\(buildHash())\""),
                .define("PARQUET_VERSION", to: "\"\(projectVersion())\""),
            ]
        ),

        .target(name: "CFileSystem"),
        .target(name: "ParquetBytes"),
        .target(name: "ParquetThrift", dependencies: ["ParquetBytes"]),
        .target(name: "ParquetEncoding", dependencies: ["ParquetBytes"]),
        .target(
            name: "ParquetCompression",
            dependencies: ["ParquetBytes", "CZstd", "CSnappy", "CZlib", "CLz4", "CBrotli"]
        ),
        // Page decompression, the reader side of ParquetCompression: used by tests to read
        // pages back, and kept out of the shipped library.
        .target(
            name: "ParquetDecompression",
            dependencies: ["ParquetCompression", "ParquetBytes", "CZstd", "CSnappy", "CZlib", "CLz4", "CBrotliDecoder"]
        ),
        // Decoders of the DELTA and BYTE_STREAM_SPLIT encodings, the reader side of
        // ParquetEncoding: tests read pages back with them; kept out of the shipped library.
        .target(name: "ParquetDecoding"),
        .target(
            name: "Parquet",
            dependencies: ["ParquetBytes", "ParquetThrift", "ParquetEncoding", "ParquetCompression", "CParquetBuildInfo", "CFileSystem"]
        ),

        .target(name: "ParquetFoundation", dependencies: ["Parquet"]),
        .target(name: "ParquetDataset", dependencies: ["Parquet", "ParquetBytes", "ParquetEncoding"]),
        .target(name: "ParquetJSON", dependencies: ["Parquet", "ParquetDataset", "ParquetBytes"]),
        // Arrow C Data Interface structures, and the importer of Arrow record batches.
        .target(name: "CArrowInterface"),
        .target(name: "ParquetArrow", dependencies: ["Parquet", "CArrowInterface"]),
        .target(name: "CParquetABISupport"),
        .target(
            name: "ParquetCABI",
            dependencies: [
                "Parquet", "ParquetJSON", "ParquetArrow", "ParquetBytes", "CArrowInterface", "CParquetABISupport",
                "CParquetBuildInfo",
            ]
        ),

        .target(
            name: "ParquetCLI",
            dependencies: [
                "Parquet", "ParquetJSON", "ParquetDataset", "ParquetThrift", "ParquetBytes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "parquet-writer", dependencies: ["ParquetCLI"]),

        // Writes Parquet files described by a JSON spec, for the Python interop suite.
        .executableTarget(name: "parquet-interop-gen", dependencies: ["Parquet"], path: "Tests/InteropGen"),
        // The Swift-native API's side of `make bench`.
        .executableTarget(name: "parquet-bench", dependencies: ["Parquet", "ParquetDataset", "ParquetJSON"], path: "Benchmarks/Swift"),

        .testTarget(name: "ParquetBytesTests", dependencies: ["ParquetBytes"]),
        .testTarget(name: "ParquetThriftTests", dependencies: ["ParquetThrift"]),
        .testTarget(name: "ParquetEncodingTests", dependencies: ["ParquetEncoding", "ParquetDecoding", "ParquetBytes"]),
        .testTarget(name: "ParquetCompressionTests", dependencies: ["ParquetCompression", "ParquetDecompression"]),
        .testTarget(name: "ParquetJSONTests", dependencies: ["ParquetJSON", "Parquet"]),
        .testTarget(name: "ParquetDatasetTests", dependencies: ["ParquetDataset", "Parquet", "ParquetThrift", "ParquetBytes"]),
        .testTarget(name: "ParquetCLITests", dependencies: ["ParquetCLI", "ParquetJSON", "Parquet", "ParquetThrift"]),
        .testTarget(name: "ParquetFoundationTests", dependencies: ["ParquetFoundation", "Parquet"]),
        .testTarget(name: "ParquetArrowTests", dependencies: ["ParquetArrow", "Parquet", "CArrowInterface"]),
        .testTarget(name: "ParquetCABITests", dependencies: ["ParquetCABI", "ParquetJSON", "Parquet"]),
        .testTarget(
            name: "ParquetTests",
            dependencies: [
                "Parquet", "ParquetThrift", "ParquetEncoding", "ParquetCompression", "ParquetDecompression", "ParquetDecoding",
                "ParquetBytes",
            ]
        ),
    ]
)
