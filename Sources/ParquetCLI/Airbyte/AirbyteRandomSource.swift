#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Random bytes for record ids, read in bulk from the kernel's CSPRNG.
///
/// One read of `/dev/urandom` serves a whole batch (16 bytes a record), where the standard
/// library's `SystemRandomNumberGenerator` makes a system call per 8 bytes. When the device
/// cannot be opened or read (a minimal container), the standard generator fills in, so ids
/// stay random either way.
final class AirbyteRandomSource {
    private var descriptor: Int32 = -2
    private var fallback = SystemRandomNumberGenerator()

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Fills `buffer` with random bytes.
    /// - Parameter buffer: Where the bytes go; its whole length is filled.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        if descriptor == -2 { descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
        var filled = 0
        while descriptor >= 0 && filled < buffer.count {
            let count = read(descriptor, base + filled, buffer.count - filled)
            if count > 0 {
                filled += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                close(descriptor)
                descriptor = -1
            }
        }
        while filled < buffer.count {
            var word = fallback.next()
            let take = min(8, buffer.count - filled)
            withUnsafeBytes(of: &word) { (base + filled).copyMemory(from: $0.baseAddress!, byteCount: take) }
            filled += take
        }
    }
}
