import Foundation
import XCTest

/// SIGINT/SIGTERM during a conversion and a file size limit hit while writing: exit 130/143 (6 for the limit), no
/// output folder, no temporary folder beside it, and an existing output folder as it was, even with --force.
final class InterruptHandlingTests: XCTestCase {
    private let yolo = CLI.testdata.appendingPathComponent("yolo_tiny.onnx").path
    private let outputFiles = ["metadata.yaml", "yolo_tiny.bin", "yolo_tiny.mapping", "yolo_tiny.xml"]

    private func contents(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    /// Every file of `folder`, by name, with its bytes.
    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try contents(folder) { files[name] = try Data(contentsOf: folder.appendingPathComponent(name)) }
        return files
    }

    /// Converts the fixture into `out` (then holding the files a later --force conversion may replace) and marks
    /// it, so that a replacement would show: its .mapping gets a trailing comment.
    private func existingOutput(_ out: URL) throws -> [String: Data] {
        let r = try CLI.run([yolo, "-o", out.path, "-q"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let mapping = out.appendingPathComponent("yolo_tiny.mapping")
        try (try Data(contentsOf: mapping) + Data("<!-- the old output -->\n".utf8)).write(to: mapping)
        return try snapshot(out)
    }

    /// Starts a conversion into `out` that pauses (the test-only hook) once its temporary folder holds every file,
    /// waits for that moment, sends `signal`, and returns how the process ended.
    private func interrupt(_ signal: Int32, _ out: URL, _ args: [String] = [],
                           file: StaticString = #filePath, line: UInt = #line) throws -> (code: Int32, signaled: Bool, stderr: String) {
        let started = try CLI.start([yolo, "-o", out.path] + args, environment: ["OVCONVERT_TEST_PAUSE_BEFORE_RENAME": "60"])
        let parent = out.deletingLastPathComponent()
        let deadline = Date().addingTimeInterval(60)
        var ready = false
        while !ready, started.process.isRunning, Date() < deadline {
            let temporaries = try contents(parent).filter { $0.hasPrefix(".\(out.lastPathComponent).tmp-") }
            ready = try temporaries.count == 1 && contents(parent.appendingPathComponent(temporaries[0])) == outputFiles
            if !ready { usleep(20_000) }
        }
        XCTAssertTrue(ready, "the temporary folder never filled", file: file, line: line)
        kill(started.process.processIdentifier, signal)
        let r = started.wait()
        XCTAssertEqual(r.stdout, "", file: file, line: line)
        return (r.code, r.signaled, r.stderr)
    }

    func testSIGINTLeavesNothingAndExits130() throws {
        let parent = CLI.temporaryFolder()
        let r = try interrupt(SIGINT, parent.appendingPathComponent("out"))
        XCTAssertFalse(r.signaled, "killed by the signal instead of exiting: \(r.stderr)")
        XCTAssertEqual(r.code, 130, r.stderr)
        XCTAssertEqual(try contents(parent), [])
    }

    func testSIGTERMLeavesNothingAndExits143() throws {
        let parent = CLI.temporaryFolder()
        let r = try interrupt(SIGTERM, parent.appendingPathComponent("out"))
        XCTAssertFalse(r.signaled, "killed by the signal instead of exiting: \(r.stderr)")
        XCTAssertEqual(r.code, 143, r.stderr)
        XCTAssertEqual(try contents(parent), [])
    }

    /// --force replaces the old folder only once the new one is complete: interrupted before, the old folder is
    /// left byte for byte as it was, with no temporary folder beside it.
    func testAnInterruptedForceLeavesTheOldOutputUntouched() throws {
        let parent = CLI.temporaryFolder()
        let out = parent.appendingPathComponent("out")
        let before = try existingOutput(out)
        let r = try interrupt(SIGTERM, out, ["--force"])
        XCTAssertEqual(r.code, 143, r.stderr)
        XCTAssertEqual(try contents(parent), ["out"])
        XCTAssertEqual(try snapshot(out), before)
    }

    /// A file size limit (`ulimit -f`, RLIMIT_FSIZE: a full disk without root or a mount) hit while writing the
    /// .bin: exit 6 naming the file, nothing left, an existing output untouched. ovconvert ignores SIGXFSZ, whose
    /// default action would kill it, leaving the temporary folder behind.
    func testAFileSizeLimitLeavesNothingAndNamesTheFile() throws {
        let parent = CLI.temporaryFolder()
        let out = parent.appendingPathComponent("out")
        func limited(_ args: [String]) throws -> (code: Int32, signaled: Bool, stdout: String, stderr: String) {
            // 64 blocks: 32 KiB (dash counts 512-byte blocks) or 64 KiB (bash, 1024); the .bin is about 270 KB.
            try CLI.start(["-c", "ulimit -f 64 && exec \"$0\" \"$@\"", CLI.binary.path, yolo, "-o", out.path] + args,
                          executable: URL(fileURLWithPath: "/bin/sh")).wait()
        }
        let r = try limited([])
        XCTAssertFalse(r.signaled, "killed by SIGXFSZ: \(r.stderr)")
        XCTAssertEqual(r.code, 6, r.stderr)
        XCTAssertEqual(r.stderr, "ovconvert: error: cannot write \(out.path)/yolo_tiny.bin: File too large; nothing was written "
            + "(an existing output folder is left as it was)\n")
        XCTAssertEqual(try contents(parent), [])

        let before = try existingOutput(out)
        let forced = try limited(["--force"])
        XCTAssertEqual(forced.code, 6, forced.stderr)
        XCTAssertTrue(forced.stderr.contains("yolo_tiny.bin: File too large"), forced.stderr)
        XCTAssertEqual(try contents(parent), ["out"])
        XCTAssertEqual(try snapshot(out), before)
    }
}
