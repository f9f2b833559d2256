import ArgumentParser
import Parquet

/// `parquet-writer`: the command-line face of the library. Each subcommand is a thin shell
/// over the same writer the C ABI and the Swift API use; none holds encoding logic.
public struct ParquetWriterCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parquet-writer",
        abstract: "Write JSON records as Parquet files and datasets, and look inside Parquet files.",
        version: ParquetWriter.createdBy,
        subcommands: [ConvertCommand.self, InspectCommand.self, AirbyteCommand.self])

    public init() {}
}
