import Foundation
import XCTest

/// `--json` and `-q` on every subcommand that has them, and report.json: checked against the
/// JSON schemas in docs/schemas/ and against the key tables of docs/report-json.md and
/// docs/json-output.md by scripts/check-json.py (Python jsonschema, from scripts/install-deps).
final class JSONOutputTests: XCTestCase {
    private func sampleFolder() throws -> URL {
        let folder = try temporaryFolder(self)
        for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("SampleData").path) {
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("SampleData/\(name)"),
                                             to: folder.appendingPathComponent(name))
        }
        return folder
    }

    private func check(_ mode: String, _ reference: String, _ files: [URL], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["python3", repositoryRoot.appendingPathComponent("scripts/check-json.py").path, mode,
                                     repositoryRoot.appendingPathComponent(reference).path] + files.map(\.path))
        XCTAssertEqual(result.status, 0, "check-json.py \(mode) \(reference):\n\(result.stderr)", file: file, line: line)
    }

    func testEverySummaryAndTheReportMatchTheirSchemasAndDocs() throws {
        let folder = try sampleFolder()
        try "0701234567\n".write(to: folder.appendingPathComponent("added.txt"), atomically: true, encoding: .utf8)
        try Data("not an index".utf8).write(to: folder.appendingPathComponent("broken.idx"))
        let runs: [(name: String, arguments: [String], status: Int32)] = [
            ("inspect", ["inspect", "leads-vendor-a.csv.gz", "leads-vendor-b.csv"], 0),
            ("build-nix", ["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01",
                           "--out", "nix.idx", "nix-register.txt.gz"], 0),
            ("build-block", ["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block-list.csv"], 0),
            ("rebuild-block", ["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block-list.csv"], 0),
            ("update", ["index", "update", "nix.idx", "--add", "added.txt", "--out", "nix-2.idx"], 0),
            ("info", ["index", "info", "nix.idx", "block.idx"], 0),
            ("verify", ["index", "verify", "nix.idx"], 0),
            ("verify-broken", ["index", "verify", "nix.idx", "broken.idx"], 1),
            ("import", ["history", "import", "--db", "history.db", "history.csv.gz"], 0),
            ("scrub", ["scrub", "--config", "campaign.json", "--out", "vinter"], 0),
            ("scrub-christmas", ["scrub", "--config", "campaign.json", "--call-date", "2026-12-24", "--out", "jul"], 3),
            ("scrub-usage", ["scrub", "--config", "campaign.json", "--compression-level", "12"], 64),
            ("scrub-missing", ["scrub", "--out", "x", "leads-vendor-b.csv"], 64),
            ("stats", ["history", "stats", "--db", "history.db"], 0),
            ("explain", ["explain", "--config", "campaign.json", "070-123 45 67", "+46 8 123 456 78"], 0),
            ("recheck", ["recheck", "--config", "campaign.json", "--out", "vinter-recheck", "vinter"], 0),
            ("sources", ["sources", "--out", "sources", "vinter"], 0),
            ("audit", ["audit", "verify", "vinter"], 0),
            ("audit-changed", ["audit", "verify", "vinter-recheck-changed"], 1),
            ("purge", ["history", "purge", "--db", "history.db", "--before", "2020-01-01"], 0),
        ]
        var summaries: [URL] = []
        for run in runs {
            if run.name == "audit-changed" {
                try FileManager.default.copyItem(at: folder.appendingPathComponent("vinter-recheck"),
                                                 to: folder.appendingPathComponent("vinter-recheck-changed"))
                try Data("changed".utf8).write(to: folder.appendingPathComponent("vinter-recheck-changed/pull.csv.gz"))
            }
            let result = try runNixwash(run.arguments + ["--json"], in: folder)
            XCTAssertEqual(result.status, run.status, "\(run.name): \(result.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            XCTAssertEqual(object?["exit_code"] as? Int, Int(run.status), "\(run.name): standard output is not one summary: \(result.stdout)")
            let command = ["index", "history", "audit"].contains(run.arguments[0]) ? run.arguments.prefix(2).joined(separator: " ") : run.arguments[0]
            XCTAssertEqual(object?["command"] as? String, command, run.name)
            let url = folder.appendingPathComponent("summary-\(run.name).json")
            try Data(result.stdout.utf8).write(to: url)
            summaries.append(url)
        }
        try check("schema", "docs/schemas/summary.schema.json", summaries)
        try check("documented", "docs/json-output.md", summaries)
        let report = folder.appendingPathComponent("vinter/report.json")
        try check("schema", "docs/schemas/report.schema.json", [report])
        try check("documented", "docs/report-json.md", [report])
    }

    /// The checks themselves fail on what they exist to catch.
    func testTheChecksRejectACountWrittenAsAStringAndAnUndocumentedKey() throws {
        let folder = try sampleFolder()
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "N", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "nix-register.txt.gz"], in: folder).status, 0)
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "block", "--label", "B", "--out", "block.idx", "block-list.csv"], in: folder).status, 0)
        XCTAssertEqual(try runNixwash(["history", "import", "--db", "history.db", "history.csv.gz"], in: folder).status, 0)
        XCTAssertEqual(try runNixwash(["scrub", "-q", "--config", "campaign.json", "--out", "w"], in: folder).status, 0)
        var report = try reportJSON(folder.appendingPathComponent("w"))
        var totals = try XCTUnwrap(report["totals"] as? [String: Any])
        totals["rows_in"] = "3000"
        report["totals"] = totals
        report["undocumented_key"] = 1
        let bad = folder.appendingPathComponent("bad.json")
        try JSONSerialization.data(withJSONObject: report).write(to: bad)
        for (mode, reference) in [("schema", "docs/schemas/report.schema.json"), ("documented", "docs/report-json.md")] {
            let result = try runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                                        ["python3", repositoryRoot.appendingPathComponent("scripts/check-json.py").path, mode,
                                         repositoryRoot.appendingPathComponent(reference).path, bad.path])
            XCTAssertEqual(result.status, 1, "\(mode): \(result.stderr)")
        }
    }

    func testQuietCommandsWriteNothingButErrors() throws {
        let folder = try sampleFolder()
        let runs = [
            ["index", "build", "-q", "--kind", "nix", "--label", "N", "--register-date", "2026-11-01", "--out", "nix.idx", "nix-register.txt.gz"],
            ["index", "build", "-q", "--kind", "block", "--label", "B", "--out", "block.idx", "block-list.csv"],
            ["index", "update", "-q", "nix.idx", "--remove", "block-list.csv"],
            ["index", "verify", "-q", "nix.idx"],
            ["history", "import", "-q", "--db", "history.db", "history.csv.gz"],
            ["scrub", "-q", "--config", "campaign.json", "--out", "vinter"],
            ["history", "stats", "-q", "--db", "history.db"],
            ["explain", "-q", "--config", "campaign.json", "070-123 45 67"],
            ["recheck", "-q", "--config", "campaign.json", "--out", "vinter-recheck", "vinter"],
            ["sources", "-q", "--out", "sources", "vinter"],
            ["audit", "verify", "-q", "vinter"],
            ["history", "purge", "-q", "--db", "history.db", "--before", "2020-01-01"],
        ]
        for arguments in runs {
            let result = try runNixwash(arguments, in: folder)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout + result.stderr, "", "\(arguments) was not quiet")
        }
        let failing = try runNixwash(["scrub", "-q", "--config", "campaign.json", "--out", "vinter"], in: folder)
        XCTAssertEqual(failing.status, 64)
        XCTAssertEqual(failing.stderr, "nixwash: vinter: already exists. Choose another output folder or remove it first.\n")
    }
}
