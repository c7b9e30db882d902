import Foundation
import NixWashKit
import XCTest

/// End to end: Excel's artefacts in phone fields are undone, counted and named, and a field
/// with several numbers gives each its verdict (docs/lead-deliveries.md, "Excel" and "Several
/// numbers in one field").
final class ScrubExcelRepairTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        try Data("0701234568\n".utf8).write(to: folder.appendingPathComponent("register.txt"))
        XCTAssertEqual(try runNixwash(["index", "build", "--kind", "nix", "--label", "NIX", "--register-date", "2026-11-01",
                                       "--out", "nix.idx", "register.txt"], in: folder).status, 0)
    }

    private struct Wash {
        var callable: [[String: String]]
        var rejects: [[String: String]]
        var totals: [String: Any]
    }

    private func wash(_ csv: String, name: String) throws -> Wash {
        try Data(csv.utf8).write(to: folder.appendingPathComponent(name + ".csv"))
        let result = try runNixwash(["scrub", "-q", "--call-date", "2026-11-23", "--campaign", "c1", "--offer", "o1",
                                     "--contact-centre", "k1", "--nix", "nix.idx", "--source", "S", "--out", name, name + ".csv"],
                                    in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        func rows(_ file: String) throws -> [[String: String]] {
            let reader = try CSVReader(input: InputFile(path: folder.appendingPathComponent("\(name)/\(file)").path),
                                       options: CSVOptions(requireDataRows: false))
            var rows: [[String: String]] = []
            while let record = try reader.next() {
                rows.append(Dictionary(uniqueKeysWithValues: reader.header.enumerated().map { ($0.element, record.string($0.offset)) }))
            }
            return rows
        }
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("\(name)/report.json"))) as! [String: Any]
        return Wash(callable: try rows("callable.csv.gz"), rejects: try rows("rejects.csv.gz"), totals: report["totals"] as! [String: Any])
    }

    func testEachExcelArtefactWashesLikeThePlainNumberAndIsCountedAndNamed() throws {
        let plain = try wash("id;telefon\n1;0701234567\n2;0739876543\n3;0701112233\n4;0701234568\n5;0812345678\n", name: "plain")
        // The same numbers as an Excel export leaves them; `="…"` quoted as CSV quotes a field with quotes.
        let excel = try wash("id;telefon\n1;\"=\"\"0701234567\"\"\"\n2;'0739876543\n3;46701112233.0\n4;4.6701234568E+10\n5;4.67012E+10\n",
                             name: "excel")
        XCTAssertEqual(plain.callable.map { $0["e164"]! }, ["+46701234567", "+46739876543", "+46701112233", "+46812345678"])
        XCTAssertEqual(excel.callable.map { $0["e164"]! }, ["+46701234567", "+46739876543", "+46701112233"])
        XCTAssertEqual(excel.callable.map { $0["detail"]! }, [
            "telefon: excel_formula_text: =\"…\" unwrapped",
            "telefon: excel_apostrophe: leading apostrophe removed",
            "telefon: excel_decimal_zero: .0 removed",
        ])
        XCTAssertEqual(excel.callable.map { $0["telefon"]! }, ["=\"0701234567\"", "'0739876543", "46701112233.0"], "fields pass through")
        XCTAssertEqual(plain.callable.map { $0["detail"]! }, ["", "", "", ""])
        // The NIX number written out from scientific notation is rejected as nix, and says it was repaired.
        let nix = try XCTUnwrap(excel.rejects.first { $0["id"] == "4" })
        XCTAssertEqual(nix["reason"], "nix")
        XCTAssertTrue(nix["detail"]!.hasSuffix("repaired: excel_scientific_notation: scientific notation written out (no digit was lost)"), nix["detail"]!)
        let lost = try XCTUnwrap(excel.rejects.first { $0["id"] == "5" })
        XCTAssertEqual(lost["reason"], "invalid_number")
        XCTAssertEqual(lost["raw_number"], "4.67012E+10")
        XCTAssertTrue(lost["detail"]!.contains("digits lost in scientific notation (Excel)"), lost["detail"]!)
        XCTAssertEqual(excel.totals["excel_artefacts"] as? [String: Int], [
            "excel_formula_text": 1, "excel_apostrophe": 1, "excel_decimal_zero": 1, "excel_leading_zero": 0,
            "excel_scientific_notation": 1, "excel_digits_lost": 1,
        ])
        XCTAssertEqual(plain.totals["excel_artefacts"] as? [String: Int], [
            "excel_formula_text": 0, "excel_apostrophe": 0, "excel_decimal_zero": 0, "excel_leading_zero": 0,
            "excel_scientific_notation": 0, "excel_digits_lost": 0,
        ])
    }

    func testTheLeadingZeroComesBackOnlyInAColumnWhereMostValuesLostIt() throws {
        // `mobil` is an Excel export (3 of 4 values lost their 0); in `telefon` one value did.
        let both = try wash("id;mobil;telefon\n1;701234567;0812345678\n2;739876543;\n3;0701112233;\n4;701234569;812345679\n",
                            name: "zeros")
        XCTAssertEqual(both.callable.map { $0["e164"]! }, ["+46701234567", "+46739876543", "+46701112233", "+46701234569"])
        XCTAssertEqual(both.callable[0]["detail"], "mobil: excel_leading_zero: leading 0 restored (most values of the column are written without it)")
        XCTAssertEqual(both.callable[2]["detail"], "", "a value with its 0 is no repair")
        let telefon = try XCTUnwrap(both.rejects.first { $0["raw_number"] == "812345679" })
        XCTAssertEqual(telefon["reason"], "invalid_number")
        XCTAssertTrue(telefon["detail"]!.contains("without its leading 0"), telefon["detail"]!)
        XCTAssertEqual(both.callable[3]["telefon"], "", "the rejected number's field is emptied")
        XCTAssertEqual((both.totals["excel_artefacts"] as? [String: Int])?["excel_leading_zero"], 3)
    }

    func testEveryNumberOfAFieldIsJudgedAndTheCallableRowKeepsTheCallableOnes() throws {
        let listed = try wash("""
            id;telefon
            1;070-123 45 67 / 070-123 45 68
            2;0739876543, 0739876544 och 08-123 456 78
            3;0701234570,
            4;0701112233 or 070-12
            """ + "\n", name: "listed")
        // Row 1: the second is in NIX. Row 3's field is one number and a stray separator.
        XCTAssertEqual(listed.callable.map { $0["id"]! }, ["1", "2", "3", "4"])
        XCTAssertEqual(listed.callable.map { $0["telefon"]! },
                       ["070-123 45 67", "0739876543, 0739876544 och 08-123 456 78", "0701234570,", "0701112233"])
        XCTAssertEqual(listed.callable.map { $0["e164"]! }, ["+46701234567", "+46739876543", "+46701234570", "+46701112233"])
        XCTAssertEqual(listed.callable[0]["detail"], "telefon: 1 of 2 numbers in the field callable, the others removed")
        XCTAssertEqual(listed.callable[1]["detail"], "telefon: 3 numbers in the field, all callable")
        XCTAssertEqual(listed.rejects.map { "\($0["id"]!) \($0["raw_number"]!) \($0["reason"]!)" },
                       ["1 070-123 45 68 nix", "4 070-12 invalid_number"])
        XCTAssertTrue(listed.rejects[0]["detail"]!.hasSuffix("number 2 of 2 in the field"), listed.rejects[0]["detail"]!)
        XCTAssertEqual(listed.totals["numbers_in"] as? Int, 8)
        XCTAssertEqual(listed.totals["numbers_callable"] as? Int, 6)
        XCTAssertEqual(listed.totals["fields_with_several_numbers"] as? Int, 3)
        XCTAssertEqual(listed.totals["rows_in"] as? Int, 4)
    }
}
