import Foundation
import XCTest

/// scripts/nightly (installed as nixwash-nightly): registers indexed when new, dialer logs
/// imported, every inbox list washed into done/ or refused into failed/ with its error, never
/// the same file twice, and the night's worst exit status.
final class NightlyTests: XCTestCase {
    private let sample = repositoryRoot.appendingPathComponent("SampleData")

    private func nightly(_ base: URL, _ arguments: [String] = []) throws -> RunResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = pathWithNixwash()
        return try runProgram(repositoryRoot.appendingPathComponent("scripts/nightly"),
                              ["--base", base.path, "--call-date", "2026-11-23"] + arguments, environment: environment)
    }

    private func copy(_ name: String, to path: String, in base: URL) throws {
        let target = base.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: sample.appendingPathComponent(name), to: target)
    }

    private func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func testANightWashesTheInboxOnceAndExitsWithTheWorstStatus() throws {
        let base = try temporaryFolder(self)
        try """
            {"campaign": "vinter-2026", "offer": "bredband-100", "contact_centre": "kkc-umea",
             "customers": "customers.csv", "consents": "consents.csv", "source": "Telefonlistan AB"}
            """.write(to: base.appendingPathComponent("campaign.json"), atomically: true, encoding: .utf8)
        try copy("customers.csv", to: "customers.csv", in: base)
        try copy("consents.csv", to: "consents.csv", in: base)
        try copy("nix-register.txt.gz", to: "registers/nix/nix-2026-11-01.txt.gz", in: base)
        try copy("block-list.csv", to: "registers/block/Kundspärr.csv", in: base)
        try copy("history.csv.gz", to: "dialer-logs/2026-11-22.csv.gz", in: base)
        try copy("leads-vendor-a.csv.gz", to: "inbox/leads-vendor-a.csv.gz", in: base)
        try copy("leads-vendor-b.csv", to: "inbox/leads-vendor-b.csv", in: base)
        try "telefon,källa\n".write(to: base.appendingPathComponent("inbox/header-only.csv"), atomically: true, encoding: .utf8)

        let first = try nightly(base)
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertEqual(try names(base.appendingPathComponent("done")), ["leads-vendor-a.csv.gz", "leads-vendor-b.csv"])
        XCTAssertEqual(try names(base.appendingPathComponent("failed")), ["header-only.csv", "header-only.csv.error"])
        let error = try String(contentsOf: base.appendingPathComponent("failed/header-only.csv.error"), encoding: .utf8)
        XCTAssertTrue(error.contains("header-only.csv: the file has a header line but no data rows"), error)
        XCTAssertTrue(error.contains("(exit status 1)"), error)
        XCTAssertEqual(try names(base.appendingPathComponent("inbox")), [])
        XCTAssertEqual(try names(base.appendingPathComponent("dialer-logs/imported")), ["2026-11-22.csv.gz"])
        XCTAssertEqual(try names(base.appendingPathComponent("washed")), ["leads-vendor-a-2026-11-23", "leads-vendor-b-2026-11-23"])
        let report = try reportJSON(base.appendingPathComponent("washed/leads-vendor-a-2026-11-23"))
        XCTAssertEqual((report["registers"] as? [[String: Any]])?.map { $0["label"] as? String }, ["NIX-Telefon", "Kundspärr"])
        XCTAssertNotNil(report["history"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent("washed/leads-vendor-a-2026-11-23/summary.json"))) as? [String: Any])
        XCTAssertEqual(summary["exit_reason"] as? String, "success")

        // The same list again (renamed, too): not washed, and nothing is indexed or imported again.
        try FileManager.default.copyItem(at: base.appendingPathComponent("done/leads-vendor-a.csv.gz"),
                                         to: base.appendingPathComponent("inbox/again.csv.gz"))
        let second = try nightly(base)
        XCTAssertEqual(second.status, 64, second.stderr)
        XCTAssertFalse(second.stderr.contains("indexing"), second.stderr)
        XCTAssertFalse(second.stderr.contains("importing"), second.stderr)
        let again = try String(contentsOf: base.appendingPathComponent("failed/again.csv.gz.error"), encoding: .utf8)
        XCTAssertTrue(again.contains("was washed before") && again.contains("leads-vendor-a.csv.gz"), again)
        XCTAssertEqual(try names(base.appendingPathComponent("washed")).count, 2)

        // A new register is indexed; a list for Christmas Eve is refused (exit 3) into failed/.
        try copy("block-list.csv", to: "registers/nix/nix-2026-12-01.csv", in: base)
        var christmas = try Data(contentsOf: sample.appendingPathComponent("leads-vendor-b.csv"))
        christmas.append(contentsOf: Array("\n".utf8))
        try christmas.write(to: base.appendingPathComponent("inbox/christmas.csv"))
        let third = try nightly(base, ["--call-date", "2026-12-24"])
        XCTAssertEqual(third.status, 3, third.stderr)
        XCTAssertTrue(third.stderr.contains("indexing the NIX register \(base.path)/registers/nix/nix-2026-12-01.csv"), third.stderr)
        let refusal = try String(contentsOf: base.appendingPathComponent("failed/christmas.csv.error"), encoding: .utf8)
        XCTAssertTrue(refusal.contains("Christmas Eve") && refusal.contains("(exit status 3)"), refusal)
    }

    func testAListIsNotWashedWhenALogCannotBeImported() throws {
        let base = try temporaryFolder(self)
        try #"{"campaign": "c", "offer": "o", "contact_centre": "k", "source": "S"}"#
            .write(to: base.appendingPathComponent("campaign.json"), atomically: true, encoding: .utf8)
        try copy("nix-register.txt.gz", to: "registers/nix/nix-2026-11-01.txt.gz", in: base)
        try "not,a,log\n1,2,3\n".write(to: base.appendingPathComponent("broken-log.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: base.appendingPathComponent("dialer-logs"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: base.appendingPathComponent("broken-log.csv"), to: base.appendingPathComponent("dialer-logs/broken-log.csv"))
        try copy("leads-vendor-b.csv", to: "inbox/leads.csv", in: base)
        let result = try nightly(base)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("no list is washed tonight"), result.stderr)
        XCTAssertEqual(try names(base.appendingPathComponent("inbox")), ["leads.csv"])
        XCTAssertEqual(try names(base.appendingPathComponent("washed")), [])
    }
}
