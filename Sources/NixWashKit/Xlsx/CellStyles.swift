/// Which cell styles of a workbook show their number as a date or a time (`xl/styles.xml`),
/// so a date cell is written as the sheet shows it (`2026-11-23`), not as Excel's day count
/// (`46349`).
struct CellStyles {
    /// Indices into `<cellXfs>` whose number format is a date or time.
    private(set) var dateStyles: Set<Int> = []
    /// Whether day 0 is 1904-01-01 (old Mac workbooks) rather than 1899-12-30.
    var date1904 = false

    init() {}

    init(_ xml: XMLPullReader) throws {
        var customFormats: [Int: String] = [:]
        var formats: [Int] = []
        var inCellFormats = false
        while let node = try xml.next() {
            switch node {
            case .element:
                if xml.isNamed("numFmt"), let id = xml.attribute("numFmtId").flatMap(Int.init) {
                    customFormats[id] = xml.attribute("formatCode") ?? ""
                } else if xml.isNamed("cellXfs") {
                    inCellFormats = !xml.isEmptyElement
                } else if xml.isNamed("xf"), inCellFormats {
                    formats.append(xml.attribute("numFmtId").flatMap(Int.init) ?? 0)
                }
            case .endElement:
                if xml.isNamed("cellXfs") { inCellFormats = false }
            default:
                break
            }
        }
        for (style, format) in formats.enumerated() {
            let isDate = customFormats[format].map(Self.isDateFormat) ?? Self.builtInDateFormats.contains(format)
            if isDate { dateStyles.insert(style) }
        }
    }

    /// Excel's built-in date and time formats (ECMA-376 part 1, 18.8.30, and the East Asian ones).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a format code shows a date or time: it has y, m, d, h or s outside quoted text,
    /// brackets (colours, locales) and escaped characters.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false, escaped = false
        for c in code.lowercased() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default:
                if !quoted, !bracket, "ymdhs".contains(c) { return true }
            }
        }
        return false
    }

    /// A date cell's number (days since day 0, the fraction the time of day) as the sheet
    /// shows it: `2026-11-23`, `2026-11-23 14:30:00`, or `14:30:00` for a time alone; nil
    /// when it is not a number.
    func dateText(_ value: UnsafeRawBufferPointer) -> String? {
        guard let serial = Double(String(decoding: value, as: UTF8.self)), serial.isFinite, serial >= 0, serial < 3_000_000 else { return nil }
        var days = Int(serial)
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds == 86_400 { days += 1; seconds = 0 }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if days == 0, seconds > 0, !date1904 { return time }
        let date: String
        if date1904 {
            date = LocalDate(daysSinceEpoch: Self.day0of1904 + days).description
        } else if days == 60 {
            date = "1900-02-29"  // Lotus 1-2-3's leap day, which Excel keeps
        } else {
            date = LocalDate(daysSinceEpoch: Self.day0of1900 + days + (days < 60 ? 1 : 0)).description
        }
        return seconds == 0 ? date : date + " " + time
    }

    /// 1899-12-30 and 1904-01-01 in days since 1970-01-01.
    static let day0of1900 = -25_569
    static let day0of1904 = -24_107
}
