import XCTest
@testable import NixWashKit

final class InspectTests: XCTestCase {
    func testColumnRolesFromSwedishAndEnglishNames() throws {
        let header = ["Förnamn", "Telefon 1", "MOBILNUMMER", "Källa", "phone_number", "Postnr"]
        let roles = try ColumnRoles.resolve(header: header, path: "x.csv")
        XCTAssertEqual(roles.phoneColumns, [1, 2, 4])
        XCTAssertEqual(roles.sourceColumn, 3)
        let explicit = try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["postnr"],
                                               notPhoneColumns: ["Telefon 1", "mobilnummer", "phone_number"], sourceColumn: "Förnamn")
        XCTAssertEqual(explicit, ColumnRoles(phoneColumns: [5], sourceColumn: 0, declaredNotPhone: [1, 2, 4]))
        XCTAssertThrowsError(try ColumnRoles.resolve(header: ["namn", "ort"], path: "x.csv")) { error in
            XCTAssertEqual(error as? NixWashError, .noPhoneColumn(path: "x.csv", header: ["namn", "ort"]))
        }
        XCTAssertThrowsError(try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["fax"])) { error in
            XCTAssertTrue(error.localizedDescription.contains("no column named 'fax'"))
        }
    }

    func testEncodingGuess() {
        func guess(_ bytes: [UInt8]) -> String {
            var g = EncodingGuess()
            bytes.withUnsafeBytes { g.observe($0) }
            return g.name
        }
        XCTAssertEqual(guess(Array("Anna".utf8)), "ascii")
        XCTAssertEqual(guess(Array("Åsa Öberg".utf8)), "utf-8")
        XCTAssertEqual(guess([0xC5, 0x73, 0x61]), "latin-1")
        XCTAssertEqual(guess([0x41, 0xC3]), "latin-1")
    }

    func testInspectionCountsRowsMalformedRowsAndPhoneLikeColumns() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("delivery.csv")
        try writeFile(url, bytes("namn;nr;ort\n\nAnna;070-123 45 67;Umeå\nBo;0701234568\nCia;+46 8 123 456 78;\"Sthlm\" C\nDan;0731234567;Ed\n"))
        let report = try XCTUnwrap(LeadFileInspection.inspect(path: url.path).first)
        XCTAssertEqual(report.rows, 4)
        XCTAssertEqual(report.blankLines, 1)
        XCTAssertEqual(report.delimiter, ";")
        XCTAssertEqual(report.encoding, "utf-8")
        XCTAssertEqual(report.malformedRows, 2)
        XCTAssertEqual(report.firstMalformedRows, [
            .init(line: 4, column: nil, problem: "has 2 fields, the header has 3"),
            .init(line: 5, column: 29, problem: CSVProblem(line: 5, column: 29).message),
        ])
        // `nr` is not a phone name, but its values are phone numbers: a scrub washes it.
        XCTAssertEqual(report.columns.map(\.role), ["other", "phone", "other"])
        XCTAssertEqual(report.phoneColumnsByName, [])
        XCTAssertEqual(report.phoneColumnsByContent, ["nr"])
        XCTAssertEqual(report.unnamedPhoneLikeColumns.map(\.name), [])
        XCTAssertEqual(report.malformedShare, 0.5)
        XCTAssertEqual(report.suggestedScrubSettings, [.init(setting: .source, value: "delivery")])
        XCTAssertFalse(report.headerLooksLikeData)
    }

    func testInspectionShowsTheRepairsAScrubWouldMakeAndTheOptionsItNeeds() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("excel export.csv")
        try writeFile(url, bytes("""
            id;mobil;telefon;anteckning
            1;701234567;'0812345678;ring efter 17
            2;739876543;46701112233.0;
            3;0701112234;070-1234567 / 08-123 456 78;
            4;701234569;4.67012E+10;0701234570
            5;701234571;812345679;

            """))
        let report = try XCTUnwrap(LeadFileInspection.inspect(path: url.path).first)
        XCTAssertEqual(report.phoneColumnsByName, ["mobil", "telefon"])
        XCTAssertEqual(report.leadingZeroColumns, ["mobil"])
        XCTAssertEqual(report.excelArtefacts, [
            "excel_formula_text": 0, "excel_apostrophe": 1, "excel_decimal_zero": 1, "excel_leading_zero": 4,
            "excel_scientific_notation": 0, "excel_digits_lost": 1,
        ])
        XCTAssertEqual(report.fieldsWithSeveralNumbers, 1)
        XCTAssertEqual(report.numbersWithoutTrunkZero, 1, "812345679 in telefon, where most values have their 0")
        // A number in the notes column: a scrub would refuse the list unless it is washed too.
        XCTAssertEqual(report.unwashedPhoneColumns, ["anteckning"])
        XCTAssertEqual(report.suggestedScrubSettings, [
            .init(setting: .phoneColumn, value: "mobil"), .init(setting: .phoneColumn, value: "telefon"),
            .init(setting: .phoneColumn, value: "anteckning"), .init(setting: .source, value: "excel export"),
        ])
        // Spelled by the library, the settings name no flag; the value is one shell word.
        XCTAssertEqual(report.suggestedScrubSettings.map { $0.spelled(naming: \.description) }, [
            "the phone column setting mobil", "the phone column setting telefon", "the phone column setting anteckning",
            "the source setting 'excel export'",
        ])
    }
}
