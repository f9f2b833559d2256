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
/// holds its id, so each directory says which generation it holds: a retry finds the stream's
/// own directory already holding its generation when the sync was killed after publishing
/// (it then writes straight into it), and never mistakes the old data left under the
/// generation's name by a kill between the exchange and the removal for its own.
struct AirbyteGeneration {
    /// The stream's directory, where readers look.
    let target: String
    /// Where this run writes: the hidden generation directory, or ``target`` itself when it
    /// already holds this generation.
    let directory: String
    /// The generation's id.
    let generation: Int64
    /// Whether ``publish()`` has anything to swap (false when writing into ``target``).
    let needsPublishing: Bool

    /// The marker file's name.
    static let markerName = "_airbyte_generation"

    /// Prepares the generation's directory: sweeps the directories other generations left
    /// beside the stream's (abandoned jobs), keeps this generation's (an earlier attempt's
    /// committed files), and writes the marker.
    /// - Parameters:
    ///   - target: The stream's directory.
    ///   - generation: The configured stream's `generation_id`.
    /// - Throws: `ParquetError` `.io` when the directory or its marker cannot be made,
    ///   `.invalidOptions` for a target without a name of its own.
    init(target: String, generation: Int64) throws(ParquetError) {
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
        if Self.marker(in: self.target) == generation {
            // Published by an attempt killed before it could say so: the rest goes straight in.
            directory = self.target
            needsPublishing = false
            return
        }
        let prefix = Self.prefix(forStreamNamed: name)
        let own = prefix + String(generation)
        for entry in DatasetDirectory.names(in: parent) where entry.hasPrefix(prefix) {
            let path = DatasetDirectory.join(parent, entry)
            if entry != own || Self.marker(in: path) != generation { DatasetDirectory.removeTree(path) }
        }
        directory = DatasetDirectory.join(parent, own)
        needsPublishing = true
        try DatasetDirectory.create(directory)
        if Self.marker(in: directory) != generation { try Self.writeMarker(generation, in: directory) }
    }

    /// Replaces the stream's data with the generation (nothing to do when it was written in place).
    /// - Throws: `ParquetError` `.io` when the swap fails; the old data is then kept, and the
    ///   generation stays staged for a retry.
    func publish() throws(ParquetError) {
        guard needsPublishing else { return }
        let parent = DatasetDirectory.parentOf(target)
        var replaced = false
        switch DatasetDirectory.kind(target) {
        case .missing:
            try DatasetDirectory.move(directory, to: target)
        case .directory:
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
