import Foundation

/// What a data team wants to know about a delivery before washing it, gathered in one
/// streaming pass: compression, dialect, encoding, header, column roles, row counts and the
/// malformed rows with their line numbers.
public struct LeadFileInspection: Encodable, Sendable {
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
    /// Malformed rows over rows; a scrub refuses the list above `maxMalformedShare`.
    public var malformedShare: Double
    public var maxMalformedShare: Double
    /// The columns a scrub washes: by their header name, and by their content (most sampled
    /// values are whole phone numbers).
    public var phoneColumnsByName: [String]
    public var phoneColumnsByContent: [String]
    /// Other columns with a phone number somewhere: a scrub refuses the list unless they are
    /// washed too or declared not to hold numbers to call.
    public var unwashedPhoneColumns: [String]
    /// Phone columns where most sampled values lost their leading 0: a scrub restores it.
    public var leadingZeroColumns: [String]
    /// What a scrub would repair (`ExcelRepair` names and `excel_digits_lost`), as in report.json.
    public var excelArtefacts: [String: UInt64]
    public var fieldsWithSeveralNumbers: UInt64
    /// Numbers written without their leading 0 outside such a column: rejected as `no_trunk_zero`.
    public var numbersWithoutTrunkZero: UInt64
    /// The settings to give a scrub of this list (empty: none needed). Not encoded: a caller
    /// spells them (`SuggestedSetting.spelled(naming:)`), the CLI as its options.
    public var suggestedScrubSettings: [SuggestedSetting]

    /// A setting a scrub of the list needs, and its value.
    public struct SuggestedSetting: Equatable, Sendable {
        public var setting: Setting
        public var value: String

        /// The setting, called by `name`, and its value as one shell word.
        public func spelled(naming name: (Setting) -> String) -> String {
            "\(name(setting)) \(shellQuoted(value))"
        }
    }

