import XCTest
@testable import NixWashKit

/// What counts as a phone number outside the phone columns (`PhoneContent`): whole numbers in
/// every written form do; identity numbers, postal codes, dates, amounts and short ids do not.
final class ScrubPhoneContentTests: XCTestCase {
    private let content = PhoneContent(normalizer: PhoneNormalizer())

    private func kind(_ text: String) -> PhoneContent.Kind {
        var text = text
        return text.withUTF8 { content.kind(of: UnsafeRawBufferPointer($0)) }
    }

    /// A personnummer (YYMMDD + three digits) with its Luhn check digit.
    static func identityNumber(_ nine: String) -> String {
        var sum = 0
        for (i, char) in nine.enumerated() {
            var digit = Int(String(char))! * (i % 2 == 0 ? 2 : 1)
            if digit > 9 { digit -= 9 }
            sum += digit
        }
        return nine + String((10 - sum % 10) % 10)
    }

    func testWholePhoneNumbersInEveryWrittenForm() {
        for text in ["0701234567", "070-123 45 67", "+46701234567", "0046701234567", "46701234567", "701234567",
                     "08-123 456 78", "031-840 751 0", "+46 (0)70 123 45 67", "070.123.45.67", "+47 412 34 567",
                     " 0701234567", "Tel: 0701234567", "mobil 070-123 45 67", "tfn.0701234567"] {
            XCTAssertEqual(kind(text), .phoneNumber, text)
        }
    }

    func testPostalCodesDatesAmountsAndIdsAreNotPhoneNumbers() {
        for text in ["123 45", "12345", "2026-10-01", "20261001", "01.10.2026", "1/10/2026", "2026-10-01 12:00",
                     "1234.50", "450000.00", "1 234,50", "12345678", "1234567", "100234", "1000001", "87654321",
                     "Storgatan 7", "070-12", "Anna"] {
            XCTAssertEqual(kind(text), .other, text)
        }
    }

    /// A notes column with a number inside its text would hand an agent a number nobody washed.
    func testAPhoneNumberInsideATextIsFound() {
        for text in ["ring 0701234567", "0701234567 eller 0731234567", "ring efter 17 på 073-060 66 21",
                     "0701234567 (kväll)", "Nytt nr: +46 70 123 45 67.", "070-123 45 67 08-123 456 78",
                     "Kontakt via växeln 08-123 456 78, fråga efter Anna",
                     String(repeating: "lång anteckning ", count: 5) + "0701234567"] {
            XCTAssertEqual(kind(text), .phoneNumberInText, text)
        }
        for text in ["order 12345678 levererad", "Storgatan 7, 123 45 Umeå", "född 800101-\(Self.identityNumber("800101123").suffix(4))",
                     "belopp 1 234 567 kr", "2026-10-01 08:00 ring tillbaka", "ref A0701234567", "kund sedan 2019, 3 avtal",
                     "0701234567abc", String(repeating: "x", count: 60)] {
            XCTAssertEqual(kind(text), .other, text)
        }
    }

    func testPersonalIdentityNumbersAreCountedApart() {
        for nine in ["800101123", "460315123", "050315123", "121212121"] {
            let ten = Self.identityNumber(nine)
            let dashed = ten.prefix(6) + "-" + ten.suffix(4)
            for text in [String(dashed), "19" + ten, "19" + dashed, "20" + ten] {
                XCTAssertEqual(kind(text), .identityNumber, text)
            }
            // Ten bare digits may be both; then they count as a phone number too.
            XCTAssertTrue([.identityNumber, .phoneOrIdentityNumber].contains(kind(ten)), ten)
        }
        XCTAssertEqual(kind(Self.identityNumber("050315123")), .phoneOrIdentityNumber)
        // 460315-123x reads as a Göteborg number once its check digit is wrong.
        XCTAssertEqual(kind("460315-1230") == .identityNumber && kind("460315-1231") == .identityNumber, false)
    }

    /// What the phone columns repair (Excel's marks, `.0`, scientific notation) is a phone
    /// number outside them too; digits lost in scientific notation cannot be checked, so a
    /// value long enough to have been a phone number counts as one.
    func testNumbersAsExcelWritesThemArePhoneNumbers() {
        for text in ["0701329315.0", "46701329315.0", "+46701329315,00", "=\"0701329315\"", "'0701329315",
                     "4.6701329315E+10", "4,6701329315e+10", "4.67013E+10", " 0701329315.0 "] {
            XCTAssertEqual(kind(text), .phoneNumber, text)
        }
        for text in ["1234.00", "1.5E+3", "2.5E+05", "'Anna", "=\"Anna\"", "12345678.0", "'2026-10-01", "1234567.0"] {
            XCTAssertEqual(kind(text), .other, text)
        }
    }

    /// Bare ten-digit identity numbers of people born 2000-2009 read as phone numbers too.
    func testAColumnOfIdentityNumbersIsNotAPhoneColumnThoughSomeParse() {
        var counts = ColumnContentCounts(columns: 2)
        var line: UInt64 = 1
        for year in 40...99 {
            for day in 10...28 {
                line += 1
                var text = Self.identityNumber("0\(year % 10)03\(day)12\(year % 10)")
                counts.count(text.withUTF8 { content.kind(of: UnsafeRawBufferPointer($0)) }, column: 0, line: line)
                var phone = "0701234567"
                if line == 500 { counts.count(phone.withUTF8 { content.kind(of: UnsafeRawBufferPointer($0)) }, column: 1, line: line) }
            }
        }
        XCTAssertTrue(counts.isIdentityColumn(0))
        XCTAssertFalse(counts.holdsPhoneNumbers(0))
        XCTAssertTrue(counts.holdsPhoneNumbers(1))
        XCTAssertEqual(counts.firstPhoneLine[1], 500)
        XCTAssertGreaterThan(counts.phoneNumbers[0], 0)

        // A value that can only be a phone number is never excused by an identity column.
        var withPhone = counts
        var written = "070-132 93 15"
        withPhone.count(written.withUTF8 { content.kind(of: UnsafeRawBufferPointer($0)) }, column: 0, line: 2000)
        XCTAssertTrue(withPhone.isIdentityColumn(0))
        XCTAssertTrue(withPhone.holdsPhoneNumbers(0))
        XCTAssertEqual(withPhone.wholePhoneNumbers(0).count, 1)
        XCTAssertEqual(withPhone.wholePhoneNumbers(0).firstLine, 2000)

        // One number that could be either, among notes, is a phone number.
        var notes = ColumnContentCounts(columns: 1)
        var text = Self.identityNumber("070123456")
        notes.count(text.withUTF8 { content.kind(of: UnsafeRawBufferPointer($0)) }, column: 0, line: 2)
        XCTAssertTrue(notes.holdsPhoneNumbers(0))
    }
}
