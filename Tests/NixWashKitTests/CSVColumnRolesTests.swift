import XCTest
@testable import NixWashKit

/// Which columns are phone columns: the header-name model, duplicate names, explicit and
/// declared columns (`ColumnRoles`).
final class CSVColumnRolesTests: XCTestCase {
    func testPhoneNamesInAnyCaseAndPunctuation() {
        let phoneNames = [
            "Alt. telefon", "Tel arb", "TelefonHem", "Telefon (mobil)", "alt_phone", "telefon", "Telefon 2", "tel",
            "TFN", "Mobil 1", "MOBILNUMMER", "mobilnr", "phone_number", "PhoneNumber", "Mobile No", "cell",
            "Cell phone", "GSM", "msisdn", "Hemtelefon", "tfn_hem", "Telefon arbete", "work_phone", "home phone",
            "Tel.nr", "Telefonnr.", "nummer", "Telefon nummer", "TELEFON-ALT", "Tlf", "Mobiltelefon", "Fast telefon",
            "Telefon, kund", "Arb.tel", "Alternativ telefonnummer",
        ]
        for name in phoneNames { XCTAssertTrue(ColumnRoles.isPhoneName(name), name) }
        let otherNames = [
            "Förnamn", "Efternamn", "Adress", "Postnr", "Ort", "Källa", "Kundnr", "Kundnummer", "Personnummer",
            "Nr", "No", "E-post", "email", "Hotel", "Telefonist", "Mobility", "Cellar", "Telefontyp", "Phone type",
            "Tel kommentar", "Telefon status", "Anteckning", "Belopp", "Datum", "", "Teleoperatör",
        ]
        for name in otherNames { XCTAssertFalse(ColumnRoles.isPhoneName(name), name) }
    }

    func testEveryPhoneColumnIsWashedInAutomaticMode() throws {
        let header = ["namn", "Telefon (mobil)", "Tel arb", "postnr", "alt_phone", "Kontakt", "källa"]
        let roles = try ColumnRoles.resolve(header: header, path: "x.csv", byContent: [5])
        XCTAssertEqual(roles.phoneColumns, [1, 2, 4, 5])
        XCTAssertEqual(roles.phoneColumnsByContent, [5])
        XCTAssertEqual(roles.sourceColumn, 6)
        let declared = try ColumnRoles.resolve(header: header, path: "x.csv", notPhoneColumns: ["tel ARB"], byContent: [5])
        XCTAssertEqual(declared.phoneColumns, [1, 4, 5])
        XCTAssertEqual(declared.declaredNotPhone, [2])
    }

    func testDuplicateHeadersAreAllWashedAndNamedByPosition() throws {
        let header = ["telefon", "namn", "telefon", "källa"]
        let roles = try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["telefon"])
        XCTAssertEqual(roles.phoneColumns, [0, 2])
        XCTAssertEqual(ColumnRoles.displayName(of: 0, header: header), "telefon#1")
        XCTAssertEqual(ColumnRoles.displayName(of: 2, header: header), "telefon#2")
        XCTAssertEqual(ColumnRoles.displayName(of: 1, header: header), "namn")
        XCTAssertEqual(try ColumnRoles.resolve(header: header, path: "x.csv").phoneColumns, [0, 2])
        // One of them declared by position: the other is washed.
        let one = try ColumnRoles.resolve(header: header, path: "x.csv", notPhoneColumns: ["telefon#2"])
        XCTAssertEqual(one.phoneColumns, [0])
        XCTAssertEqual(one.declaredNotPhone, [2])
        XCTAssertThrowsError(try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["telefon#3"]))
    }

    func testExplicitPhoneColumnsRefuseAnotherPhoneColumnUnlessDeclared() throws {
        let header = ["namn", "telefon", "Alt. telefon", "Kontakt", "källa"]
        XCTAssertThrowsError(try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["telefon"], byContent: [3])) { error in
            XCTAssertEqual(error as? NixWashError, .unwashedPhoneColumns(
                path: "x.csv", columns: [UnwashedColumn(name: "Alt. telefon", foundBy: .name),
                                         UnwashedColumn(name: "Kontakt", foundBy: .content)],
                washed: ["telefon"]))
            let message = messageNamingSettings(error)
            for words in ["'Alt. telefon'", "'Kontakt'", "<phoneColumn> 'telefon' <phoneColumn> 'Alt. telefon' <phoneColumn> 'Kontakt'",
                          "<notPhoneColumn> 'Alt. telefon' <notPhoneColumn> 'Kontakt'", "phone_columns", "not_phone_columns",
                          "nothing was published"] {
                XCTAssertTrue(message.contains(words), "\(words) not in: \(message)")
            }
            XCTAssertEqual((error as? NixWashError)?.kind, .usage)
        }
        let declared = try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["telefon"],
                                               notPhoneColumns: ["Alt. telefon", "Kontakt"], byContent: [3])
        XCTAssertEqual(declared.phoneColumns, [1])
        XCTAssertEqual(declared.declaredNotPhone, [2, 3])
        let both = try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["telefon", "alt. telefon", "Kontakt"], byContent: [3])
        XCTAssertEqual(both.phoneColumns, [1, 2, 3])
        XCTAssertThrowsError(try ColumnRoles.resolve(header: header, path: "x.csv", phoneColumns: ["telefon"], notPhoneColumns: ["telefon"]))
        XCTAssertThrowsError(try ColumnRoles.resolve(header: header, path: "x.csv", notPhoneColumns: ["fax"])) { error in
            XCTAssertTrue(error.localizedDescription.contains("no column named 'fax'"))
        }
    }
}
