/// How many pages of one type use one encoding in a column chunk (`PageEncodingStats`).
public struct PageEncodingStats: ThriftCodable, Sendable, Hashable {
    /// The page type (field 1).
    public var pageType: PageType
    /// The encoding of those pages (field 2).
    public var encoding: Encoding
    /// The number of such pages (field 3).
    public var count: Int32

    /// Creates an entry.
    /// - Parameters:
    ///   - pageType: The page type.
    ///   - encoding: The encoding.
    ///   - count: The number of pages.
    public init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.pageType = pageType
        self.encoding = encoding
        self.count = count
    }

    /// Writes the struct in the compact protocol.
    /// - Parameter writer: The writer to append to.
    public func encode(to writer: inout CompactWriter) {
        writer.writeStructBegin()
        writer.writeField(1, enum: pageType)
        writer.writeField(2, enum: encoding)
        writer.writeField(3, i32: count)
        writer.writeStructEnd()
    }

    /// Reads the struct, skipping unknown fields.
    /// - Parameter reader: The reader positioned at the struct.
    /// - Throws: ``ThriftError`` on malformed input or a missing required field.
    public init(from reader: inout CompactReader) throws(ThriftError) {
        var pageType: PageType?
        var encoding: Encoding?
        var count: Int32?
        try reader.readStructBegin()
        while let field = try reader.readFieldBegin() {
            switch (field.id, field.type) {
            case (1, .i32): pageType = try reader.readEnum()
            case (2, .i32): encoding = try reader.readEnum()
            case (3, .i32): count = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.readStructEnd()
        self.init(
            pageType: try requireField(pageType, "PageEncodingStats", "page_type"),
            encoding: try requireField(encoding, "PageEncodingStats", "encoding"),
            count: try requireField(count, "PageEncodingStats", "count")
        )
    }
}
