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
        let report = try LeadFileInspection.inspect(path: url.path)
        XCTAssertEqual(report.rows, 4)
        XCTAssertEqual(report.blankLines, 1)
        XCTAssertEqual(report.delimiter, ";")
        XCTAssertEqual(report.encoding, "utf-8")
        XCTAssertEqual(report.malformedRows, 2)
        XCTAssertEqual(report.firstMalformedRows, [
            .init(line: 4, column: nil, problem: "has 2 fields, the header has 3"),
            .init(line: 5, column: 29, problem: CSVProblem(line: 5, column: 29).message),
        ])
        XCTAssertEqual(report.columns.map(\.role), ["other", "other", "other"])
        XCTAssertEqual(report.unnamedPhoneLikeColumns.map(\.name), ["nr"])
        XCTAssertFalse(report.headerLooksLikeData)
    }
}
