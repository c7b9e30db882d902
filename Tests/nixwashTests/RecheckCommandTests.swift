import Foundation
import XCTest

/// End to end: a scrub, then the world changes (a number joins NIX, one a block list, one fills
/// its daily quota) and `recheck` pulls exactly those numbers, each with its reason.
final class RecheckCommandTests: XCTestCase {
    private var w: Workspace!

    private func attempts(_ rows: [(String, String)]) -> String {
        "number,attempted_at,campaign,offer,contact_centre,outcome\n" + rows.map { "\($0.0),\($0.1),c1,o1,k1,no_answer\n" }.joined()
    }

    override func setUpWithError() throws {
        w = try Workspace(self)
        try w.write("register.txt", "0701000006\n")
        try w.write("block.csv", "nummer\n0709999999\n")
        try w.write("log-1.csv", attempts([("0701000004", "2026-11-23T08:05:00+01:00")]))
        try w.write("leads.csv", """
            namn;telefon;mobil;källa
            stays;0701000001;;V1
            joins-nix;0701000002;;V1
            gets-blocked;0701000003;;V1
            fills-quota;0701000004;;V2
            mobile-joins-nix;0701000005;0731000005;V2
            was-nix;0701000006;;V2
            stays-too;0701000007;0731000007;V2

            """)
        try w.write("campaign.json", """
            {"call_date": "2026-11-23", "campaign": "c1", "offer": "o1", "contact_centre": "k1",
             "nix_index": "nix.idx", "block_indexes": ["block.idx"], "history_db": "history.db"}
            """)
        try w.run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01", "--out", "nix.idx", "register.txt"])
        try w.run(["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block.csv"])
        try w.run(["history", "import", "--db", "history.db", "log-1.csv"])
        try w.run(["scrub", "--config", "campaign.json", "--out", "run", "leads.csv"])
        XCTAssertEqual(try w.rows("run/callable.csv.gz").count, 6)
    }

    func testAnUnchangedWorldGivesAnEmptyPullList() throws {
        let result = try w.run(["recheck", "--config", "campaign.json", "--out", "recheck", "run"])
        XCTAssertTrue(result.stdout.contains("numbers  8 in = 8 callable + 0 to pull"), result.stdout)
        XCTAssertEqual(try w.rows("recheck/pull.csv.gz").count, 0)
        XCTAssertEqual(try w.header("recheck/pull.csv.gz"), try w.header("run/rejects.csv.gz"))
        // Same rows, same appended values: the dialer's list is still right.
        XCTAssertEqual(try w.rows("recheck/still-callable.csv.gz"), try w.rows("run/callable.csv.gz"))
        XCTAssertEqual(try w.header("recheck/still-callable.csv.gz"), try w.header("run/callable.csv.gz"))
        let report = try w.json("recheck/report.json")
        let origin = report["recheck_of"] as! [String: Any]
        XCTAssertEqual(origin["folder"] as? String, "run")
        XCTAssertEqual(origin["nix_register_date"] as? String, "2026-11-01")
        XCTAssertEqual(origin["nix_valid_through"] as? String, "2027-01-01")
        try w.run(["audit", "verify", "recheck"])
    }

