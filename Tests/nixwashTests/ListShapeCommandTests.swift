import Foundation
import NixWashKit
import XCTest

/// End to end, issue 13 section 2: registers, block lists, customer and consent lists in the
/// shapes vendors deliver them; no line is dropped in silence and no number of theirs comes
/// out callable.
final class ListShapeCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try write("leads.csv", "namn;telefon;källa\nAnna;0701329315;V1\nBo;0702222222;V1\nCia;070-12;V1\nDan;0703333333;V1\n")
    }

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    private func run(_ arguments: [String]) throws -> RunResult { try runNixwash(arguments, in: folder) }

    private func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
    }

    private func buildNix(_ files: [String], _ extra: [String] = [], out: String = "nix.idx") throws -> RunResult {
        try run(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01", "--out", out] + extra + files)
    }

    private func info(_ index: String) throws -> [String: Any] {
        let result = try run(["index", "info", "--json", index])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        return (summary["indexes"] as! [[String: Any]])[0]
    }

    private func scrub(_ extra: [String] = [], nix: String = "nix.idx") throws -> RunResult {
        try run(["scrub", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1", "--contact-centre", "k1",
                 "--nix", nix, "--out", "out", "--replace", "-q"] + extra + ["leads.csv"])
    }

    /// The callable numbers (e164) and each rejected raw number's reason.
    private func outcome() throws -> (callable: Set<String>, rejected: [String: String]) {
        func rows(_ name: String) throws -> (header: [String], rows: [[String]]) {
            let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent("out/\(name)").path),
                                       options: CSVOptions(requireDataRows: false))
            var rows: [[String]] = []
            while let record = try reader.next() { rows.append((0..<record.count).map { record.string($0) }) }
            return (reader.header, rows)
        }
        let callable = try rows("callable.csv.gz")
        let rejects = try rows("rejects.csv.gz")
        let e164 = callable.header.firstIndex(of: "e164")!
        let raw = rejects.header.firstIndex(of: "raw_number")!, reason = rejects.header.firstIndex(of: "reason")!
        return (Set(callable.rows.map { $0[e164] }),
                Dictionary(rejects.rows.map { ($0[raw], $0[reason]) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The shape of issue 13: a single `number;date` line was dropped and its number came out
    /// callable; 200 of them gave an extra index entry per distinct date.
    func testANumberAndADateIndexesThatNumberAndItIsNotCallable() throws {
        try write("one.txt", "46701329315;2026-10-01\n")
        let built = try buildNix(["one.txt"])
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertEqual(try info("nix.idx")["entries"] as? Int, 1)
        let washed = try scrub(["--source", "S"])
        XCTAssertEqual(washed.status, 0, washed.stderr)
        let result = try outcome()
        XCTAssertFalse(result.callable.contains("+46701329315"))
        XCTAssertEqual(result.rejected["0701329315"], "nix")

        var text = ""
        for i in 0..<200 { text += "467013\(String(format: "%05d", i));2026-\(String(format: "%02d", i % 12 + 1))-\(String(format: "%02d", i % 28 + 1))\n" }
        try write("long.txt", text)
        XCTAssertEqual(try buildNix(["long.txt"], out: "long.idx").status, 0)
        XCTAssertEqual(try info("long.idx")["entries"] as? Int, 200)

        for (name, line) in [("pipe.txt", "46701329315|A-17|2026-10-01\n"), ("tab.txt", "46701329315\t2026-10-01\n"),
                             ("comma.txt", "46701329315,2026-10-01\n")] {
            try write(name, line)
            XCTAssertEqual(try buildNix([name], out: "x.idx").status, 0, name)
            XCTAssertEqual(try info("x.idx")["entries"] as? Int, 1, name)
        }
    }

    func testAHeaderIsFoundByNameOrNamedWithNumberColumn() throws {
        try write("block.csv", "Kund-id;Mobilnummer;Spärrad\n17;070-222 22 22;2026-01-01\n")
        let found = try run(["index", "build", "--kind", "block", "--label", "B", "--out", "block.idx", "block.csv"])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertTrue(found.stderr.contains("from column 'Mobilnummer'"), found.stderr)

        try write("odd.csv", "Kund-id;Abonnent;Spärrad\n17;070-222 22 22;2026-01-01\n")
        let unnamed = try run(["index", "build", "--kind", "block", "--label", "B", "--out", "odd.idx", "odd.csv"])
        XCTAssertEqual(unnamed.status, 64)
        XCTAssertTrue(unnamed.stderr.contains("Name the column with --number-column"), unnamed.stderr)
        XCTAssertFalse(exists("odd.idx"))
        let named = try run(["index", "build", "--kind", "block", "--label", "B", "--number-column", "abonnent",
                             "--out", "odd.idx", "odd.csv"])
        XCTAssertEqual(named.status, 0, named.stderr)
        try write("nix.txt", "0709999999\n")
        XCTAssertEqual(try buildNix(["nix.txt"]).status, 0)
        let washed = try scrub(["--source", "S", "--block", "odd.idx"])
        XCTAssertEqual(washed.status, 0, washed.stderr)
        XCTAssertEqual(try outcome().rejected["0702222222"], "company_block")
    }

    func testOneUnreadableLineFailsTheBuildUnlessLetThroughIntoTheRejects() throws {
        try write("nix.txt", "0701329315\n0702222222\nhej\n0703333333\n")
        let failed = try buildNix(["nix.txt"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("nix.txt:3: column 'field 1': 'hej' is not a phone number (letters)"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("--max-invalid-lines N --rejects FILE"), failed.stderr)
        XCTAssertFalse(failed.stderr.contains("--max-invalid-share"), failed.stderr)
        XCTAssertFalse(exists("nix.idx"))

        let noRejects = try buildNix(["nix.txt"], ["--max-invalid-lines", "1"])
        XCTAssertEqual(noRejects.status, 64)
        XCTAssertTrue(noRejects.stderr.contains("--max-invalid-lines needs --rejects FILE"), noRejects.stderr)

        let allowed = try buildNix(["nix.txt"], ["--max-invalid-lines", "1", "--rejects", "nix-rejects.csv"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        let rejects = try String(contentsOf: folder.appendingPathComponent("nix-rejects.csv"), encoding: .utf8)
        XCTAssertEqual(rejects, "file,line,column,value,reason\nnix.txt,3,field 1,hej,letters\n")
        let sources = try info("nix.idx")["sources"] as! [[String: Any]]
        XCTAssertEqual(sources[0]["invalid_lines"] as? Int, 1)
        XCTAssertEqual(sources[0]["numbers"] as? Int, 3)
        let text = try run(["index", "info", "nix.idx"])
        XCTAssertTrue(text.stdout.contains("1 unreadable lines let through"), text.stdout)

        // The allowance counts over all the files of the build.
        try write("more.txt", "0704444444\n07x\n")
        let over = try buildNix(["nix.txt", "more.txt"], ["--max-invalid-lines", "1", "--rejects", "r2.csv"], out: "two.idx")
        XCTAssertEqual(over.status, 1)
        XCTAssertTrue(over.stderr.contains("more.txt:2: column 'field 1': '07x'"), over.stderr)
        XCTAssertTrue(over.stderr.contains("one more unreadable line than the 1"), over.stderr)
        XCTAssertFalse(exists("two.idx"))
        XCTAssertFalse(exists("r2.csv"))
    }

    func testIndexUpdateFollowsTheSameRules() throws {
        try write("nix.txt", "0701329315\n")
        XCTAssertEqual(try buildNix(["nix.txt"]).status, 0)
        let before = try Data(contentsOf: folder.appendingPathComponent("nix.idx"))
        try write("delta.txt", "46702222222;2026-11-15\n0703333333;x\nfel;2026-11-15\n")
        let failed = try run(["index", "update", "nix.idx", "--add", "delta.txt"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("delta.txt:3: column 'field 1': 'fel' is not a phone number"), failed.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("nix.idx")), before)

        let updated = try run(["index", "update", "nix.idx", "--add", "delta.txt", "--max-invalid-lines", "1",
                               "--rejects", "delta-rejects.csv"])
        XCTAssertEqual(updated.status, 0, updated.stderr)
        XCTAssertEqual(try info("nix.idx")["entries"] as? Int, 3)
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("delta-rejects.csv"), encoding: .utf8)
            .contains("delta.txt,3,field 1,fel,letters"))
    }

    /// A register number no plan places (too short) is kept, and the lead that writes the same
    /// number never reaches the dialer.
    func testAnUnplaceableRegisterNumberIsKeptAndTheSameLeadIsNotCallable() throws {
        try write("nix.txt", "0701329315\n070-12\n")
        let built = try buildNix(["nix.txt"])
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertTrue(built.stderr.contains("1 of them kept under their written digits"), built.stderr)
        XCTAssertEqual(try info("nix.idx")["entries"] as? Int, 2)
        let washed = try scrub(["--source", "S"])
        XCTAssertEqual(washed.status, 0, washed.stderr)
        let result = try outcome()
        XCTAssertEqual(result.callable, ["+46702222222", "+46703333333"])
        // Never callable; the lead side does not yet look the written digits up, so the
        // reason it gives is invalid_number rather than nix.
        XCTAssertEqual(result.rejected["070-12"], "invalid_number")
    }

    func testCustomerAndConsentListsFailOnAnUnreadableLineAndTakeNamedColumns() throws {
        try write("nix.txt", "0701329315\n0702222222\n")
        XCTAssertEqual(try buildNix(["nix.txt"]).status, 0)
        try write("kunder.csv", "Kundnr;Abonnent;Avslutas\n1;070-132 93 15;\n2;07x;2026-01-01\n")
        let bad = try scrub(["--source", "S", "--customers", "kunder.csv", "--customer-number-column", "Abonnent",
                             "--agreement-end-column", "Avslutas"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("kunder.csv:3: column 'Abonnent': '07x' is not a phone number (letters)"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--customer-number-column"), bad.stderr)
        XCTAssertFalse(exists("out"))

        try write("kunder.csv", "Kundnr;Abonnent;Avslutas\n1;070-132 93 15;\n")
        let unnamed = try scrub(["--source", "S", "--customers", "kunder.csv"])
        XCTAssertEqual(unnamed.status, 64)
        XCTAssertTrue(unnamed.stderr.contains("Name the column with --customer-number-column"), unnamed.stderr)
        let named = try scrub(["--source", "S", "--customers", "kunder.csv", "--customer-number-column", "Abonnent",
                               "--agreement-end-column", "Avslutas"])
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertTrue(try outcome().callable.contains("+46701329315"))

        // The same through the campaign file, with a consent list whose date column is named.
        try write("samtycke.csv", "Mobil;Godkänt\n0702222222;2026-10-01T10:00:00+02:00\n")
        try write("campaign.json", """
            {"customers": "kunder.csv", "customer_number_column": "Abonnent", "agreement_end_column": "Avslutas",
             "consents": "samtycke.csv", "consent_date_column": "Godkänt"}
            """)
        let configured = try scrub(["--source", "S", "--config", "campaign.json"])
        XCTAssertEqual(configured.status, 0, configured.stderr)
        XCTAssertEqual(try outcome().callable, ["+46701329315", "+46702222222", "+46703333333"])

        try write("samtycke.csv", "Mobil;Godkänt\n0702222222;\n")
        let noDate = try scrub(["--source", "S", "--config", "campaign.json"])
        XCTAssertEqual(noDate.status, 1)
        XCTAssertTrue(noDate.stderr.contains("samtycke.csv:2: column 'Godkänt': no consent date"), noDate.stderr)
        XCTAssertTrue(noDate.stderr.contains("--consent-date-column"), noDate.stderr)
    }
}
