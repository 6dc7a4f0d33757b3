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

    public init(_ destination: URL, force: Bool = false, replaceable: Set<String> = []) {
        self.destination = destination.standardizedFileURL
        self.force = force
        self.replaceable = replaceable
    }

    /// Throws if `write` would refuse the destination; call it before expensive work.
    public func check() throws {
        let parent = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputFolderError("parent folder \(parent.path) of the output does not exist")
        }
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
    /// On any error the temporary folder is removed and an existing destination is left as it was.
    @discardableResult
    public func write<R>(_ body: (URL) throws -> R) throws -> R {
        try check()
        removeStaleSiblings()
        let fm = FileManager.default
        let temporary = sibling("tmp")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw OutputFolderError("cannot create \(temporary.path): \(error.localizedDescription)")
        }
        do {
            let result = try body(temporary)
            try moveIntoPlace(temporary, replacing: Self.exists(destination))
            return result
        } catch {
            try? fm.removeItem(at: temporary)
            throw error
        }
    }

    /// Renames `temporary` to the destination; an old destination is renamed aside first and deleted last.
    private func moveIntoPlace(_ temporary: URL, replacing: Bool) throws {
        guard replacing else {
            try Self.rename(temporary, destination)
            return
        }
        let old = sibling("old")
        try Self.rename(destination, old)
        do {
            try Self.rename(temporary, destination)
        } catch {
            try? Self.rename(old, destination)
            throw error
        }
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
