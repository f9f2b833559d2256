/// What a span of a batch's bytes is: the whole batch, or a piece of a batch array cut
/// between records so that threads parse it apart (``JSONBatchDecoder/pieces(of:count:)``).
///
/// A piece of an array holds whole records, each but the last piece's followed by the comma
/// before the next piece's first record: the head opens the array (`[{…},{…},`), a middle
/// piece has neither bracket (`{…},{…},`), the tail closes it (`{…},{…}]`).
enum _BatchFraming {
    /// The whole batch: a JSON array of records, or NDJSON (or an NDJSON piece cut at a newline).
    case whole
    /// The first piece of an array: `[`, then records each followed by a comma.
    case arrayHead
    /// A piece of an array between the head and the tail: records each followed by a comma.
    case arrayBody
    /// The last piece of an array: records separated by commas, then `]` and the end of input.
    case arrayTail

    /// The framing of piece `piece` of `count` pieces of a batch cut by ``JSONBatchDecoder/pieces(of:count:)``.
    static func of(piece: Int, count: Int, array: Bool) -> _BatchFraming {
        guard array else { return .whole }
        return piece == 0 ? .arrayHead : piece == count - 1 ? .arrayTail : .arrayBody
    }
}
