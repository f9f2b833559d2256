import Testing
import ParquetBytes
@testable import ParquetThrift

@Suite struct FileMetaDataTests {
    /// A footer that sets every field the writer can produce, at every level.
    static let sample: FileMetaData = {
        let statistics = Statistics(
            max: [0x10], min: [0x01], nullCount: 2, distinctCount: 7,
            maxValue: [0x10], minValue: [0x01], isMaxValueExact: true, isMinValueExact: false
        )
        let idColumn = ColumnMetaData(
            type: .int64, encodings: [.plain, .rle, .rleDictionary], pathInSchema: ["id"],
            codec: .zstd, numValues: 1000, totalUncompressedSize: 8_123, totalCompressedSize: 4_000,
            keyValueMetadata: [KeyValue(key: "col", value: "meta")],
            dataPageOffset: 4_100, indexPageOffset: 9, dictionaryPageOffset: 4,
            statistics: statistics,
            encodingStats: [
                PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
                PageEncodingStats(pageType: .dataPage, encoding: .rleDictionary, count: 3),
            ],
            bloomFilterOffset: 1 << 40, bloomFilterLength: 2_048,
            sizeStatistics: SizeStatistics(
                unencodedByteArrayDataBytes: 77, repetitionLevelHistogram: [1000],
                definitionLevelHistogram: [2, 998]
            )
        )
        let nameColumn = ColumnMetaData(
            type: .byteArray, encodings: [.deltaLengthByteArray], pathInSchema: ["nested", "name"],
            codec: .uncompressed, numValues: 1000, totalUncompressedSize: 20_000,
            totalCompressedSize: 20_000, dataPageOffset: 8_200
        )
        let rowGroup = RowGroup(
            columns: [
                ColumnChunk(
                    metaData: idColumn, offsetIndexOffset: 30_000, offsetIndexLength: 40,
                    columnIndexOffset: 30_040, columnIndexLength: 60
                ),
                ColumnChunk(filePath: "other.parquet", fileOffset: 0, metaData: nameColumn),
            ],
            totalByteSize: 28_123, numRows: 1000,
            sortingColumns: [SortingColumn(columnIndex: 0, descending: false, nullsFirst: true)],
            fileOffset: 4, totalCompressedSize: 24_000, ordinal: 0
        )
        return FileMetaData(
            version: 1,
            schema: [
                SchemaElement(name: "schema", numChildren: 2),
                SchemaElement(name: "id", type: .int64, repetitionType: .required, fieldID: 1,
                              logicalType: .integer(bitWidth: 64, isSigned: true)),
                SchemaElement(name: "nested", repetitionType: .optional, numChildren: 1),
                SchemaElement(name: "name", type: .byteArray, repetitionType: .optional,
                              convertedType: .utf8, logicalType: .string),
                SchemaElement(name: "price", type: .fixedLenByteArray, typeLength: 16,
                              repetitionType: .optional, convertedType: .decimal, scale: 2, precision: 30,
                              logicalType: .decimal(scale: 2, precision: 30)),
            ],
            numRows: 1000,
            rowGroups: [rowGroup, rowGroup],
            keyValueMetadata: [KeyValue(key: "ARROW:schema", value: "abc"), KeyValue(key: "novalue")],
            createdBy: "parquet-swift version 0.1.0 — ünïcödé",
            columnOrders: [.typeDefinedOrder, .typeDefinedOrder, .other(fieldID: 2)]
        )
    }()

    @Test func roundTrip() throws {
        let bytes = Self.sample.serialized()
        let decoded = try FileMetaData.decode(from: bytes)
        #expect(decoded == Self.sample)
        // Re-encoding the decoded value is byte-identical: nothing is lost or reordered.
        #expect(decoded.serialized() == bytes)
    }

    @Test func minimalFooterBytes() throws {
        let footer = FileMetaData(schema: [SchemaElement(name: "s")], numRows: 0, rowGroups: [])
        let expected: [UInt8] = [
            0x15, 0x02,  // version (1): zigzag(1) = 2
            0x19, 0x1C,  // schema (2): LIST, 1 element << 4 | STRUCT
            0x48, 0x01, 0x73, 0x00,  //   SchemaElement { name (4): delta 4, BINARY, "s" } stop
            0x16, 0x00,  // num_rows (3): I64 0
            0x19, 0x0C,  // row_groups (4): LIST, 0 elements of STRUCT
            0x00,
        ]
        #expect(footer.serialized().bytes == expected)
        #expect(try FileMetaData.decode(from: expected) == footer)
    }

    @Test func missingRequiredFieldsThrow() {
        // Only version: schema is the first missing required field checked.
        #expect(throws: ThriftError.missingRequiredField(type: "FileMetaData", field: "schema")) {
            try FileMetaData.decode(from: [0x15, 0x02, 0x00])
        }
        #expect(throws: ThriftError.missingRequiredField(type: "KeyValue", field: "key")) {
            try KeyValue.decode(from: [0x00])
        }
        // A known id with the wrong wire type is skipped like an unknown field, so the
        // required key (sent here as I32) still counts as missing.
        #expect(throws: ThriftError.missingRequiredField(type: "KeyValue", field: "key")) {
            try KeyValue.decode(from: [0x15, 0x02, 0x00])
        }
    }

    @Test func encryptionFieldsAreSkipped() throws {
        var bytes = [UInt8](Self.sample.serialized().bytes.dropLast())  // reopen the struct
        // encryption_algorithm (8): delta 1 from 7, STRUCT { AES_GCM_V1 (1) { aad_prefix (1) = [1] } }
        bytes += [0x1C, 0x1C, 0x18, 0x01, 0x01, 0x00, 0x00]
        // footer_signing_key_metadata (9): BINARY [0xAB]
        bytes += [0x18, 0x01, 0xAB, 0x00]
        #expect(try FileMetaData.decode(from: bytes) == Self.sample)
    }
}