    func testEachChangeIsPulledWithItsReasonAndNothingElse() throws {
        try w.write("register-2.txt", "0701000006\n0701000002\n0731000005\n")
        try w.run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-20", "--out", "nix.idx", "register-2.txt"])
        try w.write("block-2.csv", "nummer\n0709999999\n0701000003\n")
        try w.run(["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block-2.csv"])
        try w.write("log-2.csv", attempts([("0701000004", "2026-11-23T12:10:00+01:00")]))
        try w.run(["history", "import", "--db", "history.db", "log-2.csv"])

        try w.run(["recheck", "--config", "campaign.json", "--out", "recheck", "run"])
        let pull = try w.rows("recheck/pull.csv.gz")
        let pulled = Dictionary(uniqueKeysWithValues: pull.map { ($0["e164"]!, $0) })
        XCTAssertEqual(Set(pulled.keys), ["+46701000002", "+46701000003", "+46701000004", "+46731000005"])
        XCTAssertEqual(pulled["+46701000002"]?["reason"], "nix")
        XCTAssertEqual(pulled["+46701000003"]?["reason"], "company_block")
        XCTAssertEqual(pulled["+46701000004"]?["reason"], "quota_daily")
        XCTAssertEqual(pulled["+46731000005"]?["reason"], "nix")
        XCTAssertEqual(pulled["+46731000005"]?["phone_column"], "mobil")
        XCTAssertEqual(pulled["+46731000005"]?["namn"], "mobile-joins-nix")
        XCTAssertEqual(pulled["+46701000003"]?["source"], "V1")
        XCTAssertEqual(pulled["+46701000003"]?["file"], "run/callable.csv.gz")
        XCTAssertTrue(pulled["+46701000004"]!["detail"]!.contains("2 attempts by k1"), pulled["+46701000004"]!["detail"]!)

        let stay = Dictionary(uniqueKeysWithValues: try w.rows("recheck/still-callable.csv.gz").map { ($0["namn"]!, $0) })
        XCTAssertEqual(Set(stay.keys), ["stays", "mobile-joins-nix", "stays-too"])
        XCTAssertEqual(stay["mobile-joins-nix"]?["mobil"], "", "the pulled number's field is emptied")
        XCTAssertEqual(stay["mobile-joins-nix"]?["e164"], "+46701000005")
        XCTAssertEqual(stay["stays-too"]?["mobil"], "0731000007")
        let totals = try w.json("recheck/report.json")["totals"] as! [String: Any]
        XCTAssertEqual(totals["rows_in"] as? Int, 6)
        XCTAssertEqual(totals["rows_callable"] as? Int, 3)
        XCTAssertEqual(totals["numbers_rejected"] as? Int, 4)
    }

    func testAStaleEarlierRegisterNeedsAFullWash() throws {
        try w.run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-12-01", "--out", "nix-new.idx", "register.txt"])
        let result = try w.run(["recheck", "--config", "campaign.json", "--nix", "nix-new.idx", "--call-date", "2027-01-04",
                                "--out", "recheck", "run"], expect: 3)
        XCTAssertTrue(result.stderr.contains("2026-11-01") && result.stderr.contains("2027-01-01") && result.stderr.contains("A full wash is needed"), result.stderr)
        XCTAssertFalse(w.exists("recheck"))
        // Through the last valid day it is allowed.
        try w.run(["recheck", "--config", "campaign.json", "--nix", "nix-new.idx", "--call-date", "2026-12-31", "--out", "recheck", "run"])
    }

    func testAFolderThatIsNotARunIsRefused() throws {
        try w.write("empty/x", "")
        let result = try w.run(["recheck", "--config", "campaign.json", "--out", "recheck", "empty"], expect: 64)
        XCTAssertTrue(result.stderr.contains("empty: no report.json here"), result.stderr)
        let intoItself = try w.run(["recheck", "--config", "campaign.json", "--out", "run/", "run"], expect: 64)
        XCTAssertTrue(intoItself.stderr.contains("is the folder of the run being rechecked"), intoItself.stderr)
        let otherCampaign = try w.run(["recheck", "--config", "campaign.json", "--campaign", "c2", "--out", "recheck", "run"], expect: 64)
        XCTAssertTrue(otherCampaign.stderr.contains("run: was washed for the campaign 'c1', this recheck is for 'c2'"), otherCampaign.stderr)
        XCTAssertFalse(w.exists("recheck"))
        // A callable list edited after the scrub (a row dropped) is not the run's list.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "gzip -dc run/callable.csv.gz | head -n 4 | gzip > edited.gz && mv edited.gz run/callable.csv.gz"]
        shell.currentDirectoryURL = w.folder
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)
        let edited = try w.run(["recheck", "--config", "campaign.json", "--out", "recheck", "run"], expect: 64)
        XCTAssertTrue(edited.stderr.contains("run/callable.csv.gz: has changed since the scrub wrote it"), edited.stderr)
        XCTAssertFalse(w.exists("recheck"))
    }
}
