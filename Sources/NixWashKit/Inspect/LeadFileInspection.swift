/// What a data team wants to know about a delivery before washing it, gathered in one
/// streaming pass: compression, dialect, encoding, header, column roles, row counts and the
/// malformed rows with their line numbers.
public struct LeadFileInspection: Codable, Sendable {
    public struct Column: Codable, Sendable {
        public var index: Int
        public var name: String
        /// `phone`, `source` or `other`.
        public var role: String
        /// Of the first sampled non-empty values, how many normalize to a valid number.
        public var sampledValues: Int
        public var validNumbers: Int
    }

    public struct MalformedRow: Codable, Sendable, Equatable {
        public var line: UInt64
        public var column: Int?
        public var problem: String
    }

    public var path: String
    /// The file given, and what holds the text: `none`, `zip` (a member) or `xlsx` (a sheet).
    public var file: String
    public var container: String
    public var fileBytes: UInt64?
    public var compression: String
    public var contentBytes: UInt64
    public var delimiter: String
    public var lineEnding: String
    public var byteOrderMark: Bool
    /// As delivered (`utf-16le`/`utf-16be` are read as UTF-8, as the outputs are).
    public var encoding: String
    /// Data rows that end in a trailing delimiter (read without it).
    public var trailingDelimiterRows: UInt64
    public var header: [String]
    /// The first line holds a valid phone number: most likely there is no header at all.
    public var headerLooksLikeData: Bool
    public var columns: [Column]
    public var rows: UInt64
    public var blankLines: UInt64
    public var malformedRows: UInt64
    /// The first malformed rows (at most `malformedRowsShown`).
    public var firstMalformedRows: [MalformedRow]

    public static let malformedRowsShown = 20
    static let sampledRows = 1000

    /// Reads the whole file once, in flat memory: one inspection per input in it (each CSV
    /// member of a zip archive, each sheet of a workbook).
    public static func inspect(path: String, options: CSVOptions = CSVOptions(), sheet: String? = nil) throws -> [LeadFileInspection] {
        try LeadSources.open(path, sheet: sheet).map { try inspect($0, options: options) }
    }

    static func inspect(_ input: LeadInput, options: CSVOptions) throws -> LeadFileInspection {
        let path = input.name
        var options = options
        options.requireDataRows = false
        if let delimiter = input.delimiter { options.delimiter = delimiter }
        let reader = try CSVReader(input: input.content, options: options)
        let header = reader.header
        var encoding = EncodingGuess()
        for field in reader.headerFields { field.withUnsafeBytes { encoding.observe($0) } }
        let normalizer = PhoneNormalizer()
        var sampled = [Int](repeating: 0, count: header.count)
        var valid = [Int](repeating: 0, count: header.count)
        var malformed: UInt64 = 0
        var firstMalformed: [MalformedRow] = []
        func noteMalformed(_ row: MalformedRow) {
            malformed += 1
            if firstMalformed.count < malformedRowsShown { firstMalformed.append(row) }
        }
        while let record = try reader.next() {
            for i in 0..<record.count { encoding.observe(record.field(i)) }
            if let problem = record.problem {
                noteMalformed(MalformedRow(line: problem.line, column: problem.column, problem: problem.message))
            } else if record.count != header.count {
                noteMalformed(MalformedRow(line: record.line, column: nil,
                                           problem: "has \(record.count) fields, the header has \(header.count)"))
            } else if reader.recordsRead <= sampledRows {
                for i in 0..<record.count {
                    let field = record.field(i)
                    guard field.contains(where: { $0 != 0x20 }) else { continue }
                    sampled[i] += 1
                    if case .valid = normalizer.normalize(field) { valid[i] += 1 }
                }
            }
        }
        let roles = try? ColumnRoles.resolve(header: header, path: path)
        let columns = header.indices.map { i in
            Column(index: i, name: header[i],
                   role: roles?.phoneColumns.contains(i) == true ? "phone" : roles?.sourceColumn == i ? "source" : "other",
                   sampledValues: sampled[i], validNumbers: valid[i])
        }
        return LeadFileInspection(
            path: path, file: input.file, container: input.container, fileBytes: input.fileSize, compression: input.compression,
            contentBytes: reader.contentBytesRead, delimiter: reader.dialect.delimiterName,
            lineEnding: reader.dialect.lineEnding == [0x0D, 0x0A] ? "crlf" : "lf",
            byteOrderMark: reader.dialect.hasByteOrderMark, encoding: input.inputEncoding(guess: encoding),
            trailingDelimiterRows: reader.trailingDelimiterRows, header: header,
            headerLooksLikeData: header.contains { if case .valid = normalizer.normalize($0) { return true } else { return false } },
            columns: columns, rows: reader.recordsRead, blankLines: reader.blankLines,
            malformedRows: malformed, firstMalformedRows: firstMalformed)
    }

    /// Columns whose sampled values are mostly valid phone numbers though the header name did
    /// not say so: worth naming with `--phone-column`.
    public var unnamedPhoneLikeColumns: [Column] {
        columns.filter { $0.role != "phone" && $0.sampledValues > 0 && $0.validNumbers * 2 > $0.sampledValues }
    }
}