    enum CodingKeys: String, CodingKey {
        case path, file, container, fileBytes, compression, contentBytes, delimiter, lineEnding, byteOrderMark, encoding
        case trailingDelimiterRows, header, headerLooksLikeData, columns, rows, blankLines, malformedRows
        case firstMalformedRows, malformedShare, maxMalformedShare, phoneColumnsByName, phoneColumnsByContent
        case unwashedPhoneColumns, leadingZeroColumns, excelArtefacts, fieldsWithSeveralNumbers, numbersWithoutTrunkZero
    }

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
        let content = PhoneContent(normalizer: normalizer)
        let fields = LeadPhoneFields(defaultCountry: .sweden)
        var counts = ColumnContentCounts(columns: header.count)
        var nonEmpty = [UInt64](repeating: 0, count: header.count)
        var sampleRows: [(line: UInt64, fields: [[UInt8]])] = []
        var artefacts = Artefacts()
        var decided: Decision?
        /// Once the sample is read: the columns as a scrub chooses them.
        func decide() {
            let byContent = LeadList.phoneColumnsByContent(header: header, counts: counts, nonEmpty: nonEmpty)
            let roles = try? ColumnRoles.resolve(header: header, path: path, byContent: byContent)
            let phones = roles?.phoneColumns ?? []
            let restores = phones.map { column in
                sampleRows.map(\.fields[column]).withUnsafeBufferPointers { fields.restoresLeadingZero($0) }
            }
            let decision = Decision(roles: roles, restores: restores)
            for row in sampleRows {
                for (position, column) in phones.enumerated() {
                    row.fields[column].withUnsafeBytes { artefacts.count($0, restoring: restores[position], fields: fields) }
                }
            }
            decided = decision
            sampleRows = []
        }
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
            } else if decided == nil {
                for i in 0..<record.count {
                    let field = record.field(i)
                    guard field.contains(where: { $0 != 0x20 }) else { continue }
                    sampled[i] += 1
                    if case .valid = normalizer.normalize(field) { valid[i] += 1 }
                    nonEmpty[i] += 1
                    counts.count(content.kind(of: field), column: i, line: record.line)
                }
                sampleRows.append((record.line, (0..<record.count).map { Array(record.field($0)) }))
                if sampleRows.count == sampledRows { decide() }
            } else if let decided {
                let phones = decided.roles?.phoneColumns ?? []
                for (position, column) in phones.enumerated() {
                    artefacts.count(record.field(column), restoring: decided.restores[position], fields: fields)
                }
                for column in 0..<record.count where !phones.contains(column) {
                    counts.count(content.kind(of: record.field(column)), column: column, line: record.line)
                }
            }
        }
        if decided == nil { decide() }
        let roles = decided?.roles
        let phones = roles?.phoneColumns ?? []
        let unwashed = header.indices.filter { !phones.contains($0) && counts.holdsPhoneNumbers($0) }
        let names = { (columns: [Int]) in columns.map { ColumnRoles.displayName(of: $0, header: header) } }
        let malformedShare = reader.recordsRead == 0 ? 0 : Double(malformed) / Double(reader.recordsRead)
        let maxMalformedShare = ScrubConfiguration.defaultMaxMalformedShare
        var suggestions: [SuggestedSetting] = []
        if !unwashed.isEmpty || phones.isEmpty {
            // Wash every column that holds numbers: naming them all is the only way the rest
            // are refused too if they ever hold one.
            let washed = phones.isEmpty ? header.indices.filter { valid[$0] * 2 > sampled[$0] && sampled[$0] > 0 } : phones + unwashed
            suggestions += names(washed.sorted()).map { SuggestedSetting(setting: .phoneColumn, value: $0) }
        }
        if roles?.sourceColumn == nil {
            suggestions.append(SuggestedSetting(setting: .source, value: Self.sourceName(forFile: input.file)))
        }

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
            malformedRows: malformed, firstMalformedRows: firstMalformed,
            malformedShare: malformedShare, maxMalformedShare: maxMalformedShare,
            phoneColumnsByName: names(phones.filter { ColumnRoles.isPhoneName(header[$0]) }),
            phoneColumnsByContent: names(roles?.phoneColumnsByContent ?? []),
            unwashedPhoneColumns: names(unwashed),
            leadingZeroColumns: names(zip(phones, decided?.restores ?? []).filter(\.1).map(\.0)),
            excelArtefacts: artefacts.byName, fieldsWithSeveralNumbers: artefacts.fieldsWithSeveralNumbers,
            numbersWithoutTrunkZero: artefacts.withoutTrunkZero, suggestedScrubSettings: suggestions)
    }

    /// The phone columns chosen after the sample, and per phone column whether it restores a 0.
    private struct Decision {
        var roles: ColumnRoles?
        var restores: [Bool]
    }

    /// The repairs a scrub would make, counted as it counts them.
    private struct Artefacts {
        var byName: [String: UInt64] = Dictionary(uniqueKeysWithValues: (ExcelRepair.allCases.map(\.name) + [excelDigitsLostName]).map { ($0, 0) })
        var fieldsWithSeveralNumbers: UInt64 = 0
        var withoutTrunkZero: UInt64 = 0
        private var more: [FieldNumber] = []

        mutating func count(_ field: UnsafeRawBufferPointer, restoring: Bool, fields: LeadPhoneFields) {
            guard !LeadPhoneFields.isBlank(field) else { return }
            more.removeAll(keepingCapacity: true)
            let first = fields.read(field, restoringLeadingZero: restoring, more: &more)
            if !more.isEmpty { fieldsWithSeveralNumbers += 1 }
            for number in [first] + more {
                for repair in number.repairs.repairs { byName[repair.name, default: 0] += 1 }
                switch number.parsed {
                case .invalid(.digitsLostInScientificNotation): byName[excelDigitsLostName, default: 0] += 1
                case .invalid(.noTrunkZero): withoutTrunkZero += 1
                default: break
                }
            }
        }
    }

    /// A source name for a list without a source column: its file name without extensions.
    static func sourceName(forFile file: String) -> String {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return name.split(separator: ".").first.map(String.init) ?? name
    }

    /// Columns whose sampled values are mostly valid phone numbers though the header name did
    /// not say so: worth naming as phone columns.
    public var unnamedPhoneLikeColumns: [Column] {
        columns.filter { $0.role != "phone" && $0.sampledValues > 0 && $0.validNumbers * 2 > $0.sampledValues }
    }
}

/// `text` as one shell word: as it is when that is safe, else in single quotes.
func shellQuoted(_ text: String) -> String {
    let safe = text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.,:/@%+=#".unicodeScalars.contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

extension Array where Element == [UInt8] {
    /// The arrays as buffers, valid inside `body`.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeRawBufferPointer]) -> R) -> R {
        var buffers: [UnsafeRawBufferPointer] = []
        buffers.reserveCapacity(count)
        let copies = map { bytes -> UnsafeMutableRawBufferPointer in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            copy.copyBytes(from: bytes)
            return copy
        }
        defer { copies.forEach { $0.deallocate() } }
        for copy in copies { buffers.append(UnsafeRawBufferPointer(copy)) }
        return body(buffers)
    }
}
