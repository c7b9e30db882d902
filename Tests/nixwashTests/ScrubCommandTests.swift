import Foundation
import NixWashKit
import XCTest

/// End to end: the built binary washes a small list in which every rule fires once, in a
/// temporary folder, and the outputs are read back.
final class ScrubCommandTests: XCTestCase {
    private var folder: URL!

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    private func run(_ arguments: [String]) throws -> RunResult {
        try runNixwash(arguments, in: folder)
    }

    /// Reads a gzipped CSV output with the library's reader: header and rows as strings.
    private func readOutput(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent(path).path),
                                   options: CSVOptions(requireDataRows: false))
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append((0..<record.count).map { record.string($0) }) }
        return (reader.header, rows)
    }

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try write("register.txt", """
            46702222222
            +46703333333
            0704444444
            070-555 55 55
            0706666666
            0726666666

            """)
        try write("block.csv", "telefonnummer,kommentar\n070-666 66 66,spärrad i kundtjänst\n")
        try write("customers.csv", "number,agreement_end,category\n0703333333,,bredband\n0705555555,2025-10-01,bredband\n0706666666,,\n")
        try write("consents.csv", "number,consent_date\n0704444444,2026-10-01\n")
        var log = "number,attempted_at,campaign,offer,contact_centre,outcome\n"
        log += "0707777777,2026-11-23T09:00:00+01:00,c1,o1,k1,no_answer\n0707777777,2026-11-23T13:05:00+01:00,c1,o1,k1,busy\n"
        log += "0708888888,2026-11-23 17:30:00,c1,o1,k1,no_answer\n"
        for day in 1...20 { log += "0709999999,2026-11-\(String(format: "%02d", day + 2))T11:00:00+01:00,c1,o1,k2,no_answer\n" }
        log += "0721111111,2026-05-10T12:00:00+02:00,c8,o1,k1,answered\n0721111111,2026-09-10T12:00:00+02:00,c9,o1,k1,answered\n"
        log += "0722222222,2026-05-10T12:00:00+02:00,c8,o1,k1,answered\n0722222222,2026-09-10T12:00:00+02:00,c9,o2,k1,answered\n"
        log += "0724444444,2026-11-23T09:00:00+01:00,c1,o1,k1,no_answer\n0725555555,2026-11-23T09:00:00+01:00,c1,o1,k2,no_answer\n"
        log += "0726666666,2026-11-23T08:10:00+01:00,c1,o1,k1,no_answer\n0726666666,2026-11-23T12:30:00+01:00,c1,o1,k1,no_answer\n"
        try write("history.csv", log)
        try write("leads.csv", """
            namn;telefon;mobil;källa
            Anna;070-111 11 11;;V1
            Bo;0701111111;;V1
            Cia;070-222 22 22;;V1
            Dan;070-333 33 33;;V1
            Eva;070-444 44 44;;V1
            Fia;070-555 55 55;;V1
            Gus;070-666 66 66;;V1
            Hans;0900-123456;;V1
            Ida;+47 412 34 567;;V1
            Jon;070-12;;V1
            Kim;;;V1
            Lo;070-777 77 77;0731234567;V2
            Max;070-888 88 88;;V2
            Nils;070-999 99 99;;V2
            Olle;072-111 11 11;;V2
            Per;072-222 22 22;;V2
            Q;"072"x;;V2
            R;0723333333
            Stina;072-444 44 44;;V2
            Tor;072-555 55 55;;V2
            Ulf;072-666 66 66;;V2

            """)
        try write("campaign.json", """
            {"call_date": "2026-11-23", "campaign": "c1", "offer": "o1", "contact_centre": "k1",
             "product_category": "bredband", "nix_index": "nix.idx", "block_indexes": ["block.idx"],
             "customers": "customers.csv", "consents": "consents.csv", "history_db": "history.db"}
            """)
        for arguments in [
            ["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01", "--out", "nix.idx", "register.txt"],
            ["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block.csv"],
            ["history", "import", "--db", "history.db", "history.csv"],
        ] {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
        }
    }

    func testEveryRuleFiresWithItsReasonAndTheOutputsBalance() throws {
        // Two of the 21 rows are malformed: more than the default 1 % allows.
        let refused = try run(["scrub", "--config", "campaign.json", "--out", "out", "leads.csv"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("2 of 21 rows"), refused.stderr)
        let result = try run(["scrub", "--config", "campaign.json", "--max-malformed-share", "0.1", "--out", "out", "leads.csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("rows     21 in"), result.stdout)

        let rejects = try readOutput("out/rejects.csv.gz")
        XCTAssertEqual(rejects.header, ["namn", "telefon", "mobil", "källa"] + OutputColumns.rejects)
        func reject(_ name: String) -> [String: String]? {
            rejects.rows.first { $0[0] == name }.map { Dictionary(uniqueKeysWithValues: zip(rejects.header, $0)) }
        }
        let expected: [(String, String, String)] = [
            ("Bo", "duplicate", "duplicate"), ("Cia", "nix", "nix"), ("Fia", "nix", "nix"),
            ("Gus", "company_block", "company_block"), ("Hans", "number_type", "number_type"),
            ("Ida", "foreign_number", "foreign_number"), ("Jon", "invalid_number", "invalid_number"),
            ("Kim", "invalid_number", "invalid_number"), ("Max", "min_gap", "min_gap"),
            ("Nils", "quota_30d", "quota_30d"), ("Olle", "offer_quota", "offer_quota"),
            ("Q", "malformed_row", "malformed_row"), ("R", "malformed_row", "malformed_row"),
            ("Ulf", "nix", "nix|quota_daily"), ("Lo", "quota_daily", "quota_daily"),
        ]
        for (name, reason, reasons) in expected {
            let row = try XCTUnwrap(reject(name), "no reject for \(name)")
            XCTAssertEqual(row["reason"], reason, name)
            XCTAssertEqual(row["reasons"], reasons, name)
            XCTAssertEqual(row["file"], "leads.csv", name)
            XCTAssertFalse(row["detail"]!.isEmpty, name)
        }
        XCTAssertEqual(reject("Bo")?["e164"], "+46701111111")
        XCTAssertEqual(reject("Bo")?["line"], "3")
        XCTAssertEqual(reject("Bo")?["phone_column"], "telefon")
        XCTAssertEqual(reject("Bo")?["raw_number"], "0701111111")
        XCTAssertEqual(reject("Q")?["line"], "18")
        XCTAssertTrue(reject("Gus")!["detail"]!.contains("Kundspärr"))
        XCTAssertEqual(rejects.rows.count, expected.count)

        let callable = try readOutput("out/callable.csv.gz")
        XCTAssertEqual(callable.header, ["namn", "telefon", "mobil", "källa"] + OutputColumns.callable)
        let byName = Dictionary(uniqueKeysWithValues: callable.rows.map { ($0[0], $0) })
        XCTAssertEqual(Set(byName.keys), ["Anna", "Dan", "Eva", "Lo", "Per", "Stina", "Tor"])
        XCTAssertEqual(byName["Anna"], ["Anna", "070-111 11 11", "", "V1", "+46701111111", "V1", "2", "2026-11-23T08:00:00+01:00", "", ""])
        XCTAssertEqual(byName["Dan"]?[8], "customer")
        XCTAssertEqual(byName["Eva"]?[8], "consent")
        // The rejected landline is emptied; the callable mobile is the row's number.
        XCTAssertEqual(byName["Lo"], ["Lo", "", "0731234567", "V2", "+46731234567", "V2", "2", "2026-11-23T08:00:00+01:00", "", ""])
        XCTAssertEqual(byName["Stina"]?[6], "1")
        XCTAssertEqual(byName["Stina"]?[7], "2026-11-23T13:00:00+01:00")
        XCTAssertEqual(byName["Tor"]?[6], "2")

        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/report.json"))) as! [String: Any]
        let totals = report["totals"] as! [String: Any]
        XCTAssertEqual(totals["rows_in"] as? Int, 21)
        XCTAssertEqual(totals["rows_callable"] as? Int, 7)
        XCTAssertEqual(totals["rows_not_callable"] as? Int, 14)
        XCTAssertEqual(totals["numbers_in"] as? Int, 22)
        XCTAssertEqual(totals["numbers_callable"] as? Int, 7)
        XCTAssertEqual(totals["numbers_rejected"] as? Int, 15)
        XCTAssertEqual((report["accounting"] as! [String: Any])["balanced"] as? Bool, true)
        let bySource = report["by_source"] as! [String: [String: Any]]
        // The malformed rows' source field cannot be trusted: they count under the file.
        XCTAssertEqual(Set(bySource.keys), ["V1", "V2", "leads.csv"])
        XCTAssertEqual(bySource["leads.csv"]?["rows_in"] as? Int, 2)
        XCTAssertEqual(bySource["V1"]?["rows_in"] as? Int, 11)
        let inputs = report["inputs"] as! [[String: Any]]
        XCTAssertEqual((inputs[0]["sha256"] as? String)?.count, 64)
        let html = try String(contentsOf: folder.appendingPathComponent("out/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "the page must not load anything")
    }

    func testRefusalsAndErrorsLeaveNoOutputFolder() throws {
        let christmas = try run(["scrub", "--config", "campaign.json", "--call-date", "2026-12-24", "--out", "out", "leads.csv"])
        XCTAssertEqual(christmas.status, 3)
        XCTAssertTrue(christmas.stderr.contains("Christmas Eve"), christmas.stderr)
        let stale = try run(["scrub", "--config", "campaign.json", "--call-date", "2027-01-04", "--out", "out", "leads.csv"])
        XCTAssertEqual(stale.status, 3)
        XCTAssertTrue(stale.stderr.contains("2026-11-01") && stale.stderr.contains("2027-01-04"), stale.stderr)
        let noNix = try run(["scrub", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1", "--out", "out", "leads.csv"])
        XCTAssertEqual(noNix.status, 64)
        XCTAssertTrue(noNix.stderr.contains("--nix"), noNix.stderr)
        try Data([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3] + Array("garbage".utf8)).write(to: folder.appendingPathComponent("bad.csv.gz"))
        let corrupt = try run(["scrub", "--config", "campaign.json", "--out", "out", "leads.csv", "bad.csv.gz"])
        XCTAssertEqual(corrupt.status, 1)
        XCTAssertTrue(corrupt.stderr.contains("bad.csv.gz"), corrupt.stderr)
        // A damaged byte in the register's body: found while the run washes, and nothing is published.
        let register = folder.appendingPathComponent("nix.idx")
        var index = try Data(contentsOf: register)
        index[index.count - 5] ^= 0x04
        try index.write(to: register)
        let damaged = try run(["scrub", "--config", "campaign.json", "--max-malformed-share", "0.1", "--out", "out", "leads.csv"])
        XCTAssertEqual(damaged.status, 1)
        XCTAssertTrue(damaged.stderr.contains("nix.idx") && damaged.stderr.contains("body checksum"), damaged.stderr)
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertFalse(entries.contains { $0.hasPrefix("out") || $0.hasPrefix(".out") }, "\(entries)")
    }

    /// `--replace` with the lead list, the folder of lists or an earlier run that is read as the
    /// output: refused, and nothing the user gave is touched.
    func testReplaceNeverRemovesAnInputOrAFolderNoRunWrote() throws {
        let leads = try Data(contentsOf: folder.appendingPathComponent("leads.csv"))
        let overList = try run(["scrub", "--config", "campaign.json", "--replace", "--out", "leads.csv", "leads.csv"])
        XCTAssertEqual(overList.status, 64)
        XCTAssertTrue(overList.stderr.contains("leads.csv: is a file, not an output folder"), overList.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("leads.csv")), leads)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("inbox"), withIntermediateDirectories: false)
        try leads.write(to: folder.appendingPathComponent("inbox/leads.csv"))
        let overInbox = try run(["scrub", "--config", "campaign.json", "--replace", "--out", "inbox", "inbox"])
        XCTAssertEqual(overInbox.status, 64)
        XCTAssertTrue(overInbox.stderr.contains("inbox: is a folder that holds no report.json"), overInbox.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("inbox/leads.csv")), leads)
        // leads.csv holds two malformed rows on purpose.
        let wash = ["scrub", "--config", "campaign.json", "-q", "--max-malformed-share", "0.2"]
        XCTAssertEqual(try run(wash + ["--out", "run", "leads.csv"]).status, 0)
        try leads.write(to: folder.appendingPathComponent("run/leads-kept.csv"))
        let overRun = try run(["scrub", "--config", "campaign.json", "--replace", "--out", "./run/", "--max-malformed-share", "0.2",
                               "run/leads-kept.csv"])
        XCTAssertEqual(overRun.status, 64)
        XCTAssertTrue(overRun.stderr.contains("the output folder to replace holds run/leads-kept.csv, an input of this run"), overRun.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("run/leads-kept.csv")), leads)
        XCTAssertEqual(try run(wash + ["--replace", "--out", "run", "leads.csv"]).status, 0)
    }

    func testExplainGivesTheSameVerdictAsTheScrub() throws {
        let nix = try run(["explain", "--config", "campaign.json", "+46 (0)72 666 66 66"])
        XCTAssertEqual(nix.status, 0, nix.stderr)
        XCTAssertTrue(nix.stdout.contains("NOT CALLABLE: nix"), nix.stdout)
        XCTAssertTrue(nix.stdout.contains("quota_daily"), nix.stdout)
        let exempt = try run(["explain", "--config", "campaign.json", "--json", "0703333333"])
        let summary = try JSONSerialization.jsonObject(with: Data(exempt.stdout.utf8)) as! [String: Any]
        let object = (summary["numbers"] as! [[String: Any]])[0]
        XCTAssertEqual(object["callable"] as? Bool, true)
        XCTAssertEqual(object["nix_exemption"] as? String, "customer")
    }
}
