import Foundation
import NixWashKit
import XCTest

/// End to end: the same leads delivered as vendors send them (an xlsx written by openpyxl, a
/// zip made by `zip`, UTF-16 made by `iconv`, a `|` export with a trailing delimiter, a
/// folder, a pattern in a campaign file) wash to the same callable numbers as the plain CSV.
/// The tools come from scripts/install-deps.
final class ScrubDeliveryTests: XCTestCase {
    private var folder: URL!

    private func write(_ name: String, _ text: String) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private func run(_ arguments: [String]) throws -> RunResult { try runNixwash(arguments, in: folder) }

    /// Runs a system tool in the test folder; a missing tool skips the test, saying which.
    private func tool(_ arguments: [String]) throws {
        try shell(arguments.map { "'\($0)'" }.joined(separator: " "))
    }

    private func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 || message.contains("No module named") {
            throw XCTSkip("a tool of `\(command)` is missing (\(message)): run scripts/install-deps")
        }
        XCTAssertEqual(process.terminationStatus, 0, "\(command): \(message)")
    }

    /// The callable e164 numbers and the rejects' (raw number, reason) of a wash.
    private func wash(_ inputs: [String], extra: [String] = [], out: String) throws -> (callable: [String], rejects: [String], report: [String: Any]) {
        let result = try run(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1",
                              "--contact-centre", "k1", "--nix", "nix.idx", "--out", out] + extra + inputs)
        XCTAssertEqual(result.status, 0, result.stderr)
        func read(_ name: String, _ columns: [String]) throws -> [String] {
            var values: [String] = []
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(out).path).sorted()
            where file.hasPrefix(name) {
                let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent(out + "/" + file).path),
                                           options: CSVOptions(requireDataRows: false))
                let at = columns.map { reader.header.firstIndex(of: $0)! }
                while let record = try reader.next() { values.append(at.map { record.string($0) }.joined(separator: " ")) }
            }
            return values.sorted()
        }
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(out + "/report.json"))) as! [String: Any]
        return (try read("callable", ["e164", "source"]), try read("rejects", ["raw_number", "reason"]), report)
    }

    private let rows: [(id: Int, phone: String, source: String)] = [
        (1, "070-123 45 67", "Säljbolaget"), (2, "0701234568", "B"), (3, "+46701234569", "B"), (4, "0701234570", "B"),
        (5, "0900-123456", "B"), (6, "070-12", "B"), (7, "08-123 456 78", "Åsa & Co, \"AB\""), (8, "0701234567", "B"),
    ]

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try write("register.txt", "0701234568\n")
        XCTAssertEqual(try run(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                "--out", "nix.idx", "register.txt"]).status, 0)
        try write("leads.csv", "id;telefon;kalla\n" + rows.map { "\($0.id);\($0.phone);\"\($0.source.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: "\n") + "\n")
    }

    func testWorkbookZipAndUTF16WashLikeThePlainCSV() throws {
        let plain = try wash(["leads.csv"], out: "plain")
        XCTAssertEqual(plain.callable.count, 4, "\(plain.callable)")

        // openpyxl writes numbers as numbers: 46701234569 must keep every digit.
        let cells = rows.map { row in
            "[\(row.id), \(row.id == 3 ? "46701234569" : "'\(row.phone)'"), '''\(row.source)''']"
        }.joined(separator: ", ")
        try write("make.py", """
            import openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "Leads"
            for row in [["id", "telefon", "kalla"], \(cells)]:
                ws.append(row)
            wb.create_sheet("Tomt")
            other = wb.create_sheet("Annat")
            other.append(["telefon", "kalla"])
            other.append(["0731234567", "C"])
            wb.save("leads.xlsx")
            """)
        try tool(["python3", "make.py"])
        let book = try wash(["leads.xlsx"], extra: ["--sheet", "Leads"], out: "book")
        XCTAssertEqual(book.callable, plain.callable)
        XCTAssertEqual(book.rejects, plain.rejects)
        let bookInput = (book.report["inputs"] as! [[String: Any]])[0]
        XCTAssertEqual(bookInput["path"] as? String, "leads.xlsx:Leads")
        XCTAssertEqual(bookInput["container"] as? String, "xlsx")
        XCTAssertEqual(bookInput["output_encoding"] as? String, "utf-8")
        let noWorkbook = try run(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1",
                                  "--contact-centre", "k1", "--nix", "nix.idx", "--out", "nope", "--sheet", "Leads", "leads.csv"])
        XCTAssertEqual(noWorkbook.status, 64)
        XCTAssertTrue(noWorkbook.stderr.contains("no lead list is an xlsx workbook"), noWorkbook.stderr)
        let everySheet = try wash(["leads.xlsx"], out: "every")
        XCTAssertEqual((everySheet.report["inputs"] as! [[String: Any]]).map { $0["path"] as! String }, ["leads.xlsx:Leads", "leads.xlsx:Annat"])

        try tool(["cp", "leads.csv", "second.csv"])
        try tool(["zip", "-q", "leads.zip", "leads.csv"])
        let zipped = try wash(["leads.zip"], out: "zipped")
        XCTAssertEqual(zipped.callable, plain.callable)
        XCTAssertEqual(zipped.rejects, plain.rejects)
        XCTAssertEqual((zipped.report["inputs"] as! [[String: Any]])[0]["path"] as? String, "leads.zip:leads.csv")
        // A README beside the lead list is named, with what to do with the archive.
        try write("README.txt", "Leads for November\nSent by the vendor\n")
        try tool(["zip", "-q", "with-readme.zip", "leads.csv", "README.txt"])
        let withReadme = try run(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1",
                                  "--contact-centre", "k1", "--nix", "nix.idx", "--out", "readme", "with-readme.zip"])
        XCTAssertEqual(withReadme.status, 64)
        XCTAssertTrue(withReadme.stderr.contains("with-readme.zip:README.txt: this member of the archive has no column"), withReadme.stderr)
        XCTAssertTrue(withReadme.stderr.contains("Take it out of the archive"), withReadme.stderr)

        // glibc's iconv writes UTF-16 little-endian with its byte order mark (Excel's "Unicode text").
        try shell("iconv -f UTF-8 -t UTF-16 leads.csv > leads-le.txt && test \"$(head -c 2 leads-le.txt | od -An -tx1 | tr -d ' ')\" = fffe")
        try shell("{ printf '\\376\\377'; iconv -f UTF-8 -t UTF-16BE leads.csv; } | gzip > leads-be.txt.gz")
        for name in ["leads-le.txt", "leads-be.txt.gz"] {
            let unicode = try wash([name], out: "u-" + name)
            XCTAssertEqual(unicode.callable, plain.callable, name)
            XCTAssertEqual(unicode.rejects, plain.rejects, name)
            let input = (unicode.report["inputs"] as! [[String: Any]])[0]
            XCTAssertEqual(input["encoding"] as? String, name.hasSuffix(".gz") ? "utf-16be" : "utf-16le")
            XCTAssertEqual(input["output_encoding"] as? String, "utf-8")
        }
        // Inspect names the container, encoding and delimiter.
        let inspected = try run(["inspect", "leads.zip", "leads-le.txt", "leads.xlsx"])
        XCTAssertEqual(inspected.status, 0, inspected.stderr)
        for text in ["container    zip archive leads.zip, member leads.csv", "encoding     utf-16le", "sheet Leads", "sheet Annat", "delimiter ';'", "delimiter ','"] {
            XCTAssertTrue(inspected.stdout.contains(text), "\(text) in \(inspected.stdout)")
        }
    }

    func testPipeWithATrailingDelimiterAndFoldersAndPatterns() throws {
        let plain = try wash(["leads.csv"], out: "plain")
        // Every data line ends in a delimiter, the header does not.
        try write("vendor/pipe.txt", "id|telefon|kalla\n" + rows.map { "\($0.id)|\($0.phone)|\"\($0.source.replacingOccurrences(of: "\"", with: "\"\""))\"|" }.joined(separator: "\n") + "\n")
        try write("vendor/.hidden.csv", "not a lead list")
        let piped = try wash(["vendor"], out: "piped")
        XCTAssertEqual(piped.callable, plain.callable)
        XCTAssertEqual(piped.rejects, plain.rejects)
        let input = (piped.report["inputs"] as! [[String: Any]])[0]
        XCTAssertEqual(input["delimiter"] as? String, "|")
        XCTAssertEqual(input["trailing_delimiter_rows"] as? Int, rows.count)
        let callable = try String(decoding: gunzip(folder.appendingPathComponent("piped/callable.csv.gz")), as: UTF8.self)
        XCTAssertTrue(callable.hasPrefix("id|telefon|kalla|e164|"), callable)
        XCTAssertTrue(callable.contains("\n1|070-123 45 67|Säljbolaget|+46701234567|"), callable)
        XCTAssertTrue(callable.contains("\n7|08-123 456 78|\"Åsa & Co, \"\"AB\"\"\"|+46812345678|"), callable)

        // A pattern in a campaign file's leads is expanded as the shell would.
        try write("campaign.json", #"{"call_date": "2026-11-23", "campaign": "c1", "offer": "o1", "contact_centre": "k1", "nix_index": "nix.idx", "leads": ["vendor/*.txt"]}"#)
        let fromFile = try run(["scrub", "-q", "--config", "campaign.json", "--out", "from-file"])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("from-file/report.json"))) as! [String: Any]
        XCTAssertEqual((report["inputs"] as! [[String: Any]]).map { $0["path"] as! String }, ["./vendor/pipe.txt"])
    }

    func testTheSameLeadsTwiceAreRefusedNamingBothAndPublishNothing() throws {
        try tool(["ln", "leads.csv", "hardlink.csv"])
        try tool(["cp", "leads.csv", "copy.csv"])
        for (inputs, first, second) in [(["leads.csv", "hardlink.csv"], "leads.csv", "hardlink.csv"),
                                        (["leads.csv", "copy.csv"], "leads.csv", "copy.csv"),
                                        (["leads.csv", "."], "leads.csv", "./hardlink.csv")] {
            let result = try run(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1",
                                  "--contact-centre", "k1", "--nix", "nix.idx", "--out", "out"] + inputs)
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains("\(second): is the same file as \(first)"), result.stderr)
            XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: folder.path).contains { $0.hasPrefix("out") || $0.hasPrefix(".out") })
        }
    }

    private func gunzip(_ url: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc '\(url.path)'"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
