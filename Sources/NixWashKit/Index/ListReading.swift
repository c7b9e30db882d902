/// A line of a register or list that holds no valid number, kept as an example for the user.
public struct InvalidLine: Equatable, Sendable, CustomStringConvertible {
    public var line: UInt64
    public var text: String
    public var reason: String

    public var description: String { "line \(line): '\(text)' (\(reason))" }
}

/// What reading one register or list file found.
public struct ListFileSummary: Equatable, Sendable {
    /// Checksum, size and counts, as recorded in an index header.
    public var source: IndexSource
    /// The first lines without a valid number (at most `ListReading.examplesKept`).
    public var invalidExamples: [InvalidLine]
    /// Whether the file had no header (its first line already held a number).
    public var headerless: Bool
}

/// Settings for reading registers, block lists, customer and consent lists.
public struct ListReadingOptions: Sendable {
    /// Number columns by header name; empty = every column whose name is a phone name.
    public var numberColumns: [String]
    /// The largest share (0...1) of data lines without a valid number that a file may have.
    public var maxInvalidShare: Double
    public var csv: CSVOptions
    public var normalizer: PhoneNormalizer

    public init(numberColumns: [String] = [], maxInvalidShare: Double = 0.01, csv: CSVOptions = CSVOptions(),
                normalizer: PhoneNormalizer = PhoneNormalizer()) {
        self.numberColumns = numberColumns
        self.maxInvalidShare = maxInvalidShare
        self.csv = csv
        self.normalizer = normalizer
    }
}

/// Reads the number lists nixwash consults: the NIX register and block lists (one number a
/// line, or CSV with a header and one or more number columns; gzip or plain) and the customer
/// and consent lists (CSV with a header).
public enum ListReading {
    public static let examplesKept = 10
    /// Header names of number columns beyond the lead-list phone names.
    static let numberNames: Set<String> = ["number", "numbers", "nr", "e164", "msisdn", "abonnemang", "anknytning"]
    static let agreementEndNames: Set<String> = [
        "agreementend", "agreementenddate", "enddate", "end", "avtalsslut", "avtalslut", "avtalslutdatum",
        "avtalsslutdatum", "slutdatum", "avtalsdatum", "kundtill", "customeruntil", "validto", "giltigtill",
    ]
    static let categoryNames: Set<String> = ["category", "productcategory", "kategori", "produktkategori", "produkt", "product"]
    static let consentDateNames: Set<String> = [
        "consentdate", "consent", "consentgiven", "samtycke", "samtyckesdatum", "samtyckedatum", "date", "datum",
    ]

    static func isNumberName(_ name: String) -> Bool {
        ColumnRoles.isPhoneName(name) || numberNames.contains(ColumnRoles.canonicalName(name))
    }

