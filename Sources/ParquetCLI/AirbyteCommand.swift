import ArgumentParser

/// `parquet-writer airbyte`: an Airbyte destination connector, one Parquet dataset per stream.
///
/// The protocol's commands are subcommands: `spec`, `check --config F`, `write --config F
/// --catalog F`. `write` is the default, so the earlier form `parquet-writer airbyte --catalog F
/// --output D [flags]` still runs (the settings then come from flags instead of a config file).
struct AirbyteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "airbyte",
        abstract: "An Airbyte destination connector: spec, check, write (Airbyte protocol messages on stdin, a Parquet dataset per stream).",
        discussion: """
            The Airbyte protocol's destination commands: `spec` prints the connector's specification \
            (the JSON Schema of its configuration), `check --config F` tests that the destination path \
            is writable, `write --config F --catalog F` reads a source's messages on stdin and writes \
            each stream as a dataset. `write` is the default subcommand: `parquet-writer airbyte \
            --catalog F --output D [flags]` is the command-line form of `write`.
            """,
        subcommands: [AirbyteWriteCommand.self, AirbyteSpecCommand.self, AirbyteCheckCommand.self],
        defaultSubcommand: AirbyteWriteCommand.self)
}
