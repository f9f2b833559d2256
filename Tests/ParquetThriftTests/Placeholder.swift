import Testing
@testable import ParquetThrift

@Test func placeholder() { #expect(true) }
