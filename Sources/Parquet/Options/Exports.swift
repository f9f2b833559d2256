// Users configure compression through WriterOptions; they should not need a second import.
@_exported import enum ParquetCompression.Compression
