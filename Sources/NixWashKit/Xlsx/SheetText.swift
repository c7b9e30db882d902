#if canImport(Glibc)
import Glibc
#endif

/// One worksheet of an xlsx workbook read as comma-separated UTF-8 text, streamed: libxml2
/// pulls the sheet's XML from the zip member as it inflates, and each `<row>` becomes one CSV
/// line, so the CSV reader and everything after it take a sheet as they take a file.
///
/// - Cells are written as the sheet shows them: shared and inline strings as their text,
///   numbers as their decimal digits (`ExcelNumber`), numbers in a date style as ISO 8601
///   dates (`CellStyles`), booleans as TRUE/FALSE, errors and formula strings as stored.
/// - Row `n` of the sheet is line `n` of the text (missing rows are blank lines, which the
///   reader skips), so rejects point at the sheet's row; a cell with a line break in it moves
///   the lines after it down, as in a CSV file.
/// - Cells the sheet leaves out are empty fields, and every row has at least as many fields as
///   the first row (the header): Excel leaves out trailing empty cells.
final class SheetText: ContentSource {
    let path: String
    private let xml: XMLPullReader
    private let compressed: UInt64
    private let stream: ZipMemberStream
    private let sharedStrings: SharedStrings
    private let styles: CellStyles

    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var ended = false
    /// Lines written so far (the last sheet row written).
    private var linesWritten = 0
    /// Fields of the first row with a value: every row is at least this wide.
    private var headerWidth: Int?
    /// The largest row of cell text held while it is read (the CSV reader's own record limit,
    /// 1 MiB by default, then applies to the line made of it).
    static let maxRowBytes = 64 << 20
    /// Whether a row with a value was written.
    private(set) var hasCells = false

    // The row being read: its cells' text back to back, and each cell's column and end.
    private var rowNumber = 0
    private var rowBytes: [UInt8] = []
    private var cells: [(column: Int, end: Int)] = []
    // The cell being read.
    private var cellColumn = 0
    private var cellType = CellType.number
    private var cellReference = ""
    private var valueText: [UInt8] = []
    private var inValue = false
    /// Whether the cell has a formula, and a `<v>` (its value as last computed).
    private var cellHasFormula = false
    private var cellHasValue = false
    private var inInlineText = false
    private var phoneticDepth = 0

    private enum CellType {
        /// `dateNumber`: a number in a date or time style; `date`: an ISO 8601 date as text.
        case number, dateNumber, sharedString, inlineString, string, boolean, error, date
    }

    var compressedSize: UInt64? { compressed }
    var compressedBytesRead: UInt64 { stream.compressedBytesRead }

    init(workbook: Workbook, sheet: Workbook.Sheet, name: String) throws {
        path = name
        stream = ZipMemberStream(archivePath: workbook.path, member: sheet.member, name: name)
        xml = try XMLPullReader(source: stream, name: name)
        compressed = sheet.member.compressedSize
        sharedStrings = workbook.sharedStrings
        styles = workbook.styles
    }

