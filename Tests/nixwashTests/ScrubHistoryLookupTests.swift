import Foundation
import XCTest

/// A small run reads each number's history alone, a large one the rules' ranges whole: the
/// same list gets the same verdicts either way.
final class ScrubHistoryLookupTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
    }

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func testASmallListGetsTheSameVerdictsReadPerNumberAsReadByRanges() throws {
        // 1,500 leads; attempts on many of them by this campaign (today, and in the 30 days)
        // and by three other campaigns with the offer, and one with another offer.
        try writeLeadList(folder.appendingPathComponent("leads.csv"), rows: 1_500)
        var log = "number,attempted_at,campaign,offer,contact_centre\n"
        for i in 0..<1_500 {
            let number = "070\(1_000_000 + i)"
            if i % 3 == 0 { log += "\(number),2026-11-23 09:\(10 + i % 40):00,c,o,k1\n" }
            if i % 5 == 0 { log += "\(number),2026-11-23 11:00:00,c,o,k1\n" }
            if i % 4 == 0 { log += "\(number),2026-11-\(10 + i % 12) 10:00:00,c,o,k2\n" }
            for (other, every) in [("d", 2), ("e", 3), ("f", 7)] where i % every == 0 {
                log += "\(number),2026-0\(1 + i % 9)-15 12:00:00,\(other),o,k3\n"
            }
            if i % 6 == 0 { log += "\(number),2026-10-01 12:00:00,g,other-offer,k3\n" }
        }
        try write("log.csv", log)
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "h.db", "log.csv"], in: folder).status, 0)
        try write("register.txt", "0701000007\n0701000011\n")
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "register.txt"], in: folder).status, 0)
        // Another shape (a column more), numbers no lead has: it only makes the run large.
        var filler = "namn;telefon;källa;extra\n"
        for i in 0..<21_000 { filler += "f\(i);073-\(1_000_000 + i);F;x\n" }
        try write("filler.csv", filler)

        func scrub(_ out: String, _ files: [String]) throws -> [String: Any] {
            let result = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o",
                                         "--contact-centre", "k1", "--nix", "nix.idx", "--history", "h.db",
                                         "--out", out] + files, in: folder)
            XCTAssertEqual(result.status, 0, result.stderr)
            return try reportJSON(folder.appendingPathComponent(out))
        }
        let small = try scrub("small", ["leads.csv"])
        let large = try scrub("large", ["leads.csv", "filler.csv"])
        XCTAssertEqual((small["history"] as? [String: Any])?["lookup"] as? String, "per_number")
        XCTAssertEqual((large["history"] as? [String: Any])?["lookup"] as? String, "ranges")
        for name in ["callable.csv.gz", "rejects.csv.gz"] {
            let a = try runProgram(URL(fileURLWithPath: "/bin/gzip"), ["-dc", "small/\(name)"], in: folder).stdout
            let b = try runProgram(URL(fileURLWithPath: "/bin/gzip"), ["-dc", "large/\(name)"], in: folder).stdout
            XCTAssertEqual(a, b, name)
        }
        // The daily and offer quotas and NIX fired, so the comparison covered them.
        let reasons = try XCTUnwrap((small["totals"] as? [String: Any])?["rejected_by_reason"] as? [String: Int])
        for reason in ["quota_daily", "offer_quota", "nix"] {
            XCTAssertGreaterThan(reasons[reason] ?? 0, 0, reason)
        }
    }
}
