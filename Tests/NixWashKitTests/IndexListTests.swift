import Foundation
import XCTest
@testable import NixWashKit

private func day(_ text: String) -> Int32 { DayNumber.parse(text)! }
private func key(_ raw: UInt64) -> PhoneKey { PhoneKey(rawValue: raw) }

final class IndexListTests: XCTestCase {
    // MARK: Customer and consent lookups

    func testCustomerAgreementLatestMatchingRow() {
        let list = CustomerList(entries: [
            (key(46_701_111_111), day("2025-01-31"), "El"),
            (key(46_701_111_111), day("2026-03-01"), "Bredband"),
            (key(46_702_222_222), nil, nil),
            (key(46_702_222_222), day("2020-01-01"), nil),
            (key(46_703_333_333), day("2026-06-30"), nil),
            (key(46_703_333_333), day("2026-07-31"), " el "),
        ])
        let any = list.category(nil)
        XCTAssertEqual(list.agreementEnd(for: key(46_701_111_111), category: any), .ended(day: day("2026-03-01")))
        XCTAssertEqual(list.agreementEnd(for: key(46_701_111_111), category: list.category("EL")), .ended(day: day("2025-01-31")))
        // A category the list does not know matches only rows without a category.
        XCTAssertNil(list.agreementEnd(for: key(46_701_111_111), category: list.category("Försäkring")))
        XCTAssertEqual(list.agreementEnd(for: key(46_703_333_333), category: list.category("Försäkring")), .ended(day: day("2026-06-30")))
        XCTAssertEqual(list.agreementEnd(for: key(46_703_333_333), category: list.category("el")), .ended(day: day("2026-07-31")))
        // An active agreement wins over any end date.
        XCTAssertEqual(list.agreementEnd(for: key(46_702_222_222), category: list.category("El")), .active)
        XCTAssertNil(list.agreementEnd(for: key(46_709_999_999), category: any))
        XCTAssertEqual(list.categories, ["El", "Bredband"])
        XCTAssertEqual(list.table.count, 3)
        XCTAssertEqual(list.table.rowCount, 6)
    }

    func testConsentLatestOnOrBeforeTheDay() {
        let list = ConsentList(entries: [
            (key(46_701_111_111), day("2026-08-01")),
            (key(46_701_111_111), day("2026-10-15")),
            (key(46_701_111_111), day("2026-12-24")),
        ])
        XCTAssertEqual(list.latestConsent(for: key(46_701_111_111), onOrBefore: day("2026-11-21")), day("2026-10-15"))
        XCTAssertEqual(list.latestConsent(for: key(46_701_111_111), onOrBefore: day("2027-01-01")), day("2026-12-24"))
        XCTAssertNil(list.latestConsent(for: key(46_701_111_111), onOrBefore: day("2026-07-31")))
        XCTAssertNil(list.latestConsent(for: key(46_701_111_112), onOrBefore: day("2027-01-01")))
        XCTAssertNil(ConsentList(entries: []).latestConsent(for: key(46_701_111_111), onOrBefore: 0))
    }

    /// The in-memory lookup agrees with a dictionary for random rows.
    func testNumberRowsAgreeWithDictionary() {
        var random = SplitMix64(seed: 11)
        for count in [0, 1, 2, 50, 3000] {
            var entries: [(key: PhoneKey, row: Int32)] = []
            var expected: [UInt64: [Int32]] = [:]
            for i in 0..<count {
                let raw = 46_700_000_000 + random.below(UInt64(count) * 3 + 1)
                entries.append((key(raw), Int32(i)))
                expected[raw, default: []].append(Int32(i))
            }
            let rows = NumberRows(entries)
            for raw in 46_699_999_990...(46_700_000_010 + UInt64(count) * 3) {
                XCTAssertEqual(Array(rows.rows(for: key(raw))), expected[raw] ?? [], "key \(raw) of \(count)")
            }
        }
    }

    func testNumberRowsWithOneRowPerNumber() {
        let entries = (0..<500).map { (key: key(46_700_000_000 + UInt64($0) * 7), row: Int32($0)) }
        let rows = NumberRows(entries)
        XCTAssertTrue(rows.view.oneRowPerKey)
        for (i, entry) in entries.enumerated() {
            XCTAssertEqual(Array(rows.rows(for: entry.key)), [Int32(i)])
            XCTAssertEqual(Array(rows.rows(for: key(entry.key.rawValue + 1))), [])
        }
    }

