import Foundation
import XCTest
@testable import NixWashKit

final class HistoryCoverageTests: XCTestCase {
    private func store(_ attempts: [HistoryAttempt]) throws -> HistoryStore {
        let store = try HistoryStore(path: makeTemporaryFolder(self).appendingPathComponent("history.db").path, mode: .create)
        if !attempts.isEmpty { try store.insert(attempts: attempts) }
        return store
    }

    private func attempt(_ at: Int64, _ campaign: String, _ offer: String = "O1", _ centre: String = "K1") -> HistoryAttempt {
        HistoryAttempt(number: PhoneKey(rawValue: 46_701_234_567), attemptedAt: at, campaign: campaign, offer: offer,
                       contactCentre: centre)
    }

    func testFoldIgnoresCaseSpacesDashesAndUnderscores() {
        XCTAssertEqual(HistoryCoverage.fold("C-ELAVTAL-26"), HistoryCoverage.fold("c elavtal 26"))
        XCTAssertEqual(HistoryCoverage.fold("KKC_Umeå"), HistoryCoverage.fold("kkc – umeå"))
        XCTAssertNotEqual(HistoryCoverage.fold("kkc-umea"), HistoryCoverage.fold("kkc-umeå"))
        XCTAssertNotEqual(HistoryCoverage.fold("vinter-2026"), HistoryCoverage.fold("vinter-2025"))
    }

    func testDurations() {
        XCTAssertEqual(HistoryCoverage.seconds(ofDuration: "36h"), 129_600)
        XCTAssertEqual(HistoryCoverage.seconds(ofDuration: "2d"), 172_800)
        XCTAssertEqual(HistoryCoverage.seconds(ofDuration: "1d12h"), 129_600)
        XCTAssertEqual(HistoryCoverage.seconds(ofDuration: "90m"), 5_400)
        XCTAssertEqual(HistoryCoverage.seconds(ofDuration: "1W"), 604_800)
        for refused in ["", "36", "h", "0h", "1.5h", "-2d", "2 d", "1y", "99999999999999999999h", "9000000000000w9000000000000w"] {
            XCTAssertNil(HistoryCoverage.seconds(ofDuration: refused), refused)
        }
        XCTAssertEqual(HistoryCoverage.describe(seconds: 129_600), "1 d 12 h")
        XCTAssertEqual(HistoryCoverage.describe(seconds: 3_720), "1 h 2 min")
    }

    func testCoverageCountsEachNameAndTheOldestAndNewestAttempt() throws {
        let store = try store([attempt(1_780_000_000, "C1"), attempt(1_780_086_400, "C1", "O2"),
                               attempt(1_779_000_000, "C2", "O1", "K2"), attempt(1_779_500_000, "C3", "O3")])
        let coverage = try HistoryCoverage.load(store: store, campaign: "C1", offer: "O1", contactCentre: "K2")
        XCTAssertEqual(coverage.attempts, 4)
        XCTAssertEqual(coverage.campaignAttempts, 2)
        XCTAssertEqual(coverage.offerAttempts, 2)
        XCTAssertEqual(coverage.contactCentreAttempts, 1)
        XCTAssertEqual(coverage.oldestAttempt, StockholmTime.iso8601(1_779_000_000))
        XCTAssertEqual(coverage.newestAttempt, StockholmTime.iso8601(1_780_086_400))
        let unknown = try HistoryCoverage.load(store: store, campaign: "new", offer: "new", contactCentre: "new")
        XCTAssertEqual([unknown.campaignAttempts, unknown.offerAttempts, unknown.contactCentreAttempts], [0, 0, 0])
        // The same read beside other work, on its own connection.
        let scanned = try HistoryCoverage.Scan(path: store.path, campaign: "C1", offer: "O1", contactCentre: "K2").result()
        XCTAssertEqual(scanned, coverage)
        let empty = try HistoryCoverage.load(store: try self.store([]), campaign: "C1", offer: "O1", contactCentre: "K1")
        XCTAssertEqual(empty.attempts, 0)
        XCTAssertNil(empty.newestAttempt)
    }

    /// The `coverage` totals, as the imports and purges keep them and as counted again from
    /// the attempts.
    private func totals(_ store: HistoryStore) throws -> (kept: [[Int64]], counted: [[Int64]]) {
        func rows(_ sql: String) throws -> [[Int64]] {
            let statement = try store.db.prepare(sql)
            var rows: [[Int64]] = []
            while try statement.step() { rows.append((0..<6).map { statement.int64(Int32($0)) }) }
            return rows
        }
        return (try rows("SELECT * FROM coverage ORDER BY 1, 2, 3"),
                try rows("""
                    SELECT campaign_id, offer_id, contact_centre_id, count(*), min(attempted_at), max(attempted_at)
                    FROM attempts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                    """))
    }

