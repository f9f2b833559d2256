import ParquetThrift

/// The names `inspect` prints for footer enums: parquet.thrift's own spellings (what pyarrow,
/// parquet-tools and the spec use), so output can be compared and searched across tools.
enum InspectNames {
    /// The physical type's parquet.thrift name.
    /// - Parameter type: A physical type.
    /// - Returns: "INT64", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY", ...
    static func physical(_ type: PhysicalType) -> String {
        switch type {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }

    /// The codec's parquet.thrift name.
    /// - Parameter codec: A compression codec.
    /// - Returns: "SNAPPY", "ZSTD", ...
    static func codec(_ codec: CompressionCodec) -> String {
        switch codec {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// The encoding's parquet.thrift name.
    /// - Parameter encoding: An encoding.
    /// - Returns: "PLAIN", "RLE_DICTIONARY", ...
    static func encoding(_ encoding: Encoding) -> String {
        switch encoding {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }

    /// The repetition in lower case, as people say it.
    /// - Parameter repetition: A field repetition.
    /// - Returns: "required", "optional" or "repeated".
    static func repetition(_ repetition: FieldRepetitionType) -> String {
        switch repetition {
        case .required: "required"
        case .optional: "optional"
        case .repeated: "repeated"
        }
    }

    /// The converted (legacy) type's parquet.thrift name, without parameters.
    /// - Parameter type: A converted type.
    /// - Returns: "UTF8", "TIMESTAMP_MILLIS", "DECIMAL", ...
    static func converted(_ type: ConvertedType) -> String {
        switch type {
        case .utf8: "UTF8"
        case .map: "MAP"
        case .mapKeyValue: "MAP_KEY_VALUE"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal: "DECIMAL"
        case .date: "DATE"
        case .timeMillis: "TIME_MILLIS"
        case .timeMicros: "TIME_MICROS"
        case .timestampMillis: "TIMESTAMP_MILLIS"
        case .timestampMicros: "TIMESTAMP_MICROS"
        case .uint8: "UINT_8"
        case .uint16: "UINT_16"
        case .uint32: "UINT_32"
        case .uint64: "UINT_64"
        case .int8: "INT_8"
        case .int16: "INT_16"
        case .int32: "INT_32"
        case .int64: "INT_64"
        case .json: "JSON"
        case .bson: "BSON"
        case .interval: "INTERVAL"
        }
    }

    /// The logical type with its parameters, in the spec's notation.
    /// - Parameter type: A logical type.
    /// - Returns: "STRING", "DECIMAL(10,2)", "TIMESTAMP(MILLIS, utc)", "INT(16, unsigned)", ...
    static func logical(_ type: LogicalType) -> String {
        switch type {
        case .string: "STRING"
        case .map: "MAP"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal(let scale, let precision): "DECIMAL(\(precision),\(scale))"
        case .date: "DATE"
        case .time(let utc, let unit): "TIME(\(Self.unit(unit)), \(utc ? "utc" : "local"))"
        case .timestamp(let utc, let unit): "TIMESTAMP(\(Self.unit(unit)), \(utc ? "utc" : "local"))"
        case .integer(let bitWidth, let signed): "INT(\(bitWidth), \(signed ? "signed" : "unsigned"))"
        case .unknown: "NULL"
        case .json: "JSON"
        case .bson: "BSON"
        case .uuid: "UUID"
        case .float16: "FLOAT16"
        case .other(let fieldID):
            switch fieldID {
            case 16: "VARIANT"
            case 17: "GEOMETRY"
            case 18: "GEOGRAPHY"
            default: "LOGICAL_TYPE_\(fieldID)"
            }
        }
    }

    /// The time unit as parquet.thrift spells it.
    /// - Parameter unit: A time unit.
    /// - Returns: "MILLIS", "MICROS" or "NANOS".
    static func unit(_ unit: TimeUnit) -> String {
        switch unit {
        case .millis: "MILLIS"
        case .micros: "MICROS"
        case .nanos: "NANOS"
        }
    }
}