    /// Reads ahead to the first row with a value: false when the sheet has none (an empty
    /// sheet, which holds nothing to wash).
    func prime() throws -> Bool {
        while !hasCells, !ended { try readRows() }
        return hasCells
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while pendingStart == pending.count {
            if ended { return 0 }
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
            try readRows()
        }
        let n = min(buffer.count, pending.count - pendingStart)
        pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + pendingStart, byteCount: n) }
        pendingStart += n
        return n
    }

    /// Reads XML nodes until about 64 KiB of text is pending or the sheet ends.
    private func readRows() throws {
        while pending.count - pendingStart < 1 << 16 {
            guard let node = try xml.next() else {
                ended = true
                return
            }
            switch node {
            case .element:
                if xml.isNamed("c") {
                    startCell()
                    if xml.isEmptyElement { endCell() }
                } else if xml.isNamed("v") {
                    inValue = !xml.isEmptyElement
                    cellHasValue = true
                } else if xml.isNamed("f") {
                    cellHasFormula = true
                } else if xml.isNamed("t") {
                    if cellType == .inlineString, phoneticDepth == 0 { inInlineText = !xml.isEmptyElement }
                } else if xml.isNamed("rPh") {
                    if !xml.isEmptyElement { phoneticDepth += 1 }
                } else if xml.isNamed("row") {
                    startRow()
                    if xml.isEmptyElement { try endRow() }
                }
            case .endElement:
                if xml.isNamed("v") {
                    inValue = false
                } else if xml.isNamed("t") {
                    inInlineText = false
                } else if xml.isNamed("rPh") {
                    phoneticDepth -= 1
                } else if xml.isNamed("c") {
                    try endCellValue()
                } else if xml.isNamed("row") {
                    try endRow()
                }
            case .text, .cdata, .whitespace, .significantWhitespace:
                if inValue || inInlineText {
                    valueText += xml.value
                    // A row is held whole until it ends: one that never seems to is refused.
                    guard rowBytes.count + valueText.count <= Self.maxRowBytes else {
                        throw NixWashError.unsupportedInput(path: path, reason: "row \(rowNumber) holds more than \(Self.maxRowBytes >> 20) MiB of cell text, more than nixwash reads in one row. Check the sheet, or export it as CSV.")
                    }
                }
            case .other:
                break
            }
        }
    }

    private func startRow() {
        var number = rowNumber + 1
        xml.forEachAttribute { name, value in
            if strcmp(name, "r") == 0, let n = Int(String(decoding: value, as: UTF8.self)), n > 0 { number = n }
        }
        rowNumber = number
        rowBytes.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        cellColumn = -1
    }

    private func startCell() {
        var column = cellColumn + 1
        var type = CellType.number
        var reference = ""
        var style = 0
        xml.forEachAttribute { name, value in
            if strcmp(name, "r") == 0 {
                reference = String(decoding: value, as: UTF8.self)
                if let c = Self.column(ofReference: value) { column = c }
            } else if strcmp(name, "s") == 0 {
                style = Int(String(decoding: value, as: UTF8.self)) ?? 0
            } else if strcmp(name, "t") == 0 {
                switch String(decoding: value, as: UTF8.self) {
                case "s": type = .sharedString
                case "inlineStr": type = .inlineString
                case "str": type = .string
                case "b": type = .boolean
                case "e": type = .error
                case "d": type = .date
                default: type = .number
                }
            }
        }
        cellColumn = column
        cellType = type == .number && styles.dateStyles.contains(style) ? .dateNumber : type
        cellReference = reference
        valueText.removeAll(keepingCapacity: true)
        inValue = false
        cellHasFormula = false
        cellHasValue = false
        inInlineText = false
        phoneticDepth = 0
    }

    private func endCell() {
        cells.append((cellColumn, rowBytes.count))
    }

    private func endCellValue() throws {
        defer { endCell() }
        // A program that writes workbooks without calculating leaves a formula's value out;
        // read as empty, a phone number the sheet shows would be silently lost.
        if cellHasFormula, !cellHasValue {
            throw NixWashError.unsupportedInput(path: path, reason: "cell \(cellReference) holds a formula whose value was never computed (the program that wrote the workbook does not calculate), so what the sheet shows there cannot be read. Open the workbook in Excel or LibreOffice and save it, or export it as CSV, and rerun.")
        }
        guard !valueText.isEmpty else { return }
        switch cellType {
        case .sharedString:
            guard let index = Int(String(decoding: valueText, as: UTF8.self)), sharedStrings.append(index, to: &rowBytes) else {
                throw NixWashError.damagedArchive(path: path, reason: "cell \(cellReference) refers to shared string \(String(decoding: valueText, as: UTF8.self)), but the workbook has \(sharedStrings.count)")
            }
        case .number:
            valueText.withUnsafeBytes { ExcelNumber.displayText($0, into: &rowBytes) }
        case .dateNumber:
            if let text = valueText.withUnsafeBytes(styles.dateText) { rowBytes += text.utf8 } else { rowBytes += valueText }
        case .boolean:
            rowBytes += valueText == [UInt8(ascii: "1")] ? Array("TRUE".utf8) : valueText == [UInt8(ascii: "0")] ? Array("FALSE".utf8) : valueText
        case .inlineString, .string, .error, .date:
            rowBytes += valueText
        }
    }

    /// Writes the row as one CSV line, after blank lines for the rows the sheet left out.
    private func endRow() throws {
        var lastWithValue = -1
        var start = 0
        for cell in cells {
            if cell.end > start { lastWithValue = max(lastWithValue, cell.column) }
            start = cell.end
        }
        guard lastWithValue >= 0 else { return }  // a row of empty cells: nothing to write
        if headerWidth == nil { headerWidth = lastWithValue + 1 }
        let width = max(headerWidth!, lastWithValue + 1)
        if rowNumber > linesWritten + 1 {
            pending += [UInt8](repeating: 0x0A, count: rowNumber - linesWritten - 1)
        }
        var column = 0
        var lastColumn = -1
        start = 0
        for cell in cells {
            let bytes = rowBytes[start..<cell.end]
            start = cell.end
            // Two cells in one place would run together: the sheet is damaged.
            if cell.column <= lastColumn {
                throw NixWashError.damagedArchive(path: path, reason: "row \(rowNumber) lists its cells out of order")
            }
            lastColumn = cell.column
            guard !bytes.isEmpty else { continue }
            while column < cell.column { pending.append(UInt8(ascii: ",")); column += 1 }
            Self.appendQuoted(bytes, to: &pending)
        }
        while column < width - 1 { pending.append(UInt8(ascii: ",")); column += 1 }
        pending.append(0x0A)
        linesWritten = max(linesWritten + 1, rowNumber)
        hasCells = true
    }

    /// A field as CSV: quoted (inner quotes doubled) when it holds a comma, a quote or a line break.
    private static func appendQuoted(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out += bytes
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The 0-based column of a cell reference (`B7` is 1, `AA1` is 26).
    static func column(ofReference reference: UnsafeRawBufferPointer) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            let upper = byte & ~0x20
            guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else { break }
            column = column * 26 + Int(upper - UInt8(ascii: "A")) + 1
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : column - 1
    }
}
