// swift-tools-version:6.1
import PackageDescription

// Module map (one responsibility each; data flows top to bottom):
//   ParquetBytes        growable little-endian byte buffer shared by every stage
//   ParquetThrift       Thrift compact protocol + the parquet.thrift structures
//   ParquetEncoding     PLAIN, RLE/bit-packed hybrid, dictionaries
//   ParquetCompression  snappy / gzip / zstd over the system libraries (CSnappy, CZlib, CZstd)
//   Parquet             schema, column writers, statistics, row groups, file writer, Swift API
let package = Package(
    name: "parquet-writer",
    products: [
        .library(name: "Parquet", targets: ["Parquet"]),
    ],
    targets: [
        // C shims over the system compression libraries.
        .target(name: "CZstd", linkerSettings: [.linkedLibrary("zstd")]),
        .target(name: "CSnappy", linkerSettings: [.linkedLibrary("snappy")]),
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),

        .target(name: "ParquetBytes"),
        .target(name: "ParquetThrift", dependencies: ["ParquetBytes"]),
        .target(name: "ParquetEncoding", dependencies: ["ParquetBytes"]),
        .target(
            name: "ParquetCompression",
            dependencies: ["ParquetBytes", "CZstd", "CSnappy", "CZlib"]
        ),
        .target(
            name: "Parquet",
            dependencies: ["ParquetBytes", "ParquetThrift", "ParquetEncoding", "ParquetCompression"]
        ),

        .testTarget(name: "ParquetBytesTests", dependencies: ["ParquetBytes"]),
        .testTarget(name: "ParquetThriftTests", dependencies: ["ParquetThrift"]),
        .testTarget(name: "ParquetEncodingTests", dependencies: ["ParquetEncoding"]),
        .testTarget(name: "ParquetCompressionTests", dependencies: ["ParquetCompression"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "ParquetThrift"]),
    ]
)
