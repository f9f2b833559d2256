// swift-tools-version:6.1
// An example Swift package that depends on parquet-writer by path and writes nested rows from
// Swift types (`make swift-example` builds and runs it; `make test` does too).
//
// SwiftPM names a path dependency after the last component of its path, lowercased: a clone
// in a folder called `parquet-writer` is `package: "parquet-writer"`; a clone in `pw` is
// `package: "pw"`. This example derives the name from where it sits, so it builds from any
// clone. In your own package write the folder's name, or depend by URL
// (`.package(url: "https://github.com/OWNER/parquet-writer", from: "0.1.0")`), whose identity is
// always `parquet-writer`.
import Foundation
import PackageDescription

let checkout = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let parquetWriter = checkout.lastPathComponent.lowercased()

let package = Package(
    name: "swift-rows",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "swift-rows",
            dependencies: [
                .product(name: "Parquet", package: parquetWriter),
                .product(name: "ParquetFoundation", package: parquetWriter),
            ]
        ),
    ]
)
