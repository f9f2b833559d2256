import Testing
@testable import Parquet

@Test func placeholder() { #expect(true) }