    // MARK: Reading files

    private func file(_ name: String, _ text: String, gzip: Bool = false) throws -> String {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent(name)
        try writeFile(url, gzip ? try gzipBytes(bytes(text)) : bytes(text))
        return url.path
    }

    private func read(_ path: String, _ options: ListReadingOptions = ListReadingOptions()) throws -> ([UInt64], ListFileSummary) {
        var keys: [UInt64] = []
        let summary = try ListReading.readNumbers(path: path, role: .register, options: options, into: &keys)
        return (keys, summary)
    }

    func testOneNumberALineWithoutHeader() throws {
        let path = try file("nix.txt", "070-123 45 67\r\n+46701234568\r\n\r\n0046 8 123 456 78\r\n")
        let (keys, summary) = try read(path)
        XCTAssertEqual(keys, [46_701_234_567, 46_701_234_568, 46_812_345_678])
        XCTAssertTrue(summary.headerless)
        XCTAssertEqual(summary.source.lines, 3)
        XCTAssertEqual(summary.source.numbers, 3)
        XCTAssertEqual(summary.source.invalidLines, 0)
        let raw = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(summary.source.checksum, raw.withUnsafeBytes { XXHash64.hash($0) })
        XCTAssertEqual(summary.source.fileLength, UInt64(raw.count))
    }

    func testGzipCSVWithHeaderReadsEveryPhoneColumn() throws {
        let path = try file("block.csv.gz", "kund;Telefon;mobilnummer;kommentar\n1;08-123 456 78;070 111 22 33;x\n2;;0701112234;\n", gzip: true)
        let (keys, summary) = try read(path)
        XCTAssertEqual(keys, [46_812_345_678, 46_701_112_233, 46_701_112_234])
        XCTAssertFalse(summary.headerless)
        XCTAssertEqual(summary.source.lines, 2)
    }

    func testExplicitColumnAndNumberHeaderName() throws {
        let path = try file("list.csv", "number,other,kund\n0701234567,,1\n,0709999999,2\n")
        XCTAssertEqual(try read(path).0, [46_701_234_567, 46_709_999_999])
        XCTAssertEqual(try read(path).1.numberColumns, ["number"])
        var options = ListReadingOptions()
        options.numberColumns = ["OTHER"]
        // A phone number in another column is read all the same (fail closed), and reported.
        let (keys, summary) = try read(path, options)
        XCTAssertEqual(keys, [46_701_234_567, 46_709_999_999])
        XCTAssertEqual(summary.numberColumns, ["other"])
        XCTAssertEqual(summary.contentColumns, ["number"])
        options.numberColumns = ["missing"]
        XCTAssertThrowsError(try read(path, options)) { error in
            guard case .missingColumn? = error as? NixWashError else { return XCTFail("\(error)") }
        }
    }

    /// A list's columns are named as a lead list's are: a repeated name selects every column
    /// of it, `name#2` the second one.
    func testARepeatedColumnNameIsNamedAsInTheScrub() throws {
        let path = try file("list.csv", "id,tel,tel\n1,0701234567,0709999999\n")
        var options = ListReadingOptions()
        options.numberColumns = ["TEL"]
        XCTAssertEqual(try read(path, options).0, [46_701_234_567, 46_709_999_999])
        options.numberColumns = ["tel#2"]
        XCTAssertEqual(try read(path, options).1.numberColumns, ["tel#2"])
        XCTAssertEqual(try read(path, options).1.contentColumns, ["tel#1"])
        options.numberColumns = ["tel#3"]
        XCTAssertThrowsError(try read(path, options)) { error in
            guard case .missingColumn? = error as? NixWashError else { return XCTFail("\(error)") }
        }
    }

    func testNoNumberColumnIsAUsageError() throws {
        let path = try file("list.csv", "namn,ort\nAnna,Umeå\n")
        XCTAssertThrowsError(try read(path)) { error in
            XCTAssertEqual(error as? NixWashError, .noNumberColumn(path: path, header: ["namn", "ort"], list: .register))
            XCTAssertEqual((error as? NixWashError)?.kind, .usage)
            XCTAssertTrue(messageNamingSettings(error).contains("<registerNumberColumn>"), messageNamingSettings(error))
        }
    }

