import Foundation
import NixWashKit
import XCTest

/// The corpus of bad lead lists in BadInputs/ (made by scripts/generate-bad-inputs.py): each
/// gives exactly the message and exit code pinned here, and never leaves an output folder.
/// RELIABILITY.md lists the same table.
final class ReliabilityBadInputTests: XCTestCase {
    private var folder: URL!

    private static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInputs")

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path) {
            try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Data("0709999999\n".utf8).write(to: folder.appendingPathComponent("register.txt"))
        let build = try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                    "--out", "nix.idx", "register.txt"], in: folder)
        XCTAssertEqual(build.status, 0, build.stderr)
    }

    private func scrub(_ arguments: [String]) throws -> RunResult {
        try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                        "--nix", "nix.idx", "--out", "out"] + arguments, in: folder)
    }

    private func assertRefused(_ arguments: [String], status: Int32, _ message: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try scrub(arguments)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr, "nixwash: " + message + "\n", "\(arguments)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("out") || $0.hasPrefix(".out") }
        XCTAssertEqual(left, [], "\(arguments) left output behind", file: file, line: line)
    }

    func testEachBrokenDeliveryIsRefusedWithItsMessageAndExitCode() throws {
        try assertRefused(["truncated.csv.gz"], status: 1,
            "truncated.csv.gz: gzip stream ends early at byte 1310 of the file: the file is truncated. Ask the sender for a complete copy.")
        try assertRefused(["corrupt-crc.csv.gz"], status: 1,
            "corrupt-crc.csv.gz: corrupt gzip data at byte 2621 of the file (incorrect data check). Ask the sender for a new copy; `gzip -t` confirms the damage.")
        try assertRefused(["bad-header.csv.gz"], status: 1,
            "bad-header.csv.gz: corrupt gzip data at byte 10 of the file (unknown compression method). Ask the sender for a new copy; `gzip -t` confirms the damage.")
        try assertRefused(["trailing-garbage.csv.gz"], status: 1,
            "trailing-garbage.csv.gz: data that is not gzip follows the last gzip member at byte 2621 of the file. Ask the sender for a clean copy.")
        try assertRefused(["nul-byte.csv"], status: 1,
            "nul-byte.csv: byte 45 is a NUL byte: this is binary data, not a CSV text file. Check that you gave the right file.")
        try assertRefused(["unterminated-quote.csv"], status: 1,
            "unterminated-quote.csv:3: a quoted field opened on line 3 is never closed. Fix the quote on that line (or quote the field properly) and rerun.")
        try assertRefused(["huge-field.csv.gz"], status: 1,
            "huge-field.csv.gz:2: the record starting on line 2 is larger than 1048576 bytes, most likely a quote that is never closed. Fix that line, or raise the limit with --max-record-size.")
        // The bound on a record, at a small limit (the real 2 GB line is in RELIABILITY.md).
        try assertRefused(["--max-record-size", "1024", "long-line.csv"], status: 1,
            "long-line.csv:3: the record starting on line 3 is larger than 1024 bytes, most likely a quote that is never closed. Fix that line, or raise the limit with --max-record-size.")
        try assertRefused(["empty.csv"], status: 1,
            "empty.csv: the file is empty: there is no header and no data. Check that the delivery is complete.")
        try assertRefused(["header-only.csv"], status: 1,
            "header-only.csv: the file has a header line but no data rows. Check that the delivery is complete.")
        try assertRefused(["no-phone-column.csv"], status: 64,
            "no-phone-column.csv: no column looks like a phone number column. The header has: namn, adress, källa. Name the column with --phone-column.")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("adir"), withIntermediateDirectories: false)
        // A folder is every lead list in it (docs/lead-deliveries.md); an empty one holds none.
        try assertRefused(["adir"], status: 64, "adir: the folder holds no lead lists (no regular file that is not hidden). Check the path, or give the lead lists by name.")
        try assertRefused(["missing.csv"], status: 1, "missing.csv: cannot open: No such file or directory. Check the path and its permissions.")
    }

    /// Random bytes are refused for want of a phone column, with the "header" escaped and
    /// shortened: no control character reaches the terminal.
    func testGarbageBytesGiveAReadableMessage() throws {
        let result = try scrub(["garbage.bin"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("nixwash: garbage.bin: no column looks like a phone number column. The header has: "), result.stderr)
        XCTAssertFalse(result.stderr.dropLast().unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                       result.stderr)
        XCTAssertLessThan(result.stderr.count, 2000)
    }

    /// Root reads any file: the unreadable case runs as nobody where it can.
    func testAnUnreadableFileIsRefused() throws {
        let locked = folder.appendingPathComponent("locked.csv")
        try Data("namn,telefon,källa\nAnna,0701234567,V1\n".utf8).write(to: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked.path)
        var arguments = ["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                         "--nix", "nix.idx", "--out", "out", "locked.csv"]
        var executable = nixwashBinary()
        if geteuid() == 0 {
            let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
            guard FileManager.default.isExecutableFile(atPath: setpriv.path) else { throw XCTSkip("root, and no setpriv to drop it") }
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable.path] + arguments
            executable = setpriv
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, message)
        XCTAssertEqual(message, "nixwash: locked.csv: cannot open: Permission denied. Check the path and its permissions.\n")
    }

    /// The corpus's readable damage: duplicate phone columns, rows with fields missing, rows
    /// in another delimiter. Allowed by `--max-malformed-share`, every row comes out, callable
    /// or rejected with its reason (without it, such files are refused: ScrubColumnTests).
    func testTheCorpusDamagedButReadableFilesWashEveryRow() throws {
        let expected: [(String, callable: [String], rejected: [String: String])] = [
            ("duplicate-header.csv", ["Anna", "Bo"], ["Anna": "duplicate"]),
            ("missing-columns.csv", ["Cia"], ["Anna": "malformed_row", "Bo": "malformed_row"]),
            ("mixed-delimiters.csv", ["Anna"], ["Bo,0701234568,V1": "malformed_row", "Cia\t0701234569\tV1": "malformed_row",
                                                "Dan": "malformed_row"]),
        ]
        for (name, callable, rejected) in expected {
            let out = "out-" + name
            let result = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o",
                                         "--contact-centre", "k", "--nix", "nix.idx", "--max-malformed-share", "1",
                                         "--out", out, name], in: folder)
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            func rows(_ file: String) throws -> [[String]] {
                let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent(out + "/" + file).path),
                                           options: CSVOptions(requireDataRows: false))
                var rows: [[String]] = []
                while let record = try reader.next() { rows.append((0..<record.count).map { record.string($0) }) }
                return rows
            }
            XCTAssertEqual(try rows("callable.csv.gz").map { $0[0] }, callable, name)
            let rejects = try rows("rejects.csv.gz")
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: rejects.map { ($0[0], $0[$0.count - 4]) }), rejected, name)
        }
    }

    /// Damaged but readable lists: every data row lands in the callable list or the rejects
    /// (by its id in the first field), and the report's accounting says so.
    func testEveryRowOfADamagedButReadableFileLandsInCallableOrRejects() throws {
        var text = "id;telefon;mobil;källa\r\n"
        var ids: [String] = []
        func row(_ line: String) { text += line; ids.append(String(line.prefix { $0 != ";" && $0 != "," && $0 != "\t" })) }
        for i in 0..<40 {
            switch i % 10 {
            case 0: row("r\(i);070-\(1000000 + i);;V1\r\n")                // clean
            case 1: row("r\(i);\"070\"\(i);;V1\r\n")                          // stray quote
            case 2: row("r\(i);0701234567\r\n")                              // too few fields (and a duplicate)
            case 3: row("r\(i);070\(2000000 + i);;V1;extra;more\n")          // too many fields, LF only
            case 4: row("r\(i),070\(3000000 + i),,V1\r\n")                   // another delimiter
            case 5: row("r\(i);;;V2\r\n")                                    // no number at all
            case 6: row("r\(i);K\u{F6}p 070;\(i);V2\r\n")                    // letters, short mobile
            case 7: row("r\(i);\"070\r\n\(4000000 + i)\";0709999999;V2\r\n") // quoted line break; NIX mobile
            case 8: row("r\(i);+46 (0)70 \(5000000 + i);0900123456;\r\n")    // premium number, empty source
            default: row("r\(i);070\(6000000 + i);;V\u{E4}st\r\n\r\n")       // blank line after it
            }
        }
        var bytes = Array(text.utf8)
        bytes.append(contentsOf: [UInt8]("r40;070-7000000;;".utf8) + [0xE4, 0x0D, 0x0A])  // Latin-1 source
        ids.append("r40")
        try Data(bytes).write(to: folder.appendingPathComponent("damaged.csv"))

        let result = try scrub(["--source", "fallback", "--max-malformed-share", "0.5", "damaged.csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        var landed: [String: Int] = [:]
        for name in ["callable.csv.gz", "rejects.csv.gz"] {
            let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent("out/" + name).path),
                                       options: CSVOptions(requireDataRows: false))
            var seen = Set<String>()
            while let record = try reader.next() { seen.insert(record.string(0).split(separator: ",").first.map(String.init) ?? "") }
            for id in seen { landed[id, default: 0] += 1 }
        }
        for id in ids { XCTAssertNotNil(landed[id], "row \(id) is in neither output") }
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/report.json"))) as! [String: Any]
        let totals = report["totals"] as! [String: Any]
        XCTAssertEqual(totals["rows_in"] as? Int, ids.count)
        XCTAssertEqual((report["accounting"] as! [String: Any])["balanced"] as? Bool, true)
    }
}
