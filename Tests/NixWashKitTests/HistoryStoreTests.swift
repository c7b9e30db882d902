import Foundation
import XCTest
@testable import NixWashKit

final class HistoryStoreTests: XCTestCase {
    private func newStore() throws -> HistoryStore {
        try HistoryStore(path: makeTemporaryFolder(self).appendingPathComponent("history.db").path, mode: .create)
    }

    private struct Row {
        var number: UInt64
        var at: String
        var campaign = "C1"
        var offer = "O1"
        var centre = "K1"
        var outcome: String? = "answered"
    }

    private func importRows(_ store: HistoryStore, _ rows: [Row], path: String = "log.csv",
                            maxBadRows: Int? = nil) throws -> HistoryFileSummary {
        let session = try store.beginImport(maxBadRows: maxBadRows)
        try session.startFile(path: path, size: nil, sha256: nil)
        for (i, row) in rows.enumerated() {
            try session.add(line: UInt64(i + 2), number: PhoneKey(rawValue: row.number), attemptedAt: row.at,
                            campaign: row.campaign, offer: row.offer, contactCentre: row.centre, outcome: row.outcome)
        }
        let summary = try session.finishFile()
        try session.commit()
        return summary
    }

    private func attempts(_ store: HistoryStore) throws -> Int64 {
        try store.db.scalar("SELECT count(*) FROM attempts")
    }

    private func day(_ i: Int) -> Row {
        Row(number: 46_701_234_567, at: "2026-05-\(10 + i) 10:00:00")
    }

    /// A copy whose source holds an attempt the target cannot store copies nothing, and its
    /// error says what to do with the source, not an import's options (`history copy` has none).
    func testACopyOfAnAttemptThatCannotBeStoredCopiesNothingAndSaysSo() throws {
        let source = try newStore()
        _ = try importRows(source, [day(1), day(2)])
        try source.db.execute("UPDATE campaigns SET name = ''")
        let target = try newStore()
        XCTAssertThrowsError(try target.copyAttempts(from: source)) { error in
            guard case let .uncopyableAttempt(from, _, attempt)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(from, source.location.description)
            XCTAssertEqual(attempt.line, 1)
            let message = messageNamingSettings(error)
            XCTAssertFalse(message.contains("<"), "names a setting the copy does not have: \(message)")
            XCTAssertTrue(message.contains("Nothing was copied"), message)
        }
        XCTAssertEqual(try attempts(target), 0)
    }

    func testReimportingTheSameLogAddsNothing() throws {
        let store = try newStore()
        let rows = (0..<8).map(day) + [Row(number: 46_812_345_678, at: "2026-05-10T10:00:00+02:00", centre: "K2")]
        let first = try importRows(store, rows)
        XCTAssertEqual(first.rows, 9)
        XCTAssertEqual(first.inserted, 9)
        XCTAssertEqual(first.duplicates, 0)
        let second = try importRows(store, rows)
        XCTAssertEqual(second.inserted, 0)
        XCTAssertEqual(second.duplicates, 9)
        XCTAssertEqual(try attempts(store), 9)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM imports"), 2)
        XCTAssertEqual(try store.db.scalar("SELECT sum(inserted) FROM imports"), 9)
        // The same instant written with an offset or as local time is the same attempt.
        let rewritten = try importRows(store, [Row(number: 46_701_234_567, at: "2026-05-10T08:00:00Z")])
        XCTAssertEqual(rewritten.duplicates, 1)
    }

