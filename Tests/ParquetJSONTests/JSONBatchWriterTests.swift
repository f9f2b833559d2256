#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Parquet
@testable import ParquetJSON

/// The public Swift path for JSON records, nested ones included.
@Suite struct JSONBatchWriterTests {
    static func temporaryPath(_ name: String) -> String {
        var template = Array("/tmp/jsonbatchwriter.XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        return directory + "/" + name
    }

    @Test func writesNestedRecordsAndReportsSkippedOnes() throws {
        let schema = try Schema([
            Field("id", .int64, nullable: false),
            Field("tags", .list(.string)),
            Field("address", .struct(fields: [Field("city", .string), Field("zip", .int32)])),
            Field("attrs", .map(.string, .int64)),
        ])
        let path = Self.temporaryPath("nested.parquet")
        let writer = try ParquetWriter(path: path, schema: schema)
        let records = JSONBatchWriter(writer: writer, onInvalid: .skip)
        let result = try records.write("""
            {"id": 1, "tags": ["a", null], "address": {"city": "Oslo", "zip": 150}, "attrs": {"x": 1}}
            {"id": 2, "tags": [], "address": null, "attrs": {}}
            {"id": "three"}
            {"id": 4, "tags": "not a list"}
            {"id": 5}
            """)
        #expect(result.rowsWritten == 3)
        #expect(result.rejected.map(\.row) == [2, 3])
        #expect(result.rejected.map(\.code) == [.typeMismatch, .typeMismatch])
        #expect(result.rejected[1].column == "tags")  // the node where a list was expected
        let summary = try writer.close()
        #expect(summary.rows == 3)
        #expect(summary.columns.map(\.name) == [
            "id", "tags.list.element", "address.city", "address.zip", "attrs.key_value.key", "attrs.key_value.value",
        ])
        #expect(summary.columns[0].minimum == .int(1) && summary.columns[0].maximum == .int(5))
        #expect(access(path, F_OK) == 0)
    }

    @Test func aFailedBatchWritesNothingAndTheWriterGoesOn() throws {
        let schema = try Schema([Field("id", .int64, nullable: false), Field("tags", .list(.int32))])
        let path = Self.temporaryPath("fail.parquet")
        let writer = try ParquetWriter(path: path, schema: schema)
        let records = JSONBatchWriter(writer: writer)
        #expect(try records.write(#"[{"id": 1, "tags": [1, 2]}]"#).rowsWritten == 1)
        #expect {
            try records.write(#"[{"id": 2, "tags": [3]}, {"id": 3, "tags": [99999999999]}]"#)
        } throws: { error in
            let error = error as? ParquetError
            return error?.code == .valueOutOfRange && error?.row == 1 && error?.column == "tags.list.element"
        }
        #expect {
            try records.write(#"[{"id": 4,"#)
        } throws: { error in
            (error as? ParquetError)?.code == .malformedJSON
        }
        #expect(try records.write(#"{"id": 5, "tags": null}"#).rowsWritten == 1)
        let summary = try writer.close()
        #expect(summary.rows == 2)
        #expect(summary.columns[0].minimum == .int(1) && summary.columns[0].maximum == .int(5))
    }
}
