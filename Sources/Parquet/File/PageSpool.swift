#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ParquetBytes

/// Finished pages of the open row group, parked in an unlinked scratch file until the row
/// group is written.
///
/// A column chunk must be contiguous in the file, so every column's pages wait until the
/// row group closes. Held in memory, that is the whole compressed row group (37 MB for a
/// million 11-column records); parked here, a column keeps only its last
/// ``WriterOptions/columnBufferBytes`` in memory and the rest sits in the page cache. The
/// file has no name (O_TMPFILE, or unlinked right after creation where that is not
/// supported), so nothing is left behind however the process ends.
///
/// Not thread-safe: one writer's column writers use it in turn.
final class PageSpool {
    private var descriptor: Int32
    /// Bytes parked so far: where the next extent starts.
    private(set) var size = 0
    /// Read buffer for copying extents to the output.
    private var copyBuffer: UnsafeMutableRawBufferPointer?

    /// Opens a nameless scratch file in `directory`: a file output's own directory, so the
    /// spool shares its filesystem, or the temporary directory for outputs that are not files.
    /// Where O_TMPFILE is not supported, a fresh `.parquet-<pid>-<random>.spool` there is
    /// created and unlinked at once.
    /// - Parameter directory: Where, as `open` takes it ("." for the working directory).
    /// - Throws: `ParquetError` with code `.io` when no scratch file can be made there.
    init(directory: String) throws(ParquetError) {
        #if os(Linux)
        // O_TMPFILE (__O_TMPFILE | O_DIRECTORY) is a compound macro Swift does not import;
        // the value is the same on every Linux architecture Swift supports.
        let temporaryFileFlag: Int32 = 0o20_200_000
        descriptor = open(directory, O_RDWR | O_CLOEXEC | temporaryFileFlag, 0o600)
        #else
        descriptor = -1
        #endif
        if descriptor < 0 {
            // Filesystems without O_TMPFILE: create, then unlink at once.
            let prefix = directory == "." ? "" : directory.hasSuffix("/") ? directory : directory + "/"
            let fallbackPath = FileSystemCalls.scratchPath(in: prefix, extension: "spool")
            descriptor = open(fallbackPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 { unlink(fallbackPath) }
        }
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot create a scratch file for pages in '\(directory)': \(FileSystemCalls.errorText())")
        }
    }

    deinit {
        close(descriptor)
        copyBuffer?.deallocate()
    }

    /// Parks `bytes` and returns where they are.
    /// - Throws: `ParquetError` with code `.io` (disk full, ...).
    func append(_ bytes: ByteBuffer) throws(ParquetError) -> Range<Int> {
        let start = size
        try bytes.withUnsafeReadableBytes { raw throws(ParquetError) in
            var done = 0
            while done < raw.count {
                let written = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(start + done))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError(.io, "cannot write the page scratch file: \(FileSystemCalls.errorText())")
                }
                done += written
            }
        }
        size += bytes.count
        return start..<size
    }

    /// Copies a parked extent to the output.
    /// - Throws: `ParquetError` with code `.io`.
    func copy(_ extent: Range<Int>, to sink: any OutputSink) throws(ParquetError) {
        let buffer = copyBuffer ?? .allocate(byteCount: 1 << 20, alignment: 16)
        copyBuffer = buffer
        var offset = extent.lowerBound
        while offset < extent.upperBound {
            let wanted = Swift.min(buffer.count, extent.upperBound - offset)
            let got = pread(descriptor, buffer.baseAddress!, wanted, off_t(offset))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw ParquetError(.io, "cannot read the page scratch file: \(got < 0 ? FileSystemCalls.errorText() : "unexpected end")")
            }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
            offset += got
        }
    }

    /// Forgets every extent once the row group is written. The file keeps its size, so the
    /// next row group overwrites pages the system already holds instead of freeing and
    /// allocating them again (a profile of uncompressed output spent a fifth of its time
    /// there); the space goes back when the writer ends.
    func reset() {
        size = 0
    }
}
