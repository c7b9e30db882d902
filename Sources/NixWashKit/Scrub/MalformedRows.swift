/// The malformed rows of one lead list, for the refusal when there are too many.
struct MalformedRows {
    enum Width { case more, fewer }
    private(set) var count: UInt64 = 0
    private(set) var firstLines: [UInt64] = []
    private var causes = MalformedRowCauses()

    /// A row with a quoting problem (`fields` nil) or more or fewer fields than the header.
    mutating func note(line: UInt64, fields: Width?) {
        count += 1
        if firstLines.count < 5 { firstLines.append(line) }
        switch fields {
        case nil: causes.quoting += 1
        case .more?: causes.moreFields += 1
        case .fewer?: causes.fewerFields += 1
        }
    }

    /// The refusal when more than `maxShare` of the list's `rows` are malformed, else nil.
    func refusal(path: String, rows: UInt64, maxShare: Double, dialect: CSVDialect, encoding: EncodingGuess) -> NixWashError? {
        guard count > 0, Double(count) > Double(rows) * maxShare else { return nil }
        var causes = causes
        causes.delimiterName = dialect.delimiterName
        causes.notUTF8 = encoding.sawInvalidUTF8
        return .tooManyMalformedRows(path: path, malformed: count, rows: rows, maxShare: maxShare, firstLines: firstLines,
                                     causes: causes)
    }
}

/// What the malformed rows of a refused lead list suggest went wrong.
public struct MalformedRowCauses: Equatable, Sendable {
    public var moreFields: UInt64 = 0
    public var fewerFields: UInt64 = 0
    public var quoting: UInt64 = 0
    /// The delimiter the file was read with.
    public var delimiterName = ","
    public var notUTF8 = false

    public init() {}

    /// The likely causes in words, each setting that would fix one called by `name`.
    func text(naming name: (Setting) -> String) -> String {
        func rows(_ n: UInt64) -> String { n == 1 ? "1 row has" : "\(n) rows have" }
        var causes: [String] = []
        var widths: [String] = []
        if moreFields > 0 { widths.append("\(rows(moreFields)) more fields than the header") }
        if fewerFields > 0 { widths.append("\(rows(fewerFields)) fewer\(moreFields > 0 ? "" : " fields than the header")") }
        if !widths.isEmpty {
            causes.append(widths.joined(separator: " and ") + ": a wrong delimiter (the file was read with '\(delimiterName)'; set \(name(.delimiter))), or fields that hold the delimiter without quotes")
        }
        if quoting > 0 {
            causes.append("\(rows(quoting)) a stray quote: the export does not quote as CSV does (a field with a quote in it is quoted and the quote doubled)")
        }
        if notUTF8 {
            causes.append("the file is not UTF-8 (it was read as Latin-1): check that it was exported as text in one encoding")
        }
        return causes.joined(separator: "; ")
    }
}
