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

    /// A Stockholm date `days` from today, as YYYY-MM-DD (the purge guard counts from today).
    private func dayFromToday(_ days: Int) -> String {
        LocalDate(daysSinceEpoch: Int(StockholmTime.localDay(at: Int64(Date().timeIntervalSince1970))) + days).description
    }

    private func write(_ folder: URL, _ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func testOneBadRowFailsTheImportUnlessLetThroughIntoRejects() throws {
        let folder = try temporaryFolder(self)
        try write(folder, "dialer.csv", HistoryCommandTests.log)
        let strict = try runNixwash(["history", "import", "--db", "h.db", "dialer.csv"], in: folder)
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("dialer.csv: line 4, column 'Telefon', value '12': invalid_number:"), strict.stderr)
        XCTAssertTrue(strict.stderr.contains("Nothing was imported"), strict.stderr)
        XCTAssertTrue(strict.stderr.contains("--max-bad-rows N and --rejects FILE"), strict.stderr)
        XCTAssertEqual(try attempts(folder.appendingPathComponent("h.db")), 0)
        // The failed import left a database it created: a scrub does not take it for a history
        // in which the campaign has no attempts.
        try write(folder, "leads.csv", "telefon;källa\n0701234567;V\n")
        try write(folder, "register.txt", "0702222222\n")
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "register.txt"], in: folder).status, 0)
        let scrub = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "Sommar", "--offer", "Bredband",
                                    "--contact-centre", "Kalmar", "--history", "h.db", "--nix", "nix.idx", "--out", "out", "leads.csv"],
                                   in: folder)
        XCTAssertNotEqual(scrub.status, 0, scrub.stderr)
        XCTAssertEqual(scrub.status, 64, scrub.stderr)
        XCTAssertTrue(scrub.stderr.contains("h.db: no dialer log was ever imported into this contact history"), scrub.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        // A rejects file in a missing folder is named as given, not by its temporary name.
        let noFolder = try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "2", "--rejects", "nodir/r.csv",
                                       "dialer.csv"], in: folder)
        XCTAssertEqual(noFolder.status, 1, noFolder.stderr)
        XCTAssertTrue(noFolder.stderr.contains("nodir/r.csv: cannot open: No such file or directory"), noFolder.stderr)

        let noRejects = try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "2", "dialer.csv"], in: folder)
        XCTAssertEqual(noRejects.status, 64)
        XCTAssertTrue(noRejects.stderr.contains("give --rejects FILE"), noRejects.stderr)

        let tooFew = try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "1", "--rejects", "rejects.csv", "dialer.csv"], in: folder)
        XCTAssertEqual(tooFew.status, 1)
        XCTAssertTrue(tooFew.stderr.contains("2 bad rows, more than --max-bad-rows 1 allows (the first on line 4, column 'Telefon', value '12'"), tooFew.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("rejects.csv").path))
        XCTAssertEqual(try attempts(folder.appendingPathComponent("h.db")), 0)

        let tolerant = try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "2", "--rejects", "rejects.csv", "dialer.csv"], in: folder)
        XCTAssertEqual(tolerant.status, 0, tolerant.stderr)
        XCTAssertTrue(tolerant.stdout.contains("imported 3 new attempts from 1 file (5 rows: 0 already present, 2 rejected, 0 not an attempt; times without an offset in Europe/Stockholm); rejected rows in rejects.csv"), tolerant.stdout)
        XCTAssertTrue(tolerant.stderr.contains("dialer.csv: 5 rows: 3 imported, 0 already present, 2 rejected, 0 not an attempt; times without an offset read as Europe/Stockholm, 1 in the repeated autumn hour read as standard time (the later of the two)"), tolerant.stderr)
        let rejects = try String(contentsOf: folder.appendingPathComponent("rejects.csv"), encoding: .utf8)
        XCTAssertEqual(rejects.split(separator: "\n").count, 3, rejects)
        XCTAssertTrue(rejects.hasPrefix("file,line,column,value,reason,detail,row\n"), rejects)
        XCTAssertTrue(rejects.contains("dialer.csv,4,Telefon,12,invalid_number,"), rejects)
        XCTAssertTrue(rejects.contains("dialer.csv,5,Tidpunkt,2026-03-29 02:30,nonexistent_local_time,"), rejects)
        XCTAssertTrue(rejects.contains(",0701234569;2026-03-29 02:30;Sommar;Bredband;Kalmar;svar\n"), rejects)

        // A rejects file is never overwritten.
        let again = try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "2", "--rejects", "rejects.csv", "dialer.csv"], in: folder)
        XCTAssertEqual(again.status, 64, again.stderr)
        XCTAssertTrue(again.stderr.contains("rejects.csv: already exists, and this file is only ever written new"), again.stderr)
        XCTAssertFalse(again.stderr.contains("folder"), again.stderr)

        let stats = try runNixwash(["history", "stats", "--db", "h.db", "--json"], in: folder)
        XCTAssertEqual(stats.status, 0, stats.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["attempts"] as? Int, 3)
        XCTAssertEqual(object["rejected_rows"] as? Int, 2)
        XCTAssertEqual(object["first_date"] as? String, "2026-05-10")
        XCTAssertEqual(object["last_date"] as? String, "2026-10-25")
        let campaigns = try XCTUnwrap(object["campaigns"] as? [[String: Any]])
        XCTAssertEqual(campaigns.map { $0["contact_centre"] as? String }, ["Kalmar"])
    }

    /// Each written form of a dialer's timestamp, read as the UTC instant it means.
    func testEveryTimestampFormImports() throws {
        let folder = try temporaryFolder(self)
        let forms: [(name: String, arguments: [String], stamp: String, utc: String)] = [
            ("iso-offset", [], "2026-11-23T09:15:00+01:00", "2026-11-23T08:15:00Z"),
            ("iso-z-fraction", [], "2026-11-23T08:15:00.250Z", "2026-11-23T08:15:00Z"),
            ("iso-no-seconds", [], "2026-11-23T09:15", "2026-11-23T08:15:00Z"),
            ("space-minutes", [], "2026-11-23 09:15", "2026-11-23T08:15:00Z"),
            ("dotted", [], "23.11.2026 09:15", "2026-11-23T08:15:00Z"),
            ("dotted-seconds", [], "23.11.2026 09:15:07", "2026-11-23T08:15:07Z"),
            ("compact", [], "20261123091500", "2026-11-23T08:15:00Z"),
            ("epoch-s", [], "1795421700", "2026-11-23T08:15:00Z"),
            ("epoch-ms", [], "1795421700999", "2026-11-23T08:15:00Z"),
            ("epoch-s-given", ["--time-format", "epoch-s"], "1795421700", "2026-11-23T08:15:00Z"),
            ("mdy", ["--date-order", "mdy"], "11/23/2026 9:15 AM", "2026-11-23T08:15:00Z"),
            ("dmy", ["--date-order", "dmy"], "23/11/2026 09:15", "2026-11-23T08:15:00Z"),
            ("utc", ["--timezone", "UTC"], "2026-11-23 08:15", "2026-11-23T08:15:00Z"),
            ("summer", [], "2026-07-01 09:15", "2026-07-01T07:15:00Z"),
            ("october-repeat", [], "2026-10-25 02:30", "2026-10-25T01:30:00Z"),
        ]
        for form in forms {
            try write(folder, "\(form.name).csv", "number,attempted_at,campaign,offer,contact_centre\n0701234567,\(form.stamp),c1,o1,k1\n")
            let result = try runNixwash(["history", "import", "--db", "\(form.name).db", "\(form.name).csv"] + form.arguments, in: folder)
            XCTAssertEqual(result.status, 0, "\(form.name): \(result.stderr)")
            let store = try HistoryStore(path: folder.appendingPathComponent("\(form.name).db").path, mode: .readOnly)
            XCTAssertEqual(try store.stats().firstAttemptUTC, form.utc, form.name)
        }
        // Slash dates without an order, the hour skipped in March, and a column that mixes epoch
        // integers with dates are refused, naming the option that reads them.
        let refused: [(stamps: [String], arguments: [String], message: String)] = [
            (["11/23/2026 9:15 AM"], [], "ambiguous_date: a slash date"),
            (["2026-03-29 02:30"], [], "nonexistent_local_time: in the hour skipped when summer time starts in Europe/Stockholm"),
            (["2026-03-29 02:30:00"], ["--timezone", "Europe/Stockholm"], "Give the time with its UTC offset, or the log's real zone with --timezone"),
            (["1795421700", "2026-11-23 09:15"], [], "mixed_timestamp_forms"),
            (["1795421700", "1795421700999"], [], "give --time-format epoch-s or epoch-ms"),
            (["2026-11-23 09:15"], ["--time-format", "epoch-ms"], "remove --time-format"),
            (["23 Nov 2026 09:15"], [], "bad_timestamp: not a timestamp nixwash reads"),
        ]
        for (i, case_) in refused.enumerated() {
            let rows = case_.stamps.enumerated().map { "07012345\($0.offset + 10),\($0.element),c1,o1,k1\n" }.joined()
            try write(folder, "refused-\(i).csv", "number,attempted_at,campaign,offer,contact_centre\n" + rows)
            let result = try runNixwash(["history", "import", "--db", "refused.db", "refused-\(i).csv"] + case_.arguments, in: folder)
            XCTAssertEqual(result.status, 1, "\(case_.stamps)")
            XCTAssertTrue(result.stderr.contains(case_.message), "\(case_.stamps): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("column 'attempted_at'"), result.stderr)
        }
        XCTAssertEqual(try attempts(folder.appendingPathComponent("refused.db")), 0)
        let badZone = try runNixwash(["history", "import", "--db", "x.db", "--timezone", "Mars/Olympus", "dmy.csv"], in: folder)
        XCTAssertEqual(badZone.status, 64)
        XCTAssertTrue(badZone.stderr.contains("--timezone must be an IANA zone name"), badZone.stderr)
    }

    /// VICIdial-style logs without offer or contact-centre columns get one value per file;
    /// rows whose outcome means the phone was never reached are left out and counted.
    func testSetValuesAndNotAnAttemptOutcomes() throws {
        let folder = try temporaryFolder(self)
        try write(folder, "vici.csv", """
            phone_number,call_date,campaign_id,status
            0701234567,2026-11-23 09:15:00,ELFAST,NA
            0701234568,2026-11-23 09:16:00,ELFAST,ADC
            070123,2026-11-23 09:17:00,ELFAST,Invalid Number
            0701234569,2026-11-23 09:18:00,ELFAST,B

            """)
        let mapping = ["--column", "number=phone_number", "--column", "attempted_at=call_date", "--column", "campaign=campaign_id"]
        let missing = try runNixwash(["history", "import", "--db", "h.db", "vici.csv"] + mapping, in: folder)
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("no column for the attempt log field 'offer'"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--set offer=VALUE"), missing.stderr)
        // A number or a time is never one value for the whole file: only --column is offered.
        try write(folder, "no-number.csv", "call_date,campaign,offer,contact_centre\n2026-11-23 09:18:00,c,o,k\n")
        let noNumber = try runNixwash(["history", "import", "--db", "h.db", "no-number.csv", "--column", "attempted_at=call_date"], in: folder)
        XCTAssertEqual(noNumber.status, 64)
        XCTAssertTrue(noNumber.stderr.contains("no column for the attempt log field 'number'"), noNumber.stderr)
        XCTAssertTrue(noNumber.stderr.contains("--column number=HEADER."), noNumber.stderr)
        XCTAssertFalse(noNumber.stderr.contains("--set"), noNumber.stderr)
        let sets = ["--set", "offer=elavtal-fast", "--set", "contact_centre=KKC-1"]
        let result = try runNixwash(["history", "import", "--db", "h.db", "vici.csv", "--json"] + mapping + sets, in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["inserted"] as? Int, 2)
        XCTAssertEqual(report["not_attempts"] as? Int, 2)
        XCTAssertEqual(report["time_zone"] as? String, "Europe/Stockholm")
        let stats = try HistoryStore(path: folder.appendingPathComponent("h.db").path, mode: .readOnly).stats()
        XCTAssertEqual(stats.campaigns.map { "\($0.campaign)/\($0.offer)/\($0.contactCentre)" }, ["ELFAST/elavtal-fast/KKC-1"])
        XCTAssertEqual(stats.notAttemptRows, 2)

        // The not-an-attempt outcomes are configurable: with none, the invalid number fails the import.
        let none = try runNixwash(["history", "import", "--db", "none.db", "vici.csv", "--not-attempt-outcomes", ""] + mapping + sets, in: folder)
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("line 4, column 'phone_number', value '070123'"), none.stderr)
        let custom = try runNixwash(["history", "import", "--db", "custom.db", "vici.csv", "--not-attempt-outcomes", "invalid number,adc,b"] + mapping + sets, in: folder)
        XCTAssertEqual(custom.status, 0, custom.stderr)
        XCTAssertTrue(custom.stderr.contains("1 imported, 0 already present, 0 rejected, 3 not an attempt"), custom.stderr)

        // A value given for a field the log has a column for is refused: which is right is unknown.
        let both = try runNixwash(["history", "import", "--db", "h.db", "vici.csv", "--set", "campaign=OTHER"] + mapping + sets, in: folder)
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("given both a column (--column) and one value (--set)"), both.stderr)
        let notSettable = try runNixwash(["history", "import", "--db", "h.db", "vici.csv", "--set", "number=0701234567"], in: folder)
        XCTAssertEqual(notSettable.status, 64)
        XCTAssertTrue(notSettable.stderr.contains("--set takes FIELD=VALUE with FIELD one of campaign, offer, contact_centre, outcome"), notSettable.stderr)
    }

    func testPurgeGuardDryRunAndAudit() throws {
        let folder = try temporaryFolder(self)
        var log = "number,attempted_at,campaign,offer,contact_centre\n"
        for (i, days) in [-500, -400, -366, -300, -10].enumerated() { log += "07012345\(10 + i),\(dayFromToday(days)) 12:00,c1,o1,k1\n" }
        try write(folder, "log.csv", log)
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "h.db", "log.csv"], in: folder).status, 0)
        let db = folder.appendingPathComponent("h.db")

        let dryRun = try runNixwash(["history", "purge", "--db", "h.db", "--before", dayFromToday(-364), "--dry-run"], in: folder)
        XCTAssertEqual(dryRun.status, 0, dryRun.stderr)
        XCTAssertTrue(dryRun.stdout.contains("would remove 3 attempts dated before \(dayFromToday(-364)) (\(dayFromToday(-500)) to \(dayFromToday(-366))) (dry run: nothing removed)"), dryRun.stdout)
        XCTAssertEqual(try attempts(db), 5)

        let inWindow = try runNixwash(["history", "purge", "--db", "h.db", "--before", dayFromToday(-363)], in: folder)
        XCTAssertEqual(inWindow.status, 64, inWindow.stderr)
        XCTAssertTrue(inWindow.stderr.contains("keeps 364 days, but the offer rule (offer_window_days) reads the 365 days"), inWindow.stderr)
        XCTAssertTrue(inWindow.stderr.contains("--force"), inWindow.stderr)
        let everything = try runNixwash(["history", "purge", "--db", "h.db", "--before", "2030-01-01"], in: folder)
        XCTAssertEqual(everything.status, 64)
        XCTAssertTrue(everything.stderr.contains("is in the future"), everything.stderr)
        // A number of days past any date is an argument error, not a crash.
        let huge = try runNixwash(["history", "purge", "--db", "h.db", "--keep-days", "99999999999"], in: folder)
        XCTAssertEqual(huge.status, 64, huge.stderr)
        XCTAssertTrue(huge.stderr.contains("--keep-days must be from 1 to 36500"), huge.stderr)
        let forcedFuture = try runNixwash(["history", "purge", "--db", "h.db", "--before", dayFromToday(1), "--force"], in: folder)
        XCTAssertEqual(forcedFuture.status, 64)
        XCTAssertEqual(try attempts(db), 5)
        // A profile with a shorter window allows more.
        try write(folder, "short.json", #"{"offer_window_days": 200}"#)
        let short = try runNixwash(["history", "purge", "--db", "h.db", "--before", dayFromToday(-363), "--rule-profile", "short.json", "--dry-run"], in: folder)
        XCTAssertEqual(short.status, 0, short.stderr)

        let purge = try runNixwash(["history", "purge", "--db", "h.db", "--keep-days", "365"], in: folder)
        XCTAssertEqual(purge.status, 0, purge.stderr)
        XCTAssertTrue(purge.stdout.contains("removed 3 attempts dated before \(dayFromToday(-364))"), purge.stdout)
        let forced = try runNixwash(["history", "purge", "--db", "h.db", "--before", dayFromToday(-100), "--force"], in: folder)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try attempts(db), 1)

        let stats = try runNixwash(["history", "stats", "--db", "h.db"], in: folder)
        XCTAssertTrue(stats.stdout.contains("\t\(dayFromToday(-364))\t3\n"), stats.stdout)
        XCTAssertTrue(stats.stdout.contains("\t\(dayFromToday(-100))\t1\tforced past the rules' window"), stats.stdout)
        let json = try runNixwash(["history", "stats", "--db", "h.db", "--json"], in: folder)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let purges = try XCTUnwrap(object["purges"] as? [[String: Any]])
        XCTAssertEqual(purges.map { $0["removed"] as? Int }, [3, 1])
        XCTAssertEqual(purges.map { $0["forced"] as? Bool }, [false, true])
    }

    /// The details of let-through rows, on standard error and in the rejects file, name the
    /// import's own options.
    func testBadRowDetailsNameTheImportsOptions() throws {
        let folder = try temporaryFolder(self)
        try write(folder, "dialer.csv", """
            number,attempted_at,campaign,offer,contact_centre
            0701234567,2026-05-10 10:00,Sommar,Bredband,Kalmar
            0701234568,10/05/2026 10:00,Sommar,Bredband,Kalmar
            0701234569,2026-05-10 10:00,,Bredband,Kalmar

            """)
        let result = try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "2", "--rejects", "rejects.csv", "dialer.csv"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let slashDate = "a slash date: whether it is day/month or month/day is not written in it, and nixwash never guesses. Give --date-order dmy or --date-order mdy"
        // Not --set: the log has a campaign column, and --set beside it is refused.
        let emptyCampaign = "campaign is empty. Fill it in the log"
        XCTAssertTrue(result.stderr.contains("dialer.csv:3: column 'attempted_at': '10/05/2026 10:00': ambiguous_date: \(slashDate)\n"), result.stderr)
        XCTAssertTrue(result.stderr.contains("dialer.csv:4: column 'campaign': '': missing_field: \(emptyCampaign)\n"), result.stderr)
        let rejects = try String(contentsOf: folder.appendingPathComponent("rejects.csv"), encoding: .utf8)
        XCTAssertTrue(rejects.contains("dialer.csv,3,attempted_at,10/05/2026 10:00,ambiguous_date,\"\(slashDate)\","), rejects)
        XCTAssertTrue(rejects.contains("dialer.csv,4,campaign,,missing_field,\(emptyCampaign),"), rejects)
    }

    /// A log's `468123456` is read as 046-812 34 56, a lead column's as 08-123 456: the attempt
    /// is stored under both, so the lead's attempts today are never invisible.
    func testAnAttemptToANumberThatReadsTwoWaysCountsForBoth() throws {
        let folder = try temporaryFolder(self)
        try write(folder, "log.csv", """
            number,attempted_at,campaign,offer,contact_centre
            468123456,2026-11-23T09:00:00+01:00,c,o,k
            468123456,2026-11-23T09:10:00+01:00,c,o,k

            """)
        let imported = try runNixwash(["history", "import", "--db", "h.db", "log.csv"], in: folder)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stderr.contains("2 rows: 4 imported, 0 already present, 0 rejected, 0 not an attempt"), imported.stderr)
        XCTAssertTrue(imported.stderr.contains("2 numbers that read two ways (468123456: 046-812 34 56 or 08-123 456) stored under both"), imported.stderr)
        try write(folder, "register.txt", "0702222222\n")
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "register.txt"], in: folder).status, 0)
        try write(folder, "leads.csv", "namn,telefon,källa\nA,468123456,v\nB,08-123 456,v\nC,046-812 34 56,v\n")
        let scrub = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                                    "--history", "h.db", "--nix", "nix.idx", "--out", "out", "leads.csv"], in: folder)
        XCTAssertEqual(scrub.status, 0, scrub.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/report.json"))) as! [String: Any]
        let totals = report["totals"] as! [String: Any]
        XCTAssertEqual(totals["numbers_callable"] as? Int, 0, "\(totals)")
        XCTAssertEqual((totals["reasons_applied"] as? [String: Int])?["quota_daily"], 3, "\(totals)")
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
        let badOrder = try runNixwash(["history", "import", "--db", "h.db", "--date-order", "ymd", "dialer.csv"], in: folder)
        XCTAssertEqual(badOrder.status, 64)
        XCTAssertTrue(badOrder.stderr.contains("--date-order must be dmy or mdy"), badOrder.stderr)
        // One outcome 'ADC;DC' matches no row: every ADC and DC row would be counted.
        let semicolons = try runNixwash(["history", "import", "--db", "h.db", "--not-attempt-outcomes", "ADC;DC", "dialer.csv"], in: folder)
        XCTAssertEqual(semicolons.status, 64)
        XCTAssertTrue(semicolons.stderr.contains("separated by commas ('ADC,DC'); 'ADC;DC' has ';' in it"), semicolons.stderr)
        // The shared --db of stats and purge refuses a password in a URL before anything connects.
        for command in [["history", "stats"], ["history", "purge", "--keep-days", "400"]] {
            let password = try runNixwash(command + ["--db", "postgres://nixwash:S3cret@127.0.0.1:9/nixwash"], in: folder)
            XCTAssertEqual(password.status, 64, "\(command)")
            XCTAssertTrue(password.stderr.contains("--db postgres://nixwash:***@127.0.0.1:9/nixwash: give the URL without its password"), password.stderr)
            XCTAssertFalse(password.stderr.contains("S3cret"), password.stderr)
        }
    }

    /// A process killed in the middle of an import leaves the history as it was: the first log
    /// is read and inserted, the second (standard input) is half sent when the kill comes.
    func testAKilledImportLeavesTheHistoryAsBefore() throws {
        let folder = try temporaryFolder(self)
        let db = folder.appendingPathComponent("h.db")
        try Data(HistoryCommandTests.log.utf8).write(to: folder.appendingPathComponent("dialer.csv"))
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "h.db", "--max-bad-rows", "2", "--rejects", "r.csv", "dialer.csv"], in: folder).status, 0)

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
        while !seen.contains("next.csv: 2000 rows:") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(seen.contains("next.csv: 2000 rows: 2000 imported"), seen)
        input.fileHandleForWriting.write(Data("number,attempted_at,campaign,offer,contact_centre\n0701999999,2026-06-02 12:00,Höst,Bredband,Kalmar\n".utf8))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        XCTAssertEqual(try attempts(db), 3)
        let store = try HistoryStore(path: db.path, mode: .readOnly)
        XCTAssertEqual(try store.integrity(), "ok")
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM imports"), 1)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM campaigns WHERE name = 'Höst'"), 0)
        // The history takes the next import as usual.
        let retry = try runNixwash(["history", "import", "--db", "h.db", "next.csv"], in: folder)
        XCTAssertEqual(retry.status, 0, retry.stderr)
        XCTAssertEqual(try attempts(db), 2003)
    }
}
