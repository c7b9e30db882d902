import Foundation
import XCTest
@testable import NixWashKit

final class HistoryCommandTests: XCTestCase {
    private static let log = """
        Telefon;Tidpunkt;Uppdrag;Erbjudande;KKC;Utfall
        070-123 45 67;2026-05-10 10:00:00;Sommar;Bredband;Kalmar;svar
        0701234568;2026-05-10T10:00:00+02:00;Sommar;Bredband;Kalmar;upptaget
        12;2026-05-10 11:00;Sommar;Bredband;Kalmar;svar
        0701234569;2026-03-29 02:30;Sommar;Bredband;Kalmar;svar
        0701234570;2026-10-25 02:30;Sommar;Bredband;Kalmar;svar

        """

    private func attempts(_ db: URL) throws -> Int64 {
        try HistoryStore(path: db.path, mode: .readOnly).db.scalar("SELECT count(*) FROM attempts")
    }

    func testImportTwiceStatsAndPurge() throws {
        let folder = try temporaryFolder(self)
        try Data(HistoryCommandTests.log.utf8).write(to: folder.appendingPathComponent("dialer.csv"))
        let first = try runNixwash(["history", "import", "--db", "h.db", "dialer.csv"], in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("imported 3 new attempts from 1 file (5 rows, 0 already in the history, 2 bad)"), first.stdout)
        XCTAssertTrue(first.stderr.contains("dialer.csv:4: invalid_number: number '12' is not valid (too_short)"), first.stderr)
        XCTAssertTrue(first.stderr.contains("dialer.csv:5: nonexistent_local_time:"), first.stderr)
        XCTAssertTrue(first.stderr.contains("1 local times in the repeated October hour read as CEST"), first.stderr)

        let again = try runNixwash(["history", "import", "--db", "h.db", "dialer.csv", "--json"], in: folder)
        XCTAssertEqual(again.status, 0, again.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["inserted"] as? Int, 0)
        XCTAssertEqual(report["duplicates"] as? Int, 3)
        let files = try XCTUnwrap(report["files"] as? [[String: Any]])
        XCTAssertEqual((files[0]["bad_rows"] as? [[String: Any]])?.map { $0["line"] as? Int }, [4, 5])
        XCTAssertEqual(try attempts(folder.appendingPathComponent("h.db")), 3)

        let stats = try runNixwash(["history", "stats", "--db", "h.db", "--json"], in: folder)
        XCTAssertEqual(stats.status, 0, stats.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["attempts"] as? Int, 3)
        XCTAssertEqual(object["numbers"] as? Int, 3)
        XCTAssertEqual(object["imports"] as? Int, 2)
        XCTAssertEqual(object["first_date"] as? String, "2026-05-10")
        XCTAssertEqual(object["last_date"] as? String, "2026-10-25")

        let purge = try runNixwash(["history", "purge", "--db", "h.db", "--before", "2026-06-01"], in: folder)
        XCTAssertEqual(purge.status, 0, purge.stderr)
        XCTAssertTrue(purge.stdout.contains("removed 2 attempts dated before 2026-06-01"), purge.stdout)
        XCTAssertEqual(try attempts(folder.appendingPathComponent("h.db")), 1)
    }

    func testUsageErrorsExit64() throws {
        let folder = try temporaryFolder(self)
        try Data(HistoryCommandTests.log.utf8).write(to: folder.appendingPathComponent("dialer.csv"))
        let badMapping = try runNixwash(["history", "import", "--db", "h.db", "--column", "phone", "dialer.csv"], in: folder)
        XCTAssertEqual(badMapping.status, 64)
        let missingColumn = try runNixwash(["history", "import", "--db", "h.db", "--column", "number=Mobil", "dialer.csv"], in: folder)
        XCTAssertEqual(missingColumn.status, 64)
        XCTAssertTrue(missingColumn.stderr.contains("no column named 'Mobil'"), missingColumn.stderr)
        let noDatabase = try runNixwash(["history", "stats", "--db", "missing.db"], in: folder)
        XCTAssertEqual(noDatabase.status, 64)
        XCTAssertTrue(noDatabase.stderr.contains("missing.db: no contact history database here"), noDatabase.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("missing.db").path))
        let strict = try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "1", "dialer.csv"], in: folder)
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.contains("2 bad rows, more than --max-bad-rows 1 allows"), strict.stderr)
        XCTAssertEqual(try attempts(folder.appendingPathComponent("h.db")), 0)
    }

    /// A process killed in the middle of an import leaves the history as it was: the first log
    /// is read and inserted, the second (standard input) is half sent when the kill comes.
    func testAKilledImportLeavesTheHistoryAsBefore() throws {
        let folder = try temporaryFolder(self)
        let db = folder.appendingPathComponent("h.db")
        try Data(HistoryCommandTests.log.utf8).write(to: folder.appendingPathComponent("dialer.csv"))
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "h.db", "dialer.csv"], in: folder).status, 0)

        var next = "number,attempted_at,campaign,offer,contact_centre\n"
        for i in 0..<2000 { next += "07011\(10000 + i),2026-06-01 12:00,Höst,Bredband,Kalmar\n" }
        try Data(next.utf8).write(to: folder.appendingPathComponent("next.csv"))

        let process = Process()
        process.executableURL = nixwashBinary()
        process.arguments = ["history", "import", "--db", "h.db", "next.csv", "-"]
        process.currentDirectoryURL = folder
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        // Wait until next.csv is in the transaction.
        var seen = ""
        while !seen.contains("next.csv: 2000 rows") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(seen.contains("next.csv: 2000 rows, 2000 new attempts"), seen)
        input.fileHandleForWriting.write(Data("number,attempted_at,campaign,offer,contact_centre\n0701999999,2026-06-02 12:00,Höst,Bredband,Kalmar\n".utf8))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        XCTAssertEqual(try attempts(db), 3)
        let store = try HistoryStore(path: db.path, mode: .readOnly)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM imports"), 1)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM campaigns WHERE name = 'Höst'"), 0)
        // The history takes the next import as usual.
        let retry = try runNixwash(["history", "import", "--db", "h.db", "next.csv"], in: folder)
        XCTAssertEqual(retry.status, 0, retry.stderr)
        XCTAssertEqual(try attempts(db), 2003)
    }
}
