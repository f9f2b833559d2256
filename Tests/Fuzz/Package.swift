// swift-tools-version:6.1
//
// The fuzz targets of parquet-writer: coverage-guided libFuzzer executables, each built with
// AddressSanitizer. A package of their own (depending on the repository's package by path) so
// that a plain `swift build` / `swift test` of the repository never compiles or links them.
// Build and run them with `make fuzz` / `make fuzz-smoke` from the repository root (README.md
// here explains the flags: `-Xswiftc -sanitize=fuzzer,address`).
import PackageDescription

let parquet = "parquet-writer"

let package = Package(
    name: "parquet-writer-fuzz",
    dependencies: [
        .package(name: parquet, path: "../.."),
    ],
    targets: [
        // What every target shares: invariant checks, scratch directories, JSON checks, the
        // writer configurations and batches the C ABI target and the footer seeds use.
        // libFuzzer's driver entry point, declared for Swift (libclang_rt.fuzzer provides it).
        .target(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CLibFuzzer",
                .product(name: "Parquet", package: parquet),
                .product(name: "ParquetJSON", package: parquet),
                .product(name: "ParquetCLI", package: parquet),
            ]
        ),
        // 1. JSON batches through the C ABI entry points (create/write/commit/close/abort).
        .executableTarget(
            name: "fuzz-cabi",
            dependencies: [
                "FuzzSupport",
                .product(name: "ParquetCABI", package: parquet),
                .product(name: "ParquetJSON", package: parquet),
                .product(name: "ParquetCLI", package: parquet),
            ]
        ),
        // 2. WriterConfiguration(jsonText:) on arbitrary bytes, then a writer from it.
        .executableTarget(
            name: "fuzz-config",
            dependencies: [
                "FuzzSupport",
                .product(name: "Parquet", package: parquet),
                .product(name: "ParquetJSON", package: parquet),
            ]
        ),
        // 3. The Airbyte line reader and message scanner, against JSONValue.
        .executableTarget(
            name: "fuzz-airbyte",
            dependencies: [
                "FuzzSupport",
                .product(name: "ParquetJSON", package: parquet),
                .product(name: "ParquetCLI", package: parquet),
            ]
        ),
        // 4. The footer reader behind `parquet-writer inspect`, on arbitrary files.
        .executableTarget(
            name: "fuzz-footer",
            dependencies: [
                "FuzzSupport",
                .product(name: "ParquetJSON", package: parquet),
                .product(name: "ParquetCLI", package: parquet),
            ]
        ),
        // 5. Arrow record batches built in memory (C Data Interface) through write_arrow,
        //    write_arrow_stream and schema_from_arrow. CArrowInterface (the structures) comes
        //    with ParquetCABI.
        .executableTarget(
            name: "fuzz-arrow",
            dependencies: [
                "FuzzSupport",
                .product(name: "ParquetCABI", package: parquet),
                .product(name: "ParquetJSON", package: parquet),
            ]
        ),
    ]
)
