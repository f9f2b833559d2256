import Testing
@testable import ParquetEncoding

@Test func placeholder() { #expect(true) }
