import Testing
@testable import Parquet
@testable import ParquetJSON

/// Parses `{"fields": [<fields>]}` as a native schema.
func parseSchema(_ fields: String) throws(ParquetError) -> Schema {
    try Schema(json: JSONValue.parse(#"{"fields": [\#(fields)]}"#))
}

/// The error parsing `{"fields": [<fields>]}` gives, or nil when it parses.
func schemaError(_ fields: String) -> ParquetError? {
    do {
        _ = try parseSchema(fields)
        return nil
    } catch {
        return error
    }
}
