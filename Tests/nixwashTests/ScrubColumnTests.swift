import Foundation
import NixWashKit
import XCTest

/// End to end, the cases of issue 13 as vendors deliver them: phone columns under names that
/// are not on any list, found by content, repeated, named with others left over, numbers that
/// appear only after the sample; lists that are not phone columns; broken deliveries; Latin-1.
final class ScrubColumnTests: XCTestCase {
    private var folder: URL!
    static let nixNumber = "0702222222"
    static let blockNumber = "0704444444"

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try write("register.txt", "46702222222\n0705555555\n")
        try write("block.csv", "telefonnummer\n\(Self.blockNumber)\n")
        for arguments in [
            ["index", "build", "--kind", "nix", "--label", "NIX-Telefon", "--register-date", "2026-11-01", "--out", "nix.idx", "register.txt"],
            ["index", "build", "--kind", "block", "--label", "Kundspärr", "--out", "block.idx", "block.csv"],
        ] {
            let result = try runNixwash(arguments, in: folder)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
        }
    }

    private func scrub(_ arguments: [String], out: String = "out") throws -> RunResult {
        try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c", "--offer", "o", "--contact-centre", "k",
                        "--nix", "nix.idx", "--block", "block.idx", "--out", out] + arguments, in: folder)
    }

    private func rows(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent(path).path),
                                   options: CSVOptions(requireDataRows: false))
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append((0..<record.count).map { record.string($0) }) }
        return (reader.header, rows)
    }

    private func report(_ out: String = "out") throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(out + "/report.json"))) as! [String: Any]
    }

    private func input(_ out: String = "out") throws -> [String: Any] {
        (try report(out)["inputs"] as! [[String: Any]])[0]
    }

    private func assertNothingPublished(file: StaticString = #filePath, line: UInt = #line) throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("out") || $0.hasPrefix(".out") }
        XCTAssertEqual(left, [], file: file, line: line)
    }

    private func assertMentions(_ text: String, _ words: [String], file: StaticString = #filePath, line: UInt = #line) {
        for word in words { XCTAssertTrue(text.contains(word), "'\(word)' not in: \(text)", file: file, line: line) }
    }

    // MARK: §1 phone columns

    /// A NIX number in a notes column would reach the agent who reads the notes.
    func testANumberInsideANotesTextRefusesTheRunUntilTheColumnIsWashedOrDeclared() throws {
        // The note with the number is far after the sample of the first 1,000 rows.
        var text = "id;telefon;notering;källa\n"
        for i in 0..<1_500 { text += "\(i);070111\(String(format: "%04d", i));ring efter 17;V\n" }
        text += "9999;0709999999;nytt nr \(Self.nixNumber) enligt kund;V\n"
        try write("leads.csv", text)
        let refused = try scrub(["leads.csv"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        assertMentions(refused.stderr, ["'notering'", "phone number inside their text", "line 1502",
                                        "--not-phone-column 'notering'", "--phone-column 'notering'"])
        try assertNothingPublished()

        let washed = try scrub(["--phone-column", "telefon", "--phone-column", "notering", "leads.csv"])
        XCTAssertEqual(washed.status, 0, washed.stderr)
        let callable = try rows("out/callable.csv.gz")
        XCTAssertFalse(callable.rows.contains { $0[2].contains(Self.nixNumber) }, "the note with the NIX number was not emptied")
        XCTAssertEqual(callable.rows.count, 1_501)

        let declared = try scrub(["--not-phone-column", "notering", "leads.csv"], out: "declared")
        XCTAssertEqual(declared.status, 0, declared.stderr)
        XCTAssertEqual(try input("declared")["not_phone_columns"] as? [String], ["notering"])
    }

    func testEveryPhoneHeaderShapeIsWashedInAutomaticMode() throws {
        for shape in ["Alt. telefon", "Tel arb", "TelefonHem", "Telefon (mobil)", "alt_phone"] {
            try write("leads.csv", "namn;telefon;\(shape);källa\nAnna;0701111111;\(Self.nixNumber);V1\nBo;0703333333;;V1\nCia;0706666666;\(Self.blockNumber);V1\n")
            let result = try scrub(["--replace", "leads.csv"])
            XCTAssertEqual(result.status, 0, "\(shape): \(result.stderr)")
            let callable = try rows("out/callable.csv.gz")
            XCTAssertEqual(callable.rows.map { $0[2] }, ["", "", ""], shape)
            let rejects = try rows("out/rejects.csv.gz")
            let column = rejects.header.firstIndex(of: "phone_column")!, reason = rejects.header.firstIndex(of: "reason")!
            XCTAssertEqual(rejects.rows.map { [$0[0], $0[column], $0[reason]] }, [["Anna", shape, "nix"], ["Cia", shape, "company_block"]], shape)
            XCTAssertEqual(try input()["phone_columns"] as? [String], ["telefon", shape])
        }
    }

    func testNamedPhoneColumnsRefuseAnotherPhoneColumnUntilItIsDeclared() throws {
        try write("leads.csv", "namn;telefon;Alt. telefon;källa\nAnna;0701111111;\(Self.nixNumber);V1\nBo;0703333333;;V1\n")
        let refused = try scrub(["--phone-column", "telefon", "leads.csv"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        assertMentions(refused.stderr, ["leads.csv", "'Alt. telefon'", "--phone-column 'telefon' --phone-column 'Alt. telefon'",
                                        "--not-phone-column 'Alt. telefon'", "phone_columns", "not_phone_columns"])
        try assertNothingPublished()

        let declared = try scrub(["--phone-column", "telefon", "--not-phone-column", "Alt. telefon", "leads.csv"])
        XCTAssertEqual(declared.status, 0, declared.stderr)
        XCTAssertEqual(try input()["not_phone_columns"] as? [String], ["Alt. telefon"])
        XCTAssertEqual(try input()["phone_columns"] as? [String], ["telefon"])
        let html = try String(contentsOf: folder.appendingPathComponent("out/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("telefon; declared not to hold numbers to call, not washed: Alt. telefon"), html)
        // Declared: the user said the column holds no number to call, so it passes as it is.
        XCTAssertEqual(try rows("out/callable.csv.gz").rows[0][2], Self.nixNumber)

        // The same from the campaign file.
        try write("campaign.json", """
            {"call_date": "2026-11-23", "campaign": "c", "offer": "o", "contact_centre": "k", "nix_index": "nix.idx",
             "phone_columns": ["telefon"], "not_phone_columns": ["Alt. telefon"], "leads": ["leads.csv"], "output": "out2"}
            """)
        let fromFile = try runNixwash(["scrub", "-q", "--config", "campaign.json"], in: folder)
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertEqual(try input("out2")["not_phone_columns"] as? [String], ["Alt. telefon"])
        // Both named: both washed.
        let both = try scrub(["--phone-column", "telefon", "--phone-column", "Alt. telefon", "--out", "out3", "leads.csv"])
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertEqual(try rows("out3/callable.csv.gz").rows[0][2], "")
    }

    func testAColumnOfPhoneNumbersIsFoundByItsContentWhateverItsName() throws {
        var text = "namn;telefon;Kontakt;källa\n"
        for i in 0..<20 { text += "N\(i);07011\(String(format: "%05d", i));073\(String(format: "%07d", i));V1\n" }
        text += "Nix;0701199999;\(Self.nixNumber);V1\n"
        try write("leads.csv", text)
        let washed = try scrub(["leads.csv"])
        XCTAssertEqual(washed.status, 0, washed.stderr)
        XCTAssertEqual(try input()["phone_columns"] as? [String], ["telefon", "Kontakt"])
        XCTAssertEqual(try input()["phone_columns_by_content"] as? [String], ["Kontakt"])
        let html = try String(contentsOf: folder.appendingPathComponent("out/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains(">telefon, Kontakt (found by content); source: "), html)
        let rejects = try rows("out/rejects.csv.gz")
        XCTAssertEqual(rejects.rows.map { $0[0] }, ["Nix"])
        XCTAssertEqual(rejects.rows[0][rejects.header.firstIndex(of: "phone_column")!], "Kontakt")

        let refused = try scrub(["--phone-column", "telefon", "--out", "out-named", "leads.csv"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        assertMentions(refused.stderr, ["'Kontakt'", "most of its first rows are phone numbers", "--not-phone-column 'Kontakt'"])
    }

    func testColumnsOfTheSameNameAreAllWashedAndReportedByPosition() throws {
        try write("leads.csv", "telefon;namn;telefon;källa\n0701111111;Anna;\(Self.nixNumber);V1\n0703333333;Bo;0706666666;V1\n")
        let result = try scrub(["--phone-column", "telefon", "leads.csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try input()["phone_columns"] as? [String], ["telefon#1", "telefon#2"])
        let rejects = try rows("out/rejects.csv.gz")
        XCTAssertEqual(rejects.rows.count, 1)  // the NIX number in the second column
        let column = rejects.header.firstIndex(of: "phone_column")!
        XCTAssertEqual(rejects.rows.first { $0[1] == "Anna" }?[column], "telefon#2")
        XCTAssertEqual(try rows("out/callable.csv.gz").rows.first { $0[1] == "Anna" }?[2], "")

        // Declaring the name the two share would leave both unwashed on one word: refused.
        let declared = try scrub(["--phone-column", "telefon#1", "--not-phone-column", "telefon", "--out", "out-declared", "leads.csv"])
        XCTAssertEqual(declared.status, 64, declared.stderr)
        assertMentions(declared.stderr, ["--not-phone-column 'telefon' names 2 columns", "--not-phone-column 'telefon#2'"])
        let one = try scrub(["--phone-column", "telefon#1", "--not-phone-column", "telefon#2", "--out", "out-one", "leads.csv"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(try input("out-one")["not_phone_columns"] as? [String], ["telefon#2"])
    }

    func testPhoneNumbersThatAppearOnlyAfterTheSampleFailTheRunAtTheEnd() throws {
        var text = "namn;telefon;Anteckning;källa\n"
        for i in 0..<1500 {
            let note = (1200..<1211).contains(i) ? "070-2\(String(format: "%02d", i % 100)) 00 00" : (i % 3 == 0 ? "ring efter 17" : "")
            text += "N\(i);070\(String(format: "%07d", i));\(note);V1\n"
        }
        try write("leads.csv", text)
        let refused = try scrub(["leads.csv"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        // Row i is on line i + 2 (the header is line 1).
        assertMentions(refused.stderr, ["leads.csv", "'Anteckning'", "11 of its fields are phone numbers", "the first on line 1202",
                                        "--not-phone-column 'Anteckning'", "nothing was published"])
        try assertNothingPublished()
        let declared = try scrub(["--not-phone-column", "Anteckning", "leads.csv"])
        XCTAssertEqual(declared.status, 0, declared.stderr)

        // A single number among notes in the first rows is refused before anything is written.
        try write("notes.csv", "namn;telefon;Anteckning;källa\nA;0701111111;ring efter 17;V1\nB;0701111112;\(Self.nixNumber);V1\nC;0701111113;gift;V1\n")
        let early = try scrub(["--out", "out-notes", "notes.csv"])
        XCTAssertEqual(early.status, 64, early.stderr)
        assertMentions(early.stderr, ["'Anteckning'", "1 of its fields is a phone number, on line 3"])
    }

    func testIdentityNumbersPostalCodesDatesAmountsAndIdsAreNotPhoneColumns() throws {
        func identityNumber(_ nine: String) -> String {
            var sum = 0
            for (i, char) in nine.enumerated() {
                var digit = Int(String(char))! * (i % 2 == 0 ? 2 : 1)
                if digit > 9 { digit -= 9 }
                sum += digit
            }
            return nine + String((10 - sum % 10) % 10)
        }
        // Neutral names, so only the content can decide.
        var text = "namn;a;b;c;d;e;f;g;h;telefon;källa\n"
        for i in 0..<300 {
            let id = identityNumber("46\(String(format: "%02d", i % 12 + 1))\(String(format: "%02d", i % 28 + 1))\(String(format: "%03d", i))")
            let dashed = id.prefix(6) + "-" + id.suffix(4)
            let long = "19" + identityNumber("\(50 + i % 40)0101\(String(format: "%03d", i))")
            let postal = "\(100 + i % 800) \(String(format: "%02d", i % 100))"
            let date = "2026-\(String(format: "%02d", i % 12 + 1))-\(String(format: "%02d", i % 28 + 1))"
            let day = "\(String(format: "%02d", i % 28 + 1)).\(String(format: "%02d", i % 12 + 1)).2026"
            let amount = "\(1000 + i * 37).\(String(format: "%02d", i % 100))"
            let customer = "\(100000 + i)"
            let longId = "\(12_000_000 + i * 7)"
            text += "N\(i);\(dashed);\(long);\(postal);\(date);\(day);\(amount);\(customer);\(longId);070\(String(format: "%07d", i));V1\n"
        }
        try write("leads.csv", text)
        let result = try scrub(["leads.csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try input()["phone_columns"] as? [String], ["telefon"])
        XCTAssertEqual(try input()["phone_columns_by_content"] as? [String], [])
    }

    /// A phone number hidden among identity numbers, or written as Excel writes numbers, in a
    /// column nobody named: the phone columns would wash it, so the run is refused.
    func testAPhoneNumberAmongIdentityNumbersOrInExcelsFormIsNotLetThrough() throws {
        func identityNumber(_ nine: String) -> String {
            var sum = 0
            for (i, char) in nine.enumerated() {
                var digit = Int(String(char))! * (i % 2 == 0 ? 2 : 1)
                if digit > 9 { digit -= 9 }
                sum += digit
            }
            return nine + String((10 - sum % 10) % 10)
        }
        for hidden in ["070-132 93 15", "0701329315.0", "4.6701329315E+10", "'0701329315"] {
            var text = "namn;telefon;pnr;kundnr;källa\n"
            for i in 0..<40 {
                let id = identityNumber("46\(String(format: "%02d", i % 12 + 1))\(String(format: "%02d", i % 28 + 1))\(String(format: "%03d", i))")
                let identity = i == 7 && hidden == "070-132 93 15" ? hidden : String(id.prefix(6) + "-" + id.suffix(4))
                let customer = i == 7 && hidden != "070-132 93 15" ? hidden : "K\(String(format: "%05d", i))"
                text += "N\(i);070\(String(format: "%07d", i));\(identity);\(customer);V1\n"
            }
            try write("leads.csv", text)
            let refused = try scrub(["leads.csv"])
            XCTAssertEqual(refused.status, 64, hidden + ": " + refused.stderr)
            assertMentions(refused.stderr, [hidden == "070-132 93 15" ? "column 'pnr'" : "column 'kundnr'", "is a phone number, on line 9", "--not-phone-column"])
        }
    }

    // MARK: §4 broken deliveries

    func testAListWithMoreMalformedRowsThanAllowedIsRefused() throws {
        var text = "namn;telefon;källa\n"
        for i in 0..<100 { text += i == 10 || i == 50 ? "N\(i),070\(String(format: "%07d", i)),V1\n" : "N\(i);070\(String(format: "%07d", i));V1\n" }
        try write("leads.csv", text)
        let refused = try scrub(["leads.csv"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        assertMentions(refused.stderr, ["leads.csv", "2 of 100 rows (2.00 %) are malformed", "--max-malformed-share 0.01 (1 %)",
                                        "lines 12, 52", "2 rows have fewer", "delimiter", "nothing was published"])
        try assertNothingPublished()
        let allowed = try scrub(["--max-malformed-share", "0.02", "leads.csv"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertEqual(try input()["malformed_rows"] as? Int, 2)
        XCTAssertEqual(try report()["max_malformed_share"] as? Double, 0.02)
        try write("campaign.json", """
            {"call_date": "2026-11-23", "campaign": "c", "offer": "o", "contact_centre": "k", "nix_index": "nix.idx",
             "max_malformed_share": 0.05, "leads": ["leads.csv"], "output": "out2"}
            """)
        let fromFile = try runNixwash(["scrub", "-q", "--config", "campaign.json"], in: folder)
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        let invalid = try scrub(["--max-malformed-share", "5", "leads.csv"])
        XCTAssertEqual(invalid.status, 64, invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("--max-malformed-share must be between 0 and 1"), invalid.stderr)
    }

    func testAListInTheWrongDialectIsRefusedNotWashed() throws {
        // A comma header over semicolon rows: every row is ragged.
        var text = "namn,telefon,källa\n"
        for i in 0..<50 { text += "N\(i);070\(String(format: "%07d", i)),V1;x\n" }
        try write("leads.csv", text)
        let refused = try scrub(["leads.csv"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        assertMentions(refused.stderr, ["50 of 50 rows", "read with ','", "--delimiter"])
        try assertNothingPublished()
    }

    // MARK: shapes that would put a lead unwashed, or a stale dialer column, in the callable list

    /// Without a header line the first lead would become the column names: written out, never washed.
    func testAListWithoutAHeaderLineIsRefused() throws {
        try write("leads.csv", "\(Self.nixNumber);V1\n0701111111;V1\n")
        let refused = try scrub(["--phone-column", "telefon", "leads.csv"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        assertMentions(refused.stderr, ["leads.csv: line 1, column 1 is the phone number '\(Self.nixNumber)'", "no header line",
                                        "Add a header line"])
        try assertNothingPublished()
        // A number written as Excel or a vendor writes it is one too.
        try write("leads.csv", "Anna;Tel: 070-111 11 11;V1\nBo;0703333333;V1\n")
        let labelled = try scrub(["leads.csv"])
        XCTAssertEqual(labelled.status, 64, labelled.stderr)
        assertMentions(labelled.stderr, ["line 1, column 2 is the phone number 'Tel: 070-111 11 11'"])
        // A first lead whose number is missing or broken: its column holds numbers below it.
        let rows = (0..<30).map { "N\($0);070\(String(format: "%07d", $0));V1\n" }.joined()
        for first in ["Anna;;V1", "Anna;070-12;V1"] {
            try write("leads.csv", first + "\n" + rows)
            let refused = try scrub(["leads.csv"])
            XCTAssertEqual(refused.status, 64, refused.stderr)
            assertMentions(refused.stderr, ["column 2 holds phone numbers, but its name on line 1 is", "no header line"])
            try assertNothingPublished()
        }
        // Digits in a header that are no phone number are names like any other.
        try write("leads.csv", "namn;telefon;2026-11-01;12345;källa\nAnna;0701111111;x;y;V1\n")
        XCTAssertEqual(try scrub(["leads.csv"]).status, 0)
    }

    /// Washing yesterday's callable list again: its `not_before` would sit before today's, and
    /// a dialer that takes the first column of a name would call too early.
    func testALeadColumnNamedLikeAColumnForTheDialerIsRefused() throws {
        try write("leads.csv", "namn;telefon;källa\nAnna;0701111111;V1\n")
        XCTAssertEqual(try scrub(["leads.csv"]).status, 0)
        let again = try scrub(["--out", "again", "out/callable.csv.gz"])
        XCTAssertEqual(again.status, 64, again.stderr)
        assertMentions(again.stderr, ["out/callable.csv.gz: column 6 is named 'attempts_left_today'", "two of them",
                                      "Remove or rename the column"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("again").path))
        for name in ["Not before", "NIX-exemption"] {
            try write("leads.csv", "namn;telefon;\(name);källa\nAnna;0701111111;2026-11-20 08:00;V1\n")
            let refused = try scrub(["--out", "other", "leads.csv"])
            XCTAssertEqual(refused.status, 64, refused.stderr)
            assertMentions(refused.stderr, ["column 3 is named '\(name)'"])
        }
    }

    /// The file name is no answer to a consumer who asks where the number came from.
    func testARowWithAnEmptySourceRefusesTheRunUnlessASourceIsGiven() throws {
        try write("leads.csv", "namn;telefon;källa\nAnna;0701111111;V1\nBo;0703333333; \n")
        let refused = try scrub(["leads.csv"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        assertMentions(refused.stderr, ["leads.csv: line 3: the source column 'källa' is empty", "--source"])
        try assertNothingPublished()
        // A tab or a no-break space shows nothing either.
        for blank in ["\t", "\u{A0}"] {
            try write("leads.csv", "namn;telefon;källa\nAnna;0701111111;V1\nBo;0703333333;\(blank)\n")
            let shown = try scrub(["leads.csv"])
            XCTAssertEqual(shown.status, 64, shown.stderr)
            try assertNothingPublished()
        }
        let given = try scrub(["--source", "Listköp AB", "leads.csv"])
        XCTAssertEqual(given.status, 0, given.stderr)
        XCTAssertEqual(try rows("out/callable.csv.gz").rows.map { $0[4] }, ["V1", "Listköp AB"])
    }

    /// A name that differs from the header's only in spaces or case is pointed at; a header of
    /// one column says the delimiter is likely not one nixwash reads.
    func testColumnMessagesPointAtTheLikelyMistake() throws {
        try write("leads.csv", "namn;telefon ;källa\nAnna;0701111111;V1\n")
        let near = try scrub(["--phone-column", "telefon", "leads.csv"])
        XCTAssertEqual(near.status, 64, near.stderr)
        assertMentions(near.stderr, ["no column named 'telefon'", "Did you mean 'telefon '?"])
        try write("spaces.csv", "namn telefon källa\nAnna 0701111111 V1\n")
        let one = try scrub(["spaces.csv"])
        XCTAssertEqual(one.status, 64, one.stderr)
        assertMentions(one.stderr, ["The header is a single column", "--delimiter"])
    }

    /// JSON keeps one of two values of a key without a word: a second `block_indexes` would
    /// drop the block list.
    func testACampaignFileKeyGivenTwiceIsRefused() throws {
        try write("leads.csv", "namn;telefon;källa\nAnna;\(Self.blockNumber);V1\n")
        try write("campaign.json", """
            {"call_date": "2026-11-23", "campaign": "c", "offer": "o", "contact_centre": "k", "nix_index": "nix.idx",
             "block_indexes": ["block.idx"], "leads": ["leads.csv"], "output": "out",
             "block_indexes": []}
            """)
        let refused = try runNixwash(["scrub", "-q", "--config", "campaign.json"], in: folder)
        XCTAssertEqual(refused.status, 64, refused.stderr)
        assertMentions(refused.stderr, ["campaign.json", "line 3: the key 'block_indexes' is given twice"])
        try assertNothingPublished()
    }

    // MARK: §5 one encoding per output file

    func testALatin1ListGetsLatin1OutputsNixwashsOwnWordsIncluded() throws {
        var bytes = Array("Namn,Telefon,Ort\n".utf8)
        bytes += [0xC5] + Array("sa,0701111111,G".utf8) + [0xF6] + Array("teborg\n".utf8)
        bytes += Array("Bo,\(Self.blockNumber),Ume".utf8) + [0xE5] + Array("\n".utf8)
        bytes += Array("Cia,07012,".utf8) + [0xC4] + Array("lmhult\n".utf8)
        try Data(bytes).write(to: folder.appendingPathComponent("latin1.csv"))
        let result = try scrub(["--source", "Telefonlistan Åby", "latin1.csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let encodings = try report()["output_encodings"] as? [String: String]
        XCTAssertEqual(encodings?["callable.csv.gz"], "latin-1")
        XCTAssertEqual(encodings?["rejects.csv.gz"], "latin-1")
        XCTAssertEqual(encodings?["report.json"], "utf-8")
        for name in ["callable.csv.gz", "rejects.csv.gz"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "gzip -dc '\(folder.appendingPathComponent("out/" + name).path)'"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let content = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            XCTAssertNil(String(bytes: content, encoding: .utf8), "\(name) must not be UTF-8")
            let text = String(decoding: content.map { UInt16($0) }, as: UTF16.self)  // Latin-1 is the first 256 code points
            XCTAssertTrue(text.contains("Telefonlistan Åby"), "\(name): \(text)")
            XCTAssertFalse(text.contains("Ã"), "\(name) holds UTF-8 read as Latin-1: \(text)")
            if name == "rejects.csv.gz" { XCTAssertTrue(text.contains("on the block list Kundspärr"), text) }
        }

        // A source Latin-1 cannot hold (an en dash) would be written with '?': refused, not changed.
        let dash = try scrub(["--source", "Telefonlistan – Åby", "--out", "out-dash", "latin1.csv"])
        XCTAssertEqual(dash.status, 64, dash.stderr)
        assertMentions(dash.stderr, ["latin1.csv", "the source 'Telefonlistan – Åby'", "('–')", "save the list as UTF-8"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out-dash").path))
    }
}
