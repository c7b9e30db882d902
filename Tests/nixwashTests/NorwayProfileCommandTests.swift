import Foundation
import XCTest

/// End to end: `--profile no` washes against Reservasjonsregisteret, calls Norwegian numbers
/// only, on weekdays 09:00–21:00 and not on Norwegian public holidays, with a register valid
/// for one month.
final class NorwayProfileCommandTests: XCTestCase {
    private var w: Workspace!

    override func setUpWithError() throws {
        w = try Workspace(self)
        try w.write("reservasjon.txt", "41234567\n")
        try w.write("leads.csv", """
            navn,telefon
            reserved,412 34 567
            mobile,912 34 567
            fixed,22 12 34 56
            swedish,+46 70 123 45 67
            swedish-written-locally,070-123 45 67

            """)
        try w.run(["index", "build", "--kind", "nix", "--label", "Reservasjonsregisteret", "--register-date", "2026-11-02",
                   "--default-country", "NO", "--out", "rr.idx", "reservasjon.txt"])
        try w.write("campaign.json", #"{"profile": "no", "campaign": "c1", "offer": "o1", "contact_centre": "k1", "nix_index": "rr.idx", "source": "V1"}"#)
    }

    @discardableResult
    private func scrub(_ callDate: String, _ extra: [String] = [], expect status: Int32 = 0) throws -> RunResult {
        try w.run(["scrub", "--config", "campaign.json", "--call-date", callDate, "--out", "out-\(callDate)"] + extra + ["leads.csv"],
                  expect: status)
    }

    func testNorwegianNumbersAreCalledFromNineSwedishOnesAreForeign() throws {
        try scrub("2026-11-23")
        let callable = Dictionary(uniqueKeysWithValues: try w.rows("out-2026-11-23/callable.csv.gz").map { ($0["navn"]!, $0) })
        XCTAssertEqual(Set(callable.keys), ["mobile", "fixed"])
        XCTAssertEqual(callable["mobile"]?["e164"], "+4791234567")
        XCTAssertEqual(callable["mobile"]?["not_before"], "2026-11-23T09:00:00+01:00")
        let rejects = Dictionary(uniqueKeysWithValues: try w.rows("out-2026-11-23/rejects.csv.gz").map { ($0["navn"]!, $0) })
        XCTAssertEqual(rejects["reserved"]?["reason"], "nix")
        XCTAssertTrue(rejects["reserved"]!["detail"]!.contains("Reservasjonsregisteret"), rejects["reserved"]!["detail"]!)
        XCTAssertEqual(rejects["swedish"]?["reason"], "foreign_number")
        // Without a country code a number is read as Norwegian: 0701234567 is not a valid one.
        XCTAssertEqual(rejects["swedish-written-locally"]?["reason"], "invalid_number")
        let report = try w.json("out-2026-11-23/report.json")
        let profile = report["rule_profile"] as! [String: Any]
        XCTAssertEqual(profile["register_name"] as? String, "Reservasjonsregisteret")
        XCTAssertEqual(profile["no_call_weekdays"] as? [String], ["saturday", "sunday"])
        XCTAssertEqual((report["calling_window"] as! [String: String])["close"], "2026-11-23T21:00:00+01:00")
    }

    func testNoCallsOnSaturdaysSundaysAndNorwegianHolidays() throws {
        // 2026-11-28 is a Saturday, 2026-11-29 a Sunday, 2026-12-25 a Friday (Christmas Day).
        let saturday = try scrub("2026-11-28", expect: 3)
        XCTAssertTrue(saturday.stderr.contains("2026-11-28 is a Saturday"), saturday.stderr)
        let sunday = try scrub("2026-11-29", expect: 3)
        XCTAssertTrue(sunday.stderr.contains("a Sunday"), sunday.stderr)
        try w.run(["index", "build", "--kind", "nix", "--label", "Reservasjonsregisteret", "--register-date", "2026-12-01",
                   "--default-country", "NO", "--out", "rr-dec.idx", "reservasjon.txt"])
        let christmas = try scrub("2026-12-25", ["--nix", "rr-dec.idx"], expect: 3)
        XCTAssertTrue(christmas.stderr.contains("Christmas Day (1. juledag)"), christmas.stderr)
        // Christmas Eve is a Swedish no-call day, not a Norwegian one (2026-12-24 is a Thursday).
        try scrub("2026-12-24", ["--nix", "rr-dec.idx"])
        // The Swedish profile on the same campaign file refuses Christmas Eve.
        let swedish = try scrub("2026-12-24", ["--nix", "rr-dec.idx", "--profile", "se"], expect: 3)
        XCTAssertTrue(swedish.stderr.contains("Christmas Eve"), swedish.stderr)
        XCTAssertFalse(w.exists("out-2026-11-28") || w.exists("out-2026-12-25"))
    }

    func testTheRegisterIsValidForOneMonth() throws {
        try scrub("2026-12-02")  // 2026-11-02 + 1 month, a Wednesday: the last valid day
        let stale = try scrub("2026-12-03", expect: 3)
        XCTAssertTrue(stale.stderr.contains("the register Reservasjonsregisteret is dated 2026-11-02 and may be used for 1 month, through 2026-12-02"), stale.stderr)
        XCTAssertFalse(w.exists("out-2026-12-03"))
        // A recheck of the Norwegian run refuses the same day: a full wash is needed.
        try w.run(["index", "build", "--kind", "nix", "--label", "Reservasjonsregisteret", "--register-date", "2026-12-01",
                   "--default-country", "NO", "--out", "rr-dec.idx", "reservasjon.txt"])
        let recheck = try w.run(["recheck", "--config", "campaign.json", "--nix", "rr-dec.idx", "--call-date", "2026-12-03",
                                 "--out", "recheck", "out-2026-12-02"], expect: 3)
        XCTAssertTrue(recheck.stderr.contains("A full wash is needed"), recheck.stderr)
    }

    func testARuleProfileFileChangesOnlyItsKeysAndBadNamesAreRefused() throws {
        try w.write("stricter.json", #"{"daily_limit": 1}"#)
        try scrub("2026-11-23", ["--rule-profile", "stricter.json"])
        let profile = try w.json("out-2026-11-23/report.json")["rule_profile"] as! [String: Any]
        XCTAssertEqual(profile["daily_limit"] as? Int, 1)
        XCTAssertEqual(profile["register_validity_months"] as? Int, 1)
        let badOption = try scrub("2026-11-23", ["--profile", "NO"], expect: 64)
        XCTAssertTrue(badOption.stderr.contains("--profile must be one of se, no"), badOption.stderr)
        try w.write("bad.json", #"{"profile": "norway", "campaign": "c1", "offer": "o1", "contact_centre": "k1", "nix_index": "rr.idx"}"#)
        let badKey = try w.run(["scrub", "--config", "bad.json", "--call-date", "2026-11-23", "--source", "V1", "--out", "x", "leads.csv"], expect: 64)
        XCTAssertTrue(badKey.stderr.contains("key 'profile' must be one of se, no"), badKey.stderr)
    }
}
