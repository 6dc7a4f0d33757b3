import Foundation

/// The folders `OutputFolder` is writing or replacing right now, which a process interrupted by a signal removes on
/// its way out (`abandonAll`, called by the command line's SIGINT/SIGTERM handling), so an interrupted conversion
/// leaves neither an output folder nor a temporary one, and an existing output untouched.
///
/// `OutputFolder` renames into place while holding the lock, so `abandonAll` sees either the old output in place
/// or the new one complete, never a replacement half done.
public final class PendingOutputs: @unchecked Sendable {
    public static let shared = PendingOutputs()

    private let lock = NSLock()
    /// Each folder to remove, with the name it is first renamed to (nil: removed where it is).
    private var folders: [(url: URL, aside: URL?)] = []

    init() {}

    /// Records `url` as to be removed on interruption; with `aside`, it is renamed there first (a sibling name the
    /// stale-folder cleanup of later conversions recognizes), so that a writer still running cannot add files to it.
    func add(_ url: URL, aside: URL? = nil) {
        lock.withLock { folders.append((url, aside)) }
    }

    func remove(_ url: URL) {
        lock.withLock { folders.removeAll { $0.url == url } }
    }

    /// Runs `body` while no `abandonAll` can run.
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The folders recorded now (for tests).
    var recorded: [URL] { lock.withLock { folders.map(\.url) } }

    /// Removes every recorded folder and keeps the lock, so that nothing is renamed into place afterwards: for a
    /// process about to exit. Waits for a rename into place in progress to finish.
    public func abandonAll() {
        lock.lock()
        let fm = FileManager.default
        for (url, aside) in folders {
            if let aside, rename(url.path, aside.path) == 0 {
                try? fm.removeItem(at: aside)
            } else {
                try? fm.removeItem(at: url)
            }
        }
        folders.removeAll()
    }
}
