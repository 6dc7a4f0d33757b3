import Foundation

/// Atomic creation of an output folder: files are written into a temporary sibling folder that is
/// renamed into place only when everything succeeded, so no half-written folder is ever left.
public struct OutputFolder {
    /// The folder to create.
    public let destination: URL
    /// Replace an existing destination.
    public let force: Bool

    public init(_ destination: URL, force: Bool = false) {
        self.destination = destination.standardizedFileURL
        self.force = force
    }

    /// Runs `body` with an empty temporary folder to fill, then moves it to `destination`.
    /// On any error the temporary folder is removed and an existing destination is left as it was.
    @discardableResult
    public func write<R>(_ body: (URL) throws -> R) throws -> R {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputFolderError("parent folder \(parent.path) of the output does not exist")
        }
        let exists = Self.exists(destination)
        if exists, !force { throw OutputFolderError("output folder \(destination.path) exists; use --force to overwrite") }

        let temporary = sibling("tmp")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw OutputFolderError("cannot create \(temporary.path): \(error.localizedDescription)")
        }
        do {
            let result = try body(temporary)
            try moveIntoPlace(temporary, replacing: exists)
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

    private func sibling(_ kind: String) -> URL {
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        let name = ".\(destination.lastPathComponent).\(kind)-\(getpid())-\(random)"
        return destination.deletingLastPathComponent().appendingPathComponent(name)
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
