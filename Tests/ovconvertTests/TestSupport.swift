import Foundation

/// Runs the built `ovconvert` binary as a user would, for the command-line tests.
enum CLI {
    /// The repository's testdata/ folder.
    static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata")

    private final class BundleToken {}

    /// The `ovconvert` binary next to this test bundle in the build folder.
    static var binary: URL {
        var dir = Bundle(for: BundleToken.self).bundleURL
        while dir.pathExtension == "xctest" || dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("ovconvert")
    }

    /// Runs `ovconvert args`; returns its exit status and what it printed.
    static func run(_ args: [String]) throws -> (code: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Starts `executable args` (the `ovconvert` binary by default) with `environment` added to this process's;
    /// stdout and stderr go to files in a new temporary folder (no pipe to fill while nobody reads it).
    static func start(_ args: [String], executable: URL = binary, environment: [String: String] = [:]) throws -> Started {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let logs = temporaryFolder()
        let out = logs.appendingPathComponent("stdout"), err = logs.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        return Started(process: p, stdout: out, stderr: err)
    }

    /// A process `start` started.
    struct Started {
        let process: Process
        let stdout: URL
        let stderr: URL

        /// Waits for it to exit; its exit status (or signal) and whether it exited by a signal, and what it printed.
        func wait() -> (code: Int32, signaled: Bool, stdout: String, stderr: String) {
            process.waitUntilExit()
            let text = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
            return (process.terminationStatus, process.terminationReason == .uncaughtSignal, text(stdout), text(stderr))
        }
    }

    /// A new empty temporary folder.
    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
