import Foundation
import XCTest

/// End to end: `audit verify` on a scrub's folder: intact, one byte of callable.csv.gz changed,
/// a wrong signature, a changed report, input and index.
final class AuditCommandTests: XCTestCase {
    private var w: Workspace!

    override func setUpWithError() throws {
        w = try Workspace(self)
        try w.write("register.txt", "0701000001\n")
        try w.write("leads.csv", "namn,telefon\nA,0701000001\nB,0701000002\nC,0701000003\n")
        try w.run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01", "--out", "nix.idx", "register.txt"])
        try w.write("campaign.json", #"{"call_date": "2026-11-23", "campaign": "c1", "offer": "o1", "contact_centre": "k1", "nix_index": "nix.idx", "source": "V1"}"#)
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = w.folder
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "openssl \(arguments)")
    }

    private func makeKey(_ name: String) throws {
        try openssl(["genpkey", "-algorithm", "ed25519", "-out", "\(name).pem"])
        try openssl(["pkey", "-in", "\(name).pem", "-pubout", "-out", "\(name).pub"])
    }

    func testAnIntactFolderVerifies() throws {
        try w.run(["scrub", "--config", "campaign.json", "--out", "out", "leads.csv"])
        let report = try w.json("out/report.json")
        let files = (report["output_files"] as! [[String: Any]]).map { $0["name"] as! String }
        XCTAssertEqual(Set(files), ["callable.csv.gz", "rejects.csv.gz", "report.html"])
        XCTAssertTrue((report["outputs"] as! [String]).contains("report.json.sha256"))
        let result = try w.run(["audit", "verify", "out"])
        XCTAssertTrue(result.stdout.contains("out: intact"), result.stdout)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // Paths from the campaign file are relative to its folder: ./nix.idx.
        for name in ["report.json", "callable.csv.gz", "rejects.csv.gz", "report.html", "leads.csv", "./nix.idx"] {
            let line = lines.first { $0.contains(" \(name): ") }
            XCTAssertTrue(line?.hasPrefix("intact ") == true, "\(name): \(result.stdout)")
        }
        // The digest file is in sha256sum's format.
        let digest = try String(contentsOf: w.url("out/report.json.sha256"), encoding: .utf8)
        XCTAssertTrue(digest.hasSuffix("  report.json\n") && digest.count == 64 + 2 + 11 + 1, digest)
    }

    func testOneChangedByteOfTheCallableListIsNamed() throws {
        try w.run(["scrub", "--config", "campaign.json", "--out", "out", "leads.csv"])
        var bytes = try Data(contentsOf: w.url("out/callable.csv.gz"))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: w.url("out/callable.csv.gz"))
        let result = try w.run(["audit", "verify", "out"], expect: 1)
        XCTAssertTrue(result.stdout.contains("differs    output    callable.csv.gz"), result.stdout)
        XCTAssertTrue(result.stderr.contains("1 file not as the run recorded: callable.csv.gz."), result.stderr)
        XCTAssertTrue(result.stdout.contains("out: NOT intact"), result.stdout)
    }

    func testAChangedReportARemovedAndAnAddedFileAreNamed() throws {
        try w.run(["scrub", "--config", "campaign.json", "--out", "out", "leads.csv"])
        var report = try String(contentsOf: w.url("out/report.json"), encoding: .utf8)
        report = report.replacingOccurrences(of: "\"rows_in\" : 3", with: "\"rows_in\" : 4")
        try report.write(to: w.url("out/report.json"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: w.url("out/rejects.csv.gz"))
        try w.write("out/extra.csv", "x\n")
        let result = try w.run(["audit", "verify", "out"], expect: 1)
        XCTAssertTrue(result.stderr.contains("3 files not as the run recorded: report.json, rejects.csv.gz, extra.csv."), result.stderr)
    }

    func testSignatures() throws {
        try makeKey("principal")
        try makeKey("someone-else")
        try w.run(["scrub", "--config", "campaign.json", "--sign-key", "principal.pem", "--out", "out", "leads.csv"])
        XCTAssertTrue(w.exists("out/report.json.sig"))
        let good = try w.run(["audit", "verify", "--public-key", "principal.pub", "out"])
        XCTAssertTrue(good.stdout.contains("intact     signature report.json.sig"), good.stdout)
        let unchecked = try w.run(["audit", "verify", "out"])
        XCTAssertTrue(unchecked.stdout.contains("skipped    signature report.json.sig"), unchecked.stdout)

        let wrongKey = try w.run(["audit", "verify", "--public-key", "someone-else.pub", "out"], expect: 1)
        XCTAssertTrue(wrongKey.stderr.contains("report.json.sig"), wrongKey.stderr)

        // A report re-signed with another key, digest file updated to match: the signature catches it.
        let signature = try String(contentsOf: w.url("out/report.json.sig"), encoding: .utf8)
        var raw = Data(base64Encoded: signature.trimmingCharacters(in: .whitespacesAndNewlines))!
        raw[0] ^= 0x80
        try (raw.base64EncodedString() + "\n").write(to: w.url("out/report.json.sig"), atomically: true, encoding: .utf8)
        let tampered = try w.run(["audit", "verify", "--public-key", "principal.pub", "out"], expect: 1)
        XCTAssertTrue(tampered.stderr.contains("1 file not as the run recorded: report.json.sig."), tampered.stderr)

        let notAKey = try w.run(["scrub", "--config", "campaign.json", "--sign-key", "leads.csv", "--out", "out2", "leads.csv"], expect: 64)
        XCTAssertTrue(notAKey.stderr.contains("leads.csv: not a PEM private key"), notAKey.stderr)
        XCTAssertFalse(w.exists("out2"))
        let noSignature = try w.run(["scrub", "--config", "campaign.json", "--out", "out3", "leads.csv"])
        _ = noSignature
        let missing = try w.run(["audit", "verify", "--public-key", "principal.pub", "out3"], expect: 1)
        XCTAssertTrue(missing.stdout.contains("missing    signature report.json.sig"), missing.stdout)
    }

    func testChangedInputsAndIndexesAreNamedAndMovedOnesSkipped() throws {
        try w.run(["scrub", "--config", "campaign.json", "--out", "out", "leads.csv"])
        try w.write("leads.csv", "namn,telefon\nA,0701000001\nB,0701000002\nC,0701000004\n")
        try w.write("register.txt", "0701000001\n0701000002\n")
        try w.run(["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01", "--out", "nix.idx", "register.txt"])
        let changed = try w.run(["audit", "verify", "out"], expect: 1)
        XCTAssertTrue(changed.stderr.contains("2 files not as the run recorded: leads.csv, ./nix.idx."), changed.stderr)
        try FileManager.default.removeItem(at: w.url("leads.csv"))
        try FileManager.default.removeItem(at: w.url("nix.idx"))
        let moved = try w.run(["audit", "verify", "out"])
        XCTAssertTrue(moved.stdout.contains("skipped    input     leads.csv: no longer at its recorded path"), moved.stdout)
    }
}
