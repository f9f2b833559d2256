import Testing
@testable import Parquet
@testable import ParquetJSON

/// `SchemaInference.infer`: one test per rule.
@Suite struct SchemaInferenceTests {
    func infer(_ text: String) throws(ParquetError) -> [Field]? {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ParquetError) -> [Field]? in
            try SchemaInference.infer(UnsafeRawBufferPointer(buffer))?.fields
        }
    }

    @Test func scalarsAndOrderOfFirstAppearance() throws {
        let fields = try infer(#"[{"b": true, "i": 1}, {"s": "x", "f": 1.5, "i": 2}]"#)
        #expect(fields == [Field("b", .boolean), Field("i", .int64), Field("s", .string), Field("f", .float64)])
    }

    @Test func ndjsonAndWhitespaceSeparatedRecords() throws {
        #expect(try infer("{\"a\": 1}\n{\"b\": \"x\"}\n") == [Field("a", .int64), Field("b", .string)])
        #expect(try infer(#"{"a": 1} {"a": 2}"#) == [Field("a", .int64)])
    }

    @Test func integersWidenToFloat() throws {
        #expect(try infer(#"[{"n": 1}, {"n": 2.5}]"#) == [Field("n", .float64)])
        #expect(try infer(#"[{"n": 1e3}, {"n": 2}]"#) == [Field("n", .float64)])
        #expect(try infer(#"[{"n": 99999999999999999999}]"#) == [Field("n", .float64)])
    }

    @Test func onlyNullsIsAString() throws {
        #expect(try infer(#"[{"n": null}, {"n": null}]"#) == [Field("n", .string)])
        #expect(try infer(#"[{"n": null}, {"n": 3}]"#) == [Field("n", .int64)])
    }

    @Test func scalarConflictsAreJSON() throws {
        #expect(try infer(#"[{"n": true}, {"n": 1}]"#) == [Field("n", .json)])
        #expect(try infer(#"[{"n": "1"}, {"n": 1}]"#) == [Field("n", .json)])
        #expect(try infer(#"[{"n": "x"}, {"n": false}]"#) == [Field("n", .json)])
    }

    @Test func objectsMergeIntoStructs() throws {
        let fields = try infer(#"[{"o": {"a": 1}}, {"o": {"b": "x", "a": 2.5}}, {"o": null}]"#)
        #expect(fields == [Field("o", .struct(fields: [Field("a", .float64), Field("b", .string)]))])
        #expect(try infer(#"[{"o": {}}]"#) == [Field("o", .json)])
        #expect(try infer(#"[{"o": {"p": {"q": true}}}]"#)
            == [Field("o", .struct(fields: [Field("p", .struct(fields: [Field("q", .boolean)]))]))])
    }

    @Test func arraysBecomeLists() throws {
        #expect(try infer(#"[{"l": [1, 2]}, {"l": [3.5, null]}, {"l": []}]"#) == [Field("l", .list(.float64))])
        #expect(try infer(#"[{"l": []}]"#) == [Field("l", .list(.string))])
        #expect(try infer(#"[{"l": [{"a": 1}, {"b": true}]}]"#)
            == [Field("l", .list(.struct(fields: [Field("a", .int64), Field("b", .boolean)])))])
        #expect(try infer(#"[{"l": [1, "x"]}]"#) == [Field("l", .list(.json))])
    }

    @Test func nestedConflictsWithScalarsAreJSON() throws {
        #expect(try infer(#"[{"v": {"a": 1}}, {"v": 1}]"#) == [Field("v", .json)])
        #expect(try infer(#"[{"v": [1]}, {"v": "x"}]"#) == [Field("v", .json)])
        #expect(try infer(#"[{"v": [1]}, {"v": {"a": 1}}]"#) == [Field("v", .json)])
    }

    @Test func nothingToInferFrom() throws {
        #expect(try infer("[]") == nil)
        #expect(try infer("  \n") == nil)
        #expect(throws: ParquetError.self) { _ = try infer("[{}]") }
        #expect(throws: ParquetError.self) { _ = try infer("[1, 2]") }
    }

    @Test func malformedJSONIsReported() {
        do {
            _ = try infer(#"[{"a": 1},"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedJSON)
        }
        #expect(throws: ParquetError.self) { _ = try infer(#"{"a": 1} x"#) }
    }

    @Test func nonObjectRecordsAreIgnored() throws {
        #expect(try infer(#"[1, {"a": 1}, "x"]"#) == [Field("a", .int64)])
    }

    /// Issue 11, finding 2: inference was quadratic in the keys (80,000 keys in one record took
    /// 13 s); it is linear now and stops at `maximumKeys` distinct keys with a clear error.
    @Test func keysUpToTheLimitAndNoFurther() throws {
        let limit = SchemaInference.maximumKeys
        func record(_ keys: Range<Int>) -> String {
            "{" + keys.map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
        }
        let widest = try #require(try infer(record(0..<limit)))
        #expect(widest.count == limit)
        #expect(widest.first == Field("k0", .int64) && widest.last == Field("k\(limit - 1)", .int64))

        // One record per new key, each repeating the earlier ones in another order.
        var records = (0..<limit).map { "{\"k\($0)\": \($0), \"k0\": 1.5}" }
        #expect(try infer(records.joined(separator: "\n"))?.count == limit)

        for text in [record(0..<limit + 1), records.joined(separator: "\n") + "\n{\"another\": 1}",
                     "{\"o\": " + record(0..<limit) + "}"] {
            do {
                _ = try infer(text)
                Issue.record("expected limit_exceeded")
            } catch {
                #expect(error.code == .limitExceeded)
                #expect(error.message.contains("stops at \(limit) distinct keys"))
            }
        }
        records.removeAll()
    }

    /// An inferred schema too deep for readers is refused like a configured one.
    @Test func tooDeepIsRefused() throws {
        let ok = String(repeating: "[", count: 49) + "1" + String(repeating: "]", count: 49)
        let fields = try #require(try infer("{\"v\": \(ok)}"))
        #expect(fields.count == 1)
        let deep = String(repeating: "[", count: 50) + "1" + String(repeating: "]", count: 50)
        #expect(throws: ParquetError.self) { _ = try infer("{\"v\": \(deep)}") }
        let structs = String(repeating: "{\"a\":", count: 99) + "1" + String(repeating: "}", count: 99)
        do {
            _ = try infer("{\"v\": \(structs)}")
            Issue.record("expected invalid_schema")
        } catch {
            #expect(error.code == .invalidSchema)
        }
    }
}
