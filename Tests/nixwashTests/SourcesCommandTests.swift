import Foundation
import XCTest

/// End to end: `sources` over three scrubs, against counts this test works out on its own from
/// the lists it wrote (the rules' precedence: invalid, duplicate, block, NIX, callable).
final class SourcesCommandTests: XCTestCase {
    private var w: Workspace!

    private static func number(_ i: Int) -> String { String(format: "0701%06d", i) }
    private static func inNix(_ i: Int) -> Bool { i % 7 == 0 }
    private static func blocked(_ i: Int) -> Bool { i % 11 == 0 }

    /// One run's delivery: rows of (source, number index or nil for an invalid number).
    private static func delivery(_ r: Int) -> [(String, Int?)] {
        var rows: [(String, Int?)] = []
        for i in (r * 30)..<(r * 30 + 50) { rows.append(("V1", i)) }
        for _ in 0...r { rows.append(("V1", nil)) }
        rows.append(("V1", r * 30))
        rows.append(("V1", r * 30 + 1))
        for i in (1000 + r * 10)..<(1000 + r * 10 + 20) { rows.append(("V2", i)) }
        rows.append(("V2", r * 30 + 2))  // a number V1 delivered earlier in the same run
        return rows
    }

    private struct Expected: Equatable, CustomStringConvertible {
        var rows = 0, nix = 0, blocked = 0, invalid = 0, duplicateInRun = 0, duplicateEarlier = 0, callable = 0
        var description: String { "rows \(rows) nix \(nix) blocked \(blocked) invalid \(invalid) dup \(duplicateInRun) earlier \(duplicateEarlier) callable \(callable)" }
    }

    /// Runs in call-date order.
    private static func expected() -> [[String: Expected]] {
        var deliveredBefore: [String: Set<Int>] = [:]
        var out: [[String: Expected]] = []
        for r in 0..<3 {
            var seen = Set<Int>()
            var counts: [String: Expected] = [:]
            var deliveredNow: [String: Set<Int>] = [:]
            for (source, index) in delivery(r) {
                var e = counts[source] ?? Expected()
                e.rows += 1
                if let i = index {
                    deliveredNow[source, default: []].insert(i)
                    if seen.contains(i) { e.duplicateInRun += 1 }
                    else if blocked(i) { e.blocked += 1 }
                    else if inNix(i) { e.nix += 1 }
                    else { e.callable += 1 }
                    seen.insert(i)
                } else {
                    e.invalid += 1
                }
                counts[source] = e
            }
            for (source, numbers) in deliveredNow {
                counts[source]!.duplicateEarlier = numbers.intersection(deliveredBefore[source] ?? []).count
                deliveredBefore[source, default: []].formUnion(numbers)
            }
            out.append(counts)
        }
        return out
    }

