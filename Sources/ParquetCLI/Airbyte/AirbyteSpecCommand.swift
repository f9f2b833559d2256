import ArgumentParser

/// `parquet-writer airbyte spec`: prints the destination's SPEC message.
struct AirbyteSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Print the connector's SPEC message: the JSON Schema of its configuration and the sync modes it supports.")

    func run() throws {
        print(AirbyteSpecification.message())
    }
}
