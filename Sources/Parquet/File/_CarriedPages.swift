/// Pages a file's columns closed at the end of a write, compressed by tasks attached to the
/// pool's next loop (``WorkerPool/attach(_:_:)``) and recorded by the file when it resumes.
///
/// A class the attached tasks hold strongly, so a task that runs after the file was dropped
/// (aborted) touches only this; its pages live in a buffer that never moves, and each task
/// touches only its own page.
final class _CarriedPages: @unchecked Sendable {
    // @unchecked: task `i` writes only `pages[i]` and `failures[i]`; the file reads them after
    // `WorkerPool.runAttached()`, which returns once every attached task has.
    /// Each page's column.
    let owners: [Int]
    private let pages: UnsafeMutableBufferPointer<PendingPage>
    private let failures: UnsafeMutableBufferPointer<ParquetError?>
    /// The most the pages take once compressed (as ``PageAssembler`` counts them).
    let bound: Int

    /// - Parameters:
    ///   - owners: Each page's column.
    ///   - pages: The pages, in the order they are to be recorded.
    init(owners: [Int], pages: [PendingPage]) {
        self.owners = owners
        self.pages = .allocate(capacity: pages.count)
        _ = self.pages.initialize(from: pages)
        failures = .allocate(capacity: pages.count)
        failures.initialize(repeating: nil)
        bound = pages.reduce(0) { $0 + $1.bound }
    }

    deinit {
        pages.deinitialize()
        pages.deallocate()
        failures.deinitialize()
        failures.deallocate()
    }

    /// The number of pages.
    var count: Int { pages.count }

    /// Compresses page `index` with `workspace` (the task's thread's), keeping a failure for
    /// ``take(_:)``.
    func compress(_ index: Int, with workspace: PageWorkspace) {
        guard !pages[index].isCompressed else { return }
        do throws(ParquetError) {
            try pages[index].compress(with: workspace)
        } catch {
            failures[index] = error
        }
    }

    /// Page `index`, compressed.
    /// - Throws: The failure of its compression.
    func take(_ index: Int) throws(ParquetError) -> PendingPage {
        if let failure = failures[index] { throw failure }
        return pages[index]
    }
}
