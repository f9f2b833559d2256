#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ParquetBytes

/// A nameless scratch file: bytes appended as extents, read back or copied to an output
/// later, and their space given back once they are no longer needed.
///
/// Two things wait here. A file writer parks the finished pages of its open row group (a
/// column chunk must be contiguous in the file, so every column's pages wait until the row
/// group closes: held in memory, that is the whole compressed row group, 37 MB for a million
/// 11-column records; parked here, a column keeps only its last
/// ``WriterOptions/columnBufferBytes`` in memory and the rest sits in the page cache). A
/// partitioned dataset writer spills the rows it staged for partitions over its memory
/// budget, and reads them back when it writes their row groups.
///
/// The file has no name (O_TMPFILE, or unlinked right after creation where that is not
/// supported), so nothing is left behind however the process ends.
///
/// ``append(_:)-(ByteBuffer)``, ``read(_:into:)``, ``copy(_:to:)`` and ``discard(_:)`` may be
/// called from several threads at once on distinct extents (a file's columns, encoded in
/// parallel, park pages in one spool; a dataset's partition files, written in parallel, share
/// it and end their row groups from any thread): each append reserves its extent under a
/// lock, then writes it with `pwrite` outside it; reads and copies name their offsets. Only
/// ``reset()`` needs no other call running and no extent still to be read.
package final class ScratchFile: @unchecked Sendable {
    private let descriptor: Int32
    /// Bytes reserved since the last ``reset()``: where the next extent starts.
    private let end = Lock(0)
    /// Read buffer for copying extents to an output, kept between copies; a copy running
    /// while another holds it uses one of its own.
    private let copyBuffer = Lock(CopyBuffer())

    /// The kept read buffer: owned by whoever took it out of ``copyBuffer``.
    private struct CopyBuffer: @unchecked Sendable {
        var memory: UnsafeMutableRawBufferPointer?
    }

    /// Opens a nameless scratch file in `directory`: an output's own directory, so the
    /// scratch shares its filesystem, or the temporary directory for outputs that are not
    /// files. Where O_TMPFILE is not supported, a fresh `.parquet-<host>-<pid>-<random>.spool`
    /// there is created and unlinked at once.
    /// - Parameter directory: Where, as `open` takes it ("." for the working directory).
    /// - Throws: `ParquetError` with code `.io` when no scratch file can be made there.
    package init(directory: String) throws(ParquetError) {
        #if os(Linux)
        // O_TMPFILE (__O_TMPFILE | O_DIRECTORY) is a compound macro Swift does not import;
        // the value is the same on every Linux architecture Swift supports.
        let temporaryFileFlag: Int32 = 0o20_200_000
        var descriptor = open(directory, O_RDWR | O_CLOEXEC | temporaryFileFlag, 0o600)
        #else
        var descriptor: Int32 = -1
        #endif
        if descriptor < 0 {
            // Filesystems without O_TMPFILE: create, then unlink at once.
            let prefix = directory == "." ? "" : directory.hasSuffix("/") ? directory : directory + "/"
            let fallbackPath = FileSystemCalls.scratchPath(in: prefix, extension: "spool")
            descriptor = open(fallbackPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 { unlink(fallbackPath) }
        }
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot create a scratch file in '\(directory)': \(FileSystemCalls.errorText())")
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
        copyBuffer.withLock { $0.memory?.deallocate() }
    }

    /// Appends `bytes` and returns where they are.
    /// - Throws: `ParquetError` with code `.io` (disk full, ...).
    package func append(_ bytes: ByteBuffer) throws(ParquetError) -> Range<Int> {
        try bytes.withUnsafeReadableBytes { raw throws(ParquetError) in try append(raw) }
    }

    /// Appends `raw` and returns where it is.
    /// - Throws: `ParquetError` with code `.io` (disk full, ...).
    package func append(_ raw: UnsafeRawBufferPointer) throws(ParquetError) -> Range<Int> {
        let start = end.withLock { end in
            defer { end += raw.count }
            return end
        }
        var done = 0
        while done < raw.count {
            let written = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(start + done))
            if written < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "cannot write a scratch file: \(FileSystemCalls.errorText())")
            }
            done += written
        }
        return start..<(start + raw.count)
    }

    /// Reads an extent back into `buffer`, replacing its contents.
    /// - Parameters:
    ///   - extent: A range ``append(_:)-(ByteBuffer)`` returned since the last ``reset()``.
    ///   - buffer: Cleared, then filled with the extent's bytes.
    /// - Throws: `ParquetError` with code `.io`.
    package func read(_ extent: Range<Int>, into buffer: inout ByteBuffer) throws(ParquetError) {
        buffer.removeAll(keepingCapacity: true)
        try buffer.writeUnsafe(maxBytes: extent.count) { base throws(ParquetError) in
            var done = 0
            while done < extent.count {
                let got = pread(descriptor, base + done, extent.count - done, off_t(extent.lowerBound + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    throw ParquetError(
                        .io, "cannot read a scratch file: \(got < 0 ? FileSystemCalls.errorText() : "unexpected end")")
                }
                done += got
            }
            return done
        }
    }

    /// Copies an extent to an output: to a file inside the kernel where it can, otherwise
    /// read here and written.
    /// - Throws: `ParquetError` with code `.io`.
    package func copy(_ extent: Range<Int>, to sink: any OutputSink) throws(ParquetError) {
        var offset = extent.lowerBound
        if let file = sink as? FileSink { offset += file.appendInKernel(from: descriptor, range: extent) }
        guard offset < extent.upperBound else { return }
        let taken = copyBuffer.withLock { kept in
            defer { kept.memory = nil }
            return kept
        }
        let buffer = taken.memory ?? .allocate(byteCount: 1 << 20, alignment: 16)
        defer {
            let spare = copyBuffer.withLock { kept in
                guard kept.memory != nil else {
                    kept.memory = buffer
                    return CopyBuffer()
                }
                return CopyBuffer(memory: buffer)
            }
            spare.memory?.deallocate()
        }
        while offset < extent.upperBound {
            let wanted = Swift.min(buffer.count, extent.upperBound - offset)
            let got = pread(descriptor, buffer.baseAddress!, wanted, off_t(offset))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw ParquetError(.io, "cannot read a scratch file: \(got < 0 ? FileSystemCalls.errorText() : "unexpected end")")
            }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
            offset += got
        }
    }

    /// Gives the space of an extent that will not be read again back to the file system
    /// (a hole punched where supported), so a long-lived scratch file holds only live bytes.
    /// Best effort: where holes are not supported the space comes back at ``reset()`` or
    /// when the file is closed.
    package func discard(_ extent: Range<Int>) {
        #if os(Linux)
        FileSystemCalls.punchHole(descriptor, offset: extent.lowerBound, length: extent.count)
        #endif
    }

    /// Forgets every extent. The file keeps its size, so the next extents overwrite pages the
    /// system already holds instead of freeing and allocating them again (a profile of
    /// uncompressed output spent a fifth of its time there); the space goes back when the
    /// file is closed.
    package func reset() {
        end.withLock { $0 = 0 }
    }
}
