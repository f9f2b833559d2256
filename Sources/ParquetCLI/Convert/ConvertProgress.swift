#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Progress of a conversion on standard error: rows, megabytes read, throughput, and the
/// percentage and time left when the input's size is known. On a terminal one line is
/// redrawn in place; otherwise (when asked for with `--progress`) each update is a line.
struct ConvertProgress {
    /// Whether updates are printed.
    let enabled: Bool
    /// Whether standard error is a terminal (redraw with `\r`).
    let terminal: Bool
    /// The input's size, when it is a regular file.
    let totalBytes: Int?
    private let start = ConvertProgress.now()
    private var lastUpdate = 0.0
    private var drewLine = false

    /// Seconds between updates.
    static let interval = 0.5

    init(enabled: Bool, terminal: Bool, totalBytes: Int?) {
        self.enabled = enabled
        self.terminal = terminal
        self.totalBytes = totalBytes
    }

    /// Seconds since the conversion started.
    var elapsed: Double { Self.now() - start }

    /// Prints an update if one is due.
    /// - Parameters:
    ///   - bytes: Input bytes read so far.
    ///   - rows: Rows written so far.
    mutating func update(bytes: Int, rows: Int) {
        guard enabled else { return }
        let now = Self.now()
        guard now - lastUpdate >= Self.interval else { return }
        lastUpdate = now
        let seconds = max(now - start, 1e-9)
        var line = "\(Self.grouped(rows)) rows, \(Self.megabytes(bytes)) MB read, \(Self.decimal(Double(bytes) / 1e6 / seconds, 1)) MB/s"
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(bytes) / Double(totalBytes))
            line += ", \(Self.decimal(fraction * 100, 1)) %"
            if fraction > 0 { line += ", ETA \(Self.duration(seconds * (1 - fraction) / fraction))" }
        }
        emit(line)
    }

    /// Ends the progress line (so the summary starts on a line of its own).
    mutating func end() {
        if enabled && terminal && drewLine { Self.write("\n") }
        drewLine = false
    }

    private mutating func emit(_ line: String) {
        if terminal {
            Self.write("\r\u{1B}[K" + line)
            drewLine = true
        } else {
            Self.write(line + "\n")
        }
    }

    /// Writes text to standard error.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    static func megabytes(_ bytes: Int) -> String { decimal(Double(bytes) / 1e6, 1) }

    /// `value` with `places` decimals (no Foundation formatting).
    static func decimal(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return sign + grouped(whole) }
        return sign + grouped(whole) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// `75` as `1m15s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m\(total % 60)s" : "\(total)s"
    }
}
