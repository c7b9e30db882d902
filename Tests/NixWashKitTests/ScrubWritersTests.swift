import XCTest
@testable import NixWashKit

/// `RowWriter` and `OutputPair` alone: verdicts made by hand in, the rows of the callable and
/// rejects files out.
final class ScrubWritersTests: XCTestCase {
    private let callDate = LocalDate("2026-11-23")!
    private var folder: URL!
    private var lists: WashLists!
    private var rules: VerdictRules!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
        let nix = folder.appendingPathComponent("nix.idx").path
        try writeIndex([46_701_111_111], to: nix, label: "NIX-test", registerDate: Int32(callDate.daysSinceEpoch - 1))
        let block = folder.appendingPathComponent("block.idx").path
        try writeIndex([46_702_222_222], to: block, kind: .block, label: "own;list", registerDate: nil)
        var c = ScrubConfiguration(leadFiles: [], outputFolder: folder.appendingPathComponent("out").path, callDate: callDate,
                                   campaign: "vinter", offer: "bredband", contactCentre: "kc", nixIndex: nix)
        c.blockIndexes = [block]
        lists = try WashLists(configuration: c)
        rules = VerdictRules(profile: c.profile, callDate: callDate)
    }

    private func verdict(_ text: String, duplicate: Bool = false, facts: NumberFacts = .none) -> NumberVerdict {
        let parsed = Array(text.utf8).withUnsafeBytes { PhoneNormalizer(defaultCountry: .sweden).normalize($0) }
        return rules.verdict(parsed, duplicate: duplicate, facts: facts)
    }

    /// Writes through a pair for a lead list `csv`: `write` gets the writer and each record in
    /// turn. Returns the lines of the callable and rejects files.
    private func write(_ csv: String, path: String = "leads.csv", pair index: Int = 0,
                       names: (String, String) = ("callable", "rejects"),
                       _ write: (RowWriter, CSVRecord) throws -> Void) throws -> (callable: [String], rejects: [String]) {
        let input = folder.appendingPathComponent("in.csv")
        try writeFile(input, bytes(csv))
        let reader = try CSVReader(input: InputFile(path: input.path))
        let output = try OutputFolder(path: folder.appendingPathComponent("out-\(UUID().uuidString)").path, marker: "report.json", inputs: [])
        let workers = CompressionWorkers(level: 1)
        defer { workers.shutdown() }
        let pair = try OutputPair(index: index, names: names, dialect: reader.dialect, header: reader.headerFields,
                                  encoding: .utf8, folder: output, workers: workers)
        let writer = RowWriter(pair: pair, wording: RejectWording(lists: lists, rules: rules), path: path,
                               columnNames: reader.header)
        while let record = try reader.next() { try write(writer, record) }
        try pair.finish()
        return (try systemGunzipLines(output.path(for: pair.callableName)), try systemGunzipLines(output.path(for: pair.rejectsName)))
    }

    private let callableHeader = "namn;telefon;mobil;" + OutputColumns.callable.joined(separator: ";")
    private let rejectsHeader = "namn;telefon;mobil;" + OutputColumns.rejects.joined(separator: ";")

    func testARejectRowIsTheInputRowThenWhereTheNumberWasAndWhy() throws {
        let nix = verdict("0701111111", facts: NumberFacts(inNix: true))
        let (callable, rejects) = try write("namn;telefon;mobil\nAnna;0701111111;\n", path: "a;b.csv") { writer, record in
            try writer.writeReject(record, column: 1, raw: record.field(1), number: nix.number?.key, reasons: nix.reasons,
                                   detail: writer.detail(of: nix), source: 0, sourceBytes: Array("vendor-a".utf8))
            try writer.endRow(record, callable: nil, phoneColumns: [1, 2], source: [], detail: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        XCTAssertEqual(callable, [callableHeader])
        XCTAssertEqual(rejects, [rejectsHeader,
                                 "Anna;0701111111;;\"a;b.csv\";2;telefon;0701111111;+46701111111;nix;nix;"
                                     + "nix: in the register NIX-test of 2026-11-22, no exemption applies;vendor-a"])
    }

    func testEveryReasonIsListedAndTheDetailNamesTheBlockList() throws {
        let both = verdict("0702222222", duplicate: true, facts: NumberFacts(blockLists: 1))
        let (_, rejects) = try write("namn;telefon;mobil\nBo;0702222222;\n") { writer, record in
            try writer.writeReject(record, column: 1, raw: record.field(1), number: both.number?.key, reasons: both.reasons,
                                   detail: writer.detail(of: both), source: 0, sourceBytes: [])
        }
        XCTAssertEqual(rejects.last, "Bo;0702222222;;leads.csv;2;telefon;0702222222;+46702222222;duplicate;duplicate|company_block;"
                           + "\"duplicate: the number already appeared earlier in this run; company_block: on the block list own;list\";")
    }

    /// A dropped field is written empty, a kept part replaces its field, and both are
    /// forgotten for the next row.
    func testTheCallableRowWithoutItsRejectedNumbers() throws {
        let callableVerdict = verdict("0703333333")
        var row = 0
        let (callable, _) = try write("namn;telefon;mobil\nCia;0701111111;0703333333 / 0701111111\nDan;0704444444;0705555555\n") { writer, record in
            row += 1
            if row == 1 {
                writer.dropField(1)
                writer.keepOnly(Array("0703333333".utf8), inField: 2)
            }
            try Array("mobil: 1 of 2 numbers in the field callable".utf8).withUnsafeBytes { detail in
                try writer.endRow(record, callable: callableVerdict, phoneColumns: [1, 2], source: Array("vendor-b".utf8), detail: detail)
            }
        }
        XCTAssertEqual(callable, [
            callableHeader,
            "Cia;;0703333333;+46703333333;vendor-b;2;2026-11-23T08:00:00+01:00;;mobil: 1 of 2 numbers in the field callable",
            "Dan;0704444444;0705555555;+46703333333;vendor-b;2;2026-11-23T08:00:00+01:00;;mobil: 1 of 2 numbers in the field callable",
        ])
    }

    func testEqualCasesGetEqualWordsAndANoteIsAddedToTheWords() throws {
        let history = NumberHistory(campaignAttemptsInWindow: 20, centreAttemptsOnCallDate: 0, lastCentreAttemptOnCallDate: nil,
                                    otherCampaignsWithSameOffer: 0)
        let a = verdict("0704444444", facts: NumberFacts(history: history))
        let b = verdict("0705555555", facts: NumberFacts(history: history))
        let more = NumberHistory(campaignAttemptsInWindow: 21, centreAttemptsOnCallDate: 0, lastCentreAttemptOnCallDate: nil,
                                 otherCampaignsWithSameOffer: 0)
        let (stillCallable, pull) = try write("namn;telefon;mobil\nEva;0704444444;\n", pair: 1, names: ("still-callable", "pull")) { writer, _ in
            let words = String(decoding: writer.detail(of: a), as: UTF8.self)
            XCTAssertEqual(words, "quota_30d: 20 attempts in the campaign vinter in the 30 days to 2026-11-23 (limit 20)")
            XCTAssertEqual(writer.detail(of: b), writer.detail(of: a))
            XCTAssertNotEqual(writer.detail(of: verdict("0705555555", facts: NumberFacts(history: more))), writer.detail(of: a))
            XCTAssertEqual(String(decoding: writer.detail(of: a, note: "repaired: a leading 0 restored"), as: UTF8.self),
                           "\"" + words + "; repaired: a leading 0 restored\"", "quoted: the dialect's delimiter is in it")
        }
        XCTAssertEqual(stillCallable, ["namn;telefon;mobil;" + OutputColumns.callable.joined(separator: ";")])
        XCTAssertEqual(pull, [rejectsHeader])
    }
}
