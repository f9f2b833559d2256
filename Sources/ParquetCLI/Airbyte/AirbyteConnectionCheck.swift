#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Parquet
import ParquetJSON

/// What `parquet-writer airbyte check` does: reads the configuration (and the catalog, when
/// one is given), then proves the destination path writable by creating it if needed and
/// writing, syncing and removing a probe file there.
///
/// Every outcome is a CONNECTION_STATUS, never an exception: the protocol reads a failed
/// check from the message, and the command exits 0 either way.
enum AirbyteConnectionCheck {
    /// Runs the check.
    /// - Parameters:
    ///   - configPath: The configuration file.
    ///   - catalogPath: A configured catalog to check too (its sync modes and stream names), or nil.
    /// - Returns: Whether the destination can write, and a message saying what was checked or
    ///   what is wrong.
    static func run(configPath: String, catalogPath: String?) -> (succeeded: Bool, message: String) {
        let config: AirbyteConfig
        do {
            config = try AirbyteConfig(json: try CLIFiles.readJSON(configPath, what: "configuration"))
            try config.validate()
        } catch {
            return (false, "the configuration '\(configPath)' cannot be used: \(error)")
        }
        if let catalogPath {
            do {
                let catalog = try AirbyteCatalog(json: try CLIFiles.readJSON(catalogPath, what: "catalog"))
                for stream in catalog.streams {
                    if let refusal = AirbyteSyncModes.refusal(of: stream) { return (false, refusal) }
                    _ = try config.configuration(for: stream)
                }
            } catch {
                return (false, "the catalog '\(catalogPath)' cannot be used: \(error)")
            }
        }
        if let problem = probe(config.destinationPath) { return (false, problem) }
        return (true, "the destination path '\(config.destinationPath)' is writable (a probe file was written and removed)")
    }

    /// Creates `directory` (and its parents) when missing, then writes, fsyncs and removes a
    /// probe file in it.
    /// - Parameter directory: The destination path.
    /// - Returns: nil when all of that worked, else what failed, with the system's reason.
    static func probe(_ directory: String) -> String? {
        if let problem = makeDirectories(directory) { return problem }
        var bytes: UInt64 = 0
        withUnsafeMutableBytes(of: &bytes) { AirbyteRandomSource().fill($0) }
        let path = (directory.hasSuffix("/") ? directory : directory + "/")
            + ".parquet-writer-check-\(getpid())-\(String(bytes, radix: 16))"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return "cannot create a file in '\(directory)': \(CLIFiles.errorText())" }
        let text = Array("parquet-writer check\n".utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        var problem: String?
        if written != text.count {
            problem = "cannot write a file in '\(directory)': \(written < 0 ? CLIFiles.errorText() : "short write")"
        } else if fsync(descriptor) != 0 {
            problem = "cannot sync a file in '\(directory)': \(CLIFiles.errorText())"
        }
        close(descriptor)
        if unlink(path) != 0 && problem == nil {
            problem = "cannot remove the probe file '\(path)': \(CLIFiles.errorText())"
        }
        return problem
    }

    /// `mkdir -p`.
    /// - Parameter path: The directory.
    /// - Returns: nil when it exists afterwards, else why not.
    private static func makeDirectories(_ path: String) -> String? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                return "cannot create the directory '\(prefix)': \(CLIFiles.errorText())"
            }
            prefix += "/"
        }
        var status = stat()
        guard stat(path, &status) == 0 else { return "cannot reach '\(path)': \(CLIFiles.errorText())" }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { return "'\(path)' exists and is not a directory" }
        return nil
    }
}
