import Foundation
@testable import NixWashKit
import XCTest

/// Full disks, file size limits, standard output that goes nowhere, and runs at the same time.
final class ReliabilityResourceTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try Data("070-1000003\n".utf8).write(to: folder.appendingPathComponent("register.txt"))
        let build = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                    "--out", "nix.idx", "register.txt"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
        try writeLeadList(folder.appendingPathComponent("leads.csv"), rows: 20_000)
    }

    private func scrubArguments(out: String) -> [String] {
        ["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
         "--nix", "nix.idx", "--out", out, "leads.csv"]
    }

    /// Runs the binary through /bin/sh with `setup` first (e.g. a ulimit).
    private func runThroughShell(_ setup: String, _ arguments: [String]) throws -> RunResult {
        let quoted = ([nixwashBinary().path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(setup); exec \(quoted)"]
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(status: process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus,
                         stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: errors, as: UTF8.self))
    }

    /// `ulimit -f` used to end the run by SIGXFSZ (exit 153, no word); now it is a write error.
    func testAFileSizeLimitDuringOutputIsExitOneWithNothingLeft() throws {
        let result = try runThroughShell("ulimit -f 64", scrubArguments(out: "out"))
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("nixwash: ./.out.partial-"), result.stderr)
        XCTAssertTrue(result.stderr.hasSuffix(": write failed: File too large. Free disk space or fix permissions and rerun; no output was left in place.\n"),
                      result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("out") }, [])
    }

    /// A full filesystem (a 32 KiB tmpfs, where this test may mount one).
    func testAFullDiskDuringOutputIsExitOneWithNothingLeft() throws {
        let mountPoint = folder.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: false)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=32k", "tmpfs", mountPoint.path]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { throw XCTSkip("no mount command") }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw XCTSkip("cannot mount a tmpfs here (not root?)") }
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [mountPoint.path]
            try? umount.run()
            umount.waitUntilExit()
        }
        let result = try runNixwash(scrubArguments(out: "tiny/out"), in: folder)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("nixwash: tiny/.out.partial-"), result.stderr)
        XCTAssertTrue(result.stderr.contains(": write failed: No space left on device."), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mountPoint.path), [])
    }

    /// A summary sent to a full device is a failure, not a silent success.
    func testStandardOutputOnAFullDeviceIsExitOne() throws {
        let process = Process()
        process.executableURL = nixwashBinary()
        process.arguments = ["inspect", "leads.csv"]
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, message)
        XCTAssertEqual(message, "nixwash: standard output: write failed: No space left on device. Free disk space or fix the redirect and rerun.\n")
    }

    /// A scrub's result is its folder: with the summary lost to a full device it still exits 0
    /// (a non-zero exit must mean no output in place) and says on stderr what was lost.
    func testAScrubWhoseSummaryIsLostStillSucceeds() throws {
        let process = Process()
        process.executableURL = nixwashBinary()
        process.arguments = Array(scrubArguments(out: "out").filter { $0 != "-q" })
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, message)
        XCTAssertEqual(message, "nixwash: standard output: write failed: No space left on device; the summary was lost, the run itself completed.\n")
        XCTAssertEqual(try reportJSON(folder.appendingPathComponent("out"))["outputs"] as? [String],
                       ["callable.csv.gz", "rejects.csv.gz", "report.json", "report.html", "report.json.sha256"])
    }

    /// `nixwash inspect ... | head -1`: the reader goes away early and nixwash ends by SIGPIPE
    /// (141 in the shell) without a word on stderr.
    func testStandardOutputClosedEarlyEndsQuietly() throws {
        try Data("telefon,källa\n0701234567,V1\n".utf8).write(to: folder.appendingPathComponent("small.csv"))
        let files = Array(repeating: "small.csv", count: 1500).joined(separator: " ")
        let result = try runThroughShell(":", ["inspect", "small.csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "'\(nixwashBinary().path)' inspect \(files) 2>err.txt | head -1 >/dev/null; echo ${PIPESTATUS[0]} >status.txt"]
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        let status = try String(contentsOf: folder.appendingPathComponent("status.txt"), encoding: .utf8)
        XCTAssertTrue(["0\n", "141\n"].contains(status), status)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("err.txt"), encoding: .utf8), "")
    }
}
