import Foundation
import XCTest
@testable import NixWashKit

final class HistoryLogImportTests: XCTestCase {
    private var folder: URL!
    private var store: HistoryStore!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
        store = try HistoryStore(path: folder.appendingPathComponent("history.db").path, mode: .create)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func count() throws -> Int64 { try store.db.scalar("SELECT count(*) FROM attempts") }

    private static let log = """
        number,attempted_at,campaign,offer,contact_centre,outcome
        070-123 45 67,2026-05-10 10:00:00,Sommar,Bredband,Kalmar,answered
        +46701234567,2026-05-10T10:00:00+02:00,Sommar,Bredband,Kalmar,answered
        0046701234567,2026-05-10T14:00:00+0200,Sommar,Bredband,Kalmar,busy
        08-123 456 78,2026-05-11T08:00:00Z,Sommar,Bredband,Luleå,
        """ + "\n"

    func testAPlainLogImportsAndImportingItAgainAddsNothing() throws {
        let path = try write("dialer.csv", HistoryLogImportTests.log)
        let first = try store.importLogs([path])
        XCTAssertEqual(first.count, 1)
        // Rows 2 and 3 are the same attempt written two ways.
        XCTAssertEqual([first[0].rows, first[0].inserted, first[0].duplicates, first[0].bad], [4, 3, 1, 0])
        let again = try store.importLogs([path])
        XCTAssertEqual([again[0].rows, again[0].inserted, again[0].duplicates, again[0].bad], [4, 0, 4, 0])
        XCTAssertEqual(try count(), 3)
        let record = try store.db.prepare("SELECT path, size, sha256, rows, inserted, duplicates, bad FROM imports ORDER BY id")
        XCTAssertTrue(try record.step())
        let hasher = SHA256()
        Data(HistoryLogImportTests.log.utf8).withUnsafeBytes { hasher.update($0) }
        XCTAssertEqual(record.text(0), path)
        XCTAssertEqual(record.int64(1), Int64(HistoryLogImportTests.log.utf8.count))
        XCTAssertEqual(record.text(2), hasher.finalize())
        XCTAssertEqual((3...6).map { record.int64(Int32($0)) }, [4, 3, 1, 0])
        XCTAssertTrue(try record.step())
        XCTAssertEqual((3...6).map { record.int64(Int32($0)) }, [4, 0, 4, 0])
        let outcomes = try store.db.scalar("SELECT count(*) FROM attempts WHERE outcome_id IS NULL")
        XCTAssertEqual(outcomes, 1)
    }

