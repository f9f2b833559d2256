import Parquet

/// The `overwrite` and `overwrite_partitions` modes of a local dataset: its files are written
/// into a hidden staging directory beside the root (the same parent, so the same file
/// system, so a rename can move them) and published into the root by atomic renames.
///
/// A *unit* is what one atomic step replaces: the whole root (`overwrite`), or one leaf
/// partition directory (`overwrite_partitions`). Publishing a unit exchanges its staged
/// directory with the root's (`renameat2(RENAME_EXCHANGE)`), or renames it in when the root
/// has none, fsyncs the parent so the swap is durable, and only then removes the old data,
/// which the exchange left under the staging name. A crash before the exchange leaves the old
/// data in place, after it the new: never a mix. Whatever is left (the staging directory of a
/// dead writer) is hidden from readers and swept by the next writer opened on the root.
///
/// Once a unit is published, its later files go straight into the root: they belong to the
/// new data (a pipeline's ``DatasetWriter/commitFiles()`` publishes what it has so far, and
/// writing goes on). Partitions are replaced one by one, each atomically, not all in one step,
/// as Spark's dynamic partition overwrite does.
final class _DatasetStaging: OutputSinkFactory {
    /// The dataset's root, without trailing slashes.
    let root: String
    /// The staging directory: `<parent>/.<root name>.staging-<host>-<pid>-<random>`.
    let staging: String
    /// Whether units are leaf partitions (`overwrite_partitions`) or the whole root.
    let byPartition: Bool
    /// Opens files in the staging directory; nil once it is gone (published as the whole
    /// root, or discarded).
    private var stagedSinks: LocalDirectorySinks?
    /// Opens files of published units in the root, made when first needed.
    private var rootSinks: LocalDirectorySinks?
    /// Units published (replaced) in this run.
    private var published: Set<String> = []
    /// The dataset's commit queue, for every file opened here.
    private let durability: CommitQueue?
    /// Units with staged files, waiting to be published. The whole root is always one: an
    /// overwrite that writes nothing leaves an empty dataset.
    private var pending: Set<String>

    /// Sweeps the staging directories of dead writers beside `root` and makes a fresh one.
    /// - Parameters:
    ///   - root: The dataset's directory; it need not exist.
    ///   - byPartition: Whether each leaf partition is replaced on its own.
    ///   - durability: The dataset's commit queue for the files, or nil.
    /// - Throws: `ParquetError` `.invalidOptions` for a root that has no name of its own
    ///   (`.`, `/`) or is a symbolic link (the link, not its target, would be replaced), `.io`
    ///   when it is not a directory or the staging directory cannot be made.
    init(root: String, byPartition: Bool, durability: CommitQueue? = nil) throws(ParquetError) {
        var trimmed = Substring(root)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let name = DatasetDirectory.lastComponent(root)
        guard !name.isEmpty, name != ".", name != "..", name != "/" else {
            throw ParquetError(
                .invalidOptions, "mode overwrite needs a dataset directory with a name of its own, not '\(root)'")
        }
        self.root = String(trimmed)
        self.byPartition = byPartition
        self.durability = durability
        pending = byPartition ? [] : [""]
        switch DatasetDirectory.kind(self.root) {
        case .missing, .directory:
            break
        case .symbolicLink:
            throw ParquetError(
                .invalidOptions,
                "the dataset directory '\(root)' is a symbolic link; mode overwrite would replace the link, so give its target")
        case .other:
            throw ParquetError(.io, "'\(root)' exists and is not a directory")
        }
        let parent = DatasetDirectory.parentOf(self.root)
        try DatasetDirectory.create(parent)
        DatasetDirectory.removeAbandonedStaging(in: parent, rootName: name)
        staging = DatasetDirectory.join(parent, DatasetDirectory.stagingName(forRootNamed: name))
        try DatasetDirectory.createFresh(staging)
        stagedSinks = try LocalDirectorySinks(root: staging, reportedRoot: self.root, durability: durability)
    }

    /// Where scratch files go: the staging directory while it exists, then the root.
    var scratchDirectory: String { stagedSinks == nil ? root : staging }

    /// The unit a file inside the dataset belongs to.
    private func unit(of path: String) -> String {
        byPartition ? path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "" : ""
    }

    /// Opens a file: in the root when its unit is already published, else in the staging
    /// directory.
    /// - Parameter path: The file's path inside the dataset.
    /// - Returns: The file's sink; its summary names the file's path in the root.
    /// - Throws: `ParquetError` `.io` when a directory or the file cannot be created.
    func makeSink(for path: String) throws(ParquetError) -> any OutputSink {
        let unit = unit(of: path)
        if published.contains(unit) {
            if rootSinks == nil { rootSinks = try LocalDirectorySinks(root: root, durability: durability) }
            return try rootSinks!.makeSink(for: path)
        }
        guard let stagedSinks else {
            throw ParquetError(.internalError, "a file was opened after the dataset's staging directory was removed")
        }
        pending.insert(unit)
        return try stagedSinks.makeSink(for: path)
    }

    /// Publishes every unit with staged files. Called only when every staged file is
    /// committed (no file open).
    /// - Throws: `ParquetError` `.io` when a unit cannot be moved into the root (the units
    ///   published before it stay published).
    func publish() throws(ParquetError) {
        for unit in pending.sorted() {
            try publish(unit)
            pending.remove(unit)
            published.insert(unit)
        }
    }

    private func publish(_ unit: String) throws(ParquetError) {
        let staged = DatasetDirectory.join(staging, unit)
        let target = DatasetDirectory.join(root, unit)
        let parent = DatasetDirectory.parentOf(target)
        if !unit.isEmpty { try DatasetDirectory.create(parent) }
        var replaced = false
        switch DatasetDirectory.kind(target) {
        case .missing:
            // A directory renamed over one created meanwhile replaces it only if it is
            // empty (ENOTEMPTY otherwise): no data is lost either way.
            try DatasetDirectory.move(staged, to: target)
        case .directory:
            try DatasetDirectory.exchange(staged, target)
            replaced = true
        case .symbolicLink, .other:
            throw ParquetError(.io, "'\(target)' exists and is not a directory; it is kept and the new data discarded")
        }
        // The swap is durable once the directory holding both names is.
        DatasetDirectory.syncDirectory(parent)
        if replaced { DatasetDirectory.removeTree(staged) }
        if unit.isEmpty { stagedSinks = nil }
    }

    /// Removes the staging directory with whatever it holds: unpublished files on abort or
    /// failure (the root is untouched), the emptied partition directories after the last
    /// publish.
    func discard() {
        guard stagedSinks != nil else { return }
        stagedSinks = nil
        pending.removeAll()
        DatasetDirectory.removeTree(staging)
    }
}
