#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetDataset

/// Where an `overwrite` stream writes its sync's generation, and how that generation replaces
/// the stream's data once the sync is complete.
///
/// The generation is written (in `append` mode) into a hidden directory beside the stream's,
/// `.<stream>.airbyte-generation-<generation_id>`, committed there at every STATE, and kept
/// when the sync fails: Airbyte retries a failed sync as another attempt of the same job, with
/// the same `generation_id`, and the source resumes from the last STATE echoed, so the records
/// committed before it must still be there. Only a successful end of the input publishes the
/// generation: the directory is exchanged with the stream's in one atomic step
/// (`renameat2(RENAME_EXCHANGE)`, as a dataset's `overwrite` mode does), the parent fsynced,
/// and the old data, now under the generation's name, removed. Readers see the old data whole
/// until then.
///
/// A marker file `_airbyte_generation` (readers skip `_` files) in the generation directory
/// holds its id, so a directory under the generation's name is resumed only when it really is
/// that generation's: the publish unlinks the old data's marker before the exchange, so the old
/// data that a kill between the exchange and its removal leaves under the generation's name is
/// never taken for the new generation's.
///
/// Without a `generation_id` in the catalog (an older platform, or a hand-written catalog) a
/// retry cannot be told from the next sync, so every run is a generation of its own: it starts
/// from an empty directory (`.<stream>.airbyte-generation-none`) and writes no marker.
/// PyAirbyte gives every sync generation 1: after a failed sync of its, the next one resumes
/// the failed one's committed records, as the platform's retry would (at least once).
struct AirbyteGeneration {
    /// The stream's directory, where readers look.
    let target: String
    /// Where this run writes: the hidden generation directory.
    let directory: String
    /// The generation's id; nil when the catalog gives none.
    let generation: Int64?

    /// The marker file's name.
    static let markerName = "_airbyte_generation"

    /// Prepares the generation's directory: sweeps the directories other generations left
    /// beside the stream's (abandoned jobs, old data swapped out), keeps this generation's (an
    /// earlier attempt's committed files), and writes the marker.
    /// - Parameters:
    ///   - target: The stream's directory.
    ///   - generation: The configured stream's `generation_id`, nil when it has none.
    /// - Throws: `ParquetError` `.io` when the directory or its marker cannot be made,
    ///   `.invalidOptions` for a target without a name of its own.
    init(target: String, generation: Int64?) throws(ParquetError) {
        var trimmed = Substring(target)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.target = String(trimmed)
        self.generation = generation
        let name = DatasetDirectory.lastComponent(self.target)
        guard !name.isEmpty, name != ".", name != "..", name != "/" else {
            throw ParquetError(.invalidOptions, "an overwrite stream needs a directory with a name of its own, not '\(target)'")
        }
        let parent = DatasetDirectory.parentOf(self.target)
        try DatasetDirectory.create(parent)
        let prefix = Self.prefix(forStreamNamed: name)
        let own = prefix + (generation.map { String($0) } ?? "none")
        for entry in DatasetDirectory.names(in: parent) where entry.hasPrefix(prefix) {
            let path = DatasetDirectory.join(parent, entry)
            // Kept only when it is this generation's own, marked as such (an unversioned
            // run never resumes).
            if entry != own || generation == nil || Self.marker(in: path) != generation {
                DatasetDirectory.removeTree(path)
            }
        }
        directory = DatasetDirectory.join(parent, own)
        try DatasetDirectory.create(directory)
        if let generation, Self.marker(in: directory) != generation { try Self.writeMarker(generation, in: directory) }
    }

    /// Replaces the stream's data with the generation.
    /// - Throws: `ParquetError` `.io` when the swap fails; the old data is then kept, and the
    ///   generation stays staged for a retry.
    func publish() throws(ParquetError) {
        let parent = DatasetDirectory.parentOf(target)
        var replaced = false
        switch DatasetDirectory.kind(target) {
        case .missing:
            try DatasetDirectory.move(directory, to: target)
        case .directory:
            // Unmarked, the old data can never pass for a generation to resume once swapped out.
            let oldMarker = DatasetDirectory.join(target, Self.markerName)
            if unlink(oldMarker) == 0 { DatasetDirectory.syncDirectory(target) }
            try DatasetDirectory.exchange(directory, target)
            replaced = true
        case .symbolicLink, .other:
            throw ParquetError(.io, "'\(target)' exists and is not a directory; it is kept and the new generation discarded")
        }
        DatasetDirectory.syncDirectory(parent)
        if replaced { DatasetDirectory.removeTree(directory) }
    }

    /// `.<name>.airbyte-generation-`, the name cut to 100 bytes so the whole stays under NAME_MAX.
    static func prefix(forStreamNamed name: String) -> String {
        var cut = ""
        for scalar in name.unicodeScalars {
            guard cut.utf8.count + String(scalar).utf8.count <= 100 else { break }
            cut.unicodeScalars.append(scalar)
        }
        return ".\(cut).airbyte-generation-"
    }

    /// The generation a directory's marker names, nil without a readable marker.
    static func marker(in directory: String) -> Int64? {
        let descriptor = open(DatasetDirectory.join(directory, markerName), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        var text = String(decoding: bytes[..<count], as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return Int64(text)
    }

    /// Writes the marker durably (the file, then its directory, fsynced).
    private static func writeMarker(_ generation: Int64, in directory: String) throws(ParquetError) {
        let path = DatasetDirectory.join(directory, markerName)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot write '\(path)': \(DatasetDirectory.errorText())")
        }
        let text = Array("\(generation)\n".utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == text.count, synced else {
            throw ParquetError(.io, "cannot write '\(path)': \(DatasetDirectory.errorText())")
        }
        DatasetDirectory.syncDirectory(directory)
    }
}
