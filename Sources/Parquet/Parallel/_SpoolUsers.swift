import ParquetBytes

/// The row groups open over one page spool: files that share threads (a dataset's partition
/// files) keep row groups open at the same time, each with pages in the one spool, and end
/// them from any thread.
///
/// A row group that ends gives back only its own extents while another is open, and resets
/// the spool (its next extents overwrite the file from the start, see ``ScratchFile/reset()``)
/// when it was the last: a reset while another row group still had pages there would let new
/// pages overwrite them.
final class _SpoolUsers: Sendable {
    private let open = Lock(0)

    /// Counts a row group that starts writing pages (before its first page reaches the spool).
    func enter() {
        open.withLock { $0 += 1 }
    }

    /// The row groups open now (for tests).
    var openRowGroups: Int { open.withLock { $0 } }

    /// Counts a row group out once its pages are copied from the spool.
    /// - Parameters:
    ///   - spool: The spool, or nil when pages are kept in memory.
    ///   - extents: The row group's extents in it.
    func leave(spool: ScratchFile?, extents: [Range<Int>]) {
        open.withLock { open in
            open -= 1
            guard let spool else { return }
            if open == 0 {
                spool.reset()
            } else {
                for extent in extents { spool.discard(extent) }
            }
        }
    }
}