    override func setUpWithError() throws {
        w = try Workspace(self)
        let all = (0..<3).flatMap { Self.delivery($0).compactMap(\.1) }
        try w.write("register.txt", Set(all.filter(Self.inNix)).sorted().map(Self.number).joined(separator: "\n") + "\n")
        try w.write("block.csv", "nummer\n" + Set(all.filter(Self.blocked)).sorted().map(Self.number).joined(separator: "\n") + "\n")
        try w.run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01", "--out", "nix.idx", "register.txt"])
        try w.run(["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block.csv"])
        // Folder names out of date order: the report sorts by call date.
        for (r, (folder, date)) in [("run-c", "2026-11-23"), ("run-a", "2026-11-24"), ("run-b", "2026-11-25")].enumerated() {
            let rows = Self.delivery(r).map { "\($0.0);\($0.1.map(Self.number) ?? "070-12")" }
            try w.write("leads-\(r).csv", "källa;telefon\n" + rows.joined(separator: "\n") + "\n")
            try w.run(["scrub", "--call-date", date, "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                       "--nix", "nix.idx", "--block", "block.idx", "--out", folder, "leads-\(r).csv"])
        }
    }

    func testCountsAcrossThreeRunsMatchAnIndependentCount() throws {
        let result = try w.run(["sources", "--out", "sources", "run-a", "run-b/", "run-c"])
        XCTAssertTrue(result.stdout.contains("2 sources over 3 runs"), result.stdout)
        let expected = Self.expected()
        let rows = try w.rows("sources/sources.csv")
        XCTAssertEqual(rows.count, 6)
        XCTAssertEqual(try w.header("sources/sources.csv"), ["source", "run", "call_date", "rows", "numbers", "nix", "nix_share", "blocked", "blocked_share",
                                                             "invalid", "invalid_share", "duplicate_in_run", "duplicate_in_run_share", "duplicate_earlier",
                                                             "duplicate_earlier_share", "callable", "callable_share", "other_rejected"])
        for source in ["V1", "V2"] {
            let mine = rows.filter { $0["source"] == source }
            XCTAssertEqual(mine.map { $0["call_date"]! }, ["2026-11-23", "2026-11-24", "2026-11-25"])
            XCTAssertEqual(mine.map { $0["run"]! }, ["run-c", "run-a", "run-b"])
            for (r, row) in mine.enumerated() {
                let e = expected[r][source]!
                let found = Expected(rows: Int(row["rows"]!)!, nix: Int(row["nix"]!)!, blocked: Int(row["blocked"]!)!,
                                     invalid: Int(row["invalid"]!)!, duplicateInRun: Int(row["duplicate_in_run"]!)!,
                                     duplicateEarlier: Int(row["duplicate_earlier"]!)!, callable: Int(row["callable"]!)!)
                XCTAssertEqual(found, e, "\(source) run \(r)")
                XCTAssertEqual(row["numbers"], String(e.rows))
                XCTAssertEqual(row["other_rejected"], "0")
                XCTAssertEqual(Double(row["nix_share"]!)!, Double(e.nix) / Double(e.rows), accuracy: 0.00005)
                XCTAssertEqual(Double(row["duplicate_earlier_share"]!)!, Double(e.duplicateEarlier) / Double(e.rows), accuracy: 0.00005)
            }
        }
        // The test's own count is not trivial: each measure is non-zero somewhere.
        XCTAssertGreaterThan(expected[1]["V1"]!.duplicateEarlier, 0)
        XCTAssertGreaterThan(expected[2]["V1"]!.nix + expected[2]["V1"]!.blocked, 0)

        let json = try w.json("sources/sources.json")
        XCTAssertEqual((json["runs"] as! [[String: Any]]).map { $0["folder"] as! String }, ["run-c", "run-a", "run-b"])
        let v2 = (json["sources"] as! [String: [[String: Any]]])["V2"]!
        XCTAssertEqual(v2.map { $0["duplicate_in_run"] as! Int }, expected.map { $0["V2"]!.duplicateInRun })
        let html = try String(contentsOf: w.url("sources/sources.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<svg class=\"trend\"").count - 1, 2, "one trend chart per source")
        XCTAssertEqual(html.components(separatedBy: "<polyline").count - 1, 12)
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "the page must not load anything")
    }

    /// Fields the run repaired or split count as the run counted them, in every phone column.
    func testRepairedAndSplitFieldsAndRepeatedColumnsCountAsTheRunCountedThem() throws {
        try w.write("excel.csv", #"källa;telefon;telefon\#nX;"=""0706000001""";0706000002 / 0706000003\#nX;'0706000004;\#n"#)
        // The same delivery twice: every number of the second was delivered before.
        for (folder, date) in [("run-x1", "2026-11-24"), ("run-x2", "2026-11-25")] {
            try w.run(["scrub", "--call-date", date, "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                       "--nix", "nix.idx", "--block", "block.idx", "--out", folder, "excel.csv"])
        }
        try w.run(["sources", "--out", "sources-x", "run-x1", "run-x2"])
        let x = try w.rows("sources-x/sources.csv").filter { $0["source"] == "X" }
        XCTAssertEqual(x.map { $0["numbers"] }, ["4", "4"])
        XCTAssertEqual(x.map { $0["duplicate_earlier"] }, ["0", "4"])
    }

    /// A run of an older nixwash has a report without the keys added since; it is still read.
    func testAReportWithoutTheNewerKeysIsStillRead() throws {
        let url = w.url("run-a/report.json")
        var report = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        report["output_encodings"] = nil
        report["max_malformed_share"] = nil
        report["inputs"] = (report["inputs"] as! [[String: Any]]).map { input in
            input.filter { !["phone_columns_by_content", "not_phone_columns", "malformed_rows"].contains($0.key) }
        }
        try JSONSerialization.data(withJSONObject: report).write(to: url)
        let result = try w.run(["sources", "--out", "sources", "run-a", "run-b"])
        XCTAssertTrue(result.stdout.contains("2 sources over 2 runs"), result.stdout)
    }

    func testTheSameRunTwiceAndARecheckAreRefused() throws {
        let twice = try w.run(["sources", "--out", "sources", "run-a", "./run-a/"], expect: 64)
        XCTAssertTrue(twice.stderr.contains("./run-a/: is given twice"), twice.stderr)
        try w.run(["recheck", "--call-date", "2026-11-24", "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                   "--nix", "nix.idx", "--out", "recheck", "run-c"])
        let recheck = try w.run(["sources", "--out", "sources", "run-a", "recheck"], expect: 64)
        XCTAssertTrue(recheck.stderr.contains("recheck: is a recheck's folder"), recheck.stderr)
        XCTAssertFalse(w.exists("sources"))
    }
}
