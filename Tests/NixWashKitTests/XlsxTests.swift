import Foundation
import XCTest
@testable import NixWashKit

/// Runs a command of the system (zip, python3) in `folder`; fails the test when it fails.
@discardableResult
func runTool(_ arguments: [String], in folder: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, "\(arguments.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))", file: file, line: line)
    return String(decoding: output, as: UTF8.self)
}

/// Writes `parts` (archive name → text) into a zip made by the system's `zip` (scripts/install-deps).
func makeZip(_ name: String, _ parts: [(String, String)], in folder: URL, zipOptions: [String] = []) throws -> String {
    let staging = folder.appendingPathComponent("staging-\(UUID().uuidString)")
    for (part, text) in parts {
        let url = staging.appendingPathComponent(part)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    let archive = folder.appendingPathComponent(name).path
    try runTool(["zip", "-q", "-X"] + zipOptions + [archive] + parts.map(\.0), in: staging)
    return archive
}

/// Every record of every input a path opens into, as strings, with the inputs' names.
func readInputs(_ path: String, sheet: String? = nil) throws -> [(name: String, header: [String], rows: [[String]], lines: [UInt64])] {
    try LeadSources.open(path, sheet: sheet).map { input in
        var options = CSVOptions(requireDataRows: false)
        options.delimiter = input.delimiter
        let reader = try CSVReader(input: input.content, options: options)
        var rows: [[String]] = [], lines: [UInt64] = []
        while let record = try reader.next() {
            rows.append((0..<record.count).map { record.string($0) })
            lines.append(record.line)
        }
        return (input.name, reader.header, rows, lines)
    }
}

final class XlsxTests: XCTestCase {
    private let contentTypes = """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>
        """
    private let relsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A workbook written part by part, as Excel lays it out: the sheets' XML given whole.
    private func workbook(_ folder: URL, sheets: [(name: String, xml: String)], sharedStrings: [String]? = nil,
                          styles: String? = nil, date1904: Bool = false) throws -> String {
        var parts: [(String, String)] = [("[Content_Types].xml", contentTypes)]
        var rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        var book = "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"\(relsNamespace)\">"
        if date1904 { book += "<workbookPr date1904=\"1\"/>" }
        book += "<sheets>"
        for (i, sheet) in sheets.enumerated() {
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(relsNamespace)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
            book += "<sheet name=\"\(sheet.name)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            parts.append(("xl/worksheets/sheet\(i + 1).xml", "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(sheet.xml)</sheetData></worksheet>"))
        }
        if let sharedStrings {
            rels += "<Relationship Id=\"rIdS\" Type=\"\(relsNamespace)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            parts.append(("xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + sharedStrings.joined() + "</sst>"))
        }
        if let styles {
            rels += "<Relationship Id=\"rIdT\" Type=\"\(relsNamespace)/styles\" Target=\"styles.xml\"/>"
            parts.append(("xl/styles.xml", "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\(styles)</styleSheet>"))
        }
        parts.append(("xl/workbook.xml", book + "</sheets></workbook>"))
        parts.append(("xl/_rels/workbook.xml.rels", rels + "</Relationships>"))
        return try makeZip("book.xlsx", parts, in: folder)
    }

    func testCellsAreWrittenAsTheSheetShowsThem() throws {
        let folder = try makeTemporaryFolder(self)
        let path = try workbook(folder, sheets: [("Leads", """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>källa</t></is></c><c r="D1" t="s"><v>2</v></c></row>
            <row r="2"><c r="A2"><v>46701234567</v></c><c r="B2"><v>4.6701234568E+10</v></c><c r="C2" t="s"><v>3</v></c><c r="D2" t="b"><v>1</v></c></row>
            <row r="4"><c r="B4" t="str"><f>A2&amp;""</f><v>a,"b"</v></c><c r="D4" t="e"><v>#N/A</v></c></row>
            <row r="5"><c r="A5" s="1"/><c r="B5" t="inlineStr"><is><r><t>0701</t></r><r><t xml:space="preserve"> 234567</t></r></is></c></row>
            """)], sharedStrings: ["<si><t>id</t></si>", "<si><r><t>tele</t></r><r><t>fon</t></r><rPh><t>x</t></rPh></si>",
                                   "<si><t/></si>", "<si><t>Åsa &amp; Bo</t></si>"])
        let inputs = try readInputs(path)
        XCTAssertEqual(inputs.count, 1)
        XCTAssertEqual(inputs[0].name, path + ":Leads")
        // The header's empty fourth cell names no column: rows with a value there are wider
        // than the header (malformed in a scrub, never washed as if the column were not there).
        XCTAssertEqual(inputs[0].header, ["id", "telefon", "källa"])
        XCTAssertEqual(inputs[0].rows, [
            ["46701234567", "46701234568", "Åsa & Bo", "TRUE"],
            ["", "a,\"b\"", "", "#N/A"],
            ["", "0701 234567", ""],
        ])
        // Line numbers are the sheet's row numbers (row 3 is missing).
        XCTAssertEqual(inputs[0].lines, [2, 4, 5])
    }

    func testEverySheetWithCellsIsAnInputAndSheetPicksOne() throws {
        let folder = try makeTemporaryFolder(self)
        let row = #"<row r="1"><c r="A1" t="inlineStr"><is><t>telefon</t></is></c></row><row r="2"><c r="A2"><v>701234567</v></c></row>"#
        let path = try workbook(folder, sheets: [("Jan", row), ("Tom", ""), ("Feb", row)])
        XCTAssertEqual(try readInputs(path).map(\.name), [path + ":Jan", path + ":Feb"])
        XCTAssertEqual(try readInputs(path, sheet: "Feb").map(\.name), [path + ":Feb"])
        XCTAssertThrowsError(try readInputs(path, sheet: "Mar")) { error in
            XCTAssertEqual(error as? NixWashError, .noSuchSheet(path: path, sheet: "Mar", sheets: ["Jan", "Tom", "Feb"]))
        }
        XCTAssertThrowsError(try readInputs(path, sheet: "feb")) { error in
            XCTAssertTrue(error.localizedDescription.hasSuffix("Did you mean 'Feb'? Sheet names are compared exactly."), error.localizedDescription)
        }
    }

    func testDateStylesGiveIsoDates() throws {
        let folder = try makeTemporaryFolder(self)
        let styles = """
            <numFmts><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="0.00&quot; kr&quot;"/></numFmts>
            <cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/></cellXfs>
            """
        let path = try workbook(folder, sheets: [("S", """
            <row r="1"><c r="A1" s="0"><v>46349</v></c><c r="B1" s="1"><v>46349</v></c><c r="C1" s="2"><v>46349</v></c><c r="D1" s="3"><v>46349</v></c><c r="E1" s="4"><v>46349.604166666664</v></c><c r="F1" s="1"><v>60</v></c></row>
            """)], styles: styles)
        XCTAssertEqual(try readInputs(path)[0].header, ["46349", "2026-11-23", "2026-11-23", "46349", "2026-11-23 14:30:00", "1900-02-29"])
    }

    func testDamageIsAnErrorNamingTheSheet() throws {
        let folder = try makeTemporaryFolder(self)
        let broken = try workbook(folder, sheets: [("S", #"<row r="1"><c r="A1"><v>1</v></row>"#)])
        XCTAssertThrowsError(try readInputs(broken)) { error in
            guard case let .damagedArchive(path, reason)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, broken + ":S")
            XCTAssertTrue(reason.contains("damaged XML"), reason)
        }
        try FileManager.default.removeItem(atPath: broken)
        let badIndex = try workbook(folder, sheets: [("S", #"<row r="1"><c r="A1" t="s"><v>5</v></c></row>"#)], sharedStrings: ["<si><t>a</t></si>"])
        XCTAssertThrowsError(try readInputs(badIndex)) { error in
            XCTAssertEqual(error as? NixWashError, .damagedArchive(path: badIndex + ":S", reason: "cell A1 refers to shared string 5, but the workbook has 1"))
        }
        try FileManager.default.removeItem(atPath: badIndex)
        let twice = try workbook(folder, sheets: [("S", #"<row r="1"><c r="B1"><v>1</v></c><c r="B1"><v>2</v></c></row>"#)])
        XCTAssertThrowsError(try readInputs(twice))
    }

    /// A formula whose value was never computed cannot be read as the sheet shows it: read as
    /// empty, a phone number there would be lost without a word. A computed empty one is empty.
    func testAFormulaWithoutItsComputedValueIsRefused() throws {
        let folder = try makeTemporaryFolder(self)
        let uncomputed = try workbook(folder, sheets: [("S", """
            <row r="1"><c r="A1" t="inlineStr"><is><t>telefon</t></is></c></row>
            <row r="2"><c r="A2" t="str"><f>"070"&amp;"1234567"</f></c></row>
            """)])
        XCTAssertThrowsError(try readInputs(uncomputed)) { error in
            guard case let .unsupportedInput(path, reason)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, uncomputed + ":S")
            XCTAssertTrue(reason.hasPrefix("cell A2 holds a formula whose value was never computed"), reason)
        }
        try FileManager.default.removeItem(atPath: uncomputed)
        let computed = try workbook(folder, sheets: [("S", """
            <row r="1"><c r="A1" t="inlineStr"><is><t>telefon</t></is></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>
            <row r="2"><c r="A2" t="str"><f>"070"&amp;"1234567"</f><v>0701234567</v></c><c r="B2" t="str"><f>""</f><v></v></c></row>
            """)])
        XCTAssertEqual(try readInputs(computed)[0].rows, [["0701234567", ""]])
    }

    func testDateFormatsAreToldFromOtherFormats() {
        for code in ["yyyy-mm-dd", "d/m/yy", "[$-41D]mmmm yyyy", "h:mm", "[Red]yyyy"] {
            XCTAssertTrue(CellStyles.isDateFormat(code), code)
        }
        for code in ["General", "0.00", "#,##0 \"kr\"", "0\" days\"", "[Red]0.00", "\\d0", "@", "0.00E+00"] {
            XCTAssertFalse(CellStyles.isDateFormat(code), code)
        }
    }

    func testNumbersKeepTheirDigits() {
        func shown(_ text: String) -> String {
            var out: [UInt8] = []
            Array(text.utf8).withUnsafeBytes { ExcelNumber.displayText($0, into: &out) }
            return String(decoding: out, as: UTF8.self)
        }
        XCTAssertEqual(shown("46701234567"), "46701234567")
        XCTAssertEqual(shown("4.6701234567E+10"), "46701234567")
        XCTAssertEqual(shown("4.6701234567e10"), "46701234567")
        XCTAssertEqual(shown("701234567.0"), "701234567")
        XCTAssertEqual(shown("0.30000000000000004"), "0.3")
        XCTAssertEqual(shown("-1.25E-3"), "-0.00125")
        XCTAssertEqual(shown("1E+20"), "100000000000000000000")
        XCTAssertEqual(shown("123456789012345678"), "123456789012346000")
        XCTAssertEqual(shown("9.99999999999999999"), "10")
        XCTAssertEqual(shown("000"), "0")
        XCTAssertEqual(shown("1E+999"), "1E+999")
        XCTAssertEqual(shown("12abc"), "12abc")
    }

    func testColumnsOfCellReferences() {
        func column(_ reference: String) -> Int? { Array(reference.utf8).withUnsafeBytes { SheetText.column(ofReference: $0) } }
        XCTAssertEqual(column("A1"), 0)
        XCTAssertEqual(column("Z9"), 25)
        XCTAssertEqual(column("AA10"), 26)
        XCTAssertEqual(column("XFD1"), 16383)
        XCTAssertNil(column("12"))
    }
}
