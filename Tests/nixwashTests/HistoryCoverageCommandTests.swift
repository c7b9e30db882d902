import Foundation
import XCTest

/// End to end, issue 13 section 3: a campaign, offer or contact centre that matches the
/// history only in another spelling is refused instead of losing every quota; the report
/// shows what the history covers; a stale history is refused when the run asks.
final class HistoryCoverageCommandTests: XCTestCase {
    private var folder: URL!

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    private func run(_ arguments: [String]) throws -> RunResult { try runNixwash(arguments, in: folder) }

    private func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
    }

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try write("nix.txt", "0709999999\n")
        try write("leads.csv", "namn;telefon\nAnna;0701111111\nBo;0702222222\n")
        var log = "number,attempted_at,campaign,offer,contact_centre,outcome\n"
        // Three attempts on Anna in the campaign: over a quota of two in 30 days.
        for day in 10...12 { log += "0701111111,2026-11-\(day)T10:00:00+01:00,C-ELAVTAL-26,Elavtal Bas,KKC-Umea,no_answer\n" }
        log += "0702222222,2026-10-01T09:30:00+02:00,other,Elavtal Bas,KKC-Umea,answered\n"
        try write("history.csv", log)
        XCTAssertEqual(try run(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                "--out", "nix.idx", "nix.txt"]).status, 0)
        let imported = try run(["history", "import", "--db", "history.db", "history.csv"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        try write("rules.json", "{\"campaign_limit\": 2}")
    }

    private func scrub(campaign: String = "C-ELAVTAL-26", offer: String = "Elavtal Bas", centre: String = "KKC-Umea",
                       _ extra: [String] = []) throws -> RunResult {
        try run(["scrub", "--call-date", "2026-11-23", "--campaign", campaign, "--offer", offer, "--contact-centre", centre,
                 "--nix", "nix.idx", "--history", "history.db", "--rule-profile", "rules.json", "--source", "S",
                 "--out", "out", "--replace"] + extra + ["leads.csv"])
    }

    func testANameThatMatchesOnlyInAnotherSpellingIsRefused() throws {
        let campaign = try scrub(campaign: "c-elavtal-26")
        XCTAssertEqual(campaign.status, 64)
        XCTAssertTrue(campaign.stderr.contains("no attempts for the campaign 'c-elavtal-26', but it has some for 'C-ELAVTAL-26' (3 attempts)"), campaign.stderr)
        XCTAssertTrue(campaign.stderr.contains("Did you mean 'C-ELAVTAL-26'?"), campaign.stderr)
        XCTAssertTrue(campaign.stderr.contains("--campaign"), campaign.stderr)
        XCTAssertFalse(exists("out"))

        let offer = try scrub(offer: "elavtal-bas")
        XCTAssertEqual(offer.status, 64)
        XCTAssertTrue(offer.stderr.contains("the offer 'elavtal-bas', but it has some for 'Elavtal Bas' (4 attempts)"), offer.stderr)
        XCTAssertTrue(offer.stderr.contains("--offer"), offer.stderr)

        let centre = try scrub(centre: "kkc umea")
        XCTAssertEqual(centre.status, 64)
        XCTAssertTrue(centre.stderr.contains("the contact centre 'kkc umea', but it has some for 'KKC-Umea'"), centre.stderr)
        XCTAssertTrue(centre.stderr.contains("--contact-centre"), centre.stderr)
        XCTAssertFalse(exists("out"))

        // explain answers with the scrub's context, so it refuses the same way.
        let explain = try run(["explain", "--call-date", "2026-11-23", "--campaign", "C-Elavtal-26", "--offer", "Elavtal Bas",
                               "--contact-centre", "KKC-Umea", "--nix", "nix.idx", "--history", "history.db", "0701111111"])
        XCTAssertEqual(explain.status, 64)
        XCTAssertTrue(explain.stderr.contains("Did you mean 'C-ELAVTAL-26'?"), explain.stderr)
    }

    /// A name given with a space at its end, a no-break space or a decomposed letter is the
    /// history's name (imports store names that way too): its quotas count.
    func testANameInAnotherFormOfTheSameTextIsTheHistorysName() throws {
        for campaign in ["C-ELAVTAL-26 ", "\u{FEFF}C-ELAVTAL-26\u{200B}"] {
            let washed = try scrub(campaign: campaign)
            XCTAssertEqual(washed.status, 0, washed.stderr)
            XCTAssertTrue(washed.stdout.contains("3 for this campaign"), washed.stdout)
        }
        let centre = try scrub(centre: "KKC-Umea\u{A0}")
        XCTAssertEqual(centre.status, 0, centre.stderr)
        XCTAssertTrue(centre.stdout.contains("4 for this contact centre"), centre.stdout)
    }

    /// A log whose campaign is written with a decomposed `ö` (as a Mac may export it) adds to the
    /// campaign typed with a composed one; a log that adds a second spelling refuses the runs.
    func testALogInAnotherUnicodeFormCountsAndASecondSpellingRefusesTheRun() throws {
        var log = "number,attempted_at,campaign,offer,contact_centre\n"
        for day in 10...12 { log += "0702222222,2026-11-\(day)T11:00:00+01:00,Ho\u{308}st,Elavtal Bas,KKC-Umea\n" }
        try write("mac.csv", log)
        XCTAssertEqual(try run(["history", "import", "--db", "history.db", "mac.csv"]).status, 0)
        let composed = try scrub(campaign: "H\u{F6}st")
        XCTAssertEqual(composed.status, 0, composed.stderr)
        XCTAssertTrue(composed.stdout.contains("3 for this campaign"), composed.stdout)

        try write("site2.csv", "number,attempted_at,campaign,offer,contact_centre\n0702222222,2026-11-13T10:00:00+01:00,c-elavtal-26,Elavtal Bas,KKC-Umea\n")
        XCTAssertEqual(try run(["history", "import", "--db", "history.db", "site2.csv"]).status, 0)
        let split = try scrub()
        XCTAssertEqual(split.status, 64)
        XCTAssertTrue(split.stderr.contains("has attempts for the campaign 'C-ELAVTAL-26' (3) and for 'c-elavtal-26' (1 attempts)"), split.stderr)
    }

    func testTheExactNameKeepsItsQuotaAndTheReportShowsTheCoverage() throws {
        let washed = try scrub()
        XCTAssertEqual(washed.status, 0, washed.stderr)
        XCTAssertTrue(washed.stdout.contains("history  4 attempts, oldest 2026-10-01T09:30:00+02:00, newest 2026-11-12T10:00:00+01:00; 3 for this campaign, 4 for this offer, 4 for this contact centre"), washed.stdout)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/report.json"))) as! [String: Any]
        let coverage = report["history_coverage"] as! [String: Any]
        XCTAssertEqual(coverage["attempts"] as? Int, 4)
        XCTAssertEqual(coverage["oldest_attempt"] as? String, "2026-10-01T09:30:00+02:00")
        XCTAssertEqual(coverage["newest_attempt"] as? String, "2026-11-12T10:00:00+01:00")
        XCTAssertEqual(coverage["campaign_attempts"] as? Int, 3)
        XCTAssertEqual(coverage["offer_attempts"] as? Int, 4)
        XCTAssertEqual(coverage["contact_centre_attempts"] as? Int, 4)
        XCTAssertEqual(coverage["path"] as? String, "history.db")
        let totals = report["totals"] as! [String: Any]
        XCTAssertEqual((totals["rejected_by_reason"] as? [String: Int])?["quota_30d"], 1)
        let html = try String(contentsOf: folder.appendingPathComponent("out/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Contact history coverage</h3>"), html)
        XCTAssertTrue(html.contains("<td>2026-11-12T10:00:00+01:00</td><td class=\"n\">4</td><td class=\"n\">3</td>"), html)
    }

    func testATrulyNewCampaignRunsAsBefore() throws {
        let washed = try scrub(campaign: "vinter-2027")
        XCTAssertEqual(washed.status, 0, washed.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/report.json"))) as! [String: Any]
        XCTAssertEqual((report["history_coverage"] as! [String: Any])["campaign_attempts"] as? Int, 0)
        XCTAssertEqual((report["totals"] as! [String: Any])["numbers_callable"] as? Int, 2)

        let noHistory = try run(["scrub", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                                 "--nix", "nix.idx", "--source", "S", "--out", "plain", "leads.csv"])
        XCTAssertEqual(noHistory.status, 0, noHistory.stderr)
        XCTAssertTrue(noHistory.stdout.contains("history  none given"), noHistory.stdout)
        let html = try String(contentsOf: folder.appendingPathComponent("plain/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("No contact history was given"), html)
    }

    func testAStaleHistoryIsRefusedWhenTheRunGivesAMaximumAge() throws {
        let stale = try scrub(["--history-max-age", "36h"])
        XCTAssertEqual(stale.status, 3)
        XCTAssertTrue(stale.stderr.contains("history.db: the contact history is not current: its newest attempt is from 2026-11-12T10:00:00+01:00"), stale.stderr)
        XCTAssertTrue(stale.stderr.contains("at most 1 d 12 h"), stale.stderr)
        XCTAssertTrue(stale.stderr.contains("nixwash history import"), stale.stderr)
        XCTAssertFalse(exists("out"))

        // Last night's log imported: an attempt an hour ago.
        let formatter = ISO8601DateFormatter()
        let recent = formatter.string(from: Date().addingTimeInterval(-3600))
        try write("tonight.csv", "number,attempted_at,campaign,offer,contact_centre,outcome\n0703333333,\(recent),C-ELAVTAL-26,Elavtal Bas,KKC-Umea,busy\n")
        XCTAssertEqual(try run(["history", "import", "--db", "history.db", "tonight.csv"]).status, 0)
        let fresh = try scrub(["--history-max-age", "36h"])
        XCTAssertEqual(fresh.status, 0, fresh.stderr)

        try write("campaign.json", "{\"history_max_age\": \"30m\"}")
        let configured = try scrub(["--config", "campaign.json"])
        XCTAssertEqual(configured.status, 3, configured.stderr)
        try write("campaign.json", "{\"history_max_age\": \"2d\"}")
        XCTAssertEqual(try scrub(["--config", "campaign.json"]).status, 0)

        let badDuration = try scrub(["--history-max-age", "36"])
        XCTAssertEqual(badDuration.status, 64)
        XCTAssertTrue(badDuration.stderr.contains("--history-max-age must be a duration such as 36h"), badDuration.stderr)
        try write("campaign.json", "{\"history_max_age\": \"soon\"}")
        let badKey = try scrub(["--config", "campaign.json"])
        XCTAssertEqual(badKey.status, 64)
        XCTAssertTrue(badKey.stderr.contains("key 'history_max_age' must be a duration"), badKey.stderr)

        let withoutHistory = try run(["scrub", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o",
                                      "--contact-centre", "k", "--nix", "nix.idx", "--source", "S", "--history-max-age", "1d",
                                      "--out", "plain", "leads.csv"])
        XCTAssertEqual(withoutHistory.status, 64)
        XCTAssertTrue(withoutHistory.stderr.contains("pass --history"), withoutHistory.stderr)
    }
}
