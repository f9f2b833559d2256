/// Where a column chunk stands with its dictionary: the open page's indices, and the
/// decisions that turn the chunk to its value encoding (PLAIN for every column that tries a
/// dictionary).
///
/// The chunk's first dictionary-encoded page decides whether the dictionary pays: when its
/// indices plus the dictionary so far take at least what PLAIN would, the column is (nearly)
/// all distinct values, so that page is written PLAIN (its values looked up in the
/// dictionary), no dictionary page is owed, and the rest of the chunk is PLAIN too. That is
/// parquet-java's first-page check; without it a column of unique ids or amounts fills a
/// dictionary up to `dictionaryPageBytes` (and a hash table several times that) before
/// falling back, and a chunk of one page (a small partition's file) carries a dictionary as
/// large as its values plus the indices.
///
/// A column whose field asked for `"encoding": "dictionary"` is `forced`: neither check is
/// made, and only the dictionary page size limit ends the dictionary.
struct DictionaryState {
    private let enabled: Bool
    /// Whether the field asked for the dictionary, so the checks that drop it are not made.
    private let forced: Bool
    /// Whether new values go to the dictionary.
    private(set) var active: Bool
    /// Whether any page of this chunk holds dictionary indices, so a dictionary page is owed.
    private(set) var used = false
    /// The open page's dictionary indices.
    var indices: [UInt32] = []
    /// What the open page's values would take PLAIN-encoded: the yardstick of the checks.
    var plainBytesOfIndices = 0
    /// Whether the first page's early check was made and passed.
    private var earlyCheckDone = false

    /// - Parameters:
    ///   - enabled: Whether the column tries a dictionary at all.
    ///   - forced: Whether the dictionary is kept whatever it saves (up to its byte limit).
    init(enabled: Bool, forced: Bool = false) {
        self.enabled = enabled
        self.forced = forced
        active = enabled
    }

    /// Whether the chunk's dictionary will be written (and so counts toward its size).
    var needsDictionaryPage: Bool { used || active }

    /// Values of the first page after which ``failsEarly(dictionaryCount:dictionaryBytes:)``
    /// decides: one mini-batch, enough to tell distinct values from repeating ones.
    static let earlyCheckValues = 1_024

    /// The open page's indices, encoded, roughly.
    func estimatedIndexBytes(dictionaryCount: Int) -> Int {
        Self.estimatedIndexBytes(count: indices.count, dictionaryCount: dictionaryCount)
    }

    /// Estimated bytes of `count` dictionary indices for a dictionary of `dictionaryCount` entries.
    static func estimatedIndexBytes(count: Int, dictionaryCount: Int) -> Int {
        PageAssembler.estimatedIndexBytes(count: count, dictionaryCount: dictionaryCount)
    }

    /// Whether the chunk's first page, still open, has shown after ``earlyCheckValues``
    /// values that its dictionary cannot pay: nine in ten values distinct, and indices plus
    /// dictionary at least PLAIN's size. The first page's own check, made early so a column of
    /// distinct values (ids, timestamps, free text) stops hashing every value; it asks for
    /// nearly all distinct because a column with fewer distinct values than rows (5,000
    /// codes in 12,000 rows) can fail the check on its first values and pass it on the page.
    /// Once it has passed, it is not made again.
    mutating func failsEarly(dictionaryCount: Int, dictionaryBytes: Int) -> Bool {
        guard active, !forced, !used, !earlyCheckDone, indices.count >= Self.earlyCheckValues else { return false }
        if dictionaryCount * 10 >= indices.count * 9
            && estimatedIndexBytes(dictionaryCount: dictionaryCount) + dictionaryBytes >= plainBytesOfIndices
        {
            return true
        }
        earlyCheckDone = true
        return false
    }

    /// Whether the open page, about to close, is the chunk's first and its dictionary does
    /// not pay (see the type's doc).
    func firstPageFails(dictionaryCount: Int, dictionaryBytes: Int) -> Bool {
        !forced && !used
            && estimatedIndexBytes(dictionaryCount: dictionaryCount) + dictionaryBytes >= plainBytesOfIndices
    }

    /// Records that the open page was written with its indices.
    mutating func pageWritten() {
        used = true
        clearPage()
    }

    /// Sends the rest of the chunk to the value encoding (the open page's indices must have been re-encoded
    /// or written first).
    mutating func deactivate() {
        active = false
        clearPage()
    }

    private mutating func clearPage() {
        indices.removeAll(keepingCapacity: true)
        plainBytesOfIndices = 0
    }

    /// Starts the next chunk.
    mutating func reset() {
        active = enabled
        used = false
        earlyCheckDone = false
        clearPage()
    }
}
