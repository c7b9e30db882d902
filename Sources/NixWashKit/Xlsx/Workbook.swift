/// An xlsx workbook (a zip archive of XML parts): its sheets in workbook order, where each
/// sheet's XML is, and the shared-string table its cells refer to. The parts are found the way
/// Excel finds them, through `xl/workbook.xml` and its relationships, never by guessing names.
struct Workbook {
    struct Sheet {
        var name: String
        /// The sheet's part in the archive (`xl/worksheets/sheet1.xml`).
        var member: ZipArchive.Member
    }

    let path: String
    let archive: ZipArchive
    let sheets: [Sheet]
    let sharedStrings: SharedStrings
    let styles: CellStyles

    /// Whether an archive is a workbook rather than a zip of CSV files.
    static func isWorkbook(_ archive: ZipArchive) -> Bool {
        archive.members.contains { $0.name == "xl/workbook.xml" }
    }

    init(archive: ZipArchive) throws {
        self.archive = archive
        path = archive.path
        func member(_ name: String) -> ZipArchive.Member? { archive.members.first { $0.name == name } }
        func reader(_ m: ZipArchive.Member) throws -> XMLPullReader {
            try XMLPullReader(source: ZipMemberStream(archivePath: archive.path, member: m, name: "\(archive.path):\(m.name)"),
                              name: "\(archive.path):\(m.name)")
        }
        guard let book = member("xl/workbook.xml") else {
            throw NixWashError.damagedArchive(path: path, reason: "not an xlsx workbook (no xl/workbook.xml)")
        }
        // Relationship id → (type, target part).
        var relationships: [String: (type: String, target: String)] = [:]
        if let rels = member("xl/_rels/workbook.xml.rels") {
            let xml = try reader(rels)
            while let node = try xml.next() {
                guard node == .element, xml.isNamed("Relationship"),
                      let id = xml.attribute("Id"), let target = xml.attribute("Target") else { continue }
                relationships[id] = (xml.attribute("Type") ?? "", Self.partName(target))
            }
        }
        var sheets: [Sheet] = []
        var date1904 = false
        let xml = try reader(book)
        while let node = try xml.next() {
            guard node == .element else { continue }
            if xml.isNamed("workbookPr") {
                date1904 = ["1", "true"].contains(xml.attribute("date1904") ?? "")
                continue
            }
            guard xml.isNamed("sheet") else { continue }
            let name = xml.attribute("name") ?? "Sheet\(sheets.count + 1)"
            guard let id = xml.attribute("id"), let relationship = relationships[id] else {
                throw NixWashError.damagedArchive(path: path, reason: "sheet '\(name)' has no part in the workbook's relationships")
            }
            // Chart sheets and dialog sheets hold no cells.
            guard relationship.type.hasSuffix("/worksheet") else { continue }
            guard let part = member(relationship.target) else {
                throw NixWashError.damagedArchive(path: path, reason: "sheet '\(name)' refers to \(relationship.target), which is not in the archive")
            }
            sheets.append(Sheet(name: name, member: part))
        }
        self.sheets = sheets
        let sharedStringsPart = relationships.values.first { $0.type.hasSuffix("/sharedStrings") }?.target ?? "xl/sharedStrings.xml"
        sharedStrings = try member(sharedStringsPart).map { try SharedStrings(reader($0)) } ?? SharedStrings()
        let stylesPart = relationships.values.first { $0.type.hasSuffix("/styles") }?.target ?? "xl/styles.xml"
        var styles = try member(stylesPart).map { try CellStyles(reader($0)) } ?? CellStyles()
        styles.date1904 = date1904
        self.styles = styles
    }

    /// A relationship target as a member name: relative to `xl/`, or absolute from the root.
    static func partName(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }
}

/// The workbook's shared strings (`xl/sharedStrings.xml`), which string cells refer to by
/// position. Held back to back in one byte buffer (the one part of a workbook that must be in
/// memory, as cells refer to it at random): a string's bytes plus one offset each.
struct SharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    init() {}

    init(_ xml: XMLPullReader) throws {
        // A string item's text is every <t> in it (rich-text runs), but not its phonetic
        // reading (<rPh>), which Excel does not show in the cell.
        var inItem = false, inText = false, phoneticDepth = 0
        while let node = try xml.next() {
            switch node {
            case .element:
                if xml.isNamed("si") {
                    inItem = true
                    if xml.isEmptyElement { ends.append(bytes.count); inItem = false }
                } else if xml.isNamed("rPh") {
                    if !xml.isEmptyElement { phoneticDepth += 1 }
                } else if xml.isNamed("t"), inItem, phoneticDepth == 0 {
                    inText = !xml.isEmptyElement
                }
            case .endElement:
                if xml.isNamed("si") {
                    ends.append(bytes.count)
                    inItem = false
                } else if xml.isNamed("rPh") {
                    phoneticDepth -= 1
                } else if xml.isNamed("t") {
                    inText = false
                }
            case .text, .cdata, .whitespace, .significantWhitespace:
                if inText { bytes += xml.value }
            case .other:
                break
            }
        }
    }

    var count: Int { ends.count }

    /// String `index`'s bytes appended to `out`; false when there is no such string.
    func append(_ index: Int, to out: inout [UInt8]) -> Bool {
        guard index >= 0, index < ends.count else { return false }
        let start = index == 0 ? 0 : ends[index - 1]
        out += bytes[start..<ends[index]]
        return true
    }
}