    /// The delivery shape of issue 13: a number and a date. Only the number is read, also
    /// when the date parses as a phone number (20261001), and a single line is read too.
    func testANumberFollowedByADateOrAnIdIsThatNumberOnly() throws {
        for separator in [";", ",", "\t", "|"] {
            let one = try file("nix.txt", "46701329315\(separator)2026-10-01\n")
            let (keys, summary) = try read(one)
            XCTAssertEqual(keys, [46_701_329_315], "separator \(separator)")
            XCTAssertTrue(summary.headerless)
            XCTAssertEqual(summary.numberColumns, ["field 1"])
        }
        var text = ""
        for i in 0..<200 { text += "467013\(String(format: "%05d", i));2026-\(String(format: "%02d", i % 12 + 1))-\(String(format: "%02d", i % 28 + 1));id\(i)\n" }
        let long = try file("nix.txt", text)
        let (keys, summary) = try read(long)
        XCTAssertEqual(keys, (0..<200).map { 46_701_300_000 + UInt64($0) })
        XCTAssertEqual(summary.source.lines, 200)
        XCTAssertEqual(summary.source.numbers, 200)
        // An id before the number, also one that parses as a national number (012-345 678).
        let idFirst = try file("block.txt", "1234;0701234567\n1235;0701234568\n")
        XCTAssertEqual(try read(idFirst).0, [46_701_234_567, 46_701_234_568])
        let numericID = try file("block.txt", "12345678;0701234567\n12345679;+46701234568\n")
        XCTAssertEqual(try read(numericID).0, [46_701_234_567, 46_701_234_568])
        XCTAssertEqual(try read(numericID).1.numberColumns, ["field 2"])
        // Two numbers on a line are both read.
        let two = try file("block.txt", "0701234567;46701234568;2026-10-01\n")
        XCTAssertEqual(try read(two).0, [46_701_234_567, 46_701_234_568])
        // A date before the number is not a number.
        let dateFirst = try file("block.txt", "2026-10-01|0701234567\n")
        XCTAssertEqual(try read(dateFirst).0, [46_701_234_567])
    }

    /// The fields chosen on the first line are not the only ones read: a phone number in any
    /// other field of any line is indexed too, never left out of a register or block list.
    func testAPhoneNumberOutsideTheNumberColumnIsReadOnEveryLine() throws {
        let second = try file("block.txt", "46701329315;2026-10-01\n46731111112;46731111114\n")
        let (keys, summary) = try read(second)
        XCTAssertEqual(keys, [46_701_329_315, 46_731_111_112, 46_731_111_114])
        XCTAssertEqual(summary.numbersByContent, 1)
        XCTAssertEqual(summary.contentColumns, ["field 2"])
        XCTAssertEqual(summary.source.numbers, 3)
        // A field chosen for its number on line 1 holds a date on line 2: the date is no number.
        let dateLater = try file("block.txt", "46701329315;46731111111\n46731111112;2026-10-01\n")
        XCTAssertEqual(try read(dateLater).0, [46_701_329_315, 46_731_111_111, 46_731_111_112])
        // With a header: a column not named as a number column, found by its content.
        let reserve = try file("block.csv", "telefonnummer;datum;reserv\n0731111120;2026-01-01;0731111121\n0731111122;2026-01-02;\n")
        let (reserveKeys, reserveSummary) = try read(reserve)
        XCTAssertEqual(reserveKeys, [46_731_111_120, 46_731_111_121, 46_731_111_122])
        XCTAssertEqual(reserveSummary.contentColumns, ["reserv"])
        // Ids, dates and amounts beside the number are not numbers.
        let ids = try file("block.csv", "telefon;kundnr;belopp;postnr\n0731111120;12345678;1234.50;123 45\n")
        XCTAssertEqual(try read(ids).1.numbersByContent, 0)
    }

    func testANumberThatCannotBeReadOutsideTheNumberColumnFailsTheBuild() throws {
        for (text, column) in [("telefonnummer;kommentar\n0731111120;ring 0731111122 efter 17\n", "kommentar"),
                               ("telefonnummer;reserv\n0731111120;4.67311E+10\n", "reserv")] {
            let path = try file("block.csv", text)
            XCTAssertThrowsError(try read(path)) { error in
                guard case let .unreadableListLine(_, line, named, _, _, _, _)? = error as? NixWashError else { return XCTFail("\(error)") }
                XCTAssertEqual([String(line), named], ["2", column])
            }
            var options = ListReadingOptions()
            options.maxInvalidLines = 1
            let (keys, summary) = try read(path, options)
            XCTAssertEqual(keys, [46_731_111_120])
            XCTAssertEqual(summary.invalidLines.map(\.column), [column])
        }
        // A date in a named number column of a file with a header is unreadable, not a number.
        let dated = try file("block.csv", "telefonnummer;datum\n0731111120;2026-01-01\n2026-01-02;x\n")
        XCTAssertThrowsError(try read(dated)) { error in
            guard case let .unreadableListLine(_, line, named, value, _, _, _)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual([String(line), named, value], ["3", "telefonnummer", "2026-01-02"])
        }
    }

