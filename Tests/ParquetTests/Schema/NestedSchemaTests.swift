import Testing
import ParquetThrift
@testable import Parquet

/// The nested schema model: leaf paths and Dremel levels, and the footer's group layout.
@Suite struct NestedSchemaTests {
    static func schema() throws -> Schema {
        try Schema([
            Field("id", .int64, nullable: false),
            Field("address", .struct(fields: [Field("city", .string), Field("zip", .int32, nullable: false)])),
            Field("tags", .list(.string, nullableElements: false), nullable: false),
            Field("attrs", .map(.string, .int64)),
            Field("matrix", .list(.list(.float64))),
        ])
    }

    @Test func leavesCarryTheirPathsAndLevels() throws {
        let leaves = try Self.schema().leafColumns
        #expect(leaves.map { $0.path.joined(separator: ".") } == [
            "id", "address.city", "address.zip", "tags.list.element", "attrs.key_value.key", "attrs.key_value.value",
            "matrix.list.element.list.element",
        ])
        // (max definition, max repetition): optional nodes add a definition level, repeated
        // groups add one of each.
        #expect(leaves.map { [$0.maxDefinitionLevel, $0.maxRepetitionLevel] } == [
            [0, 0], [2, 0], [1, 0], [1, 1], [2, 1], [3, 1], [5, 2],
        ])
        #expect(leaves.map(\.index) == Array(0..<7))
    }

    @Test func footerUsesTheSpecLayouts() throws {
        let elements = try Self.schema().thriftElements
        let summary = elements.map { element in
            "\(element.name):\(element.repetitionType.map { "\($0)" } ?? "-"):\(element.numChildren.map(String.init) ?? "leaf")"
                + (element.logicalType.map { ":\($0)" } ?? "")
        }
        #expect(summary == [
            "schema:-:5",
            "id:required:leaf",
            "address:optional:2", "city:optional:leaf:string", "zip:required:leaf",
            "tags:required:1:list", "list:repeated:1", "element:required:leaf:string",
            "attrs:optional:1:map", "key_value:repeated:2", "key:required:leaf:string", "value:optional:leaf",
            "matrix:optional:1:list", "list:repeated:1", "element:optional:1:list", "list:repeated:1", "element:optional:leaf",
        ])
        #expect(elements.first { $0.name == "tags" }?.convertedType == .list)
        #expect(elements.first { $0.name == "attrs" }?.convertedType == .map)
    }

    @Test func invalidNestedSchemasAreRejected() {
        func rejects(_ fields: [Field], _ text: String) {
            #expect {
                _ = try Schema(fields)
            } throws: { error in
                guard let error = error as? ParquetError else { return false }
                return error.code == .invalidSchema && error.message.contains(text)
            }
        }
        rejects([Field("s", .struct(fields: []))], "at least one field")
        rejects([Field("s", .struct(fields: [Field("a", .int32), Field("a", .int64)]))], "duplicate field name 'a'")
        rejects([Field("m", .map(key: Field("k", .string, nullable: true), value: Field("v", .int32)))], "map keys cannot be nullable")
        rejects([Field("m", .map(.list(.int32), .int32))], "map keys must be a primitive type")
        rejects([Field("l", .list(.decimal(precision: 40, scale: 0)))], "decimal precision")
    }

    @Test func columnBatchRefersNestedFieldsToJSON() throws {
        var batch = ColumnBatch(schema: try Self.schema())
        try batch.append([1, 2] as [Int64], to: "id")
        #expect {
            try batch.append(["x"], to: "tags")
        } throws: { error in
            (error as? ParquetError)?.code == .typeMismatch
        }
        #expect(batch.rowCount(of: "id") == 2)
        #expect(batch.rowCount(of: "tags") == nil)
    }
}