    func testImportsAndPurgesKeepTheCoverageTotalsAndAnOlderFileIsUpgraded() throws {
        let day: Int64 = 86_400, now = Int64(Date().timeIntervalSince1970)
        let store = try store([attempt(now - 400 * day, "C1"), attempt(now - 2 * day, "C1", "O2"),
                               attempt(now - 3 * day, "C2", "O1", "K2")])
        // Again with one new attempt: the repeats add nothing to the totals.
        _ = try store.insert(attempts: [attempt(now - 400 * day, "C1"), attempt(now - 2 * day, "C1", "O2"),
                                        attempt(now - day, "C1", "O2"), attempt(now - 5 * day, "C3", "O3", "K2")])
        var t = try totals(store)
        XCTAssertEqual(t.kept, t.counted)
        XCTAssertEqual(t.kept.map { $0[3] }.reduce(0, +), 5)
        let before = try HistoryCoverage.load(store: store, campaign: "C1", offer: "O2", contactCentre: "K1")
        XCTAssertEqual([before.attempts, before.campaignAttempts, before.offerAttempts, before.contactCentreAttempts], [5, 3, 2, 3])

        _ = try store.purge(before: Int32(StockholmTime.localDay(at: now - 10 * day)), forced: true)
        t = try totals(store)
        XCTAssertEqual(t.kept, t.counted)
        XCTAssertEqual(t.kept.map { $0[3] }.reduce(0, +), 4)

        // A file of schema 2 has no totals: read as it is, from the attempts; upgraded on writing.
        let path = store.path
        try store.db.execute("DROP TABLE coverage; PRAGMA user_version = 2;")
        let old = try HistoryStore(path: path, mode: .readOnly)
        XCTAssertEqual(old.fileVersion, 2)
        let scanned = try HistoryCoverage.load(store: old, campaign: "C1", offer: "O2", contactCentre: "K1")
        let upgraded = try HistoryStore(path: path, mode: .readWrite)
        XCTAssertEqual(upgraded.fileVersion, HistoryStore.schemaVersion)
        t = try totals(upgraded)
        XCTAssertEqual(t.kept, t.counted)
        XCTAssertEqual(try HistoryCoverage.load(store: upgraded, campaign: "C1", offer: "O2", contactCentre: "K1"), scanned)
        XCTAssertEqual(scanned.attempts, 4)
        XCTAssertEqual(scanned.newestAttempt, StockholmTime.iso8601(now - day))
    }

    func testANearNameIsRefusedAndANewOneIsNot() throws {
        let store = try store([attempt(1_780_000_000, "C-ELAVTAL-26"), attempt(1_780_000_100, "C-Elavtal-26")])
        XCTAssertThrowsError(try HistoryCoverage.check(store: store, campaign: "c elavtal 26", offer: "O1",
                                                       contactCentre: "K1", maxAge: nil)) { error in
            XCTAssertEqual(error as? NixWashError, .nearHistoryName(path: store.path, field: "campaign", given: "c elavtal 26", givenAttempts: 0,
                                                                    near: ["C-ELAVTAL-26", "C-Elavtal-26"], attempts: [1, 1]))
            XCTAssertEqual((error as? NixWashError)?.kind, .usage)
        }
        // The exact name has attempts, and so has a near spelling: one campaign's attempts may be
        // split over the two, and each counted short.
        XCTAssertThrowsError(try HistoryCoverage.check(store: store, campaign: "C-ELAVTAL-26", offer: "O1", contactCentre: "K1",
                                                       maxAge: nil)) { error in
            XCTAssertEqual(error as? NixWashError, .nearHistoryName(path: store.path, field: "campaign", given: "C-ELAVTAL-26", givenAttempts: 1,
                                                                    near: ["C-Elavtal-26"], attempts: [1]))
            XCTAssertTrue((error as? NixWashError)?.localizedDescription.contains("its attempts are split") == true)
        }
        XCTAssertNoThrow(try HistoryCoverage.check(store: store, campaign: "C-ELAVTAL-27", offer: "O1", contactCentre: "K1",
                                                   maxAge: nil))
        // A near name whose attempts were all purged has nothing to lose.
        _ = try store.purge(before: 30_000)
        XCTAssertNoThrow(try HistoryCoverage.check(store: store, campaign: "c elavtal 26", offer: "O1", contactCentre: "K1",
                                                   maxAge: nil))
    }