    func testTheGzipSampleLogImports() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleData/history.csv.gz").path
        let summary = try store.importLogs([sample])[0]
        XCTAssertGreaterThan(summary.rows, 100)
        XCTAssertEqual(summary.bad, 0, summary.badRows.map { "\($0.line): \($0.detail)" }.joined(separator: "; "))
        XCTAssertEqual(summary.inserted + summary.duplicates, summary.rows)
        XCTAssertEqual(try count(), Int64(summary.inserted))
        XCTAssertEqual(try store.importLogs([sample])[0].inserted, 0)
    }

    func testBadRowsAreReportedWithTheirLineAndReason() throws {
        let path = try write("bad.csv", """
            number,attempted_at,campaign,offer,contact_centre
            0701234567,2026-05-10 10:00,Sommar,Bredband,Kalmar
            12,2026-05-10 10:00,Sommar,Bredband,Kalmar
            0701234568,10/05/2026 10:00,Sommar,Bredband,Kalmar
            0701234569,2026-03-29 02:30,Sommar,Bredband,Kalmar
            0701234570,2026-05-10 10:00,Sommar,Bredband
            0701234571,2026-05-10 10:00,,Bredband,Kalmar
            0701234572,2026-05-10 10:00,"Som"mar,Bredband,Kalmar
            0701234573,2026-05-10 10:00,Sommar,Bredband,Kalmar

            """)
        // By default the first bad row fails the whole import, naming its line, column and value.
        XCTAssertThrowsError(try store.importLogs([path])) { error in
            guard case let .tooManyBadRows(_, bad, limit, first)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual([bad, limit], [1, 0])
            XCTAssertEqual([first.column, first.value], ["number", "12"])
            XCTAssertTrue(error.localizedDescription.contains("bad.csv: line 3, column 'number', value '12': invalid_number:"), error.localizedDescription)
            XCTAssertTrue(messageNamingSettings(error).contains("<maxBadRows> N and <badRowsFile> FILE"), messageNamingSettings(error))
        }
        XCTAssertEqual(try count(), 0)
        let summary = try store.importLogs([path], maxBadRows: nil)[0]
        XCTAssertEqual(summary.rows, 8)
        XCTAssertEqual(summary.inserted, 2)
        XCTAssertEqual(summary.bad, 6)
        XCTAssertEqual(summary.badRows.map(\.line), [3, 4, 5, 6, 7, 8])
        XCTAssertEqual(summary.badRows.map(\.reason), [.invalidNumber, .ambiguousDate, .nonexistentLocalTime,
                                                       .malformedRow, .missingField, .malformedRow])
        XCTAssertEqual(summary.badRows[1].value, "10/05/2026 10:00")
        XCTAssertTrue(summary.badRows[1].detail.hasSuffix("Give the date order setting dmy or the date order setting mdy"), summary.badRows[1].detail)
        XCTAssertEqual(try count(), 2)

        // With a limit the same file imports nothing, and says why.
        let strict = try HistoryStore(path: folder.appendingPathComponent("strict.db").path, mode: .create)
        XCTAssertThrowsError(try strict.importLogs([path], maxBadRows: 5)) { error in
            guard case let .tooManyBadRows(errorPath, bad, limit, first)? = error as? NixWashError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual([errorPath, "\(bad)", "\(limit)", "\(first.line)"], [path, "6", "5", "3"])
        }
        XCTAssertEqual(try strict.db.scalar("SELECT count(*) FROM attempts"), 0)
        XCTAssertEqual(try strict.db.scalar("SELECT count(*) FROM imports"), 0)
    }

    /// A bad row's detail names the setting that would read the row as the caller spells it (the
    /// CLI: its option); by the library's own names it spells no flag.
    func testBadRowDetailsNameSettingsAsTheCallerSpellsThem() throws {
        let dates = try write("dates.csv", """
            number,attempted_at,campaign,offer,contact_centre
            0701234567,10/05/2026 10:00,Sommar,Bredband,Kalmar
            0701234568,2026-03-29 02:30,Sommar,Bredband,Kalmar
            0701234569,2026-05-10 10:00,,Bredband,Kalmar
            0701234570,1795421700,Sommar,Bredband,Kalmar

            """)
        let epochs = try write("epochs.csv", """
            number,attempted_at,campaign,offer,contact_centre
            0701234567,1795421700,Sommar,Bredband,Kalmar
            0701234568,1795421700999,Sommar,Bredband,Kalmar
            0701234569,2026-05-10 10:00,Sommar,Bredband,Kalmar

            """)
        var imports = 0
        /// The details of importing both logs, once with times detected and once as epoch milliseconds.
        func details(naming: (@Sendable (Setting) -> String)?) throws -> [String] {
            try [AttemptTimeFormat.automatic, .epoch(.milliseconds)].flatMap { format in
                var options = AttemptLogOptions()
                if let naming { options.naming = naming }
                options.time.format = format
                imports += 1
                let store = try HistoryStore(path: folder.appendingPathComponent("details-\(imports).db").path, mode: .create)
                return try store.importLogs([dates, epochs], options: options, maxBadRows: nil).flatMap { $0.badRows.map(\.detail) }
            }
        }
        let named = try details(naming: { "<\($0.rawValue)>" })
        for setting in [Setting.attemptDateOrder, .attemptTimeZone, .attemptTimeFormat] {
            XCTAssertTrue(named.contains { $0.contains("<\(setting.rawValue)>") }, "no detail names \(setting): \(named)")
        }
        XCTAssertTrue(named.contains { $0.hasSuffix("remove <attemptTimeFormat> to read dates and times") }, "\(named)")
        let plain = try details(naming: nil)
        XCTAssertEqual(plain.count, named.count)
        for detail in plain {
            XCTAssertFalse(detail.contains("--"), "the library's own detail spells a flag: \(detail)")
        }
        // A field with a column is not offered a one-value setting: that beside a column is refused.
        XCTAssertTrue(plain.contains { $0 == "campaign is empty. Fill it in the log" }, "\(plain)")
    }

    func testColumnsAreFoundByTheirUsualNamesOrMapped() throws {
        let swedish = try write("sv.csv", """
            Telefon;Tidpunkt;Uppdrag;Erbjudande;KKC;Utfall
            0701234567;2026-05-10 10:00;Sommar;Bredband;Kalmar;svar

            """)
        XCTAssertEqual(try store.importLogs([swedish])[0].inserted, 1)

        let odd = try write("odd.csv", """
            Mobile no,When,Project,Product code,Site
            0701234568,2026-05-10 10:00,Sommar,Bredband,Kalmar

            """)
        XCTAssertThrowsError(try store.importLogs([odd])) { error in
            XCTAssertEqual(error as? NixWashError, .noAttemptLogColumn(path: odd, field: "number",
                                                                       header: ["Mobile no", "When", "Project", "Product code", "Site"]))
            XCTAssertEqual((error as? NixWashError)?.kind, .usage)
        }
        var columns = AttemptLogColumns()
        for assignment in ["number=Mobile no", "attempted_at=when", "campaign=Project", "offer=Product code", "contact_centre=Site"] {
            XCTAssertTrue(columns.map(assignment), assignment)
        }
        XCTAssertFalse(columns.map("phone=Mobile"))
        XCTAssertFalse(columns.map("number"))
        XCTAssertEqual(try store.importLogs([odd], columns: columns)[0].inserted, 1)

        var wrong = AttemptLogColumns()
        XCTAssertTrue(wrong.map("number=Phone"))
        XCTAssertThrowsError(try store.importLogs([odd], columns: wrong)) { error in
            XCTAssertEqual(error as? NixWashError, .missingColumn(path: odd, column: "Phone",
                                                                  header: ["Mobile no", "When", "Project", "Product code", "Site"]))
        }
        XCTAssertEqual(try count(), 2)
    }

    func testOneUnreadableFileRollsBackTheWholeImport() throws {
        let good = try write("good.csv", HistoryLogImportTests.log)
        let missing = folder.appendingPathComponent("missing.csv").path
        XCTAssertThrowsError(try store.importLogs([good, missing]))
        XCTAssertEqual(try count(), 0)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM imports"), 0)
    }

    func testSHA256KnownDigests() {
        func digest(_ text: String) -> String {
            let hasher = SHA256()
            var text = text
            text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
            return hasher.finalize()
        }
        XCTAssertEqual(digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let hasher = SHA256()
        let bytes = Array(String(repeating: "a", count: 1000).utf8)
        var offset = 0
        for piece in [1, 63, 64, 65, 7, 800] {
            bytes[offset..<(offset + piece)].withUnsafeBytes { hasher.update($0) }
            offset += piece
        }
        XCTAssertEqual(hasher.finalize(), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    /// A row wider or narrower than the header has its values in the wrong fields: it is a
    /// malformed row, never an attempt of another campaign. Empty fields after the last column
    /// are a trailing delimiter.
    func testARowWithMoreOrFewerFieldsThanTheHeaderIsMalformed() throws {
        let path = try write("shape.csv", """
            number,attempted_at,campaign,offer,contact_centre,outcome
            +46701234567,2026-11-23T09:15:00,5+01:00,c1,o1,k1,answered
            +46701234568,2026-11-23T09:16:00+01:00,c1,o1,k1
            +46701234569,2026-11-23T09:17:00+01:00,c1,o1,k1,answered,
            +46701234560,2026-11-23T09:18:00+01:00,c1,o1,k1,answered

            """)
        let summary = try store.importLogs([path], maxBadRows: nil)[0]
        XCTAssertEqual(summary.inserted, 2)
        XCTAssertEqual(summary.badRows.map(\.line), [2, 3])
        XCTAssertEqual(summary.badRows.map(\.reason), [.malformedRow, .malformedRow])
    }

    /// Two columns with usual names of one field: which one is meant cannot be told.
    func testTwoColumnsForOneFieldAreRefused() throws {
        let path = try write("twice.csv", "telefon,dialed_number,start_time,campaign,offer,kkc\n+46701234567,+46701234568,2026-11-23T09:15:00+01:00,c1,o1,k1\n")
        XCTAssertThrowsError(try store.importLogs([path])) { error in
            guard case let .attemptLogFieldAmbiguous(_, field, columns)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "number")
            XCTAssertEqual(columns, ["telefon", "dialed_number"])
            XCTAssertTrue(messageNamingSettings(error).contains("<attemptLogColumn> number=COLUMN"), messageNamingSettings(error))
        }
        // A name the header has twice, given by the user, is as ambiguous; `name#2` picks one.
        let same = try write("same.csv", "nr,nr,start_time,campaign,offer,kkc\n+46701234567,+46701234568,2026-11-23T09:15:00+01:00,c1,o1,k1\n")
        func numberFrom(_ column: String) -> AttemptLogColumns {
            var columns = AttemptLogColumns()
            XCTAssertTrue(columns.map("number=\(column)"))
            return columns
        }
        XCTAssertThrowsError(try store.importLogs([same], columns: numberFrom("nr"))) { error in
            guard case let .attemptLogFieldAmbiguous(_, _, columns)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(columns, ["nr#1", "nr#2"])
        }
        XCTAssertEqual(try store.importLogs([same], columns: numberFrom("nr#2"))[0].inserted, 1)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM attempts WHERE number = 46701234568") as Int64, 1)
    }

    /// A log holds calls already made: a time after now means a wrong zone, date order or
    /// clock, and is never counted as the newest attempt. Minutes of clock difference pass.
    func testAnAttemptAfterNowIsRejected() throws {
        let soon = StockholmTime.iso8601(Int64(Date().timeIntervalSince1970) + 5 * 60)
        let path = try write("future.csv", """
            number,attempted_at,campaign,offer,contact_centre
            +46701234567,\(soon),c1,o1,k1
            +46701234568,2099-01-01T10:00:00+01:00,c1,o1,k1

            """)
        XCTAssertThrowsError(try store.importLogs([path])) { error in
            guard case let .tooManyBadRows(_, _, _, first)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(first.reason, .timestampInFuture)
            XCTAssertEqual(first.line, 3)
            // With its own offset, the time reads the same in any zone: the zone is not to blame.
            XCTAssertTrue(first.detail.contains("though it carries its own UTC offset or is an epoch integer"), first.detail)
            XCTAssertFalse(first.detail.contains("time zone setting"), first.detail)
        }
        XCTAssertEqual(try count(), 0)
        XCTAssertEqual(try store.importLogs([path], maxBadRows: 1)[0].inserted, 1)
        let local = try write("future-local.csv", "number,attempted_at,campaign,offer,contact_centre\n+46701234567,2099-01-01 10:00,c1,o1,k1\n")
        XCTAssertThrowsError(try store.importLogs([local])) { error in
            guard case let .tooManyBadRows(_, _, _, first)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertTrue(first.detail.contains("zone is wrong (Europe/Stockholm; give the log's time zone setting)"), first.detail)
        }
        // Twelve digits read as epoch milliseconds fall before 2000; the detail says how to write a time.
        let compact = try write("compact.csv", "number,attempted_at,campaign,offer,contact_centre\n+46701234567,202611231015,c1,o1,k1\n")
        XCTAssertThrowsError(try store.importLogs([compact])) { error in
            guard case let .tooManyBadRows(_, _, _, first)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(first.reason, .timestampOutOfRange)
            XCTAssertTrue(first.detail.contains("a date and time written YYYYMMDDHHMM needs its seconds (YYYYMMDDHHMMSS)"), first.detail)
        }
    }

    /// A slash date that the given order cannot read but the other can: the message says so.
    func testASlashDateInTheOtherOrderNamesTheOrder() throws {
        let path = try write("mdy.csv", "number,attempted_at,campaign,offer,contact_centre\n+46701234567,11/23/2026 09:15,c1,o1,k1\n")
        var options = AttemptLogOptions()
        options.time.dateOrder = .dayMonthYear
        XCTAssertThrowsError(try store.importLogs([path], options: options)) { error in
            guard case let .tooManyBadRows(_, _, _, first)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(first.reason, .badTimestamp)
            XCTAssertTrue(first.detail.hasPrefix("not a date read as dmy (the date order setting dmy), but one read as mdy"), first.detail)
        }
        options.time.dateOrder = .monthDayYear
        XCTAssertEqual(try store.importLogs([path], options: options)[0].inserted, 1)
    }
}
