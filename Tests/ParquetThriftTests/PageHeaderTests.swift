import Testing
import ParquetBytes
@testable import ParquetThrift

@Suite struct PageHeaderTests {
    static let dataPage = PageHeader(
        type: .dataPage, uncompressedPageSize: 100, compressedPageSize: 50,
        dataPageHeader: DataPageHeader(numValues: 10, encoding: .plain)
    )
    static let dataPageBytes: [UInt8] = [
        0x15, 0x00,  // type (1): I32 DATA_PAGE = 0
        0x15, 0xC8, 0x01,  // uncompressed_page_size (2): zigzag(100) = 200 = 0xC8 0x01
        0x15, 0x64,  // compressed_page_size (3): zigzag(50) = 100 = 0x64
        0x2C,  // data_page_header (5): delta 2 from 3, STRUCT
        0x15, 0x14,  //   num_values (1): zigzag(10) = 20
        0x15, 0x00,  //   encoding (2): PLAIN = 0
        0x15, 0x06,  //   definition_level_encoding (3): RLE = 3 -> 6
        0x15, 0x06,  //   repetition_level_encoding (4): RLE = 3 -> 6
        0x00,  //   stop
        0x00,  // stop
    ]

    @Test func smallDataPageHeader() throws {
        #expect(Self.dataPage.serialized().bytes == Self.dataPageBytes)
        #expect(try PageHeader.decode(from: Self.dataPageBytes) == Self.dataPage)
    }

    @Test func dictionaryPageHeaderWithCRC() throws {
        let header = PageHeader(
            type: .dictionaryPage, uncompressedPageSize: 12, compressedPageSize: 12, crc: -1,
            dictionaryPageHeader: DictionaryPageHeader(numValues: 3, encoding: .plain, isSorted: false)
        )
        let expected: [UInt8] = [
            0x15, 0x04,  // type: DICTIONARY_PAGE = 2
            0x15, 0x18,  // uncompressed_page_size: zigzag(12) = 24
            0x15, 0x18,  // compressed_page_size
            0x15, 0x01,  // crc (4): zigzag(-1) = 1
            0x3C,  // dictionary_page_header (7): delta 3 from 4, STRUCT
            0x15, 0x06,  //   num_values: zigzag(3) = 6
            0x15, 0x00,  //   encoding: PLAIN
            0x12,  //   is_sorted (3): BOOLEAN_FALSE in the nibble
            0x00,
            0x00,
        ]
        #expect(header.serialized().bytes == expected)
        #expect(try PageHeader.decode(from: expected) == header)
    }

    @Test func dataPageV2RoundTripAndDefault() throws {
        let header = PageHeader(
            type: .dataPageV2, uncompressedPageSize: 1 << 20, compressedPageSize: 4000,
            dataPageHeaderV2: DataPageHeaderV2(
                numValues: 1000, numNulls: 10, numRows: 900, encoding: .rleDictionary,
                definitionLevelsByteLength: 20, repetitionLevelsByteLength: 30, isCompressed: false,
                statistics: Statistics(nullCount: 10, maxValue: [9], minValue: [1])
            )
        )
        #expect(try PageHeader.decode(from: header.serialized()) == header)

        // Without field 7 the IDL default (compressed) applies.
        let v2: [UInt8] = [0x15, 0x02, 0x15, 0x00, 0x15, 0x02, 0x15, 0x00, 0x15, 0x00, 0x15, 0x00, 0x00]
        #expect(try DataPageHeaderV2.decode(from: v2).isCompressed == true)
    }

    @Test func decodePrefixReportsHeaderSize() throws {
        let withPage = Self.dataPageBytes + [0xDE, 0xAD, 0xBE, 0xEF]
        let (header, size) = try withPage.withUnsafeBytes { try PageHeader.decodePrefix(from: $0) }
        #expect(header == Self.dataPage)
        #expect(size == Self.dataPageBytes.count)
    }

    @Test func bloomFilterHeader() throws {
        let header = BloomFilterHeader(numBytes: 1024)
        let expected: [UInt8] = [
            0x15, 0x80, 0x10,  // numBytes (1): zigzag(1024) = 2048 = 0x80 0x10
            0x1C, 0x1C, 0x00, 0x00,  // algorithm (2, delta 1): union { BLOCK (1): empty struct }
            0x1C, 0x1C, 0x00, 0x00,  // hash (3, delta 1): union { XXHASH (1) }
            0x1C, 0x1C, 0x00, 0x00,  // compression (4, delta 1): union { UNCOMPRESSED (1) }
            0x00,
        ]
        #expect(header.serialized().bytes == expected)
        #expect(try BloomFilterHeader.decode(from: expected) == header)
    }

    @Test func pageIndexRoundTrip() throws {
        let columnIndex = ColumnIndex(
            nullPages: [false, true, false], minValues: [[1], [], [3]], maxValues: [[2], [], [4]],
            boundaryOrder: .ascending, nullCounts: [0, 5, 0],
            repetitionLevelHistograms: [1, 2, 3], definitionLevelHistograms: [4, 5, 6]
        )
        #expect(try ColumnIndex.decode(from: columnIndex.serialized()) == columnIndex)
        // null_pages is a list<bool>: header 3 << 4 | 1, then one byte per element (1 true, 2 false).
        #expect(Array(columnIndex.serialized().bytes.prefix(5)) == [0x19, 0x31, 0x02, 0x01, 0x02])

        let offsetIndex = OffsetIndex(
            pageLocations: [
                PageLocation(offset: 4, compressedPageSize: 100, firstRowIndex: 0),
                PageLocation(offset: 104, compressedPageSize: 90, firstRowIndex: 50),
            ],
            unencodedByteArrayDataBytes: [10, 20]
        )
        #expect(try OffsetIndex.decode(from: offsetIndex.serialized()) == offsetIndex)
    }
}
