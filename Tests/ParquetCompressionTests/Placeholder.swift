import Testing
@testable import ParquetCompression

@Test func placeholder() { #expect(true) }
