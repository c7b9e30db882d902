import Foundation
@testable import NixWashKit
import XCTest

/// SIGKILL at random moments (seeded: the schedule of a failure can be replayed): nothing
/// half-written ever appears where a dialer or a scrub would read it.
final class ReliabilityCrashTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try Data("070-1000003\n070-1000006\n070-1000009\n".utf8).write(to: folder.appendingPathComponent("register.txt"))
        let build = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                    "--out", "nix.idx", "register.txt"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
    }

    private func scrubArguments(out: String, leads: String = "leads.csv") -> [String] {
        ["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
         "--nix", "nix.idx", "--out", out, leads]
    }

    private func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// 15 kills of a scrub: never an `out` folder; the rerun succeeds, gives the same outputs as
    /// an undisturbed run and clears the hidden partial folders the kills left.
    func testAScrubKilledAtRandomMomentsNeverLeavesAnOutputFolder() throws {
        try writeLeadList(folder.appendingPathComponent("leads.csv"), rows: 20_000)
        let (reference, seconds) = try timedRun(scrubArguments(out: "reference"), in: folder)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        var random = SplitMix64(seed: 8)
        var killed = 0
        var round = 0
        // Fifteen kills that land during the run, in at most 25 tries (a busy machine varies).
        while killed < 15, round < 25 {
            round += 1
            let process = try startNixwash(scrubArguments(out: "out"), in: folder)
            let delay = seconds * random.fraction()
            if kill(process, after: delay) {
                killed += 1
                if try entries().contains("out") {
                    // The kill came after the folder was moved into place (threads were still
                    // winding down): then it must be whole, never a partial list.
                    XCTAssertEqual(try reportJSON(folder.appendingPathComponent("out"))["outputs"] as? [String],
                                   ["callable.csv.gz", "rejects.csv.gz", "report.json", "report.html", "report.json.sha256"],
                                   "round \(round): out/ after a kill at \(delay) s is not complete")
                    try FileManager.default.removeItem(at: folder.appendingPathComponent("out"))
                }
            } else {
                // It finished first: then the folder is complete.
                XCTAssertEqual(try reportJSON(folder.appendingPathComponent("out"))["outputs"] as? [String],
                               ["callable.csv.gz", "rejects.csv.gz", "report.json", "report.html", "report.json.sha256"])
                try FileManager.default.removeItem(at: folder.appendingPathComponent("out"))
            }
        }
        XCTAssertGreaterThanOrEqual(killed, 8, "most kills must land during the run (run time \(seconds) s)")
        let rerun = try runNixwash(scrubArguments(out: "out"), in: folder)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        for name in ["callable.csv.gz", "rejects.csv.gz"] {
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("out/" + name)),
                           try Data(contentsOf: folder.appendingPathComponent("reference/" + name)), name)
        }
        XCTAssertEqual(try entries().filter { $0.hasPrefix(".") }, [], "partial folders of killed runs are left")
    }

    /// SIGTERM (a service stop) or SIGINT (Ctrl-C) at random moments: the run removes its
    /// temporary outputs itself and ends by that signal; nothing is left at all.
    func testAScrubOrIndexBuildStoppedBySIGTERMOrSIGINTLeavesNothing() throws {
        try writeLeadList(folder.appendingPathComponent("leads.csv"), rows: 20_000)
        let (reference, seconds) = try timedRun(scrubArguments(out: "reference"), in: folder)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        let register = (0..<100_000).map { "070\(1_000_000 + $0 * 13)" }.joined(separator: "\n") + "\n"
        try Data(register.utf8).write(to: folder.appendingPathComponent("big.txt"))
        let build = ["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01", "--out"]
        let (built, buildSeconds) = try timedRun(build + ["built.idx", "big.txt"], in: folder)
        XCTAssertEqual(built.status, 0, built.stderr)
        let before = try entries()
        var random = SplitMix64(seed: 12)
        var stopped = 0
        var round = 0
        // Six signals that land during the runs, in at most 40 tries: a run takes about 0.1 s,
        // and on a busy machine (CI) many runs finish before their signal arrives.
        while stopped < 6, round < 40 {
            defer { round += 1 }
            let signalNumber = round % 2 == 0 ? SIGTERM : SIGINT
            let scrub = round % 3 != 2
            let process = try startNixwash(scrub ? scrubArguments(out: "out") : build + ["nix.idx", "big.txt"], in: folder)
            // Within the first 80 % of a run: the rest is the exit, after the result is in place.
            usleep(useconds_t((scrub ? seconds : buildSeconds) * 0.8 * random.fraction() * 1_000_000))
            let running = process.isRunning
            kill(process.processIdentifier, signalNumber)
            process.waitUntilExit()
            if running, process.terminationReason == .uncaughtSignal {
                stopped += 1
                XCTAssertEqual(process.terminationStatus, signalNumber, "round \(round)")
                XCTAssertEqual(try entries(), before, "round \(round): left behind")
            } else if scrub {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("out"))
            } else {
                XCTAssertEqual(try runNixwash(build + ["nix.idx", "register.txt"], in: folder).status, 0)
            }
        }
        XCTAssertGreaterThanOrEqual(stopped, 4, "signals must land during the runs (\(seconds) s, \(buildSeconds) s)")
    }

    /// `--replace` killed at random moments: the final name always holds one complete folder,
    /// the old one or the new one.
    func testAReplacingScrubKilledAtRandomMomentsAlwaysLeavesACompleteFolder() throws {
        try writeLeadList(folder.appendingPathComponent("leads.csv"), rows: 8_000)
        try writeLeadList(folder.appendingPathComponent("small.csv"), rows: 10)
        XCTAssertEqual(try runNixwash(scrubArguments(out: "out", leads: "small.csv"), in: folder).status, 0)
        let (first, seconds) = try timedRun(scrubArguments(out: "other") , in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        var random = SplitMix64(seed: 9)
        for round in 0..<6 {
            let process = try startNixwash(scrubArguments(out: "out") + ["--replace"], in: folder)
            _ = kill(process, after: seconds * 1.1 * random.fraction())
            let report = try reportJSON(folder.appendingPathComponent("out"))
            let rows = (report["totals"] as? [String: Any])?["rows_in"] as? Int
            XCTAssertTrue(rows == 10 || rows == 8_000, "round \(round): \(String(describing: rows))")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path).count, 5)
        }
    }

    /// A history import killed at random moments: the database is sound and holds all of the
    /// file's attempts or none; importing the file again then gives exactly what one clean
    /// import gives.
    func testAnImportKilledAtRandomMomentsIsAllOrNothing() throws {
        var log = "number,attempted_at,campaign,offer,contact_centre,outcome\n"
        for i in 0..<15_000 {
            log += "070\(2_000_000 + i * 7),2026-11-\(10 + i % 10) \(10 + i % 10):\(10 + i % 50):00,c\(i % 4),o\(i % 2),k\(i % 3),no_answer\n"
        }
        try Data(log.utf8).write(to: folder.appendingPathComponent("log.csv"))
        try Data("number,attempted_at,campaign,offer,contact_centre\n0701111111,2026-11-01 10:00,c0,o0,k0\n".utf8)
            .write(to: folder.appendingPathComponent("base.csv"))
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "base.db", "base.csv"], in: folder).status, 0)
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "reference.db", "base.csv"], in: folder).status, 0)
        let (clean, seconds) = try timedRun(["history", "import", "--db", "reference.db", "log.csv"], in: folder)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        let expected = try HistoryStore(path: folder.appendingPathComponent("reference.db").path, mode: .readOnly).attemptRows()
        XCTAssertEqual(expected.count, 15_001)

        let db = folder.appendingPathComponent("h.db")
        var random = SplitMix64(seed: 10)
        var killed = 0
        var round = 0
        // Ten kills that land during the import, in at most 25 tries (a busy machine varies).
        while killed < 10, round < 25 {
            round += 1
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db.path + suffix) }
            try FileManager.default.copyItem(at: folder.appendingPathComponent("base.db"), to: db)
            let process = try startNixwash(["history", "import", "--db", "h.db", "log.csv"], in: folder)
            if kill(process, after: seconds * random.fraction()) { killed += 1 }
            let store = try HistoryStore(path: db.path, mode: .readOnly)
            XCTAssertEqual(try store.integrity(), "ok", "round \(round)")
            let attempts = try store.scalar("SELECT count(*) FROM attempts")
            XCTAssertTrue(attempts == 1 || attempts == 15_001, "round \(round): \(attempts) attempts")
            XCTAssertEqual(try store.scalar("SELECT count(*) FROM imports"), attempts == 1 ? 1 : 2, "round \(round)")
        }
        XCTAssertGreaterThanOrEqual(killed, 3, "kills must land during the import (import time \(seconds) s)")
        let again = try runNixwash(["history", "import", "--db", "h.db", "log.csv"], in: folder)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try HistoryStore(path: db.path, mode: .readOnly).attemptRows(), expected)
    }

    /// `index build` killed at random moments: the index it replaces stays whole and verifies;
    /// the next build clears the temporary files the kills left.
    func testAnIndexBuildKilledAtRandomMomentsLeavesTheOldIndex() throws {
        let register = (0..<150_000).map { "070\(1_000_000 + $0 * 13)" }.joined(separator: "\n") + "\n"
        try Data(register.utf8).write(to: folder.appendingPathComponent("big.txt"))
        let build = ["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01", "--out"]
        let (clean, seconds) = try timedRun(build + ["reference.idx", "big.txt"], in: folder)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        var random = SplitMix64(seed: 11)
        var killed = 0
        var round = 0
        // Five kills that land during the build, in at most 20 tries (a busy machine varies).
        while killed < 5, round < 20 {
            defer { round += 1 }
            let process = try startNixwash(build + ["nix.idx", "big.txt"], in: folder)
            if kill(process, after: seconds * random.fraction()) { killed += 1 }
            let index = try BlockIndex(path: folder.appendingPathComponent("nix.idx").path)
            XCTAssertNoThrow(try index.verify(), "round \(round)")
            XCTAssertTrue(index.header.entryCount == 3 || index.header.entryCount == 150_000, "round \(round)")
            if index.header.entryCount == 150_000 {
                // The build finished first: put the old index back for the next round.
                XCTAssertEqual(try runNixwash(build + ["nix.idx", "register.txt"], in: folder).status, 0)
            }
        }
        XCTAssertGreaterThanOrEqual(killed, 3, "kills must land during the build (build time \(seconds) s)")
        XCTAssertEqual(try runNixwash(build + ["nix.idx", "big.txt"], in: folder).status, 0)
        XCTAssertEqual(try entries().filter { $0.hasPrefix(".") }, [], "temporary files of killed builds are left")
    }

    /// Scrubs running while the index they read is rebuilt finish with the old register, whole;
    /// a scrub started afterwards reads the new one.
    func testScrubsKeepTheIndexTheyOpenedWhenItIsReplaced() throws {
        let leads = folder.appendingPathComponent("leads.csv")
        try writeLeadList(leads, rows: 40_000)
        // The new register lists 100 lead numbers; the old one 3.
        let newRegister = (0..<100).map { "070-\(1_000_000 + $0 * 11)" }.joined(separator: "\n") + "\n"
        try Data(newRegister.utf8).write(to: folder.appendingPathComponent("new.txt"))
        let oldChecksum = try XCTUnwrap(try BlockIndexChecksum.of(folder.appendingPathComponent("nix.idx")))

        // The scrubs read their leads from standard input, held open until the index has been
        // replaced, so that they are still running then however fast the build is.
        let leadBytes = try Data(contentsOf: leads)
        let inputs = (1...3).map { _ in Pipe() }
        let scrubs = try (1...3).map { n -> Process in
            let process = Process()
            process.executableURL = nixwashBinary()
            process.arguments = scrubArguments(out: "out\(n)", leads: "-")
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = inputs[n - 1]
            try process.run()
            return process
        }
        let written = DispatchGroup()
        for input in inputs {
            DispatchQueue.global().async(group: written) { input.fileHandleForWriting.write(leadBytes) }
        }
        // Each scrub has opened the index once its hidden output folder exists.
        let deadline = Date().addingTimeInterval(30)
        while try entries().filter({ $0.hasPrefix(".out") }).count < 3, Date() < deadline { usleep(2000) }
        let rebuild = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                      "--out", "nix.idx", "new.txt"], in: folder)
        XCTAssertEqual(rebuild.status, 0, rebuild.stderr)
        let stillRunning = scrubs.filter(\.isRunning).count
        written.wait()
        for input in inputs { try input.fileHandleForWriting.close() }
        for (i, process) in scrubs.enumerated() {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "scrub \(i + 1)")
            let report = try reportJSON(folder.appendingPathComponent("out\(i + 1)"))
            let totals = try XCTUnwrap(report["totals"] as? [String: Any])
            XCTAssertEqual((totals["rejected_by_reason"] as? [String: Int])?["nix"], 3, "scrub \(i + 1)")
            let register = try XCTUnwrap((report["registers"] as? [[String: Any]])?.first)
            XCTAssertEqual(register["index_checksum"] as? String, oldChecksum)
        }
        XCTAssertGreaterThan(stillRunning, 0, "the index was replaced only after every scrub had ended")
        XCTAssertEqual(try runNixwash(scrubArguments(out: "after"), in: folder).status, 0)
        let after = try XCTUnwrap(try reportJSON(folder.appendingPathComponent("after"))["totals"] as? [String: Any])
        XCTAssertEqual((after["rejected_by_reason"] as? [String: Int])?["nix"], 100)
    }
}

/// The body checksum of an index as the report writes it.
enum BlockIndexChecksum {
    static func of(_ url: URL) throws -> String? {
        String(try BlockIndex(path: url.path).header.bodyChecksum, radix: 16)
    }
}
