import ParquetBytes
import ParquetCompression
import ParquetDecompression
import ParquetDecoding
import ParquetEncoding
import ParquetThrift

/// One page of a column chunk as found in the file.
struct PageInfo {
    /// File offset of the page header.
    var offset: Int
    /// Bytes taken by the Thrift page header.
    var headerLength: Int
    var header: PageHeader
    /// The page body after decompression (its size was checked against the header).
    var body: [UInt8]
}

/// One column chunk: its metadata and every page, walked from the chunk start.
struct ChunkInfo {
    var rowGroup: Int
    var column: Int
    var metaData: ColumnMetaData
    /// File offset of the first page (the dictionary page when there is one).
    var start: Int
    var pages: [PageInfo]

    var end: Int { start + Int(metaData.totalCompressedSize) }
    var dictionaryPage: PageInfo? { pages.first { $0.header.type == .dictionaryPage } }
    var dataPages: [PageInfo] { pages.filter { $0.header.type == .dataPage } }
    /// (page type, encoding) of every page in file order; dictionary pages report their own encoding.
    var pageKinds: [(PageType, Encoding)] {
        pages.map { page in
            page.header.type == .dictionaryPage
                ? (page.header.type, page.header.dictionaryPageHeader?.encoding ?? .plain)
                : (page.header.type, page.header.dataPageHeader?.encoding ?? .plain)
        }
    }
}

/// A value as stored: the physical type, floats by bit pattern so NaN and -0.0 compare exactly.
enum PhysicalValue: Hashable, CustomStringConvertible {
    case boolean(Bool)
    case int32(Int32)
    case int64(Int64)
    case floatBits(UInt32)
    case doubleBits(UInt64)
    case bytes([UInt8])

    static func float(_ value: Float) -> PhysicalValue { .floatBits(value.bitPattern) }
    static func double(_ value: Double) -> PhysicalValue { .doubleBits(value.bitPattern) }
    static func string(_ value: String) -> PhysicalValue { .bytes(Array(value.utf8)) }

    var description: String {
        switch self {
        case .boolean(let v): "\(v)"
        case .int32(let v): "i32 \(v)"
        case .int64(let v): "i64 \(v)"
        case .floatBits(let bits): "f \(Float(bitPattern: bits))"
        case .doubleBits(let bits): "d \(Double(bitPattern: bits))"
        case .bytes(let bytes): String(validating: bytes, as: UTF8.self).map { "\"\($0)\"" } ?? "\(bytes)"
        }
    }
}

/// Reads a Parquet file with this package's own Thrift decoder and checks its layout:
/// magic at both ends, the footer, and every page of every column chunk.
struct ParquetFileReader {
    let bytes: [UInt8]
    let metadata: FileMetaData
    let footerLength: Int

    /// Offset where the footer starts.
    var footerStart: Int { bytes.count - 8 - footerLength }

    /// The leaf schema elements, in column order (the elements without children; for flat
    /// schemas, everything after the root).
    var leaves: [SchemaElement] { metadata.schema.dropFirst().filter { $0.numChildren == nil } }

    /// Each leaf's full path and maximum definition level, walking the schema tree.
    var leafPaths: [(path: [String], maxDefinition: Int)] {
        var result: [(path: [String], maxDefinition: Int)] = []
        var index = 1
        func walk(_ path: [String], _ definition: Int) {
            let element = metadata.schema[index]
            index += 1
            let path = path + [element.name]
            let definition = definition + (element.repetitionType == .required ? 0 : 1)
            if let children = element.numChildren {
                for _ in 0..<children { walk(path, definition) }
            } else {
                result.append((path, definition))
            }
        }
        while index < metadata.schema.count { walk([], 0) }
        return result
    }

