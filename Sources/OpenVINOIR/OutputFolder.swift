import Foundation

/// Atomic creation of an output folder: files are written into a temporary sibling folder that is
/// renamed into place only when everything succeeded, so no half-written folder is ever left.
///
/// With `force`, an existing destination is replaced only when it is a folder holding nothing but
/// files this tool writes (`replaceable`): `-o .` or `-o ~/models` can never wipe a user's files.
public struct OutputFolder {
    /// The folder to create.
    public let destination: URL
    /// Replace an existing destination that holds only `replaceable` files.
    public let force: Bool
    /// File names an earlier conversion into the destination may have written.
    public let replaceable: Set<String>
    /// Where the temporary folder (and an old destination being deleted) is recorded for removal on interruption.
    let pending: PendingOutputs

    public init(_ destination: URL, force: Bool = false, replaceable: Set<String> = []) {
        self.init(destination, force: force, replaceable: replaceable, pending: .shared)
    }

    init(_ destination: URL, force: Bool = false, replaceable: Set<String> = [], pending: PendingOutputs) {
        self.destination = destination.standardizedFileURL
        self.force = force
        self.replaceable = replaceable
        self.pending = pending
    }

    /// Test-only: seconds to wait after the body filled the temporary folder and before it is renamed into place,
    /// so that the interrupted-write tests can signal a conversion at that moment. Not for users.
    static let pauseBeforeRenameVariable = "OVCONVERT_TEST_PAUSE_BEFORE_RENAME"

    /// Throws if `write` would refuse the destination; call it before expensive work.
    public func check() throws {
        let parent = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory) else {
            throw OutputFolderError("parent folder \(parent.path) of the output does not exist")
        }
        guard isDirectory.boolValue else { throw OutputFolderError("parent \(parent.path) of the output is not a folder") }
        var st = stat()
        guard lstat(destination.path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputFolderError("\(destination.path) exists and is not a folder; choose another output folder")
        }
        guard force else { throw OutputFolderError("output folder \(destination.path) exists; use --force to overwrite") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
        if let foreign = entries.sorted().first(where: { !replaceable.contains($0) }) {
            throw OutputFolderError("output folder \(destination.path) holds '\(foreign)', which ovconvert did not write; "
                + "refusing to replace it even with --force")
        }
    }

    /// Runs `body` with an empty temporary folder to fill, then moves it to `destination`.
    /// On any error the temporary folder is removed and an existing destination is left as it was; so it is when
    /// the process is interrupted and calls `PendingOutputs.shared.abandonAll()`.
    @discardableResult
    public func write<R>(_ body: (URL) throws -> R) throws -> R {
        try check()
        removeStaleSiblings()
        let fm = FileManager.default
        let temporary = sibling("tmp")
        // Recorded before it exists: an interruption between the two finds nothing to remove, never an orphan.
        pending.add(temporary, aside: sibling("old"))
        defer { pending.remove(temporary) }
        guard mkdir(temporary.path, 0o755) == 0 else {
            throw OutputFolderError("cannot write the output folder \(destination.path): creating its temporary folder "
                + "\(temporary.path) failed: \(String(cString: strerror(errno)))")
        }
        do {
            let result = try body(temporary)
            if let pause = ProcessInfo.processInfo.environment[Self.pauseBeforeRenameVariable].flatMap(Double.init) {
                Thread.sleep(forTimeInterval: pause)
            }
            try moveIntoPlace(temporary)
            return result
        } catch {
            try? fm.removeItem(at: temporary)
            throw error
        }
    }

    /// Renames `temporary` to the destination; an old destination is renamed aside first and deleted last. The
    /// renames happen under the pending list's lock, so an interruption sees the old folder in place or the new one.
    private func moveIntoPlace(_ temporary: URL) throws {
        let old = sibling("old")
        let replaced: Bool = try pending.withLock {
            guard Self.exists(destination) else {
                try Self.rename(temporary, destination)
                return false
            }
            try Self.rename(destination, old)
            do {
                try Self.rename(temporary, destination)
            } catch {
                try? Self.rename(old, destination)
                throw error
            }
            return true
        }
        guard replaced else { return }
        // The new folder is in place: an interruption now finishes deleting the old one.
        pending.add(old)
        defer { pending.remove(old) }
        try? FileManager.default.removeItem(at: old)
    }


    private var siblingPrefix: String { ".\(destination.lastPathComponent)." }

    private func sibling(_ kind: String) -> URL {
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        return destination.deletingLastPathComponent().appendingPathComponent("\(siblingPrefix)\(kind)-\(getpid())-\(random)")
    }

    /// Removes temporary siblings left by conversions that were killed (their process no longer exists).
    private func removeStaleSiblings() {
        let parent = destination.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(siblingPrefix) {
            let parts = name.dropFirst(siblingPrefix.count).split(separator: "-")
            guard parts.count == 3, ["tmp", "old"].contains(parts[0]), let pid = Int32(parts[1]) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
    }

    /// True when anything (even a dangling symlink) is at `url`.
    private static func exists(_ url: URL) -> Bool {
        var st = stat()
        return lstat(url.path, &st) == 0
    }

    private static func rename(_ from: URL, _ to: URL) throws {
        guard Foundation.rename(from.path, to.path) == 0 else {
            throw OutputFolderError("cannot rename \(from.path) to \(to.path): \(String(cString: strerror(errno)))")
        }
    }
}

/// The output folder could not be created or replaced.
public struct OutputFolderError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
