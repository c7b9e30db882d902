import Foundation
import XCTest

/// End to end: a rule profile with `nix_mode: consent_only` makes a number callable only with
/// a consent valid on the call date; `no_consent` comes after `nix`; block lists still win.
final class ConsentOnlyCommandTests: XCTestCase {
    private var w: Workspace!

    override func setUpWithError() throws {
        w = try Workspace(self)
        try w.write("register.txt", "0701000001\n0701000002\n")
        try w.write("block.csv", "nummer\n0701000006\n")
        // The call date is 2026-11-23; a consent is valid for 3 months from its date.
        try w.write("consents.csv", """
            number,consent_date
            0701000001,2026-10-01
            0701000003,2026-08-23
            0701000004,2026-08-22
            0701000005,2026-11-24
            0701000006,2026-11-01
            0701000008,2026-06-23

            """)
        try w.write("leads.csv", """
            namn,telefon
            nix-consent,0701000001
            nix-none,0701000002
            boundary-last-day,0701000003
            boundary-day-after,0701000004
            consent-after-call-date,0701000005
            blocked-consent,0701000006
            no-record,0701000007
            five-months-old,0701000008

            """)
        try w.write("consent-only.json", #"{"nix_mode": "consent_only"}"#)
        try w.write("consent-only-6.json", #"{"nix_mode": "consent_only", "consent_validity_months": 6}"#)
        try w.run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01", "--out", "nix.idx", "register.txt"])
        try w.run(["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block.csv"])
    }

    private func scrub(_ profile: String, out: String) throws {
        try w.run(["scrub", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                   "--nix", "nix.idx", "--block", "block.idx", "--consents", "consents.csv", "--rule-profile", profile,
                   "--source", "V1", "--out", out, "leads.csv"])
    }

    func testOnlyAConsentValidOnTheCallDateMakesANumberCallable() throws {
        try scrub("consent-only.json", out: "out")
        let callable = try w.rows("out/callable.csv.gz")
        XCTAssertEqual(Set(callable.map { $0["namn"]! }), ["nix-consent", "boundary-last-day"])
        XCTAssertEqual(callable.first { $0["namn"] == "nix-consent" }?["nix_exemption"], "consent")
        XCTAssertEqual(callable.first { $0["namn"] == "boundary-last-day" }?["nix_exemption"], "")

        let rejects = Dictionary(uniqueKeysWithValues: try w.rows("out/rejects.csv.gz").map { ($0["namn"]!, $0) })
        let expected: [String: (String, String)] = [
            "nix-none": ("nix", "nix|no_consent"),
            "boundary-day-after": ("no_consent", "no_consent"),
            "consent-after-call-date": ("no_consent", "no_consent"),
            "blocked-consent": ("company_block", "company_block"),
            "no-record": ("no_consent", "no_consent"),
            "five-months-old": ("no_consent", "no_consent"),
        ]
        XCTAssertEqual(Set(rejects.keys), Set(expected.keys))
        for (name, (reason, reasons)) in expected {
            XCTAssertEqual(rejects[name]?["reason"], reason, name)
            XCTAssertEqual(rejects[name]?["reasons"], reasons, name)
        }
        XCTAssertTrue(rejects["no-record"]!["detail"]!.contains("consent_only"), rejects["no-record"]!["detail"]!)
        let report = try w.json("out/report.json")
        let profile = report["rule_profile"] as! [String: Any]
        XCTAssertEqual(profile["nix_mode"] as? String, "consent_only")
        XCTAssertEqual(profile["consent_validity_months"] as? Int, 3)
        let byReason = (report["totals"] as! [String: Any])["rejected_by_reason"] as! [String: Int]
        XCTAssertEqual(byReason["no_consent"], 4)
    }

    func testTheConsentValidityIsASetting() throws {
        try scrub("consent-only-6.json", out: "out")
        let callable = Set(try w.rows("out/callable.csv.gz").map { $0["namn"]! })
        XCTAssertEqual(callable, ["nix-consent", "boundary-last-day", "boundary-day-after", "five-months-old"])
    }

    func testConsentOnlyWithoutAConsentListIsRefused() throws {
        let result = try w.run(["scrub", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                                "--nix", "nix.idx", "--rule-profile", "consent-only.json", "--source", "V1", "--out", "out", "leads.csv"],
                               expect: 64)
        XCTAssertTrue(result.stderr.contains("consent_only") && result.stderr.contains("consent list"), result.stderr)
        XCTAssertFalse(w.exists("out"))
    }

    func testAnUnknownModeNamesTheKey() throws {
        try w.write("bad.json", #"{"nix_mode": "opt_in"}"#)
        let result = try w.run(["scrub", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                                "--nix", "nix.idx", "--consents", "consents.csv", "--rule-profile", "bad.json", "--source", "V1",
                                "--out", "out", "leads.csv"], expect: 64)
        XCTAssertTrue(result.stderr.contains("nix_mode") && result.stderr.contains("consent_only"), result.stderr)
    }
}