    init(path: String) throws {
        try self.init(bytes: readWholeFile(path))
    }

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        let magic = Array("PAR1".utf8)
        guard bytes.count >= 12 else { throw TestFailure("file of \(bytes.count) bytes is too short") }
        guard Array(bytes[0..<4]) == magic else { throw TestFailure("no PAR1 at the start") }
        guard Array(bytes[(bytes.count - 4)...]) == magic else { throw TestFailure("no PAR1 at the end") }
        let lengthStart = bytes.count - 8
        footerLength = Int(readLittleEndianUInt32(bytes, at: lengthStart))
        guard footerLength > 0, footerLength + 12 <= bytes.count else {
            throw TestFailure("footer length \(footerLength) does not fit a \(bytes.count)-byte file")
        }
        let footer = Array(bytes[(lengthStart - footerLength)..<lengthStart])
        let (decoded, used) = try footer.withUnsafeBytes { try FileMetaData.decodePrefix(from: $0) }
        guard used == footerLength else {
            throw TestFailure("footer length says \(footerLength) bytes, FileMetaData took \(used)")
        }
        metadata = decoded
    }

    /// The column chunk's metadata.
    func columnMetaData(rowGroup: Int, column: Int) throws -> ColumnMetaData {
        guard metadata.rowGroups.indices.contains(rowGroup) else { throw TestFailure("no row group \(rowGroup)") }
        let chunks = metadata.rowGroups[rowGroup].columns
        guard chunks.indices.contains(column) else { throw TestFailure("no column \(column) in row group \(rowGroup)") }
        guard let metaData = chunks[column].metaData else { throw TestFailure("column chunk without meta_data") }
        return metaData
    }

    /// Walks one column chunk page by page, checking its layout against its metadata.
    func chunk(rowGroup: Int, column: Int) throws -> ChunkInfo {
        let metaData = try columnMetaData(rowGroup: rowGroup, column: column)
        let place = "row group \(rowGroup) column \(column)"
        let dataOffset = Int(metaData.dataPageOffset)
        let start = metaData.dictionaryPageOffset.map(Int.init) ?? dataOffset
        if let dictionaryOffset = metaData.dictionaryPageOffset {
            guard dictionaryOffset < metaData.dataPageOffset else {
                throw TestFailure("\(place): dictionary_page_offset \(dictionaryOffset) is not before data_page_offset \(dataOffset)")
            }
        }
        let end = start + Int(metaData.totalCompressedSize)
        guard start >= 4, end <= footerStart else {
            throw TestFailure("\(place): chunk \(start)..<\(end) lies outside the data area 4..<\(footerStart)")
        }
        let compression = try Self.compression(of: metaData.codec)
        var pages: [PageInfo] = []
        var position = start
        var compressedTotal = 0
        var uncompressedTotal = 0
        while position < end {
            let (header, headerLength) = try bytes[position..<end].withUnsafeBytes {
                try PageHeader.decodePrefix(from: $0)
            }
            let bodyStart = position + headerLength
            let compressedSize = Int(header.compressedPageSize)
            let uncompressedSize = Int(header.uncompressedPageSize)
            guard compressedSize >= 0, bodyStart + compressedSize <= end else {
                throw TestFailure("\(place): page at \(position) runs past the chunk end \(end)")
            }
            if let crc = header.crc {
                let actual = bytes[bodyStart..<(bodyStart + compressedSize)].withUnsafeBytes { PageChecksum.crc32($0) }
                guard UInt32(bitPattern: crc) == actual else {
                    throw TestFailure("\(place): page at \(position) has crc \(UInt32(bitPattern: crc)), its bytes give \(actual)")
                }
            }
            var output = ByteBuffer()
            try bytes[bodyStart..<(bodyStart + compressedSize)].withUnsafeBytes { raw in
                try decompress(raw, compression: compression, uncompressedSize: uncompressedSize, into: &output)
            }
            guard output.count == uncompressedSize else {
                throw TestFailure("\(place): page at \(position) decompressed to \(output.count), header says \(uncompressedSize)")
            }
            pages.append(PageInfo(offset: position, headerLength: headerLength, header: header, body: output.bytes))
            compressedTotal += headerLength + compressedSize
            uncompressedTotal += headerLength + uncompressedSize
            position = bodyStart + compressedSize
        }
        guard position == end, compressedTotal == Int(metaData.totalCompressedSize) else {
            throw TestFailure("\(place): pages take \(compressedTotal) bytes, total_compressed_size is \(metaData.totalCompressedSize)")
        }
        guard uncompressedTotal == Int(metaData.totalUncompressedSize) else {
            throw TestFailure("\(place): pages take \(uncompressedTotal) bytes uncompressed, total_uncompressed_size is \(metaData.totalUncompressedSize)")
        }
        let chunk = ChunkInfo(rowGroup: rowGroup, column: column, metaData: metaData, start: start, pages: pages)
        try checkPages(of: chunk, place: place)
        return chunk
    }

    private func checkPages(of chunk: ChunkInfo, place: String) throws {
        let metaData = chunk.metaData
        let dictionaryPages = chunk.pages.filter { $0.header.type == .dictionaryPage }
        if let dictionaryOffset = metaData.dictionaryPageOffset {
            guard chunk.pages.first?.offset == Int(dictionaryOffset), chunk.pages.first?.header.type == .dictionaryPage else {
                throw TestFailure("\(place): dictionary_page_offset does not point at a DICTIONARY_PAGE")
            }
            guard dictionaryPages.count == 1, chunk.pages.first?.header.dictionaryPageHeader != nil else {
                throw TestFailure("\(place): expected exactly one dictionary page with a header, found \(dictionaryPages.count)")
            }
        } else {
            guard dictionaryPages.isEmpty else { throw TestFailure("\(place): dictionary page without dictionary_page_offset") }
        }
        let dataPages = chunk.dataPages
        guard dataPages.count + dictionaryPages.count == chunk.pages.count else {
            throw TestFailure("\(place): pages other than DATA_PAGE and DICTIONARY_PAGE: \(chunk.pageKinds)")
        }
        guard let firstData = dataPages.first, firstData.offset == Int(metaData.dataPageOffset) else {
            throw TestFailure("\(place): data_page_offset \(metaData.dataPageOffset) is not the first DATA_PAGE")
        }
        var valueCount = 0
        for page in dataPages {
            guard let header = page.header.dataPageHeader else { throw TestFailure("\(place): DATA_PAGE without data_page_header") }
            valueCount += Int(header.numValues)
        }
        guard valueCount == Int(metaData.numValues) else {
            throw TestFailure("\(place): data pages hold \(valueCount) values, num_values is \(metaData.numValues)")
        }
        // encoding_stats, when present, must count exactly the pages found.
        if let stats = metaData.encodingStats {
            var found: [String: Int] = [:]
            for (type, encoding) in chunk.pageKinds { found["\(type)/\(encoding)", default: 0] += 1 }
            var listed: [String: Int] = [:]
            for stat in stats { listed["\(stat.pageType)/\(stat.encoding)", default: 0] += Int(stat.count) }
            guard found == listed else { throw TestFailure("\(place): encoding_stats \(listed) but pages \(found)") }
        }
        // encodings lists every encoding used by values (dictionary entries are PLAIN) and levels.
        var used = Set(chunk.pageKinds.map(\.1))
        for page in dataPages where leafPaths[chunk.column].maxDefinition > 0 {
            used.insert(page.header.dataPageHeader!.definitionLevelEncoding)
        }
        guard Set(metaData.encodings) == used, metaData.encodings.count == used.count else {
            throw TestFailure("\(place): encodings \(metaData.encodings) but pages use \(used)")
        }
    }

    /// Walks every chunk of every row group and checks the file is one contiguous run of
    /// row groups from offset 4 to the footer, with consistent row-group totals.
    @discardableResult
    func validate() throws -> [[ChunkInfo]] {
        var result: [[ChunkInfo]] = []
        var position = 4
        var rows: Int64 = 0
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == leaves.count else {
                throw TestFailure("row group \(groupIndex) has \(group.columns.count) chunks for \(leaves.count) leaves")
            }
            var chunks: [ChunkInfo] = []
            var compressed: Int64 = 0
            var uncompressed: Int64 = 0
            for column in group.columns.indices {
                let chunk = try chunk(rowGroup: groupIndex, column: column)
                guard chunk.start == position else {
                    throw TestFailure("row group \(groupIndex) column \(column) starts at \(chunk.start), expected \(position)")
                }
                guard chunk.metaData.pathInSchema == leafPaths[column].path, chunk.metaData.type == leaves[column].type else {
                    throw TestFailure("row group \(groupIndex) column \(column): path/type disagree with the schema")
                }
                position = chunk.end
                compressed += chunk.metaData.totalCompressedSize
                uncompressed += chunk.metaData.totalUncompressedSize
                chunks.append(chunk)
            }
            // The row group's bloom filters follow its chunks, in column order.
            for chunk in chunks {
                guard let offset = chunk.metaData.bloomFilterOffset else { continue }
                guard Int(offset) == position, let length = chunk.metaData.bloomFilterLength else {
                    throw TestFailure("row group \(groupIndex) column \(chunk.column): bloom filter at \(offset), expected \(position)")
                }
                let (header, headerLength) = try bytes[position...].withUnsafeBytes { try BloomFilterHeader.decodePrefix(from: $0) }
                guard headerLength + Int(header.numBytes) == Int(length) else {
                    throw TestFailure("row group \(groupIndex) column \(chunk.column): bloom filter length \(length) is not its header and bitset")
                }
                position += Int(length)
            }
            if let fileOffset = group.fileOffset, fileOffset != Int64(chunks.first?.start ?? -1) {
                throw TestFailure("row group \(groupIndex) file_offset \(fileOffset) is not its first page")
            }
            if let total = group.totalCompressedSize, total != compressed {
                throw TestFailure("row group \(groupIndex) total_compressed_size \(total), chunks sum to \(compressed)")
            }
            guard group.totalByteSize == uncompressed else {
                throw TestFailure("row group \(groupIndex) total_byte_size \(group.totalByteSize), chunks sum to \(uncompressed)")
            }
            if let ordinal = group.ordinal, Int(ordinal) != groupIndex {
                throw TestFailure("row group \(groupIndex) has ordinal \(ordinal)")
            }
            rows += group.numRows
            result.append(chunks)
        }
        position = try validatePageIndexes(from: position, chunks: result)
        guard position == footerStart else {
            throw TestFailure("row groups and page indexes end at \(position), the footer starts at \(footerStart)")
        }
        guard rows == metadata.numRows else {
            throw TestFailure("row groups hold \(rows) rows, num_rows is \(metadata.numRows)")
        }
        return result
    }

    /// Checks the page indexes between the last row group and the footer: every ColumnIndex
    /// (row group by row group, column by column), then every OffsetIndex, back to back;
    /// each OffsetIndex lists exactly the chunk's data pages (offset, size with header,
    /// increasing first rows from 0) and each ColumnIndex has one entry per data page with
    /// null counts summing to the chunk's.
    /// - Returns: Where the page indexes end (`from` when the file has none).
    func validatePageIndexes(from start: Int, chunks: [[ChunkInfo]]) throws -> Int {
        var position = start
        let all = chunks.flatMap { $0 }
        for chunk in all {
            let meta = metadata.rowGroups[chunk.rowGroup].columns[chunk.column]
            guard let offset = meta.columnIndexOffset, let length = meta.columnIndexLength else { continue }
            guard Int(offset) == position else {
                throw TestFailure("column index of \(chunk.rowGroup)/\(chunk.column) at \(offset), expected \(position)")
            }
            let index = try ColumnIndex.decode(from: Array(bytes[position..<(position + Int(length))]))
            let pages = chunk.dataPages
            guard index.nullPages.count == pages.count, index.minValues.count == pages.count,
                  index.maxValues.count == pages.count, index.nullCounts?.count == pages.count
            else { throw TestFailure("column index of \(chunk.rowGroup)/\(chunk.column) lists the wrong number of pages") }
            if let nulls = chunk.metaData.statistics?.nullCount, index.nullCounts!.reduce(0, +) != nulls {
                throw TestFailure("column index of \(chunk.rowGroup)/\(chunk.column): page nulls do not sum to \(nulls)")
            }
            position += Int(length)
        }
        for chunk in all {
            let meta = metadata.rowGroups[chunk.rowGroup].columns[chunk.column]
            guard let offset = meta.offsetIndexOffset, let length = meta.offsetIndexLength else { continue }
            guard Int(offset) == position else {
                throw TestFailure("offset index of \(chunk.rowGroup)/\(chunk.column) at \(offset), expected \(position)")
            }
            let index = try OffsetIndex.decode(from: Array(bytes[position..<(position + Int(length))]))
            let pages = chunk.dataPages
            let located = index.pageLocations.map { [Int($0.offset), Int($0.compressedPageSize)] }
            let actual = pages.map { [$0.offset, $0.headerLength + Int($0.header.compressedPageSize)] }
            guard located == actual else {
                throw TestFailure("offset index of \(chunk.rowGroup)/\(chunk.column): \(located), pages are \(actual)")
            }
            let firstRows = index.pageLocations.map(\.firstRowIndex)
            guard firstRows.first == 0, zip(firstRows, firstRows.dropFirst()).allSatisfy({ $0 < $1 }),
                  firstRows.last! < metadata.rowGroups[chunk.rowGroup].numRows
            else { throw TestFailure("offset index of \(chunk.rowGroup)/\(chunk.column): first rows \(firstRows)") }
            position += Int(length)
        }
        return position
    }

    // MARK: Values

    /// Every row of a flat column across all row groups: the value, or nil for null.
    func values(ofColumn column: Int) throws -> [PhysicalValue?] {
        var result: [PhysicalValue?] = []
        for group in metadata.rowGroups.indices {
            let chunk = try chunk(rowGroup: group, column: column)
            let values = try values(of: chunk)
            guard values.count == Int(metadata.rowGroups[group].numRows) else {
                throw TestFailure("row group \(group) column \(column): \(values.count) values for \(metadata.rowGroups[group].numRows) rows")
            }
            result += values
        }
        return result
    }

    /// The rows of one chunk, decoded from its pages: definition levels (4-byte length + RLE
    /// hybrid), dictionary indices (bit-width byte + RLE hybrid) or PLAIN values.
    func values(of chunk: ChunkInfo) throws -> [PhysicalValue?] {
        let element = leaves[chunk.column]
        guard let physical = element.type else { throw TestFailure("leaf without a physical type") }
        let length = element.typeLength.map(Int.init)
        let nullable = element.repetitionType == .optional
        var dictionary: [PhysicalValue]?
        if let page = chunk.dictionaryPage {
            let header = page.header.dictionaryPageHeader!
            guard header.encoding == .plain || header.encoding == .plainDictionary else {
                throw TestFailure("dictionary page encoded \(header.encoding)")
            }
            var cursor = ByteCursor(page.body)
            dictionary = try (0..<Int(header.numValues)).map { _ in try cursor.plain(physical, length: length) }
            guard cursor.isAtEnd else { throw TestFailure("dictionary page has \(cursor.remaining) bytes after its entries") }
        }
        var rows: [PhysicalValue?] = []
        for page in chunk.dataPages {
            let header = page.header.dataPageHeader!
            let count = Int(header.numValues)
            var cursor = ByteCursor(page.body)
            var present = Array(repeating: true, count: count)
            if nullable {
                guard header.definitionLevelEncoding == .rle else { throw TestFailure("definition levels not RLE") }
                let levelBytes = Int(try cursor.uint32())
                var decoder = try RLEBitPackedHybridDecoder(bytes: Array(try cursor.take(levelBytes)), bitWidth: 1)
                let levels = try decoder.decode(count: count)
                guard levels.allSatisfy({ $0 <= 1 }) else { throw TestFailure("definition level above 1: \(levels)") }
                present = levels.map { $0 == 1 }
            }
            let valueCount = present.count { $0 }
            var values: [PhysicalValue] = []
            switch header.encoding {
            case .plain where physical == .boolean:
                let packed = try cursor.take((valueCount + 7) / 8)
                values = (0..<valueCount).map { i in .boolean(packed[packed.startIndex + i / 8] >> (i % 8) & 1 == 1) }
            case .plain:
                values = try (0..<valueCount).map { _ in try cursor.plain(physical, length: length) }
            case .rle where physical == .boolean:
                let runBytes = Int(try cursor.uint32())
                var decoder = try RLEBitPackedHybridDecoder(bytes: Array(try cursor.take(runBytes)), bitWidth: 1)
                values = try decoder.decode(count: valueCount).map { .boolean($0 == 1) }
            case .rleDictionary, .plainDictionary:
                guard let dictionary else { throw TestFailure("dictionary-encoded page without a dictionary page") }
                let bitWidth = Int(try cursor.take(1).first!)
                var decoder = try RLEBitPackedHybridDecoder(bytes: Array(try cursor.take(cursor.remaining)), bitWidth: bitWidth)
                values = try decoder.decode(count: valueCount).map { index in
                    guard Int(index) < dictionary.count else {
                        throw TestFailure("dictionary index \(index) past \(dictionary.count) entries")
                    }
                    return dictionary[Int(index)]
                }
            case .deltaBinaryPacked where physical == .int32:
                values = try cursor.decode { try DeltaBinaryPackedDecoder.decodeInt32($0, offset: &$1) }.map { .int32($0) }
            case .deltaBinaryPacked where physical == .int64:
                values = try cursor.decode { try DeltaBinaryPackedDecoder.decodeInt64($0, offset: &$1) }.map { .int64($0) }
            case .deltaLengthByteArray where physical == .byteArray:
                values = try cursor.decode { try DeltaLengthByteArrayDecoder.decode($0, offset: &$1) }.map { .bytes($0) }
            case .deltaByteArray where physical == .byteArray || physical == .fixedLenByteArray:
                values = try cursor.decode { try DeltaByteArrayDecoder.decode($0, offset: &$1) }.map { .bytes($0) }
                if let length, values.contains(where: { if case .bytes(let b) = $0 { b.count != length } else { true } }) {
                    throw TestFailure("DELTA_BYTE_ARRAY value not \(length) bytes long in a FIXED_LEN_BYTE_ARRAY column")
                }
            case .byteStreamSplit where [.float, .double, .int32, .int64, .fixedLenByteArray].contains(physical):
                let width = switch physical {
                case .float, .int32: 4
                case .double, .int64: 8
                default: length ?? 0
                }
                var plain = ByteCursor(try ByteStreamSplitDecoder.decode(try cursor.take(cursor.remaining), width: width))
                values = try (0..<valueCount).map { _ in try plain.plain(physical, length: length) }
                guard plain.isAtEnd else { throw TestFailure("BYTE_STREAM_SPLIT page holds more than \(valueCount) values") }
            default:
                throw TestFailure("unexpected data page encoding \(header.encoding) for \(physical)")
            }
            guard values.count == valueCount else {
                throw TestFailure("\(header.encoding) page decoded \(values.count) values, levels say \(valueCount)")
            }
            // A dictionary page's RLE runs may pad to a byte; PLAIN pages must be used up exactly.
            if header.encoding != .rleDictionary && header.encoding != .plainDictionary {
                guard cursor.isAtEnd else { throw TestFailure("\(cursor.remaining) bytes left after a \(header.encoding) page") }
            }
            var next = values.makeIterator()
            for isPresent in present { rows.append(isPresent ? next.next()! : nil) }
        }
        return rows
    }

    static func compression(of codec: CompressionCodec) throws -> Compression {
        switch codec {
        case .uncompressed: .uncompressed
        case .snappy: .snappy
        case .gzip: .gzip
        case .zstd: .zstd
        case .lz4Raw: .lz4Raw
        case .brotli: .brotli
        default: throw TestFailure("codec \(codec) is not one this writer uses")
        }
    }
}

func readLittleEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
}

/// Sequential little-endian reads over a page body.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position == bytes.count }

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw TestFailure("need \(count) bytes, \(remaining) left") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Runs a decoder that reads from `bytes` at an offset it advances, and moves past what it read.
    mutating func decode<T>(_ decoder: ([UInt8], inout Int) throws -> T) throws -> T {
        var offset = position
        let result = try decoder(bytes, &offset)
        position = offset
        return result
    }

    mutating func uint32() throws -> UInt32 {
        let slice = try take(4)
        return slice.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64() throws -> UInt64 {
        let slice = try take(8)
        return slice.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// One PLAIN value of a non-boolean physical type.
    mutating func plain(_ type: PhysicalType, length: Int?) throws -> PhysicalValue {
        switch type {
        case .int32: return .int32(Int32(bitPattern: try uint32()))
        case .int64: return .int64(Int64(bitPattern: try uint64()))
        case .float: return .floatBits(try uint32())
        case .double: return .doubleBits(try uint64())
        case .byteArray: return .bytes(Array(try take(Int(try uint32()))))
        case .fixedLenByteArray:
            guard let length else { throw TestFailure("FIXED_LEN_BYTE_ARRAY without type_length") }
            return .bytes(Array(try take(length)))
        default: throw TestFailure("no PLAIN reader for \(type)")
        }
    }
}
