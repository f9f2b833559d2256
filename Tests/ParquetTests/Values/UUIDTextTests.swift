import Testing
@testable import Parquet

/// Canonical UUID text to its 16 bytes, in text order.
@Suite struct UUIDTextTests {
    func parse(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { UUIDText.parse(UnsafeRawBufferPointer($0)) }.map { words in withUnsafeBytes(of: words) { Array($0) } }
    }

    @Test func canonicalTextInAnyCase() {
        let bytes: [UInt8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10]
        #expect(parse("01234567-89ab-cdef-fedc-ba9876543210") == bytes)
        #expect(parse("01234567-89AB-CDEF-FEDC-BA9876543210") == bytes)
        #expect(parse("01234567-89aB-CdEf-FeDc-bA9876543210") == bytes)
        #expect(parse("00000000-0000-0000-0000-000000000000") == Array(repeating: 0, count: 16))
        #expect(parse("ffffffff-ffff-ffff-ffff-ffffffffffff") == Array(repeating: 0xFF, count: 16))
    }

    @Test func nonCanonicalTextIsRejected() {
        for text in ["", "01234567-89ab-cdef-fedc-ba987654321", "01234567-89ab-cdef-fedc-ba98765432100",
                     "0123456789abcdeffedcba9876543210", "{01234567-89ab-cdef-fedc-ba9876543210}",
                     "01234567_89ab_cdef_fedc_ba9876543210", "0123456-789ab-cdef-fedc-ba9876543210",
                     "01234567-89ab-cdef-fedc-ba987654321g", " 1234567-89ab-cdef-fedc-ba9876543210",
                     "01234567-89ab-cdef-fedc-ba98765432１", "urn:uuid:01234567-89ab-cdef-fedc-ba98"] {
            #expect(parse(text) == nil, "\(text)")
        }
    }
}