    /// Reads the numbers of a register or block list file into `keys` (unsorted, repeats
    /// kept). Whether the file has a header is decided by its first line: when the first
    /// line's number column holds a valid number there is none.
    public static func readNumbers(path: String, role: IndexSource.Role, options: ListReadingOptions,
                                   into keys: inout [UInt64]) throws -> ListFileSummary {
        let (checksum, fileLength) = try fileChecksum(path: path)
        var csv = options.csv
        csv.hasHeader = true
        csv.requireDataRows = false
        let reader = try CSVReader(input: InputFile(path: path), options: csv)
        let header = reader.header
        let normalizer = options.normalizer

        var columns: [Int]
        var headerless = false
        if !options.numberColumns.isEmpty {
            columns = try options.numberColumns.map { try column(named: $0, in: header, path: path) }
        } else {
            let holdingNumbers = reader.headerFields.indices.filter { i in
                reader.headerFields[i].withUnsafeBytes { if case .valid = normalizer.normalize($0) { return true } else { return false } }
            }
            if !holdingNumbers.isEmpty {
                columns = holdingNumbers
                headerless = true
            } else {
                columns = header.indices.filter { isNumberName(header[$0]) }
                guard !columns.isEmpty else { throw NixWashError.noNumberColumn(path: path, header: header) }
            }
        }

        var lines: UInt64 = 0, numbers: UInt64 = 0, invalid: UInt64 = 0
        var examples: [InvalidLine] = []
        func noteInvalid(_ line: UInt64, _ text: @autoclosure () -> String, _ reason: @autoclosure () -> String) {
            invalid += 1
            if examples.count < examplesKept { examples.append(InvalidLine(line: line, text: text(), reason: reason())) }
        }
        /// One data line: every number column read; the line is invalid when a non-empty
        /// field is not a valid number, or a column is missing.
        func take(line: UInt64, fieldCount: Int, withField: (Int, (UnsafeRawBufferPointer) -> Void) -> Void) {
            lines += 1
            var bad: (text: String, reason: String)?
            for column in columns {
                guard column < fieldCount else {
                    bad = bad ?? ("", "the line has \(fieldCount) fields, the number is in field \(column + 1)")
                    continue
                }
                withField(column) { bytes in
                    switch normalizer.normalize(bytes) {
                    case let .valid(number):
                        keys.append(number.key.rawValue)
                        numbers += 1
                    case .invalid(.empty):
                        break
                    case let .invalid(rejection):
                        bad = bad ?? (decodeText(bytes), rejection.rawValue)
                    }
                }
            }
            if let bad { noteInvalid(line, String(bad.text.prefix(60)), bad.reason) }
        }

        if headerless {
            let fields = reader.headerFields
            take(line: 1, fieldCount: fields.count) { i, body in fields[i].withUnsafeBytes(body) }
        }
        while let record = try reader.next() {
            if let problem = record.problem {
                lines += 1
                noteInvalid(problem.line, "", "malformed CSV at column \(problem.column)")
                continue
            }
            take(line: record.line, fieldCount: record.count) { i, body in body(record.field(i)) }
        }
        if lines > 0, Double(invalid) > Double(lines) * options.maxInvalidShare {
            throw NixWashError.tooManyInvalidNumbers(path: path, invalid: invalid, lines: lines,
                                                     examples: examples.map(\.description))
        }
        let source = IndexSource(name: path, role: role, checksum: checksum, fileLength: fileLength,
                                 lines: lines, numbers: numbers, invalidLines: invalid)
        return ListFileSummary(source: source, invalidExamples: examples, headerless: headerless)
    }

    /// Reads a customer list: number, agreement end (empty = active), optional category.
    /// Columns are found by header name unless given.
    public static func readCustomers(path: String, options: ListReadingOptions, agreementEndColumn: String? = nil,
                                     categoryColumn: String? = nil) throws -> (CustomerList, ListFileSummary) {
        var entries: [(key: PhoneKey, agreementEnd: Int32?, category: String?)] = []
        let summary = try readDatedRows(path: path, options: options, dateColumn: agreementEndColumn,
                                        dateNames: agreementEndNames, emptyDateAllowed: true,
                                        categoryColumn: categoryColumn) { key, day, category in
            entries.append((key, day, category))
        }
        return (CustomerList(entries: entries), summary)
    }

    /// Reads a consent list: number and consent date. A row without a date gives no consent
    /// and counts as an invalid line.
    public static func readConsents(path: String, options: ListReadingOptions,
                                    consentDateColumn: String? = nil) throws -> (ConsentList, ListFileSummary) {
        var entries: [(key: PhoneKey, consentDate: Int32)] = []
        let summary = try readDatedRows(path: path, options: options, dateColumn: consentDateColumn,
                                        dateNames: consentDateNames, emptyDateAllowed: false,
                                        categoryColumn: nil) { key, day, _ in
            if let day { entries.append((key, day)) }
        }
        return (ConsentList(entries: entries), summary)
    }

