import Foundation
import XCTest

final class InspectCommandTests: XCTestCase {
    func testInspectTextAndJSONOnAGzippedList() throws {
        let folder = try temporaryFolder(self)
        let csv = "Namn;Mobil;Källa\nAnna;070-123 45 67;Leadbolaget\nBo;0701234568;Leadbolaget\n"
        try Data(csv.utf8).write(to: folder.appendingPathComponent("leads.csv"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [folder.appendingPathComponent("leads.csv").path]
        try gzip.run()
        gzip.waitUntilExit()

        let text = try runNixwash(["inspect", "leads.csv.gz"], in: folder)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("compression  gzip"), text.stdout)
        XCTAssertTrue(text.stdout.contains("2 data rows"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Mobil"), text.stdout)

        let json = try runNixwash(["inspect", "--json", "leads.csv.gz"], in: folder)
        XCTAssertEqual(json.status, 0, json.stderr)
        let reports = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any])["files"] as! [[String: Any]]
        XCTAssertEqual(reports.first?["rows"] as? Int, 2)
        XCTAssertEqual(reports.first?["delimiter"] as? String, ";")
        let roles = (reports.first?["columns"] as! [[String: Any]]).map { $0["role"] as! String }
        XCTAssertEqual(roles, ["other", "phone", "source"])
    }

    /// The options a scrub needs are named as scrub's flags, in the text and in the JSON alike.
    func testTheSuggestedScrubOptionsAreSpelledAsFlags() throws {
        let folder = try temporaryFolder(self)
        try Data("id;mobil;anteckning\n1;0701234567;ring 0701234570\n2;0701234568;\n".utf8)
            .write(to: folder.appendingPathComponent("vendor export.csv"))
        let suggested = ["--phone-column mobil", "--phone-column anteckning", "--source 'vendor export'"]
        let text = try runNixwash(["inspect", "vendor export.csv"], in: folder)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("\n  scrub with   \(suggested.joined(separator: " "))\n"), text.stdout)
        let json = try runNixwash(["inspect", "--json", "vendor export.csv"], in: folder)
        XCTAssertEqual(json.status, 0, json.stderr)
        let reports = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any])["files"] as! [[String: Any]]
        XCTAssertEqual(reports.first?["suggested_scrub_options"] as? [String], suggested)
        XCTAssertNil(reports.first?["suggested_scrub_settings"])
    }

    func testInspectReadsStandardInput() throws {
        let result = try runNixwash(["inspect", "-"], stdin: Data("tel\n0701234567\n".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("1 data rows"), result.stdout)
    }

    func testBadInputsExitOneWithTheFileAndPosition() throws {
        let folder = try temporaryFolder(self)
        let cases: [(String, [UInt8], String)] = [
            ("empty.csv", [], "empty.csv: the file is empty"),
            ("garbage.csv", [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03] + [UInt8](repeating: 0xFF, count: 64), "garbage.csv: corrupt gzip data at byte"),
            ("binary.csv", Array("tel\n070".utf8) + [0, 1, 2], "binary.csv: byte 7 is a NUL byte"),
            ("quote.csv", Array("tel,namn\n0701,\"Anna\n0702,Bo\n".utf8), "quote.csv:2: a quoted field opened on line 2"),
        ]
        for (name, content, message) in cases {
            try Data(content).write(to: folder.appendingPathComponent(name))
            let result = try runNixwash(["inspect", name], in: folder)
            XCTAssertEqual(result.status, 1, name)
            XCTAssertTrue(result.stderr.contains(message), "\(name): \(result.stderr)")
        }
        let missing = try runNixwash(["inspect", "nope.csv"], in: folder)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope.csv: cannot open"), missing.stderr)
        let badOption = try runNixwash(["inspect", "--delimiter", "x", "nope.csv"], in: folder)
        XCTAssertEqual(badOption.status, 64)
    }
}
