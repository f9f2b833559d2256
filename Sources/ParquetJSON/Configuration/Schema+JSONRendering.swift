import Parquet

/// The native schema as JSON text, the inverse of `Schema/init(json:)`: what a schema
/// derived elsewhere (from Arrow) is handed back as, so it can be stored, edited and given
/// to `create_writer`.
extension Schema {
    /// Writes `{"fields": [...]}`.
    /// - Parameter json: The writer to append to.
    package func renderJSON(into json: inout JSONWriter) {
        json.beginObject()
        json.key("fields")
        json.beginArray()
        for field in fields { field.renderJSON(into: &json, named: true) }
        json.endArray()
        json.endObject()
    }
}

extension Field {
    /// Writes the field object; `named` false for a list's items and a map's keys and values.
    func renderJSON(into json: inout JSONWriter, named: Bool) {
        json.beginObject()
        if named {
            json.key("name")
            json.string(name)
        }
        json.key("type")
        json.string(type.name)
        json.key("nullable")
        json.bool(nullable)
        if let fieldID {
            json.key("field_id")
            json.int(Int(fieldID))
        }
        if let encoding {
            json.key("encoding")
            json.string(encoding.rawValue)
        }
        switch type {
        case .fixedBinary(let length):
            json.key("length")
            json.int(length)
        case .timestamp(_, let utc):
            json.key("utc")
            json.bool(utc)
        case .decimal(let precision, let scale):
            json.key("precision")
            json.int(precision)
            json.key("scale")
            json.int(scale)
        case .list(let element):
            json.key("items")
            element.renderJSON(into: &json, named: false)
        case .struct(let fields):
            json.key("fields")
            json.beginArray()
            for field in fields { field.renderJSON(into: &json, named: true) }
            json.endArray()
        case .map(let key, let value):
            json.key("keys")
            key.renderJSON(into: &json, named: false)
            json.key("values")
            value.renderJSON(into: &json, named: false)
        default:
            break
        }
        json.endObject()
    }
}
