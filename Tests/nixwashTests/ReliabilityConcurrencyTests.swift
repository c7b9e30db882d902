import Foundation
@testable import NixWashKit
import XCTest

/// Processes that share the contact history: imports at the same time, scrubs during imports.
final class ReliabilityConcurrencyTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
    }

    private func writeLog(_ name: String, campaign: String, first: Int, count: Int, day: Int = 10) throws {
        var log = "number,attempted_at,campaign,offer,contact_centre\n"
        for i in first..<(first + count) {
            log += "070\(3_000_000 + i),2026-11-\(day) \(10 + i % 10):\(10 + i % 50):00,\(campaign),o1,k\(i % 3)\n"
        }
        try Data(log.utf8).write(to: folder.appendingPathComponent(name))
    }

    /// Two imports started together, three times, into a database that does not exist yet
    /// (both create it) and then into one that does: both land, nothing is lost.
    func testTwoImportsAtOnceBothLand() throws {
        try writeLog("a.csv", campaign: "ca", first: 0, count: 8000)
        try writeLog("b.csv", campaign: "cb", first: 5000, count: 8000)
        for round in 0..<3 {
            let db = "h\(round).db"
            for _ in 0..<2 {
                let aErrors = folder.appendingPathComponent("a.err"), bErrors = folder.appendingPathComponent("b.err")
                let a = try startNixwash(["history", "import", "--db", db, "a.csv"], in: folder, errors: aErrors)
                let b = try startNixwash(["history", "import", "--db", db, "b.csv"], in: folder, errors: bErrors)
                a.waitUntilExit()
                b.waitUntilExit()
                let aSaid = try String(contentsOf: aErrors, encoding: .utf8), bSaid = try String(contentsOf: bErrors, encoding: .utf8)
                XCTAssertEqual(a.terminationStatus, 0, "round \(round): \(aSaid)")
                XCTAssertEqual(b.terminationStatus, 0, "round \(round): \(bSaid)")
            }
            let store = try HistoryStore(path: folder.appendingPathComponent(db).path, mode: .readOnly)
            XCTAssertEqual(try store.integrity(), "ok")
            XCTAssertEqual(try store.scalar("SELECT count(*) FROM attempts"), 16_000, "round \(round)")
            XCTAssertEqual(try store.scalar("SELECT count(*) FROM imports"), 4, "round \(round)")
            XCTAssertEqual(try store.scalar("SELECT sum(inserted) FROM imports"), 16_000, "round \(round)")
        }
    }

    /// An import that finds another writer at work says so and waits for it, then lands;
    /// it never fails with "database is locked".
    func testAnImportWaitsForAnotherWriterAndSaysSo() throws {
        try writeLog("a.csv", campaign: "ca", first: 0, count: 10)
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "h.db", "a.csv"], in: folder).status, 0)
        try writeLog("b.csv", campaign: "cb", first: 0, count: 10)
        // Another writer: this test holds the write lock until the import has said it waits.
        let other = try SQLiteDatabase(path: folder.appendingPathComponent("h.db").path, mode: .readWrite)
        try other.beginWriting()
        let process = Process()
        process.executableURL = nixwashBinary()
        process.arguments = ["history", "import", "--db", "h.db", "b.csv"]
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !seen.contains("waiting for it to finish") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(seen.contains("h.db: another nixwash is writing to this contact history (an import or a purge); waiting for it to finish, then this import runs."), seen)
        XCTAssertTrue(process.isRunning)
        try other.execute("COMMIT")
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try HistoryStore(path: folder.appendingPathComponent("h.db").path, mode: .readOnly)
            .scalar("SELECT count(*) FROM attempts"), 20)
    }

    /// Scrubs that run while an import writes see the history either without the import or
    /// with all of it, never a part: the count of numbers with attempts and the quota
    /// rejections they cause agree with one of the two.
    func testScrubsDuringAnImportSeeTheHistoryBeforeOrAfterIt() throws {
        // The import: every lead number attempted twice today by k1 (quota_daily), plus bulk.
        var log = "number,attempted_at,campaign,offer,contact_centre\n"
        for i in 0..<200 {
            log += "070-\(1_000_000 + i),2026-11-23 08:\(10 + i % 40):00,c,o,k1\n"
            log += "070-\(1_000_000 + i),2026-11-23 12:\(10 + i % 40):00,c,o,k1\n"
        }
        for i in 0..<20_000 { log += "073\(1_000_000 + i),2026-11-\(10 + i % 10) 10:00:00,c,o,k\(i % 3)\n" }
        try Data(log.utf8).write(to: folder.appendingPathComponent("log.csv"))
        try writeLog("base.csv", campaign: "c", first: 0, count: 50)
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "h.db", "base.csv"], in: folder).status, 0)
        try writeLeadList(folder.appendingPathComponent("leads.csv"), rows: 200)
        try Data("0709999999\n".utf8).write(to: folder.appendingPathComponent("register.txt"))
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "register.txt"], in: folder).status, 0)

        func scrub(_ out: String) throws -> (numbers: Int, quota: Int) {
            let result = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o",
                                         "--contact-centre", "k1", "--nix", "nix.idx", "--history", "h.db", "--out", out,
                                         "leads.csv"], in: folder)
            XCTAssertEqual(result.status, 0, result.stderr)
            let report = try reportJSON(folder.appendingPathComponent(out))
            let history = try XCTUnwrap(report["history"] as? [String: Any])
            let totals = try XCTUnwrap(report["totals"] as? [String: Any])
            return (history["numbers_with_attempts"] as? Int ?? -1,
                    (totals["rejected_by_reason"] as? [String: Int])?["quota_daily"] ?? 0)
        }
        let before = try scrub("before")
        XCTAssertEqual(before.quota, 0)
        let importing = try startNixwash(["history", "import", "--db", "h.db", "log.csv"], in: folder)
        var seen: [(numbers: Int, quota: Int)] = []
        var round = 0
        while importing.isRunning || round < 2 {
            seen.append(try scrub("during\(round)"))
            round += 1
        }
        importing.waitUntilExit()
        XCTAssertEqual(importing.terminationStatus, 0)
        let after = try scrub("after")
        XCTAssertEqual(after.quota, 200)
        for (i, view) in seen.enumerated() {
            XCTAssertTrue(view == before || view == after, "scrub \(i) saw \(view): neither \(before) nor \(after)")
        }
    }
}
