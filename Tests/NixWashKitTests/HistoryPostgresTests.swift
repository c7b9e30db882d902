import Foundation
import XCTest
@testable import NixWashKit

/// A database of its own on the test cluster that scripts/test starts (NIXWASH_TEST_POSTGRES),
/// dropped when the test ends; the test is skipped, saying why, when no cluster is given.
func makePostgresDatabase(_ testCase: XCTestCase) throws -> String {
    guard let server = ProcessInfo.processInfo.environment["NIXWASH_TEST_POSTGRES"], !server.isEmpty else {
        throw XCTSkip("PostgreSQL tests need NIXWASH_TEST_POSTGRES, the URL of a test cluster; scripts/test starts one and sets it")
    }
    let name = "nixwash_unit_\(UUID().uuidString.prefix(8).lowercased())"
    let admin = try PostgresConnection(url: server)
    try admin.execute("CREATE DATABASE \(name)")
    testCase.addTeardownBlock { try? PostgresConnection(url: server).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    guard let slash = server.range(of: "/", options: .backwards, range: server.range(of: "://")!.upperBound..<server.endIndex) else {
        return server + "/" + name
    }
    return String(server[..<slash.lowerBound]) + "/" + name
}

final class HistoryPostgresTests: XCTestCase {
    func testLocationsAndTheirRedaction() {
        XCTAssertEqual(HistoryLocation("history.db"), .sqlite(path: "history.db"))
        XCTAssertEqual(HistoryLocation("PostgreSQL://h/db"), .postgres(url: "PostgreSQL://h/db"))
        XCTAssertEqual(HistoryLocation("postgres-history.db"), .sqlite(path: "postgres-history.db"))
        let cases = [
            ("postgres://anna:s3cret@db.example:5433/history", "postgres://anna:***@db.example:5433/history"),
            ("postgresql://anna:p%40ss@db/h?sslmode=require", "postgresql://anna:***@db/h?sslmode=require"),
            ("postgresql://db/h?user=anna&password=s3cret&sslmode=require", "postgresql://db/h?user=anna&password=***&sslmode=require"),
            ("postgres://anna@db/h", "postgres://anna@db/h"),
            ("postgres://anna:a@b@db/h", "postgres://anna:***@db/h"),
        ]
        for (url, shown) in cases {
            XCTAssertEqual(HistoryLocation(url).description, shown, url)
        }
        XCTAssertTrue(HistoryLocation("postgres://anna:s3cret@db/h").hasPassword)
        XCTAssertTrue(HistoryLocation("postgres://db/h?password=x").hasPassword)
        XCTAssertFalse(HistoryLocation("postgres://anna@db/h").hasPassword)
        XCTAssertEqual(HistoryLocation.password(in: "postgresql://anna:p%40ss@db/h"), "p@ss")
    }

    /// Random attempts over a few campaigns, offers and centres, around the windows' edges.
    private func randomAttempts(count: Int, seed: UInt64) -> [HistoryAttempt] {
        var generator = SplitMix64(seed: seed)
        let callNoon = Int64(localDay(2026, 6, 15)) * 86_400 + 10 * 3600
        return (0..<count).map { _ in
            let campaign = "C\(Int.random(in: 0..<5, using: &generator))"
            // C0 and C1 made two offers; the others one each.
            let offer = campaign < "C2" ? "O\(Int.random(in: 0..<2, using: &generator))" : "O\(Int(campaign.dropFirst())! % 2)"
            return HistoryAttempt(number: PhoneKey(rawValue: 46_700_000_000 + UInt64.random(in: 0..<400, using: &generator)),
                                  attemptedAt: callNoon - Int64.random(in: -2 * 86_400...400 * 86_400, using: &generator),
                                  campaign: campaign, offer: offer, contactCentre: "K\(Int.random(in: 0..<3, using: &generator))",
                                  outcome: Bool.random(using: &generator) ? "answered" : nil)
        }
    }

    func testTheSnapshotAndStatsMatchSQLiteOnTheSameAttempts() throws {
        let url = try makePostgresDatabase(self)
        let postgres = try ContactHistory.open(url, mode: .create)
        let sqlite = try ContactHistory.open(makeTemporaryFolder(self).appendingPathComponent("h.db").path, mode: .create)
        let attempts = randomAttempts(count: 6000, seed: 20)
        for part in stride(from: 0, to: attempts.count, by: 1500) {
            let slice = Array(attempts[part..<min(part + 1500, attempts.count)])
            let a = try postgres.insert(attempts: slice, source: "part \(part)")
            let b = try sqlite.insert(attempts: slice, source: "part \(part)")
            XCTAssertEqual(a.inserted, b.inserted)
            XCTAssertEqual(a.duplicates, b.duplicates)
        }
        var expected = try sqlite.stats(), found = try postgres.stats()
        XCTAssertEqual(found, expected)
        XCTAssertGreaterThan(expected.attempts, 5000)
        let day = localDay(2026, 6, 15)
        for (campaign, offer, centre) in [("C0", "O0", "K0"), ("C2", "O0", "K1"), ("C3", "O1", "K2"), ("new", "O1", "K0"), ("C1", "none", "K9")] {
            for (windows, threshold) in [((30, 365), 1), ((7, 90), 2), ((1, 1), 1)] {
                func snapshot(_ store: any ContactHistoryStore, _ lookup: HistoryLookup) throws -> HistorySnapshot {
                    try store.snapshot(callDate: day, campaign: campaign, offer: offer, contactCentre: centre,
                                       campaignWindowDays: windows.0, offerWindowDays: windows.1,
                                       keeping: HistoryKeeping(otherCampaignsFrom: threshold, judge: nil), lookup: lookup)
                }
                let a = try snapshot(sqlite, .ranges), b = try snapshot(postgres, .ranges)
                XCTAssertEqual(a.count, b.count, "\(campaign) \(offer) \(centre) \(windows)")
                // And read per number, as a small run reads it, from both stores.
                let c = try snapshot(postgres, .perNumber), d = try snapshot(sqlite, .perNumber)
                XCTAssertEqual(c.lookup, .perNumber)
                for number in 46_700_000_000..<46_700_000_400 as Range<UInt64> {
                    let expected = a.history(for: PhoneKey(rawValue: number))
                    XCTAssertEqual(expected, b.history(for: PhoneKey(rawValue: number)),
                                   "\(number) \(campaign) \(offer) \(centre) \(windows)")
                    XCTAssertEqual(expected, c.history(for: PhoneKey(rawValue: number)),
                                   "per number (PostgreSQL) \(number) \(campaign) \(offer) \(centre) \(windows)")
                    XCTAssertEqual(expected, d.history(for: PhoneKey(rawValue: number)),
                                   "per number (SQLite) \(number) \(campaign) \(offer) \(centre) \(windows)")
                }
            }
        }
        for (campaign, offer, centre) in [("C0", "O0", "K0"), ("C4", "O1", "K2"), ("new", "none", "K9")] {
            var a = try sqlite.coverage(campaign: campaign, offer: offer, contactCentre: centre)
            let b = try postgres.coverage(campaign: campaign, offer: offer, contactCentre: centre)
            a.path = b.path
            XCTAssertEqual(a, b, campaign)
        }
        // A name that differs only in case is refused by both, with the same message.
        for store in [sqlite, postgres] {
            XCTAssertThrowsError(try store.checkCoverage(campaign: "c0", offer: "O0", contactCentre: "K0", maxAge: nil)) { error in
                guard case let NixWashError.nearHistoryName(_, field, _, _, near, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(field, "campaign")
                XCTAssertEqual(near, ["C0"])
            }
            XCTAssertNoThrow(try store.checkCoverage(campaign: "C0", offer: "O0", contactCentre: "K0", maxAge: 86_400,
                                                     now: Int64(day) * 86_400))
            XCTAssertThrowsError(try store.checkCoverage(campaign: "C0", offer: "O0", contactCentre: "K0", maxAge: 86_400,
                                                         now: Int64(day + 30) * 86_400))
        }
        let number = attempts[0].number
        XCTAssertEqual(try postgres.attempts(of: number), try sqlite.attempts(of: number))
        XCTAssertEqual(try postgres.purgeExtent(before: day - 200), try sqlite.purgeExtent(before: day - 200))
        XCTAssertEqual(try postgres.purge(before: day - 200, forced: true, waiting: {}),
                       try sqlite.purge(before: day - 200, forced: true, waiting: {}))
        expected = try sqlite.stats()
        found = try postgres.stats()
        XCTAssertEqual(found.campaigns, expected.campaigns)
        XCTAssertEqual(found.purges.map(\.removed), expected.purges.map(\.removed))
    }

    func testTheSchemaIsVersionedAndAReimportAddsNothing() throws {
        let url = try makePostgresDatabase(self)
        XCTAssertThrowsError(try ContactHistory.open(url, mode: .readOnly)) { error in
            guard case NixWashError.historyNotFound = error else { return XCTFail("\(error)") }
        }
        let store = try ContactHistory.open(url, mode: .create)
        let connection = try PostgresConnection(url: url)
        XCTAssertEqual(try connection.scalar("SELECT max(version) FROM nixwash_schema"), PostgresHistoryStore.schemaVersion)
        let attempts = randomAttempts(count: 500, seed: 3)
        let first = try store.insert(attempts: attempts)
        let again = try store.insert(attempts: attempts)
        XCTAssertEqual(again.inserted, 0)
        XCTAssertEqual(again.duplicates, first.inserted + first.duplicates)
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM attempts"), Int64(first.inserted))
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM imports"), 2)
        // Opened again, nothing is created twice; a newer schema is refused.
        _ = try ContactHistory.open(url, mode: .create)
        try connection.execute("INSERT INTO nixwash_schema VALUES (99, 'later')")
        XCTAssertThrowsError(try ContactHistory.open(url, mode: .readOnly)) { error in
            guard case NixWashError.historySchemaTooNew = error else { return XCTFail("\(error)") }
        }
    }

    func testAVersion2SchemaIsMigratedWithItsCoverageBuiltFromTheAttempts() throws {
        let url = try makePostgresDatabase(self)
        let connection = try PostgresConnection(url: url)
        try connection.execute(PostgresHistoryStore.migrations[0].sql)
        try connection.execute("""
            INSERT INTO nixwash_schema VALUES (2, 'before');
            INSERT INTO campaigns (id, name) VALUES (1, 'C'); INSERT INTO offers (id, name) VALUES (1, 'O');
            INSERT INTO contact_centres (id, name) VALUES (1, 'K');
            INSERT INTO imports (id, path, imported_at, rows, inserted, duplicates, bad, ambiguous_local_times)
                VALUES (1, 'old.csv', 'then', 2, 2, 0, 0, 0);
            INSERT INTO attempts VALUES (1, 46701234567, 1780000000, 1, 1, 20601, NULL, 1), (1, 46701234568, 1780003600, 1, 1, 20601, NULL, 1);
            INSERT INTO campaign_offers VALUES (1, 1);
            """)
        // Read-only, the old version is read as it is: nothing is migrated.
        _ = try ContactHistory.open(url, mode: .readOnly)
        XCTAssertEqual(try connection.scalar("SELECT max(version) FROM nixwash_schema"), 2)
        let store = try ContactHistory.open(url, mode: .readWrite)
        XCTAssertEqual(try connection.scalar("SELECT max(version) FROM nixwash_schema"), 4)
        // Version 4's key has the offer: the same call under another offer is a second row.
        try connection.execute("""
            INSERT INTO offers (id, name) VALUES (2, 'O2');
            INSERT INTO attempts VALUES (1, 46701234567, 1780000000, 1, 2, 20601, NULL, 1);
            DELETE FROM attempts WHERE offer_id = 2;
            """)
        let coverage = try store.coverage(campaign: "C", offer: "O", contactCentre: "K")
        XCTAssertEqual(coverage.attempts, 2)
        XCTAssertEqual(coverage.campaignAttempts, 2)
        XCTAssertEqual(coverage.oldestAttempt, StockholmTime.iso8601(1_780_000_000))
        XCTAssertEqual(try store.stats().attempts, 2)
    }

    func testAForeignAttemptsTableIsNotTakenForAHistory() throws {
        let url = try makePostgresDatabase(self)
        try PostgresConnection(url: url).execute("CREATE TABLE attempts (id integer)")
        XCTAssertThrowsError(try ContactHistory.open(url, mode: .create)) { error in
            guard case NixWashError.notAHistoryDatabase = error else { return XCTFail("\(error)") }
        }
    }

    func testAFailingFileLeavesNoRowOfTheImport() throws {
        let url = try makePostgresDatabase(self)
        let store = try ContactHistory.open(url, mode: .create)
        let folder = try makeTemporaryFolder(self)
        let good = folder.appendingPathComponent("good.csv"), bad = folder.appendingPathComponent("bad.csv")
        try "number,attempted_at,campaign,offer,contact_centre\n0701234567,2026-05-10 10:00,C,O,K\n".write(to: good, atomically: true, encoding: .utf8)
        try "number,attempted_at,campaign,offer,contact_centre\n0701234568,2026-05-10 10:00,C,O,K\n0701234569,yesterday,C,O,K\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try store.importLogs([good.path, bad.path], columns: AttemptLogColumns()))
        XCTAssertEqual(try store.stats().attempts, 0)
        XCTAssertEqual(try store.stats().imports, 0)
        XCTAssertEqual(try store.importLogs([good.path], columns: AttemptLogColumns()).map(\.inserted), [1])
    }

    func testCopyBetweenTheStoresKeepsEveryAttempt() throws {
        let url = try makePostgresDatabase(self)
        let folder = try makeTemporaryFolder(self)
        let sqlite = try ContactHistory.open(folder.appendingPathComponent("a.db").path, mode: .create)
        try sqlite.insert(attempts: randomAttempts(count: 3000, seed: 9))
        let postgres = try ContactHistory.open(url, mode: .create)
        let copied = try postgres.copyAttempts(from: sqlite)
        XCTAssertEqual(copied.inserted, try sqlite.stats().attempts)
        XCTAssertEqual(try postgres.copyAttempts(from: sqlite).inserted, 0)
        let back = try ContactHistory.open(folder.appendingPathComponent("b.db").path, mode: .create)
        _ = try back.copyAttempts(from: postgres)
        var all: [[HistoryAttempt]] = []
        for store in [sqlite, back] {
            var rows: [HistoryAttempt] = []
            try store.forEachAttempt { rows.append($0) }
            all.append(rows.sorted { ($0.campaign, $0.number.rawValue, $0.attemptedAt, $0.contactCentre) < ($1.campaign, $1.number.rawValue, $1.attemptedAt, $1.contactCentre) })
        }
        XCTAssertEqual(all[0], all[1])
        XCTAssertEqual(try back.stats().campaigns, try sqlite.stats().campaigns)
    }

    func testAWrongPasswordIsRefusedWithoutShowingIt() throws {
        let url = try makePostgresDatabase(self)
        let withPassword = url.replacingOccurrences(of: "://nixwash@", with: "://nixwash:Wr0ngPassw0rd@")
        XCTAssertNotEqual(withPassword, url)
        XCTAssertThrowsError(try ContactHistory.open(withPassword, mode: .readOnly)) { error in
            guard case NixWashError.historyServerAuthentication = error else { return XCTFail("\(error)") }
            let message = error.localizedDescription
            XCTAssertFalse(message.contains("Wr0ngPassw0rd"), message)
            XCTAssertTrue(message.contains("nixwash:***@"), message)
        }
    }

    func testARefusedConnectionIsAClearError() throws {
        // A port nobody listens on: bound, then closed.
        let url = "postgresql://nixwash@127.0.0.1:9/history?connect_timeout=5"
        XCTAssertThrowsError(try ContactHistory.open(url, mode: .readOnly)) { error in
            guard case NixWashError.historyServerUnavailable = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.localizedDescription.contains("127.0.0.1"))
        }
    }

    func testALostConnectionDuringAnImportKeepsNothingOfIt() throws {
        let url = try makePostgresDatabase(self)
        let store = try ContactHistory.open(url, mode: .create)
        try store.insert(attempts: randomAttempts(count: 100, seed: 1), source: "committed")
        let session = try store.beginImport(maxBadRows: nil, waiting: {})
        try session.startFile(path: "cut off", size: nil, sha256: nil)
        for (index, attempt) in randomAttempts(count: 1000, seed: 2).enumerated() {
            try session.add(line: UInt64(index + 1), attempt: attempt)
        }
        try PostgresConnection(url: url).execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'
            """)
        XCTAssertThrowsError(try session.commit()) { error in
            guard case NixWashError.historyServerLost = error else { return XCTFail("\(error)") }
        }
        let stats = try ContactHistory.open(url, mode: .readOnly).stats()
        XCTAssertEqual(stats.imports, 1)
        XCTAssertEqual(stats.attempts, try store.stats().attempts)
    }
}

