import Foundation

/// A one-line progress bar on standard error, for work counted in items: done/total, a bar, items per second and
/// the time left. Exists only when standard error is a terminal, so logs and pipes stay quiet. `update` may be
/// called from any thread; the line is redrawn at most ten times a second, and ended when the last item is done.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let started = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var finished = false

    /// nil when standard error is not a terminal.
    init?(label: String) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard !finished, done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        finished = done >= total
        FileHandle.standardError.write(Data((Self.line(label: label, done: done, total: total, seconds: now.timeIntervalSince(started))
            + (finished ? "\n" : "")).utf8))
    }

    /// Replaces the line with `text` (what is being done after the counted items), cut to 100 characters; `done`
    /// ends it with a newline.
    func status(_ text: String, done: Bool = false) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + String(text.prefix(100)) + (done ? "\n" : "")).utf8))
    }

    /// `\r` and the line: `calibrating  120/300 [########------------]  4.2 samples/s  0:43 left`.
    static func line(label: String, done: Int, total: Int, seconds: Double, width: Int = 20) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var text = "\r\(label) \(String(repeating: " ", count: max(0, String(total).count - String(done).count)))\(done)/\(total) [\(bar)]"
        text += String(format: " %5.1f samples/s", rate)
        if done >= total {
            text += "  \(clock(seconds)) total"
        } else if rate > 0 {
            text += "  \(clock(Double(total - done) / rate)) left"
        }
        return text
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
