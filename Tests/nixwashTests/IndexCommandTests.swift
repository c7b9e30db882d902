import Foundation
import XCTest

final class IndexCommandTests: XCTestCase {
    private func write(_ text: String, _ name: String, in folder: URL) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func testBuildInfoVerifyUpdate() throws {
        let folder = try temporaryFolder(self)
        try write("070-123 45 67\n0701234568\n+46 8 123 456 78\n0701234567\n", "nix.txt", in: folder)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [folder.appendingPathComponent("nix.txt").path]
        try gzip.run()
        gzip.waitUntilExit()

        let build = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX-Telefon",
                                    "--register-date", "2026-11-01", "--out", "nix.idx", "nix.txt.gz"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stdout.contains("nix.idx: 3 numbers (1 repeats removed)"), build.stdout)

        let info = try runNixwash(["index", "info", "--json", "nix.idx"], in: folder)
        XCTAssertEqual(info.status, 0, info.stderr)
        let report = try XCTUnwrap(((try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])?["indexes"] as? [[String: Any]])?.first)
        XCTAssertEqual(report["kind"] as? String, "nix")
        XCTAssertEqual(report["label"] as? String, "NIX-Telefon")
        XCTAssertEqual(report["register_date"] as? String, "2026-11-01")
        XCTAssertEqual(report["valid_until"] as? String, "2027-01-01")
        XCTAssertEqual(report["entries"] as? Int, 3)
        XCTAssertEqual(report["first_number"] as? String, "+46701234567")
        let sources = try XCTUnwrap(report["sources"] as? [[String: Any]])
        XCTAssertEqual(sources.first?["lines"] as? Int, 4)

        let text = try runNixwash(["index", "info", "nix.idx"], in: folder)
        XCTAssertTrue(text.stdout.contains("register date  2026-11-01"), text.stdout)

        let verify = try runNixwash(["index", "verify", "nix.idx"], in: folder)
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.contains("nix.idx: OK, 3 numbers"), verify.stdout)

        try write("nummer\n0709999999\n", "added.csv", in: folder)
        try write("0701234568\n", "removed.txt", in: folder)
        let update = try runNixwash(["index", "update", "nix.idx", "--add", "added.csv", "--remove", "removed.txt",
                                     "--register-date", "2026-11-15"], in: folder)
        XCTAssertEqual(update.status, 0, update.stderr)
        XCTAssertTrue(update.stdout.contains("3 numbers: 1 added, 1 removed"), update.stdout)
        let updated = try runNixwash(["index", "info", "--json", "nix.idx"], in: folder)
        let after = try XCTUnwrap(((try JSONSerialization.jsonObject(with: Data(updated.stdout.utf8)) as? [String: Any])?["indexes"] as? [[String: Any]])?.first)
        XCTAssertEqual(after["register_date"] as? String, "2026-11-15")
        XCTAssertEqual((after["sources"] as? [[String: Any]])?.map { $0["role"] as? String }, ["register", "added", "removed"])

        let rebuild = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX-Telefon",
                                      "--register-date", "2026-12-01", "--out", "nix.idx", "added.csv"], in: folder)
        XCTAssertEqual(rebuild.status, 0, rebuild.stderr)
        XCTAssertTrue(rebuild.stdout.contains("compared with the index it replaces: 0 added, 2 removed"), rebuild.stdout)
    }

    func testCorruptIndexExitsOneNamingTheFile() throws {
        let folder = try temporaryFolder(self)
        try write("0701234567\n0701234568\n", "block.txt", in: folder)
        let build = try runNixwash(["index", "build", "--kind", "block", "--label", "Acme", "--out", "block.idx", "block.txt"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
        let url = folder.appendingPathComponent("block.idx")
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[bytes.count - 1] ^= 0xFF
        try Data(bytes).write(to: url)
        try Data(bytes).write(to: folder.appendingPathComponent("copy.idx"))
        let sound = try runNixwash(["index", "build", "--kind", "block", "--label", "Acme", "--out", "sound.idx", "block.txt"], in: folder)
        XCTAssertEqual(sound.status, 0, sound.stderr)
        let verify = try runNixwash(["index", "verify", "block.idx", "sound.idx", "copy.idx"], in: folder)
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stderr.contains("block.idx: the index is corrupt: the body checksum"), verify.stderr)
        XCTAssertTrue(verify.stderr.contains("copy.idx: the index is corrupt"), verify.stderr)
        XCTAssertTrue(verify.stdout.contains("sound.idx: OK, 2 numbers"), verify.stdout)

        try Data(bytes.dropLast(4)).write(to: url)
        let info = try runNixwash(["index", "info", "block.idx"], in: folder)
        XCTAssertEqual(info.status, 1)
        XCTAssertTrue(info.stderr.contains("block.idx: the index is truncated"), info.stderr)
    }

    func testUsageAndInputErrors() throws {
        let folder = try temporaryFolder(self)
        try write("0701234567\nhej\n", "nix.txt", in: folder)
        let noDate = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--out", "x.idx", "nix.txt"], in: folder)
        XCTAssertEqual(noDate.status, 64)
        XCTAssertTrue(noDate.stderr.contains("--register-date is required"), noDate.stderr)
        // A date after today would stretch the two-month validity past the register's age.
        let future = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2099-01-01",
                                     "--out", "x.idx", "nix.txt"], in: folder)
        XCTAssertEqual(future.status, 64)
        XCTAssertTrue(future.stderr.contains("--register-date 2099-01-01 is after today"), future.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.idx").path))

        let badKind = try runNixwash(["index", "build", "--kind", "nixx", "--label", "NIX", "--out", "x.idx", "nix.txt"], in: folder)
        XCTAssertEqual(badKind.status, 64)

        let invalid = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                      "--out", "x.idx", "nix.txt"], in: folder)
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stderr.contains("nix.txt:2: column 'field 1': 'hej' is not a phone number (letters)"), invalid.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.idx").path))

        let allowed = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                      "--max-invalid-lines", "1", "--rejects", "rejects.csv", "--out", "x.idx", "nix.txt"], in: folder)
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stderr.contains("1 unreadable lines let through to the rejects"), allowed.stderr)

        // An output written over the register it reads would destroy it: refused, the register kept.
        let register = try Data(contentsOf: folder.appendingPathComponent("nix.txt"))
        for (out, rejects) in [("x2.idx", "nix.txt"), ("./nix.txt", "r.csv"), ("same.idx", "./same.idx")] {
            let over = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--max-invalid-lines", "1", "--rejects", rejects, "--out", out, "nix.txt"], in: folder)
            XCTAssertEqual(over.status, 64, over.stderr)
            XCTAssertTrue(over.stderr.contains("writing it would destroy that file. Give the output another path."), over.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("nix.txt")), register)
        let updateOver = try runNixwash(["index", "update", "x.idx", "--add", "nix.txt", "--max-invalid-lines", "1",
                                         "--rejects", "x.idx"], in: folder)
        XCTAssertEqual(updateOver.status, 64, updateOver.stderr)

        try write("telefon\n", "headeronly.csv", in: folder)
        let empty = try runNixwash(["index", "build", "--kind", "block", "--label", "B", "--out", "x.idx", "headeronly.csv"], in: folder)
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("headeronly.csv: the file has a header line but no data rows"), empty.stderr)

        let notIndex = try runNixwash(["index", "info", "nix.txt"], in: folder)
        XCTAssertEqual(notIndex.status, 1)
        XCTAssertTrue(notIndex.stderr.contains("nix.txt: not a nixwash index"), notIndex.stderr)
    }

    /// Excel's "Unicode text" is UTF-16 with a byte order mark: a register saved so is read,
    /// not refused as binary.
    func testAUTF16RegisterIsRead() throws {
        let folder = try temporaryFolder(self)
        let text = "telefon\r\n070-123 45 67\r\n0702222222\r\n"
        var utf16 = Data([0xFF, 0xFE])
        for unit in text.utf16 { utf16.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        try utf16.write(to: folder.appendingPathComponent("register.txt"))
        let build = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                    "--out", "nix.idx", "register.txt"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("register.txt: 2 lines, 2 numbers from column 'telefon'"), build.stderr)
    }

    private func numberCountry(_ infoJSON: String) throws -> String? {
        let info = try JSONSerialization.jsonObject(with: Data(infoJSON.utf8)) as? [String: Any]
        return ((info?["indexes"] as? [[String: Any]])?.first)?["number_country"] as? String
    }

    /// A Swedish register read as Norwegian numbers holds +47 70…: no Swedish lead would ever
    /// meet it. The index records the country, and a run of another refuses it.
    func testAnIndexReadAsAnotherCountrysNumbersIsRefusedByTheRun() throws {
        let folder = try temporaryFolder(self)
        try write("0702222222\n", "register.txt", in: folder)
        let build = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                    "--default-country", "NO", "--out", "nix.idx", "register.txt"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
        let info = try runNixwash(["index", "info", "--json", "nix.idx"], in: folder)
        XCTAssertEqual(try numberCountry(info.stdout), "NO", info.stdout)
        try write("namn;telefon;källa\nA;0702222222;V\n", "leads.csv", in: folder)
        let scrub = ["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                     "--nix", "nix.idx", "leads.csv"]
        let refused = try runNixwash(scrub + ["--out", "out"], in: folder)
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("nix.idx: the index read numbers written without a country code as numbers of Norway (+47), and this run reads them as numbers of Sweden (+46)"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Give --default-country NO"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        // An update reads its deltas as the index's numbers were read, and refuses another country.
        try write("0703333333\n", "added.txt", in: folder)
        let other = try runNixwash(["index", "update", "nix.idx", "--add", "added.txt", "--default-country", "SE"], in: folder)
        XCTAssertEqual(other.status, 64, other.stderr)
        let update = try runNixwash(["index", "update", "nix.idx", "--add", "added.txt", "--out", "nix2.idx"], in: folder)
        XCTAssertEqual(update.status, 0, update.stderr)
        let updated = try runNixwash(["index", "info", "--json", "nix2.idx"], in: folder)
        XCTAssertEqual(try numberCountry(updated.stdout), "NO", updated.stdout)
        // Rebuilt as Swedish numbers, the register blocks the lead.
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "register.txt"], in: folder).status, 0)
        XCTAssertEqual(try runNixwash(scrub + ["--out", "out"], in: folder).status, 0)
        let callable = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o",
                                       "--contact-centre", "k", "--nix", "nix.idx", "--out", "out2", "--default-country", "NO",
                                       "leads.csv"], in: folder)
        XCTAssertEqual(callable.status, 64, callable.stderr)
    }

    /// NIX-Telefon writes numbers with the calling code: its line `468123456` is the Stockholm
    /// number 08-123 456, which nixwash otherwise reads as the Lund number 046-812 34 56.
    func testARegisterLineThatReadsTwoWaysBlocksBothNumbers() throws {
        let folder = try temporaryFolder(self)
        try write("46701234567\n468123456\n", "register.txt", in: folder)
        let build = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                    "--out", "nix.idx", "register.txt"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("1 of them read two ways (468123456 is 046-812 34 56 or +46 8 123 456) and indexed both ways"),
                      build.stderr)
        try write("namn;telefon;källa\nA;08-123 456;V\nB;046-812 34 56;V\nC;0702222222;V\n", "leads.csv", in: folder)
        let scrub = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o",
                                    "--contact-centre", "k", "--nix", "nix.idx", "--out", "out", "leads.csv"], in: folder)
        XCTAssertEqual(scrub.status, 0, scrub.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/report.json"))) as! [String: Any]
        let totals = report["totals"] as? [String: Any]
        XCTAssertEqual((totals?["rejected_by_reason"] as? [String: Any])?["nix"] as? Int, 2, "\(report)")
        XCTAssertEqual(totals?["numbers_callable"] as? Int, 1, "\(report)")

        try write("468123456\n", "removed.txt", in: folder)
        let update = try runNixwash(["index", "update", "nix.idx", "--remove", "removed.txt"], in: folder)
        XCTAssertEqual(update.status, 0, update.stderr)
        XCTAssertTrue(update.stdout.contains("0 removed"), update.stdout)
        XCTAssertTrue(update.stderr.contains("1 of them not removed: they read two ways"), update.stderr)
    }
}