    /// A re-export that gives a call another offer cannot be told right or wrong: the call is
    /// kept under both offers, so that both offers' rules count it.
    func testTheSameCallUnderAnotherOfferIsKeptUnderBoth() throws {
        let store = try newStore()
        _ = try importRows(store, [day(0), day(1)])
        var corrected = day(0)
        corrected.offer = "O2"
        let again = try importRows(store, [corrected, day(1)], path: "re-export.csv")
        XCTAssertEqual(again.inserted, 1)
        XCTAssertEqual(again.duplicates, 1)
        XCTAssertEqual(try attempts(store), 3)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM attempt_log WHERE local_date = '2026-05-10'"), 2)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM campaign_offers"), 2)
    }

    func testOverlappingExportsAddOnlyTheNewAttempts() throws {
        let store = try newStore()
        let monday = try importRows(store, (0..<6).map(day), path: "export-1.csv")
        let tuesday = try importRows(store, (3..<10).map(day), path: "export-2.csv")
        XCTAssertEqual(monday.inserted, 6)
        XCTAssertEqual(tuesday.inserted, 4)
        XCTAssertEqual(tuesday.duplicates, 3)
        XCTAssertEqual(try attempts(store), 10)
        // Same number and time but another campaign or contact centre: distinct attempts.
        var other = day(0)
        other.centre = "K2"
        var otherCampaign = day(0)
        otherCampaign.campaign = "C2"
        XCTAssertEqual(try importRows(store, [other, otherCampaign]).inserted, 2)
    }

    func testBadRowsAreReportedWithLineAndReasonAndTheRestImported() throws {
        let store = try newStore()
        var emptyCampaign = day(1)
        emptyCampaign.campaign = "  "
        var emptyOffer = day(2)
        emptyOffer.offer = ""
        var emptyCentre = day(3)
        emptyCentre.centre = ""
        let rows = [day(0), Row(number: 46_701_234_567, at: "yesterday"), Row(number: 46_701_234_567, at: "2026-03-29 02:15"),
                    emptyCampaign, emptyOffer, emptyCentre, Row(number: 46_701_234_567, at: "1990-01-01 10:00"), day(4)]
        let summary = try importRows(store, rows)
        XCTAssertEqual(summary.rows, 8)
        XCTAssertEqual(summary.inserted, 2)
        XCTAssertEqual(summary.bad, 6)
        XCTAssertEqual(summary.badRows.map(\.line), [3, 4, 5, 6, 7, 8])
        XCTAssertEqual(summary.badRows.map(\.reason), [.badTimestamp, .nonexistentLocalTime, .missingField,
                                                       .missingField, .missingField, .timestampOutOfRange])
        XCTAssertEqual(summary.badRows[0].value, "yesterday")
        XCTAssertEqual(summary.badRows[0].column, "attempted_at")
        XCTAssertTrue(summary.badRows[2].detail.hasPrefix("campaign is empty. "), summary.badRows[2].detail)
        XCTAssertEqual(summary.badRows[2].column, "campaign")
        XCTAssertEqual(try attempts(store), 2)
        XCTAssertEqual(try store.db.scalar("SELECT bad FROM imports"), 6)
    }

    func testTooManyBadRowsImportsNothingAtAll() throws {
        let store = try newStore()
        _ = try importRows(store, [day(0)])
        let session = try store.beginImport(maxBadRows: 1)
        try session.startFile(path: "good.csv", size: nil, sha256: nil)
        try session.add(line: 2, number: PhoneKey(rawValue: 46_701_111_111), attemptedAt: "2026-05-11 10:00",
                        campaign: "C1", offer: "O1", contactCentre: "K1")
        _ = try session.finishFile()
        try session.startFile(path: "bad.csv", size: nil, sha256: nil)
        try session.reject(line: 2, reason: .invalidNumber, detail: "'12' is too short")
        XCTAssertThrowsError(try session.reject(line: 5, reason: .invalidNumber, detail: "'x' has no digits")) { error in
            XCTAssertEqual(error as? NixWashError, .tooManyBadRows(path: "bad.csv", bad: 2, limit: 1,
                                                                   first: HistoryBadRow(line: 2, reason: .invalidNumber, detail: "'12' is too short")))
        }
        session.rollback()
        XCTAssertEqual(try attempts(store), 1)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM imports"), 1)
    }

    func testAnImportThatNeverCommitsLeavesTheHistoryAsBefore() throws {
        let store = try newStore()
        _ = try importRows(store, (0..<3).map(day))
        let reader = try HistoryStore(path: store.path, mode: .readOnly)
        do {
            let session = try store.beginImport()
            defer { withExtendedLifetime(session) {} }
            try session.startFile(path: "killed.csv", size: nil, sha256: nil)
            for i in 0..<5000 {
                try session.add(line: UInt64(i + 2), number: PhoneKey(rawValue: 46_700_000_000 + UInt64(i)),
                                attemptedAt: "2026-05-20 12:00", campaign: "New campaign", offer: "O9", contactCentre: "K1")
            }
            _ = try session.finishFile()
            // Written inside the transaction, invisible to every other connection.
            XCTAssertEqual(try attempts(store), 5003)
            XCTAssertEqual(try attempts(reader), 3)
        }  // released without commit
        XCTAssertEqual(try attempts(store), 3)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM campaigns WHERE name = 'New campaign'"), 0)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM imports"), 1)
        // And the store still takes imports.
        XCTAssertEqual(try importRows(store, [day(5)]).inserted, 1)
    }

    /// Small chunks, so that chunks are inserted on the inserter's thread while the next ones
    /// are read, new names appear while a chunk is in hand, and files end mid-chunk: the result
    /// must be the same as one chunk per file.
    func testChunkedImportsCountLikeOneChunk() throws {
        func run(chunkSize: Int) throws -> ([HistoryFileSummary], Int64, Int64) {
            let store = try newStore()
            let session = try HistoryImport(store: store, maxBadRows: nil, chunkSize: chunkSize)
            var summaries: [HistoryFileSummary] = []
            for file in 0..<3 {
                try session.startFile(path: "log-\(file).csv", size: nil, sha256: nil)
                for i in 0..<1000 {
                    let row = file * 400 + i  // files overlap by 600 rows
                    if row % 97 == 0 {
                        try session.reject(line: UInt64(i + 2), reason: .invalidNumber, detail: "test")
                        continue
                    }
                    try session.add(line: UInt64(i + 2), number: PhoneKey(rawValue: 46_700_000_000 + UInt64(row % 700)),
                                    attemptedAt: "2026-05-\(10 + row % 20) 10:00", campaign: "C\(row / 50)",
                                    offer: "O\(row % 3)", contactCentre: "K\(row % 4)", outcome: row % 5 == 0 ? nil : "R\(row % 6)")
                }
                summaries.append(try session.finishFile())
            }
            try session.commit()
            return (summaries, try attempts(store), try store.db.scalar("SELECT count(*) FROM campaign_offers"))
        }
        let whole = try run(chunkSize: 1 << 20)
        XCTAssertEqual(whole.0.map(\.inserted), [989, 396, 396])  // 11, 4 and 4 rows are multiples of 97
        for chunkSize in [1, 7, 100, 999] {
            let chunked = try run(chunkSize: chunkSize)
            XCTAssertEqual(chunked.0, whole.0, "chunk size \(chunkSize)")
            XCTAssertEqual(chunked.1, whole.1, "chunk size \(chunkSize)")
            XCTAssertEqual(chunked.2, whole.2, "chunk size \(chunkSize)")
        }
    }

    /// A repeated autumn hour's time is read at its later occurrence, so a gap counted from it
    /// never ends early; the same time twice in one log is two calls, one in each occurrence.
    func testAmbiguousLocalTimesAreReadAsStandardTimeAndTwoOfThemAsTwoCalls() throws {
        let store = try newStore()
        let summary = try importRows(store, [Row(number: 46_701_234_567, at: "2026-10-25 02:30:00"),
                                             Row(number: 46_701_234_568, at: "2026-10-25 03:30:00")])
        XCTAssertEqual(summary.ambiguousLocalTimes, 1)
        XCTAssertEqual(try store.db.scalar("SELECT attempted_at FROM attempts WHERE number = 46701234567"),
                       utcSeconds(2026, 10, 25, 1, 30))
        XCTAssertEqual(try store.db.scalar("SELECT ambiguous_local_times FROM imports"), 1)

        let twice = [Row(number: 46_701_234_569, at: "2026-10-25 02:15"), Row(number: 46_701_234_569, at: "2026-10-25 02:15")]
        let both = try importRows(store, twice, path: "night.csv")
        XCTAssertEqual(both.inserted, 2)
        XCTAssertEqual(try store.db.scalar("SELECT min(attempted_at) FROM attempts WHERE number = 46701234569"),
                       utcSeconds(2026, 10, 25, 0, 15))
        XCTAssertEqual(try store.db.scalar("SELECT max(attempted_at) FROM attempts WHERE number = 46701234569"),
                       utcSeconds(2026, 10, 25, 1, 15))
        // The same log again adds nothing; another log with the call once is the same call.
        XCTAssertEqual(try importRows(store, twice, path: "night.csv").duplicates, 2)
        XCTAssertEqual(try importRows(store, [twice[0]], path: "overlap.csv").duplicates, 1)
        XCTAssertEqual(try attempts(store), 4)
    }

    func testTheAttemptLogViewReadsLikeTheDialerLog() throws {
        let store = try newStore()
        _ = try importRows(store, [Row(number: 46_701_234_567, at: "2026-07-01 00:30", campaign: "Sommar", offer: "Bredband",
                                       centre: "Kalmar", outcome: nil)])
        let row = try store.db.prepare("SELECT number, attempted_at_utc, local_date, campaign, offer, contact_centre, outcome FROM attempt_log")
        XCTAssertTrue(try row.step())
        XCTAssertEqual((0..<6).map { row.text(Int32($0)) },
                       ["+46701234567", "2026-06-30T22:30:00Z", "2026-07-01", "Sommar", "Bredband", "Kalmar"])
        XCTAssertTrue(row.isNull(6))
    }

    func testLatin1NamesAreStoredAsUTF8() throws {
        let store = try newStore()
        let session = try store.beginImport()
        try session.startFile(path: "excel.csv", size: nil, sha256: nil)
        let latin1: [UInt8] = [0x48, 0xF6, 0x73, 0x74]  // "Höst" in Latin-1
        try latin1.withUnsafeBytes { campaign in
            try Array("2026-09-01 10:00".utf8).withUnsafeBytes { at in
                try Array("O".utf8).withUnsafeBytes { other in
                    try session.add(line: 2, number: PhoneKey(rawValue: 46_701_234_567), attemptedAt: at,
                                    campaign: campaign, offer: other, contactCentre: other, outcome: nil)
                }
            }
        }
        try session.commit()
        let name = try store.db.prepare("SELECT name FROM campaigns")
        XCTAssertTrue(try name.step())
        XCTAssertEqual(name.text(0), "Höst")
    }

    func testPurgeRemovesAttemptsBeforeTheLocalDate() throws {
        let store = try newStore()
        // 2026-05-09T22:30Z is 00:30 on 10 May in Stockholm: kept by a purge before 10 May.
        _ = try importRows(store, [Row(number: 46_701_234_567, at: "2026-05-09T22:30:00Z"),
                                   Row(number: 46_701_234_567, at: "2026-05-09T21:30:00Z")] + (1..<5).map(day))
        let removed = try store.purge(before: localDay(2026, 5, 10))
        XCTAssertEqual(removed.attempts, 1)
        XCTAssertEqual(try attempts(store), 5)
        XCTAssertEqual(try store.purge(before: localDay(2026, 5, 10)).attempts, 0)
        try store.vacuum()
        XCTAssertEqual(try attempts(store), 5)
        // A campaign with no attempts left no longer counts as having made its offer.
        _ = try importRows(store, [Row(number: 46_701_234_567, at: "2025-01-10 10:00", campaign: "Old")])
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM campaign_offers"), 2)
        XCTAssertEqual(try store.purge(before: localDay(2026, 1, 1)).attempts, 1)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM campaign_offers"), 1)
    }

    func testStats() throws {
        let store = try newStore()
        XCTAssertEqual(try store.stats(), HistoryStats())
        _ = try importRows(store, (0..<3).map(day) + [Row(number: 46_812_345_678, at: "2026-06-01 09:00", campaign: "C2", offer: "O2")])
        let stats = try store.stats()
        XCTAssertEqual(stats.attempts, 4)
        XCTAssertEqual(stats.numbers, 2)
        XCTAssertEqual(stats.imports, 1)
        XCTAssertEqual(stats.firstDate, "2026-05-10")
        XCTAssertEqual(stats.lastDate, "2026-06-01")
        XCTAssertEqual(stats.firstAttemptUTC, "2026-05-10T08:00:00Z")
        XCTAssertEqual(stats.campaigns, [
            .init(campaign: "C1", offer: "O1", contactCentre: "K1", attempts: 3, numbers: 1, firstDate: "2026-05-10", lastDate: "2026-05-12"),
            .init(campaign: "C2", offer: "O2", contactCentre: "K1", attempts: 1, numbers: 1, firstDate: "2026-06-01", lastDate: "2026-06-01"),
        ])
        // A campaign that made two offers to the same number, alternately.
        _ = try importRows(store, [Row(number: 46_812_345_678, at: "2026-06-02 09:00", campaign: "C2", offer: "O3"),
                                   Row(number: 46_812_345_678, at: "2026-06-03 09:00", campaign: "C2", offer: "O2"),
                                   Row(number: 46_812_345_679, at: "2026-06-03 09:00", campaign: "C2", offer: "O3")])
        let again = try store.stats()
        XCTAssertEqual(again.attempts, 7)
        XCTAssertEqual(again.numbers, 3)
        XCTAssertEqual(again.lastAttemptUTC, "2026-06-03T07:00:00Z")
        XCTAssertEqual(again.campaigns.map { "\($0.campaign)/\($0.offer): \($0.attempts) \($0.numbers)" },
                       ["C1/O1: 3 1", "C2/O2: 2 1", "C2/O3: 2 2"])
    }

    func testOpeningSomethingElseFailsWithAMessageNamingTheFile() throws {
        let folder = try makeTemporaryFolder(self)
        let missing = folder.appendingPathComponent("missing.db").path
        XCTAssertThrowsError(try HistoryStore(path: missing)) { error in
            XCTAssertEqual(error as? NixWashError, .historyNotFound(path: missing))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
        let text = folder.appendingPathComponent("leads.csv").path
        try Data(String(repeating: "number,name\n46701234567,Anna\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try HistoryStore(path: text, mode: .create)) { error in
            XCTAssertEqual(error as? NixWashError, .notAHistoryDatabase(path: text))
        }
        let other = folder.appendingPathComponent("other.db").path
        try SQLiteDatabase(path: other, mode: .create).execute("CREATE TABLE t (x)")
        XCTAssertThrowsError(try HistoryStore(path: other, mode: .create)) { error in
            XCTAssertEqual(error as? NixWashError, .notAHistoryDatabase(path: other))
        }
        let newer = folder.appendingPathComponent("newer.db").path
        try SQLiteDatabase(path: newer, mode: .create).execute("PRAGMA user_version = 7")
        XCTAssertThrowsError(try HistoryStore(path: newer)) { error in
            XCTAssertEqual(error as? NixWashError, .historySchemaTooNew(path: newer, version: 7, supported: HistoryStore.schemaVersion))
        }
    }

    func testTheDatabaseIsInWALModeAndAnImportEndsInTheDatabaseFile() throws {
        let store = try newStore()
        let mode = try store.db.prepare("PRAGMA journal_mode")
        XCTAssertTrue(try mode.step())
        XCTAssertEqual(mode.text(0), "wal")
        mode.reset()
        // 2 = FULL: the log is synced at every commit, so a finished import survives a power cut.
        XCTAssertEqual(try store.db.scalar("PRAGMA synchronous"), 2)
        _ = try importRows(store, (0..<5).map(day))
        let wal = try FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? NSNumber
        XCTAssertEqual(wal?.intValue, 0, "the checkpoint after the commit empties the log file")
    }

    /// A version-3 history keyed without the offer is copied into version 4's table, every
    /// attempt kept, when opened for writing.
    func testAVersionThreeHistoryGetsTheOfferIntoItsKey() throws {
        let path = try makeTemporaryFolder(self).appendingPathComponent("v3.db").path
        do {
            let old = try SQLiteDatabase(path: path, mode: .create)
            try old.execute(HistoryStore.schema)
            try old.execute("""
                DROP VIEW attempt_log; DROP TABLE attempts;
                CREATE TABLE attempts (campaign_id INTEGER NOT NULL, number INTEGER NOT NULL, attempted_at INTEGER NOT NULL,
                    contact_centre_id INTEGER NOT NULL, offer_id INTEGER NOT NULL, local_date INTEGER NOT NULL,
                    outcome_id INTEGER, import_id INTEGER NOT NULL,
                    PRIMARY KEY (campaign_id, number, attempted_at, contact_centre_id)) WITHOUT ROWID;
                \(HistoryStore.attemptLogView)
                PRAGMA user_version = 3;
                INSERT INTO imports (id, path, imported_at, rows, inserted, duplicates, bad, ambiguous_local_times)
                    VALUES (1, 'a.csv', '2026-01-01T00:00:00Z', 2, 2, 0, 0, 0);
                INSERT INTO campaigns VALUES (1, 'C'); INSERT INTO offers VALUES (1, 'O'), (2, 'O2');
                INSERT INTO contact_centres VALUES (1, 'K');
                INSERT INTO attempts VALUES (1, 46701234567, 1780000000, 1, 1, 20602, NULL, 1), (1, 46701234568, 1780000000, 1, 1, 20602, NULL, 1);
                """)
            XCTAssertThrowsError(try old.execute("INSERT INTO attempts VALUES (1, 46701234567, 1780000000, 1, 2, 20602, NULL, 1)"))
        }
        XCTAssertEqual(try HistoryStore(path: path, mode: .readOnly).fileVersion, 3)
        let writing = try HistoryStore(path: path, mode: .readWrite)
        XCTAssertEqual(writing.fileVersion, 4)
        XCTAssertEqual(try writing.db.scalar("SELECT count(*) FROM attempt_log"), 2)
        try writing.db.execute("INSERT INTO attempts VALUES (1, 46701234567, 1780000000, 1, 2, 20602, NULL, 1)")
        XCTAssertEqual(try writing.stats().attempts, 3)
    }

    /// A version-1 history (before the purge audit) is read as it is, and upgraded in place,
    /// attempts kept, when opened for writing.
    func testAVersionOneHistoryIsReadAndUpgradedToTheCurrentSchema() throws {
        let path = try makeTemporaryFolder(self).appendingPathComponent("v1.db").path
        do {
            // Today's schema taken back to version 1.
            let old = try SQLiteDatabase(path: path, mode: .create)
            try old.execute(HistoryStore.schema)
            try old.execute("""
                DROP TABLE imports;
                CREATE TABLE imports (id INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER, sha256 TEXT,
                    imported_at TEXT NOT NULL, rows INTEGER NOT NULL, inserted INTEGER NOT NULL,
                    duplicates INTEGER NOT NULL, bad INTEGER NOT NULL, ambiguous_local_times INTEGER NOT NULL);
                DROP TABLE purges; DROP TABLE coverage; PRAGMA user_version = 1;
                INSERT INTO imports VALUES (1, 'a.csv', NULL, NULL, '2026-01-01T00:00:00Z', 1, 1, 0, 0, 0);
                INSERT INTO campaigns VALUES (1, 'C'); INSERT INTO offers VALUES (1, 'O'); INSERT INTO contact_centres VALUES (1, 'K');
                INSERT INTO attempts VALUES (1, 46701234567, 1780000000, 1, 1, 20602, NULL, 1);
                """)
        }
        let reading = try HistoryStore(path: path, mode: .readOnly)
        XCTAssertEqual(reading.fileVersion, 1)
        XCTAssertEqual(try reading.stats().attempts, 1)
        XCTAssertEqual(try reading.stats().purges, [])
        let writing = try HistoryStore(path: path, mode: .readWrite)
        XCTAssertEqual(writing.fileVersion, 4)
        XCTAssertEqual(try writing.db.scalar("PRAGMA user_version"), 4)
        // Version 4's key has the offer: the same call under another offer is a second row.
        try writing.db.execute("INSERT INTO offers VALUES (2, 'O2'); INSERT INTO attempts VALUES (1, 46701234567, 1780000000, 1, 2, 20602, NULL, 1)")
        try writing.db.execute("DELETE FROM attempts WHERE offer_id = 2")
        XCTAssertEqual(try writing.db.scalar("SELECT count(*) FROM attempt_log"), 1)
        XCTAssertEqual(try writing.db.scalar("SELECT attempts FROM coverage"), 1)
        _ = try writing.purge(before: 20000)
        XCTAssertEqual(try writing.stats().purges.map(\.cutoffDate), ["2024-10-04"])
        XCTAssertEqual(try writing.stats().attempts, 1)
    }
}
