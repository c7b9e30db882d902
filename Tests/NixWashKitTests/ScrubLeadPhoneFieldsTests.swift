import XCTest
@testable import NixWashKit

/// Excel's artefacts and lists of numbers in one phone field (LeadPhoneFields).
final class ScrubLeadPhoneFieldsTests: XCTestCase {
    let fields = LeadPhoneFields(defaultCountry: .sweden)

    /// Every number of `text`, with the repairs applied and its raw text.
    func read(_ text: String, restoringLeadingZero: Bool = false) -> [(parsed: PhoneParseResult, repairs: [ExcelRepair], raw: String)] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { field in
            var more: [FieldNumber] = []
            let first = fields.read(field, restoringLeadingZero: restoringLeadingZero, more: &more)
            return ([first] + more).map { ($0.parsed, $0.repairs.repairs, String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)) }
        }
    }

    func mobile(_ e164: UInt64) -> PhoneParseResult {
        .valid(NormalizedNumber(key: PhoneKey(rawValue: e164), country: .sweden, type: .mobile))
    }

    func testEachExcelRepairGivesTheNumberAndNamesItself() {
        let cases: [(String, [ExcelRepair])] = [
            ("=\"0701234567\"", [.formulaText]),
            ("'0701234567", [.apostrophe]),
            ("46701234567.0", [.decimalZero]),
            ("46701234567,00", [.decimalZero]),
            ("+46701234567.0", [.decimalZero]),
            ("4.6701234567E+10", [.scientificNotation]),
            ("4,6701234567e10", [.scientificNotation]),
            ("=\"070-123 45 67\"", [.formulaText]),
        ]
        for (text, repairs) in cases {
            let numbers = read(text)
            XCTAssertEqual(numbers.count, 1, text)
            XCTAssertEqual(numbers.first?.parsed, mobile(46701234567), text)
            XCTAssertEqual(numbers.first?.repairs, repairs, text)
            XCTAssertEqual(numbers.first?.raw, text, "the raw text is the field as written")
        }
        XCTAssertEqual(read("701234567.0", restoringLeadingZero: true).first?.repairs, [.decimalZero, .leadingZero])
        XCTAssertEqual(read("7.01234567E+08", restoringLeadingZero: true).first?.repairs, [.leadingZero, .scientificNotation])
    }

    func testAFieldWithNoArtefactIsReadAsItIs() {
        for text in ["070-123 45 67", "0701234567", "+46 (0)70 123 45 67", "070.123.45.67", "070/123 45 67", "46701234567"] {
            let numbers = read(text)
            XCTAssertEqual(numbers.map(\.parsed), [mobile(46701234567)], text)
            XCTAssertEqual(numbers.first?.repairs, [], text)
        }
    }

    func testScientificNotationWithLostDigitsIsInvalidAndSaysSo() {
        for text in ["4.67012E+10", "4,67012E+10", "4.67E10"] {
            XCTAssertEqual(read(text).map(\.parsed), [.invalid(.digitsLostInScientificNotation)], text)
        }
        XCTAssertEqual(PhoneRejection.digitsLostInScientificNotation.detail, "digits lost in scientific notation (Excel).")
        // A fraction is no number: left to the normalizer (letters).
        XCTAssertEqual(read("4.67012345678E+10").map(\.parsed), [.invalid(.letters)])
    }

    func testTheLeadingZeroComesBackOnlyInAColumnThatLostItAndOnlyForNineDigitMobileOrFixedNumbers() {
        XCTAssertEqual(read("701234567").map(\.parsed), [.invalid(.noTrunkZero)])
        let restored = read("701234567", restoringLeadingZero: true)
        XCTAssertEqual(restored.map(\.parsed), [mobile(46701234567)])
        XCTAssertEqual(restored.first?.repairs, [.leadingZero])
        XCTAssertEqual(read("812345678", restoringLeadingZero: true).first?.repairs, [.leadingZero], "Stockholm fixed line")
        // Eight digits (081234567 would be 9 with its 0), freephone 20..., premium 900...: not restored.
        XCTAssertEqual(read("81234567", restoringLeadingZero: true).map(\.parsed), [.invalid(.noTrunkZero)])
        XCTAssertEqual(read("201234567", restoringLeadingZero: true).first?.repairs, [])
        XCTAssertEqual(read("939123456", restoringLeadingZero: true).first?.repairs, [])
    }

    func testAColumnRestoresTheZeroOnlyWhenMostOfItsValuesLostIt() {
        func decide(_ values: [String]) -> Bool {
            let buffers = values.map { Array($0.utf8) }
            let pointers = buffers.map { bytes in
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
                copy.copyBytes(from: bytes)
                return UnsafeRawBufferPointer(copy)
            }
            defer { pointers.forEach { $0.deallocate() } }
            return fields.restoresLeadingZero(pointers)
        }
        XCTAssertTrue(decide(["701234567", "739876543", "0701112233", "", "812345678"]))
        XCTAssertFalse(decide(["701234567", "0739876543", "0701112233", "812345678"]), "half is not most")
        XCTAssertFalse(decide(["100000001", "100000002", "100000003"]), "ids that are no mobile or fixed-line numbers")
        XCTAssertFalse(decide(["", " "]))
    }

    func testSeveralNumbersInOneFieldAreEachRead() {
        let stockholm = PhoneParseResult.valid(NormalizedNumber(key: PhoneKey(rawValue: 46812345678), country: .sweden, type: .fixedLine))
        for separator in [" / ", ", ", ";", " och ", " OR ", "/"] {
            let text = "070-123 45 67\(separator)08-123 456 78"
            let numbers = read(text)
            XCTAssertEqual(numbers.map(\.parsed), [mobile(46701234567), stockholm], text)
            XCTAssertEqual(numbers.map(\.raw), ["070-123 45 67", "08-123 456 78"], text)
        }
        let three = read("0701234567, saknas, '0812345678")
        XCTAssertEqual(three.map(\.raw), ["0701234567", "saknas", "'0812345678"])
        XCTAssertEqual(three.map(\.parsed), [mobile(46701234567), .invalid(.letters), stockholm])
        XCTAssertEqual(three[2].repairs, [.apostrophe])
        XCTAssertEqual(read("0701234567,").map(\.raw), ["0701234567"], "a stray separator")
        XCTAssertEqual(read("070-123 45 67 ankn 12").map(\.parsed), [.invalid(.letters)], "no list separator: one invalid field")
    }

    func testTheSeparatorBeforeEachNumberIsKeptForTheCallableField() {
        let text = Array("0701234567 / 0812345678 och 0739876543".utf8)
        text.withUnsafeBytes { field in
            var more: [FieldNumber] = []
            let first = fields.read(field, restoringLeadingZero: false, more: &more)
            XCTAssertEqual(more.count, 2)
            XCTAssertEqual(String(decoding: text[more[1].separatorStart..<more[1].end], as: UTF8.self), " och 0739876543")
            XCTAssertEqual(first.start, 0)
        }
    }
}