    func testAHeaderNamingTheSameColumnTwiceReadsBoth() throws {
        let path = try file("block.csv", "telefon;datum;telefon\n0701111111;2026-01-01;0702222222\n")
        XCTAssertEqual(try read(path).0, [46_701_111_111, 46_702_222_222])
        var options = ListReadingOptions()
        options.numberColumns = ["Telefon"]
        XCTAssertEqual(try read(path, options).1.numberColumns, ["telefon#1", "telefon#2"])
    }

    /// A number no plan places is kept under its written digits, where a lead with the same
    /// text (or the same digits written nationally or internationally) finds it.
    func testUnplaceableNumbersAreKeptUnderTheirWrittenDigits() throws {
        let path = try file("nix.txt", "0701234567\n070 12 34\n+49 30 1\n")
        let (keys, summary) = try read(path)
        XCTAssertEqual(keys, [46_701_234_567, 4_670_123_4, 49_301])
        XCTAssertEqual(summary.unplacedNumbers, 2)
        XCTAssertEqual(summary.source.numbers, 3)
        XCTAssertEqual(summary.source.invalidLines, 0)
        func key(_ text: String) -> UInt64? {
            Array(text.utf8).withUnsafeBytes { ListReading.writtenKey($0, defaultCountry: .sweden)?.rawValue }
        }
        XCTAssertEqual(key("070 12 34"), key("+46 70 12 34"))
        XCTAssertEqual(key("070 12 34"), key("0046701234"))
        XCTAssertEqual(key("47 1"), 471)
        XCTAssertNil(key("0"))
        XCTAssertNil(key("00"))
        XCTAssertEqual(key("123456789012345"), 123_456_789_012_345)
        XCTAssertNil(key("1234567890123456"))
    }

    /// A register writes its numbers with the calling code: `468123456` may mean the Stockholm
    /// number 08-123 456, though read nationally it is 046-812 34 56. A list of numbers not
    /// to call holds both; a file of numbers to remove removes neither.
    func testDigitsThatReadTwoWaysAreIndexedBothWaysAndRemovedNeither() throws {
        let path = try file("nix.txt", "468123456\n46701234567\n0468123457\n4670123\n")
        let (keys, summary) = try read(path)
        XCTAssertEqual(keys, [46_468_123_456, 468_123_456, 46_701_234_567, 46_468_123_457, 46_467_012_3])
        XCTAssertEqual(summary.source.numbers, 4)
        XCTAssertEqual(summary.numbersReadBothWays, 1)
        var removed: [UInt64] = []
        let removal = try ListReading.readNumbers(path: path, role: .removed, options: ListReadingOptions(), into: &removed)
        XCTAssertEqual(removed, [46_701_234_567, 46_468_123_457, 46_467_012_3])
        XCTAssertEqual(removal.numbersReadBothWays, 1)
        // An exemption for the one reading would let the other be called: neither is exempt.
        let customers = try file("kunder.csv", "telefon;avtal_slut\n468123456;\n0701111111;\n")
        let (list, listSummary) = try ListReading.readCustomers(path: customers, options: ListReadingOptions())
        XCTAssertEqual(list.agreementEnd(for: key(46_701_111_111), category: list.category(nil)), .active)
        XCTAssertNil(list.agreementEnd(for: key(46_468_123_456), category: list.category(nil)))
        XCTAssertNil(list.agreementEnd(for: key(468_123_456), category: list.category(nil)))
        XCTAssertEqual(listSummary.numbersReadBothWays, 1)
        XCTAssertEqual(listSummary.source.numbers, 2)
        // The digits decide, whatever the normalizer skips around them.
        let dressed = try file("dressed.txt", "nummer\n(46) 8 123 456\n'46812345 7\nTel: 46812345 8\n\u{A0}468123459\n")
        let (dressedKeys, dressedSummary) = try read(dressed)
        XCTAssertEqual(dressedSummary.numbersReadBothWays, 4)
        for stockholm: UInt64 in [468_123_456, 468_123_457, 468_123_458, 468_123_459] { XCTAssertTrue(dressedKeys.contains(stockholm), "\(stockholm)") }
        // Neither way for a number written with + or 0, or that only one reading places.
        for written in ["+46 8 123 456", "08-123 456", "046-812 34 56", "46701234567", "4670123"] {
            let bytes = Array(written.utf8)
            let normalizer = ListReadingOptions().normalizer
            guard case let .valid(number) = bytes.withUnsafeBytes({ normalizer.normalize($0) }) else {
                if written == "4670123" { continue }
                return XCTFail(written)
            }
            XCTAssertNil(bytes.withUnsafeBytes { ListReading.callingCodeReading($0, read: number.key, normalizer: normalizer) }, written)
        }
    }

