import ParquetBytes

/// The values section of the page under construction: dictionary indices while the chunk is
/// dictionary-encoded, PLAIN bytes after it falls back (or throughout when dictionaries are off).
struct PendingValues {
    private let dictionaryEnabled: Bool
    /// Whether new values go to the dictionary.
    private(set) var usingDictionary: Bool
    /// Whether any page of this chunk holds dictionary indices, so a dictionary page is owed.
    private(set) var dictionaryUsed = false
    /// The page's dictionary indices.
    var indices: [UInt32] = []
    /// What the page's values would take PLAIN-encoded, while they go to the dictionary: the
    /// yardstick of the first page's check (see ``flushPage(into:dictionaryCount:dictionaryBytes:)``).
    var plainBytesOfIndices = 0
    /// The page's PLAIN values.
    var plain = ByteBuffer()
    /// Whether the first page's early dictionary check was made and passed.
    private var earlyCheckDone = false

    init(dictionary: Bool) {
        dictionaryEnabled = dictionary
        usingDictionary = dictionary
    }

    /// Whether the chunk's dictionary will be written (and so counts toward its size).
    var needsDictionaryPage: Bool { dictionaryUsed || usingDictionary }

    /// The page's values section, encoded, roughly.
    func estimatedBytes(dictionaryCount: Int) -> Int {
        usingDictionary
            ? PageAssembler.estimatedIndexBytes(count: indices.count, dictionaryCount: dictionaryCount)
            : plain.count
    }

    /// Closes the current page with these values.
    ///
    /// The chunk's first dictionary-encoded page also decides whether the dictionary pays:
    /// when its indices plus the dictionary so far take at least what PLAIN would, the column
    /// is (nearly) all distinct values, so this page is written PLAIN (its values looked up in
    /// the dictionary), no dictionary page is owed, and the rest of the chunk is PLAIN too.
    /// That is parquet-java's first-page check; without it a column of unique ids or amounts
    /// fills a dictionary up to `dictionaryPageBytes` (and a hash table several times that)
    /// before falling back, and a chunk of one page (a small partition's file) carries a
    /// dictionary as large as its values plus the indices.
    /// - Parameters:
    ///   - dictionaryCount: Entries in the dictionary.
    ///   - dictionaryBytes: The dictionary's PLAIN-encoded size.
    ///   - writePlain: Appends the PLAIN encoding of the dictionary entries the indices name.
    mutating func flushPage(
        into pages: inout PageAssembler, dictionaryCount: Int, dictionaryBytes: Int,
        writePlain: (UnsafeBufferPointer<UInt32>, inout ByteBuffer) -> Void
    ) throws(ParquetError) {
        guard pages.pageValueCount > 0 else { return }
        if usingDictionary {
            let firstPage = !dictionaryUsed
            let encodedBytes = PageAssembler.estimatedIndexBytes(count: indices.count, dictionaryCount: dictionaryCount)
            if firstPage && encodedBytes + dictionaryBytes >= plainBytesOfIndices {
                usingDictionary = false
                try indices.withUnsafeBufferPointer { indices throws(ParquetError) in
                    try pages.writeDataPage(encoding: .plain) { body in writePlain(indices, &body) }
                }
            } else {
                dictionaryUsed = true
                try indices.withUnsafeBufferPointer { indices throws(ParquetError) in
                    try pages.writeDictionaryIndexPage(indices: indices, dictionaryCount: dictionaryCount)
                }
            }
            indices.removeAll(keepingCapacity: true)
            plainBytesOfIndices = 0
        } else {
            try pages.writeDataPage(encoding: .plain, values: plain)
            plain.removeAll()
        }
    }

    /// Whether the chunk's first page, still open, has shown after ``earlyCheckValues``
    /// values that its dictionary cannot pay: nine in ten values distinct, and indices plus
    /// dictionary at least PLAIN's size. The first page's own check, made early so a column of
    /// distinct values (ids, timestamps, free text) stops hashing every value; it asks for
    /// nearly all distinct because a column with fewer distinct values than rows (5,000
    /// codes in 12,000 rows) can fail the check on its first values and pass it on the page.
    /// - Parameters:
    ///   - dictionaryCount: Entries in the dictionary.
    ///   - dictionaryBytes: The dictionary's PLAIN-encoded size.
    func dictionaryFailsEarly(dictionaryCount: Int, dictionaryBytes: Int) -> Bool {
        guard usingDictionary, !dictionaryUsed, !earlyCheckDone, indices.count >= Self.earlyCheckValues,
              dictionaryCount * 10 >= indices.count * 9
        else { return false }
        return PageAssembler.estimatedIndexBytes(count: indices.count, dictionaryCount: dictionaryCount) + dictionaryBytes
            >= plainBytesOfIndices
    }

    /// Values of the first page after which ``dictionaryFailsEarly(dictionaryCount:dictionaryBytes:)``
    /// decides: one mini-batch, enough to tell distinct values from repeating ones.
    static let earlyCheckValues = 1_024

    /// Marks the early check made (it passed: the dictionary stays until the page's own check).
    mutating func passEarlyCheck() {
        earlyCheckDone = true
    }

    /// Turns the open first page PLAIN: its values so far re-encoded from the dictionary, the
    /// rest of the chunk PLAIN, no dictionary page owed.
    /// - Parameter writePlain: Appends the PLAIN encoding of the dictionary entries the indices name.
    mutating func abandonDictionary(writePlain: (UnsafeBufferPointer<UInt32>, inout ByteBuffer) -> Void) {
        precondition(usingDictionary && !dictionaryUsed, "only the first page can leave its dictionary")
        indices.withUnsafeBufferPointer { indices in writePlain(indices, &plain) }
        indices.removeAll(keepingCapacity: true)
        plainBytesOfIndices = 0
        usingDictionary = false
    }

    /// Closes the current page and encodes the rest of the chunk PLAIN: the dictionary
    /// passed its byte limit.
    mutating func fallBack(
        into pages: inout PageAssembler, dictionaryCount: Int, dictionaryBytes: Int,
        writePlain: (UnsafeBufferPointer<UInt32>, inout ByteBuffer) -> Void
    ) throws(ParquetError) {
        try flushPage(into: &pages, dictionaryCount: dictionaryCount, dictionaryBytes: dictionaryBytes, writePlain: writePlain)
        usingDictionary = false
    }

    /// Starts the next chunk.
    mutating func reset() {
        usingDictionary = dictionaryEnabled
        dictionaryUsed = false
        earlyCheckDone = false
        indices.removeAll(keepingCapacity: true)
        plainBytesOfIndices = 0
        plain.removeAll()
    }
}