    private static func readDatedRows(path: String, options: ListReadingOptions, dateColumn: String?,
                                      dateNames: Set<String>, emptyDateAllowed: Bool, categoryColumn: String?,
                                      row: (PhoneKey, Int32?, String?) -> Void) throws -> ListFileSummary {
        let (checksum, fileLength) = try fileChecksum(path: path)
        var csv = options.csv
        csv.hasHeader = true
        let reader = try CSVReader(input: InputFile(path: path), options: csv)
        let header = reader.header
        func find(_ explicit: String?, _ matches: (String) -> Bool) throws -> Int? {
            if let explicit { return try column(named: explicit, in: header, path: path) }
            return header.indices.first { matches(header[$0]) }
        }
        guard let numberColumn = try find(options.numberColumns.first, isNumberName) else {
            throw NixWashError.noNumberColumn(path: path, header: header)
        }
        guard let dateIndex = try find(dateColumn, { dateNames.contains(ColumnRoles.canonicalName($0)) }) else {
            throw NixWashError.missingColumn(path: path, column: dateColumn ?? dateNames.sorted().joined(separator: "|"), header: header)
        }
        let categoryIndex = try find(categoryColumn) { categoryNames.contains(ColumnRoles.canonicalName($0)) }
        let needed = max(numberColumn, dateIndex, categoryIndex ?? 0) + 1

        var lines: UInt64 = 0, numbers: UInt64 = 0, invalid: UInt64 = 0
        var examples: [InvalidLine] = []
        func noteInvalid(_ line: UInt64, _ text: String, _ reason: String) {
            invalid += 1
            if examples.count < examplesKept { examples.append(InvalidLine(line: line, text: String(text.prefix(60)), reason: reason)) }
        }
        while let record = try reader.next() {
            lines += 1
            if let problem = record.problem {
                noteInvalid(problem.line, "", "malformed CSV at column \(problem.column)")
                continue
            }
            guard record.count >= needed else {
                noteInvalid(record.line, "", "the line has \(record.count) fields, the header \(header.count)")
                continue
            }
            let number: NormalizedNumber
            switch options.normalizer.normalize(record.field(numberColumn)) {
            case let .valid(valid):
                number = valid
            case let .invalid(rejection):
                noteInvalid(record.line, record.string(numberColumn), rejection.rawValue)
                continue
            }
            let dateField = record.field(dateIndex)
            var day: Int32?
            if dateField.allSatisfy({ $0 == 0x20 }) {
                guard emptyDateAllowed else {
                    noteInvalid(record.line, "", "no date in column '\(header[dateIndex])'")
                    continue
                }
            } else {
                guard let parsed = parseListDate(dateField) else {
                    throw NixWashError.invalidListDate(path: path, line: record.line, column: header[dateIndex],
                                                       value: String(record.string(dateIndex).prefix(40)))
                }
                day = parsed
            }
            numbers += 1
            row(number.key, day, categoryIndex.map { record.string($0) })
        }
        if lines > 0, Double(invalid) > Double(lines) * options.maxInvalidShare {
            throw NixWashError.tooManyInvalidNumbers(path: path, invalid: invalid, lines: lines,
                                                     examples: examples.map(\.description))
        }
        let source = IndexSource(name: path, role: .register, checksum: checksum, fileLength: fileLength,
                                 lines: lines, numbers: numbers, invalidLines: invalid)
        return ListFileSummary(source: source, invalidExamples: examples, headerless: false)
    }

    /// `YYYY-MM-DD`, also when a time of day follows (`2026-11-01T08:00:00`, `2026-11-01 08:00`),
    /// as CRM exports write them.
    static func parseListDate(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var start = 0
        while start < bytes.count && bytes[start] == 0x20 { start += 1 }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
        if rest.count > 10, rest[10] == UInt8(ascii: "T") || rest[10] == 0x20 {
            return DayNumber.parse(UnsafeRawBufferPointer(rebasing: rest[0..<10]))
        }
        return DayNumber.parse(rest)
    }

    static func column(named name: String, in header: [String], path: String) throws -> Int {
        if let exact = header.firstIndex(of: name) { return exact }
        let wanted = name.lowercased()
        if let loose = header.firstIndex(where: { $0.lowercased() == wanted }) { return loose }
        throw NixWashError.missingColumn(path: path, column: name, header: header)
    }

    /// XXH64 and length of the file as stored (compressed bytes for a gzip file), so that an
    /// auditor holding the delivered file can match it to the index.
    static func fileChecksum(path: String) throws -> (checksum: UInt64, length: UInt64) {
        guard path != "-" else {
            throw NixWashError.invalidSetting(source: path, reason: "a register or list must be a file, not standard input, so that its checksum can be recorded. Save it to a file first.")
        }
        let file = try SystemFile.openForReading(path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = XXHash64()
        var length: UInt64 = 0
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            length += UInt64(n)
        }
        return (hasher.digest, length)
    }
}
