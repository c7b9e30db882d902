import Foundation
import XCTest

/// README.md's walkthrough, run as written in a temporary folder with the built binary first
/// on `PATH`, so the first thing a new user types works.
final class ReadmeWalkthroughTests: XCTestCase {
    /// The first `sh` block under the heading, as written.
    static func codeBlock(under heading: String) throws -> String {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.range(of: "\n" + heading + "\n"), "README.md has no heading '\(heading)'")
        let rest = readme[section.upperBound...]
        let open = try XCTUnwrap(rest.range(of: "```sh\n"))
        let close = try XCTUnwrap(rest[open.upperBound...].range(of: "\n```"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    func testTheWalkthroughRunsAsWritten() throws {
        let folder = try temporaryFolder(self)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("SampleData"),
                                         to: folder.appendingPathComponent("SampleData"))
        let script = try Self.codeBlock(under: "## A wash, step by step")
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = pathWithNixwash()
        let result = try runProgram(URL(fileURLWithPath: "/bin/bash"), ["-e", "-u", "-o", "pipefail", "-c", script],
                                    in: folder, environment: environment)
        XCTAssertEqual(result.status, 0, "the walkthrough failed:\n\(result.stderr)")

        let outputs = folder.appendingPathComponent("wash/vinter")
        let report = try reportJSON(outputs)
        XCTAssertEqual((report["accounting"] as? [String: Any])?["balanced"] as? Bool, true)
        let totals = try XCTUnwrap(report["totals"] as? [String: Any])
        XCTAssertEqual(totals["rows_in"] as? Int, 3000)
        XCTAssertGreaterThan(totals["numbers_callable"] as? Int ?? 0, 0)
        XCTAssertGreaterThan((totals["rejected_by_reason"] as? [String: Int])?["nix"] ?? 0, 0, "the NIX index was not used")
        XCTAssertGreaterThan((totals["rejected_by_reason"] as? [String: Int])?["company_block"] ?? 0, 0, "the block index was not used")
        XCTAssertNotNil(report["history"], "the contact history was not used")
        for name in ["callable.csv.gz", "rejects.csv.gz", "callable-2.csv.gz", "rejects-2.csv.gz", "report.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: outputs.appendingPathComponent(name).path), name)
        }
        let html = try String(contentsOf: outputs.appendingPathComponent("report.html"), encoding: .utf8)
        for text in ["<b>callable-2.csv.gz + rejects-2.csv.gz</b>", "leads-vendor-b.csv", "In the NIX-Telefon register <code>nix</code>",
                     "<b>Primary</b> counts each rejected number once", ">NIX register</td><td data-label=\"label\">NIX-Telefon</td><td data-label=\"register date\">2026-11-01</td>",
                     "Customer list (NIX customer exemption)", "Contact history", "Run started 20"] {
            XCTAssertTrue(html.contains(text), "report.html lacks \(text)")
        }
        XCTAssertTrue(result.stdout.contains("compression  gzip"), result.stdout)
        XCTAssertTrue(result.stdout.contains("verdict      CALLABLE"), result.stdout)
    }

    func testAMissingOutputParentIsNamedAsGiven() throws {
        let folder = try temporaryFolder(self)
        try "telefon,källa\n0701234567,V\n".write(to: folder.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
        try "0709999999\n".write(to: folder.appendingPathComponent("nix.txt"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "nix.txt"], in: folder).status, 0)
        let result = try runNixwash(["scrub", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o",
                                     "--contact-centre", "k", "--nix", "nix.idx", "--out", "out/vinter", "leads.csv"], in: folder)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertEqual(result.stderr, "nixwash: out/vinter: the output folder's parent folder 'out' does not exist. Create it first (mkdir -p 'out') or choose another output folder.\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["leads.csv", "nix.idx", "nix.txt"])
    }

    func testEveryMissingSettingIsNamedInOneMessage() throws {
        let folder = try temporaryFolder(self)
        try #"{"campaign": "vinter", "offer": "o"}"#.write(to: folder.appendingPathComponent("c.json"), atomically: true, encoding: .utf8)
        let result = try runNixwash(["scrub", "--config", "c.json"], in: folder)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertEqual(result.stderr, """
            nixwash: c.json: 4 required settings are missing:
              - the lead lists: name them as arguments, or campaign-file key "leads"
              - the call date: --call-date, or campaign-file key "call_date"
              - the contact centre: --contact-centre, or campaign-file key "contact_centre"
              - the NIX index: --nix, or campaign-file key "nix_index" (build it with `nixwash index build --kind nix`)
            Give each as an option, or set its key in the campaign file.

            """)
    }
}
