#if canImport(Glibc)
import Glibc
#endif
import Parquet
@testable import ParquetDataset
import Testing

/// A dataset whose files a factory opens (an object store, a C caller's sink): the factory is
/// asked for each file by its path inside the dataset, each sink is committed on its own as
/// the file finishes, aborted when the dataset is, and nothing touches the local file system.
@Suite struct DatasetSinkTests {
    /// Files in memory by relative path: committed ones, and the names of aborted ones.
    final class MemoryStore: OutputSinkFactory {
        var committed: [String: [UInt8]] = [:]
        var aborted: [String] = []
        var opened: [String] = []

        final class Sink: OutputSink {
            let store: MemoryStore
            let name: String
            var bytes: [UInt8] = []
            var done = false
            var path: String { "mem://ds/" + name }

            init(store: MemoryStore, name: String) {
                self.store = store
                self.name = name
            }

            func write(_ buffer: UnsafeRawBufferPointer) throws(ParquetError) { bytes.append(contentsOf: buffer) }

            func commit() throws(ParquetError) {
                done = true
                store.committed[name] = bytes
            }

            func abort() {
                guard !done else { return }
                done = true
                store.aborted.append(name)
            }
        }

        func makeSink(for path: String) throws(ParquetError) -> any OutputSink {
            opened.append(path)
            return Sink(store: self, name: path)
        }
    }

    static let schema = DatasetWriterTests.schema

    @Test func partitionedFilesAreOpenedByRelativePathAndCommittedOneByOne() throws {
        let store = MemoryStore()
        let dataset = try DatasetWriter(
            directory: "mem://ds", sinks: store, schema: Self.schema,
            dataset: DatasetOptions(maxRowsPerFile: 5, partitionBy: [PartitionField(column: "currency")]))
        let rolled = try dataset.write(DatasetWriterTests.batch(0..<12))
        // Six rows per currency, at most five per file: one file of each partition finished.
        #expect(rolled.count == 2)
        #expect(store.committed.count == 2)
        let closed = try dataset.close()
        #expect(closed.count == 2)
        #expect(store.aborted.isEmpty)
        #expect(Set(store.committed.keys) == Set(store.opened))
        for name in store.opened {
            #expect(name.hasPrefix("currency=EUR/part-") || name.hasPrefix("currency=USD/part-"))
            #expect(name.hasSuffix(".parquet") && !name.hasPrefix("/"))
        }
        #expect((rolled + closed).allSatisfy { $0.path.hasPrefix("mem://ds/currency=") })
        #expect((rolled + closed).map(\.rows).sorted() == [1, 1, 5, 5])
        for bytes in store.committed.values {
            #expect(Array(bytes.prefix(4)) == Array("PAR1".utf8) && Array(bytes.suffix(4)) == Array("PAR1".utf8))
        }
        // Nothing was created locally under the dataset's name.
        var status = stat()
        #expect(stat("mem:", &status) != 0)
    }

    @Test func abortDiscardsTheOpenFilesAndKeepsTheFinishedOnes() throws {
        let store = MemoryStore()
        let dataset = try DatasetWriter(
            directory: "mem://ds", sinks: store, schema: Self.schema, dataset: DatasetOptions(maxRowsPerFile: 4))
        try dataset.write(DatasetWriterTests.batch(0..<6))
        dataset.abort()
        #expect(store.committed.count == 1)
        #expect(store.aborted.count == 1)
        #expect(store.opened.count == 2)
    }
}
