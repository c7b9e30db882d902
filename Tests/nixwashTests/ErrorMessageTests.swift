import Foundation
import XCTest

/// Every error path a user meets: the message has one `nixwash:` prefix, and every option it
/// names exists on the command that printed it (an option of another command is named with
/// that command, in backticks: `nixwash history import --db ...`).
final class ErrorMessageTests: XCTestCase {
    private var folder: URL!

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    /// The options of `nixwash COMMAND`, from the OPTIONS section of its help.
    private func options(of command: [String]) throws -> Set<String> {
        let help = try runNixwash(command + ["--help"], in: folder).stdout
        var names: Set<String> = []
        let pattern = try NSRegularExpression(pattern: #"^\s+(?:-[a-zA-Z], )?(--[a-z0-9-]+)"#, options: .anchorsMatchLines)
        for match in pattern.matches(in: help, range: NSRange(help.startIndex..., in: help)) {
            names.insert(String(help[Range(match.range(at: 1), in: help)!]))
        }
        XCTAssertTrue(names.contains("--help"), "no options read from the help of \(command)")
        return names
    }

    /// The options a message names, leaving out those of other commands named in backticks.
    private func optionsNamed(in message: String) throws -> [String] {
        let otherCommands = try NSRegularExpression(pattern: "`nixwash [^`]*`")
        let own = otherCommands.stringByReplacingMatches(in: message, range: NSRange(message.startIndex..., in: message), withTemplate: "")
        let option = try NSRegularExpression(pattern: #"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9]"#)
        return option.matches(in: own, range: NSRange(own.startIndex..., in: own)).map { String(own[Range($0.range, in: own)!]) }
    }

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        let sample = repositoryRoot.appendingPathComponent("SampleData")
        for name in try FileManager.default.contentsOfDirectory(atPath: sample.path) {
            try FileManager.default.copyItem(at: sample.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        for arguments in [["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01", "--out", "nix.idx", "nix-register.txt.gz"],
                          ["index", "build", "--kind", "block", "--label", "B", "--out", "block.idx", "block-list.csv"],
                          ["history", "import", "--db", "history.db", "history.csv.gz"]] {
            XCTAssertEqual(try runNixwash(arguments, in: folder).status, 0, "\(arguments)")
        }
        try write("no-phone.csv", "namn;ort\nAnna;Umeå\n")
        try write("no-source.csv", "namn;telefon\nAnna;0701234567\n")
        try write("two-phones.csv", "namn;telefon;mobil;kalla\nAnna;0701234567;0731234567;A\n")
        try write("malformed.csv", "namn;telefon;kalla\n" + (1...50).map { "Anna;070123456\($0 % 10);A;x" }.joined(separator: "\n") + "\n")
        try write("long.csv", "namn;telefon;kalla\nAnna;" + String(repeating: "7", count: 3000) + ";A\n")
        try write("bad-register.txt", "0701234567\nnot a number\n0701234568\n")
        try write("no-number.csv", "namn;ort\nAnna;Umeå\n")
        try write("bad-log.csv", "number,attempted_at,campaign,offer,contact_centre\n0701234567,yesterday,c,o,k\n")
        try write("no-column-log.csv", "number,campaign\n0701234567,c\n")
        try write("slash-date-log.csv", "number,attempted_at,campaign,offer,contact_centre\n0701234567,10/05/2026 10:00,c,o,k\n")
        try write("empty-campaign-log.csv", "number,attempted_at,campaign,offer,contact_centre\n0701234567,2026-05-10 10:00,,o,k\n")
        try write("customers-bad.csv", "nummer;slutdatum\n0701234567;someday\n")
        try write("customers-no-number.csv", "namn;slutdatum\nAnna;2026-01-01\n")
        try Data([0x00, 0x01, 0x02, 0x03]).write(to: folder.appendingPathComponent("binary.csv"))
    }

    func testEveryErrorHasOnePrefixAndNamesOnlyOptionsOfItsCommand() throws {
        let scrub = ["scrub", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                     "--nix", "nix.idx", "--out", "out"]
        let cases: [(command: [String], arguments: [String])] = [
            (["scrub"], ["no-phone.csv"]),
            (["scrub"], ["no-source.csv"]),
            (["scrub"], ["--phone-column", "telefon", "two-phones.csv"]),
            (["scrub"], ["malformed.csv"]),
            (["scrub"], ["--max-record-size", "1024", "long.csv"]),
            (["scrub"], ["--sheet", "Blad1", "two-phones.csv"]),
            (["scrub"], ["two-phones.csv", "./two-phones.csv"]),
            (["scrub"], ["--customers", "customers-bad.csv", "two-phones.csv"]),
            (["scrub"], ["--customers", "customers-no-number.csv", "two-phones.csv"]),
            (["scrub"], ["--history", "missing.db", "two-phones.csv"]),
            (["scrub"], ["--history", "history.db", "--history-max-age", "1d", "two-phones.csv"]),
            (["scrub"], ["--block", "nix.idx", "two-phones.csv"]),
            (["scrub"], ["binary.csv"]),
            (["scrub"], ["--compression-level", "12", "two-phones.csv"]),
            (["scrub"], ["--call-date", "2026-12-24", "two-phones.csv"]),
            (["scrub"], ["--call-date", "2027-03-01", "two-phones.csv"]),
            (["scrub"], ["empty-folder"]),
            (["explain"], ["--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                           "--nix", "block.idx", "0701234567"]),
            (["explain"], ["--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                           "--nix", "nix.idx", "--customers", "customers-bad.csv", "0701234567"]),
            (["inspect"], ["binary.csv"]),
            (["inspect"], ["--max-record-size", "1024", "long.csv"]),
            (["inspect"], ["--sheet", "Blad1", "two-phones.csv"]),
            (["index", "build"], ["--kind", "block", "--label", "B", "--out", "b2.idx", "bad-register.txt"]),
            (["index", "build"], ["--kind", "block", "--label", "B", "--out", "b3.idx", "no-number.csv"]),
            (["index", "build"], ["--kind", "nix", "--label", "N", "--out", "n2.idx", "nix-register.txt.gz"]),
            (["history", "import"], ["--db", "h2.db", "--max-bad-rows", "0", "bad-log.csv"]),
            (["history", "import"], ["--db", "h3.db", "no-column-log.csv"]),
            (["history", "import"], ["--db", "h4.db", "slash-date-log.csv"]),
            (["history", "import"], ["--db", "h5.db", "empty-campaign-log.csv"]),
            (["history", "import"], ["--db", "h6.db", "--time-format", "epoch-s", "bad-log.csv"]),
            (["history", "purge"], ["--db", "postgres://nixwash:pw@127.0.0.1:9/nixwash", "--keep-days", "400"]),
            (["recheck"], ["--call-date", "2026-11-24", "--nix", "nix.idx", "--compression-level", "0", "no-such-run"]),
            (["recheck"], ["--call-date", "2026-11-24", "--nix", "nix.idx", "--out", "re", "no-such-run"]),
        ]
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty-folder"), withIntermediateDirectories: true)
        var optionsByCommand: [[String]: Set<String>] = [:]
        for (command, arguments) in cases {
            let full = command == ["scrub"] ? scrub + arguments : command + arguments
            let result = try runNixwash(full, in: folder)
            let name = full.joined(separator: " ")
            XCTAssertNotEqual(result.status, 0, "\(name) did not fail")
            let message = result.stderr
            XCTAssertTrue(message.hasPrefix("nixwash: "), "\(name): \(message)")
            XCTAssertFalse(message.contains("nixwash: nixwash:"), "\(name): \(message)")
            XCTAssertFalse(message.contains("Error: "), "\(name): \(message)")
            if optionsByCommand[command] == nil { optionsByCommand[command] = try options(of: command) }
            for option in try optionsNamed(in: message) {
                XCTAssertTrue(optionsByCommand[command]!.contains(option),
                              "`nixwash \(command.joined(separator: " "))` has no \(option), yet its error names it: \(message)")
            }
        }
    }
}