    /// Names that look the same are one name: composed and decomposed `å`, a zero-width space or
    /// a no-break space are not a second campaign; and a history that already holds such a
    /// second spelling refuses the run.
    func testNamesInOtherUnicodeFormsOrWithInvisibleCharactersAreOneName() throws {
        let composed = "kkc-ume\u{E5}", decomposed = "kkc-ume\u{61}\u{30A}"
        XCTAssertEqual(Array(HistoryCoverage.canonicalName(decomposed).utf8), Array(composed.utf8))
        XCTAssertEqual(HistoryCoverage.canonicalName("W\u{200B}"), "W")
        XCTAssertEqual(HistoryCoverage.canonicalName("\u{FEFF}W\u{A0}"), "W")
        XCTAssertEqual(HistoryCoverage.canonicalName("Höst\u{A0}26"), "Höst 26")
        // Stored before imports made names canonical: refused, not counted apart.
        let store = try store([attempt(1_780_000_000, decomposed)])
        XCTAssertNoThrow(try HistoryCoverage.check(store: store, campaign: composed, offer: "O1", contactCentre: "K1", maxAge: nil),
                         "an import stores the composed name")
        try store.db.execute("UPDATE campaigns SET name = '\(decomposed)'")
        XCTAssertThrowsError(try HistoryCoverage.check(store: store, campaign: composed, offer: "O1", contactCentre: "K1",
                                                       maxAge: nil)) { error in
            guard case let NixWashError.nearHistoryName(_, _, _, givenAttempts, near, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(givenAttempts, 0)
            XCTAssertEqual(near.map { Array($0.utf8) }, [Array(decomposed.utf8)])
        }
    }

    func testAStaleOrEmptyHistoryIsRefusedByAMaximumAge() throws {
        let store = try store([attempt(1_780_000_000, "C1")])
        XCTAssertNoThrow(try HistoryCoverage.check(store: store, campaign: "C1", offer: "O1", contactCentre: "K1",
                                                   maxAge: 3_600, now: 1_780_003_600))
        XCTAssertThrowsError(try HistoryCoverage.check(store: store, campaign: "C1", offer: "O1", contactCentre: "K1",
                                                       maxAge: 3_600, now: 1_780_003_601)) { error in
            XCTAssertEqual(error as? NixWashError, .staleHistory(path: store.path, newestAttempt: StockholmTime.iso8601(1_780_000_000),
                                                                 age: "1 h 0 min", maxAge: "1 h 0 min"))
            XCTAssertEqual((error as? NixWashError)?.kind, .compliance)
        }
        // An attempt dated after now (one clock wrong) does not make the history current.
        let future = try self.store([attempt(1_780_000_000, "C1"), attempt(1_780_000_000 + 10 * 86_400, "C1")])
        XCTAssertThrowsError(try HistoryCoverage.check(store: future, campaign: "C1", offer: "O1", contactCentre: "K1",
                                                       maxAge: 3_600, now: 1_780_003_601)) { error in
            XCTAssertEqual(error as? NixWashError, .staleHistory(path: future.path, newestAttempt: StockholmTime.iso8601(1_780_000_000),
                                                                 age: "1 h 0 min", maxAge: "1 h 0 min"))
        }
        // A history no log was ever imported into (a failed or stopped first import) says nothing.
        let neverImported = try self.store([])
        XCTAssertThrowsError(try HistoryCoverage.check(store: neverImported, campaign: "C1", offer: "O1", contactCentre: "K1",
                                                       maxAge: nil, now: 1_780_000_000)) { error in
            XCTAssertEqual(error as? NixWashError, .historyNeverImported(path: neverImported.path))
        }
        // An empty log imported is a history: without attempts, too old for a maximum age.
        try neverImported.insert(attempts: [])
        XCTAssertNoThrow(try HistoryCoverage.check(store: neverImported, campaign: "C1", offer: "O1", contactCentre: "K1",
                                                   maxAge: nil, now: 1_780_000_000))
        XCTAssertThrowsError(try HistoryCoverage.check(store: neverImported, campaign: "C1", offer: "O1", contactCentre: "K1",
                                                       maxAge: 3_600, now: 1_780_000_000)) { error in
            XCTAssertTrue(error.localizedDescription.contains("it holds no attempts at all"), error.localizedDescription)
        }
    }
}
