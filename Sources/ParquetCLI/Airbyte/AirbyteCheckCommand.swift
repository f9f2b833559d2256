import ArgumentParser

/// `parquet-writer airbyte check --config F`: prints a CONNECTION_STATUS message.
struct AirbyteCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a configuration: print CONNECTION_STATUS SUCCEEDED when the destination path is writable, FAILED with the reason otherwise.",
        discussion: """
            The configuration is read and its values checked; the destination path is created if \
            needed, and a probe file is written, synced and removed there. With --catalog, the \
            catalog's streams are checked too (a destination_sync_mode this destination does not \
            implement, such as append_dedup, fails the check). The exit status is 0 either way, as \
            the protocol expects: the outcome is the message.
            """)

    @Option(help: ArgumentHelp("The destination configuration (JSON; see `airbyte spec`).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("A configured catalog to check as well (optional).", valueName: "file"))
    var catalog: String?

    func run() throws {
        let outcome = AirbyteConnectionCheck.run(configPath: config, catalogPath: catalog)
        print(AirbyteMessageText.connectionStatus(succeeded: outcome.succeeded, outcome.message))
    }
}
