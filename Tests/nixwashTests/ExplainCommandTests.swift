import Foundation
import XCTest

/// `explain` end to end: the attempts behind a verdict, the facts behind an exemption, several
/// numbers at once, and a log read in UTC shifting `not_before`.
final class ExplainCommandTests: XCTestCase {
    private var folder: URL!

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    private func run(_ arguments: [String], stdin: Data? = nil) throws -> RunResult {
        try runNixwash(arguments, in: folder, stdin: stdin)
    }

    private let context = ["--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                           "--nix", "nix.idx", "--customers", "customers.csv", "--consents", "consents.csv"]

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try write("register.txt", "0702222222\n0703333333\n0704444444\n")
        try write("customers.csv", "number,agreement_end\n0703333333,2025-12-01\n0707777777,2027-06-30\n")
        try write("consents.csv", "number,consent_date\n0704444444,2026-10-01\n")
        try write("log.csv", """
            number,attempted_at,campaign,offer,contact_centre,outcome
            0702222222,2026-11-23 09:00,c1,o1,k1,no_answer
            0702222222,2026-11-22 09:00,c1,o1,k2,busy
            0702222222,2026-06-01 10:00,c9,o1,k1,answered
            0702222222,2026-06-01 10:00,c8,o2,k1,answered
            0702222222,2025-06-01 10:00,c7,o1,k1,answered
            0702222222,2026-11-24 10:00,c1,o1,k1,answered

            """)
        XCTAssertEqual(try run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01",
                                "--out", "nix.idx", "register.txt"]).status, 0)
        let imported = try run(["history", "import", "--db", "h.db", "log.csv"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
    }

    /// A number is read as a scrub reads it outside an Excel export's column.
    func testANumberIsReadAsTheScrubReadsIt() throws {
        let result = try run(["explain", "--json", "701234567", "'0702222222"] + context)
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let numbers = try XCTUnwrap(summary["numbers"] as? [[String: Any]])
        XCTAssertEqual(numbers.map { $0["reason"] as? String }, ["invalid_number", "nix"])
        XCTAssertEqual(numbers[1]["e164"] as? String, "+46702222222")
    }

    func testEveryAttemptIsListedWithTheRuleWindowItFallsIn() throws {
        let result = try run(["explain", "--history", "h.db", "--json", "0702222222"] + context)
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(summary["command"] as? String, "explain")
        let object = try XCTUnwrap((summary["numbers"] as? [[String: Any]])?.first)
        XCTAssertEqual(object["reason"] as? String, "nix")
        let register = try XCTUnwrap(object["nix_register"] as? [String: Any])
        XCTAssertEqual(register["register_date"] as? String, "2026-11-01")
        XCTAssertEqual(register["listed"] as? Bool, true)
        let attempts = try XCTUnwrap(object["attempts"] as? [[String: Any]])
        XCTAssertEqual(attempts.map { $0["attempted_at"] as? String },
                       ["2025-06-01T10:00:00+02:00", "2026-06-01T10:00:00+02:00", "2026-06-01T10:00:00+02:00",
                        "2026-11-22T09:00:00+01:00", "2026-11-23T09:00:00+01:00", "2026-11-24T10:00:00+01:00"])
        XCTAssertEqual(attempts.map { "\($0["campaign"]!)/\($0["offer"]!)/\($0["contact_centre"]!)/\($0["outcome"]!)" },
                       ["c7/o1/k1/answered", "c8/o2/k1/answered", "c9/o1/k1/answered", "c1/o1/k2/busy",
                        "c1/o1/k1/no_answer", "c1/o1/k1/answered"])
        XCTAssertEqual(attempts.map { ($0["windows"] as? [String])?.joined(separator: ",") },
                       ["", "", "offer_quota", "quota_30d", "quota_30d,quota_daily,min_gap", ""])
        XCTAssertEqual(attempts.map { $0["not_counted"] as? String },
                       ["before the 365-day offer window", "another campaign with another offer", nil, nil, nil, "after the call date"])
        // The counts agree with the attempts listed.
        let history = try XCTUnwrap(object["history"] as? [String: Int])
        XCTAssertEqual(history["campaign_attempts_in_window"], 2)
        XCTAssertEqual(history["centre_attempts_on_call_date"], 1)
        XCTAssertEqual(history["other_campaigns_with_same_offer"], 1)

        let text = try run(["explain", "--history", "h.db", "0702222222"] + context)
        XCTAssertTrue(text.stdout.contains("  register     in the NIX register NIX-Telefon of 2026-11-01"), text.stdout)
        XCTAssertTrue(text.stdout.contains("    2026-11-23T09:00:00+01:00  c1  o1  k1  no_answer: quota_30d, quota_daily, min_gap"), text.stdout)
        XCTAssertTrue(text.stdout.contains("    2026-06-01T10:00:00+02:00  c8  o2  k1  answered: not counted: another campaign with another offer"), text.stdout)
    }

    func testSeveralNumbersAndAFileOfNumbersWithTheirExemptionFacts() throws {
        try write("numbers.txt", "# desk queue\n0703333333\n\n070-444 44 44\n")
        let result = try run(["explain", "--history", "h.db", "--json", "--numbers-file", "numbers.txt", "0705555555"] + context)
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let objects = try XCTUnwrap(summary["numbers"] as? [[String: Any]])
        XCTAssertEqual(objects.map { $0["e164"] as? String }, ["+46705555555", "+46703333333", "+46704444444"])
        XCTAssertEqual(objects.map { $0["nix_exemption"] as? String }, [nil, "customer", "consent"])
        let customer = try XCTUnwrap(objects[1]["customer"] as? [String: Any])
        XCTAssertEqual(customer["agreement_end"] as? String, "2025-12-01")
        XCTAssertEqual(customer["exempts"] as? Bool, true)
        let consent = try XCTUnwrap(objects[2]["consent"] as? [String: Any])
        XCTAssertEqual(consent["consent_date"] as? String, "2026-10-01")
        XCTAssertEqual((objects[0]["nix_register"] as? [String: Any])?["listed"] as? Bool, false)

        // The same number twice is judged the same twice: explain has no duplicate rule.
        let twice = try run(["explain", "--history", "h.db", "0703333333", "0703333333"] + context)
        XCTAssertEqual(twice.stdout.components(separatedBy: "verdict      CALLABLE").count, 3, twice.stdout)
        XCTAssertTrue(twice.stdout.contains("  customer     agreement ended 2025-12-01; exempts on the call date"), twice.stdout)
        // An end after the call date has not happened yet.
        let running = try run(["explain", "--history", "h.db", "0707777777"] + context)
        XCTAssertTrue(running.stdout.contains("  customer     agreement ends 2027-06-30; exempts on the call date"), running.stdout)
        let fromInput = try run(["explain", "--numbers-file", "-"] + context, stdin: Data("0702222222\n".utf8))
        XCTAssertEqual(fromInput.status, 0, fromInput.stderr)
        XCTAssertTrue(fromInput.stdout.contains("no contact history given"), fromInput.stdout)
        let none = try run(["explain"] + context)
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("--numbers-file"), none.stderr)
    }

    /// A log written in UTC without offsets, imported with --timezone UTC, moves the last
    /// attempt (and so `not_before`) by the hour between UTC and CET; read as Stockholm time
    /// it would not.
    func testATimezoneUTCLogShiftsNotBefore() throws {
        try write("utc.csv", "number,attempted_at,campaign,offer,contact_centre\n0706666666,2026-11-23 09:00,c1,o1,k1\n")
        XCTAssertEqual(try run(["history", "import", "--db", "utc.db", "--timezone", "UTC", "utc.csv"]).status, 0)
        XCTAssertEqual(try run(["history", "import", "--db", "local.db", "utc.csv"]).status, 0)
        let utc = try run(["explain", "--history", "utc.db", "0706666666"] + context)
        XCTAssertTrue(utc.stdout.contains("1 left on 2026-11-23, not before 2026-11-23T14:00:00+01:00"), utc.stdout)
        XCTAssertTrue(utc.stdout.contains("    2026-11-23T10:00:00+01:00  c1  o1  k1  -: quota_30d"), utc.stdout)
        let local = try run(["explain", "--history", "local.db", "0706666666"] + context)
        XCTAssertTrue(local.stdout.contains("1 left on 2026-11-23, not before 2026-11-23T13:00:00+01:00"), local.stdout)
    }
}
