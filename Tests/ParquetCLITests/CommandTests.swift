import ArgumentParser
import ParquetCLI
import Testing

@Suite struct CommandTests {
    @Test func unknownSubcommandIsAnError() {
        #expect(throws: (any Error).self) { try ParquetWriterCommand.parseAsRoot(["no-such-command"]) }
    }
}