    func testAnUnreadableLineFailsNamingFileLineColumnAndValue() throws {
        var text = ""
        for i in 0..<200 { text += "07012\(String(format: "%05d", i))\n" }
        text += "hej\n0701x\n"
        let path = try file("nix.txt", text)
        XCTAssertThrowsError(try read(path)) { error in
            XCTAssertEqual(error as? NixWashError, .unreadableListLine(path: path, line: 201, column: "field 1", value: "hej",
                                                                      reason: "letters", list: .register, allowed: 0))
            let message = messageNamingSettings(error)
            XCTAssertTrue(message.hasPrefix("\(path):201: column 'field 1': 'hej' is not a phone number (letters)"), message)
            XCTAssertTrue(message.contains("<maxInvalidLines> N <invalidLinesFile> FILE"), message)
        }
        var allowing = ListReadingOptions()
        allowing.maxInvalidLines = 2
        let (keys, summary) = try read(path, allowing)
        XCTAssertEqual(keys.count, 200)
        XCTAssertEqual(summary.source.invalidLines, 2)
        XCTAssertEqual(summary.invalidLines, [InvalidLine(line: 201, column: "field 1", value: "hej", reason: "letters"),
                                              InvalidLine(line: 202, column: "field 1", value: "0701x", reason: "letters")])
        allowing.maxInvalidLines = 1
        XCTAssertThrowsError(try read(path, allowing)) { error in
            guard case let .unreadableListLine(_, line, _, _, _, _, allowed)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 202)
            XCTAssertEqual(allowed, 1)
        }
    }

    func testALineWithoutAnyNumberIsUnreadable() throws {
        let path = try file("block.csv", "telefon,mobil,namn\n0701111111,,Anna\n,,Bo\n")
        XCTAssertThrowsError(try read(path)) { error in
            guard case let .unreadableListLine(_, line, column, _, reason, _, _)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 3)
            XCTAssertEqual(column, "telefon, mobil")
            XCTAssertEqual(reason, "no number in the number columns")
        }
        let short = try file("nix.txt", "0701111111;x\n0701111112\n")
        XCTAssertEqual(try read(short).0, [46_701_111_111, 46_701_111_112])
    }

    func testCustomerAndConsentFiles() throws {
        let customers = try file("kunder.csv", "telefon;avtal_slut;kategori\n070-111 11 11;2026-03-01;El\n0702222222;;\n0703333333;2026-07-31 00:00:00;\n0704444444;2026-08-01T23:30:00Z;\n")
        let (list, summary) = try ListReading.readCustomers(path: customers, options: ListReadingOptions())
        XCTAssertEqual(list.agreementEnd(for: key(46_701_111_111), category: list.category(nil)), .ended(day: day("2026-03-01")))
        XCTAssertEqual(list.agreementEnd(for: key(46_702_222_222), category: list.category(nil)), .active)
        XCTAssertEqual(list.agreementEnd(for: key(46_703_333_333), category: list.category(nil)), .ended(day: day("2026-07-31")))
        // A timestamp as the history import takes it, read as its Stockholm date.
        XCTAssertEqual(list.agreementEnd(for: key(46_704_444_444), category: list.category(nil)), .ended(day: day("2026-08-02")))
        XCTAssertEqual(summary.source.numbers, 4)
        XCTAssertEqual(list.categories, ["El"])

        let consents = try file("samtycke.csv", "mobil,samtyckesdatum\n0701111111,2026-10-01\n0701111111,2026-09-01\n")
        let (consent, _) = try ListReading.readConsents(path: consents, options: ListReadingOptions())
        XCTAssertEqual(consent.latestConsent(for: key(46_701_111_111), onOrBefore: day("2026-11-21")), day("2026-10-01"))

        let badDate = try file("kunder.csv", "telefon,avtal_slut\n0701111111,31/12/2026\n")
        XCTAssertThrowsError(try ListReading.readCustomers(path: badDate, options: ListReadingOptions())) { error in
            guard case let .unreadableListLine(_, line, column, value, reason, list, _)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual([String(line), column, value], ["2", "avtal_slut", ""])
            XCTAssertTrue(reason.hasPrefix("'31/12/2026' is not a date"), reason)
            XCTAssertEqual(list, .customers)
            XCTAssertTrue(messageNamingSettings(error).contains("<agreementEndColumn>"), messageNamingSettings(error))
        }
        let badNumber = try file("kunder.csv", "telefon,avtal_slut\n0701111111,\nfel,2026-01-01\n")
        XCTAssertThrowsError(try ListReading.readCustomers(path: badNumber, options: ListReadingOptions())) { error in
            XCTAssertEqual(error as? NixWashError, .unreadableListLine(path: badNumber, line: 3, column: "telefon", value: "fel",
                                                                      reason: "letters", list: .customers, allowed: 0))
        }
        let noDate = try file("samtycke.csv", "mobil,samtyckesdatum\n0701111111,\n")
        XCTAssertThrowsError(try ListReading.readConsents(path: noDate, options: ListReadingOptions())) { error in
            guard case let .unreadableListLine(_, line, column, _, reason, list, _)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual([String(line), column, reason], ["2", "samtyckesdatum", "no consent date"])
            XCTAssertEqual(list, .consents)
        }
    }

    /// Columns named where the names are not on the name lists; a missing one is reported.
    func testCustomerAndConsentColumnsByName() throws {
        let customers = try file("kunder.csv", "Kundnr;Abonnent;Avslutas;Affärsområde\n17;0701111111;2026-03-01;El\n")
        XCTAssertThrowsError(try ListReading.readCustomers(path: customers, options: ListReadingOptions())) { error in
            XCTAssertEqual(error as? NixWashError, .noNumberColumn(path: customers, header: ["Kundnr", "Abonnent", "Avslutas", "Affärsområde"], list: .customers))
            XCTAssertTrue(messageNamingSettings(error).contains("<customerNumberColumn>"), messageNamingSettings(error))
        }
        let columns = DatedListColumns(number: "abonnent", date: "Avslutas", category: "Affärsområde")
        let (list, _) = try ListReading.readCustomers(path: customers, options: ListReadingOptions(), columns: columns)
        XCTAssertEqual(list.agreementEnd(for: key(46_701_111_111), category: list.category("el")), .ended(day: day("2026-03-01")))
        XCTAssertEqual(list.categories, ["El"])

        let consents = try file("samtycke.csv", "telefon;Godkänt\n0701111111;2026-10-01\n")
        XCTAssertThrowsError(try ListReading.readConsents(path: consents, options: ListReadingOptions())) { error in
            XCTAssertEqual(error as? NixWashError, .noListDateColumn(path: consents, header: ["telefon", "Godkänt"], list: .consents))
            XCTAssertTrue(messageNamingSettings(error).contains("<consentDateColumn>"), messageNamingSettings(error))
        }
        let (consent, _) = try ListReading.readConsents(path: consents, options: ListReadingOptions(),
                                                        columns: DatedListColumns(date: "godkänt"))
        XCTAssertEqual(consent.latestConsent(for: key(46_701_111_111), onOrBefore: day("2026-11-21")), day("2026-10-01"))
    }

    /// Customer and consent dates take the history import's forms; a slash date is refused.
    func testListDatesInTheHistoryImportsForms() {
        func read(_ text: String) -> Int32? { Array(text.utf8).withUnsafeBytes { ListReading.listDay($0) } }
        for text in ["2026-10-01", "01.10.2026", "1.10.2026", "20261001", "2026-10-01 08:00", "2026-10-01T08:00:00+02:00",
                     " 2026-10-01 "] {
            XCTAssertEqual(read(text), day("2026-10-01"), text)
        }
        XCTAssertEqual(read("2026-10-01T23:30:00Z"), day("2026-10-02"), "a UTC evening is the next Stockholm day")
        for refused in ["01/10/2026", "10/01/2026", "31.02.2026", "2026-13-01", "idag", ""] {
            XCTAssertNil(read(refused), refused)
        }
    }
}
