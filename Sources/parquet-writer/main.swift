import ParquetCLI

ParquetWriterCommand.main()
