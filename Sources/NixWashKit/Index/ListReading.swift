/// A line of a register or list that nixwash could not read: where it is, what it holds and why.
public struct InvalidLine: Equatable, Sendable, CustomStringConvertible {
    public var line: UInt64
    /// The header name of the column, or `field N` in a file without a header.
    public var column: String
    public var value: String
    public var reason: String

    public init(line: UInt64, column: String, value: String, reason: String) {
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
    }

    public var description: String { "line \(line), column '\(column)': '\(value)' (\(reason))" }
}

/// What reading one register or list file found.
public struct ListFileSummary: Equatable, Sendable {
    /// Checksum, size and counts, as recorded in an index header.
    public var source: IndexSource
    /// The unreadable lines let through (no more than `ListReadingOptions.maxInvalidLines`).
    public var invalidLines: [InvalidLine]
    /// Numbers nixwash cannot place in a numbering plan, kept under their written digits
    /// (`ListReading.writtenKey`); they are among `source.numbers`.
    public var unplacedNumbers: UInt64
    /// Whether the file had no header (its first line already held a number).
    public var headerless: Bool
    /// The columns the numbers were read from: header names, or `field N` without a header.
    public var numberColumns: [String]
    /// Numbers read from the other columns because their content is a phone number (a second
    /// number on a line, a reserve number column): never left out of a list. Among `source.numbers`.
    public var numbersByContent: UInt64 = 0
    /// The columns those were in.
    public var contentColumns: [String] = []
    /// Numbers that read two ways (`468123456`: 046-812 34 56 or +46 8 123 456): both are
    /// indexed, in a file of numbers to remove neither is removed, and in a customer or consent
    /// list neither is exempt. Among `source.numbers`.
    public var numbersReadBothWays: UInt64 = 0
}

/// Which kind of list a file is, so that an error says how to fix that kind.
public enum ListRole: Sendable {
    /// A NIX register, a block list or a delta file of one (`index build` and `index update`).
    case register
    case customers
    case consents
}

/// Settings for reading registers, block lists, customer and consent lists.
public struct ListReadingOptions: Sendable {
    /// Number columns by header name; empty = every column whose name is a phone name, or the
    /// first field that holds a number when the first line is not a header.
    public var numberColumns: [String]
    /// How many unreadable lines a register read may let through (returned in the summary so
    /// that they can be written out); one more fails the read. Customer and consent lists let none through.
    public var maxInvalidLines: UInt64
    public var csv: CSVOptions
    public var normalizer: PhoneNormalizer

    public init(numberColumns: [String] = [], maxInvalidLines: UInt64 = 0, csv: CSVOptions = CSVOptions(),
                normalizer: PhoneNormalizer = PhoneNormalizer()) {
        self.numberColumns = numberColumns
        self.maxInvalidLines = maxInvalidLines
        self.csv = csv
        self.normalizer = normalizer
    }
}

/// Columns of a customer or consent list given by header name; nil = found by name.
public struct DatedListColumns: Equatable, Sendable {
    public var number: String?
    /// The agreement end of a customer list, the consent date of a consent list.
    public var date: String?
    /// The product category of a customer list.
    public var category: String?

    public init(number: String? = nil, date: String? = nil, category: String? = nil) {
        self.number = number
        self.date = date
        self.category = category
    }
}

/// Reads the number lists nixwash consults: the NIX register and block lists (one number a
/// line; a number followed by other fields such as a date or an id; or CSV with a header and
/// one or more number columns; gzip or plain) and the customer and consent lists (CSV with a
/// header). Nothing is dropped in silence: a line that cannot be read fails the read, naming
/// the file, line, column and value, unless the caller lets a number of such lines through.
public enum ListReading {
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

    /// Rejections of numbers that are written as numbers but that no numbering plan nixwash
    /// carries can place: such a number is kept under its written digits, never dropped.
    static let unplaceable: Set<PhoneRejection> = [.tooShort, .tooLong, .badPrefix, .unknownAreaCode, .unknownCountryCode]

    /// The key under which a number nixwash cannot place is kept: its digits, a leading `00`
    /// dropped and a single leading trunk `0` read as the default country's calling code, so
    /// that `070 12` and `+46 70 12` meet as they would for a placeable number. Nil when the
    /// field has no digits after that prefix, or more than E.164's 15 (no phone number has more,
    /// and a key far above the numbers' range would coarsen the index's lookup tables).
    public static func writtenKey(_ field: UnsafeRawBufferPointer, defaultCountry: PhoneCountry) -> PhoneKey? {
        var digits: [UInt8] = []
        for byte in field where byte >= 0x30 && byte <= 0x39 { digits.append(byte - 0x30) }
        var start = 0
        var value: UInt64 = 0
        if digits.count >= 2, digits[0] == 0, digits[1] == 0 {
            start = 2
        } else if digits.first == 0 {
            start = 1
            value = defaultCountry.callingCode
        }
        guard start < digits.count else { return nil }
        var significant = value == 0 ? 0 : String(value).count
        for digit in digits[start...] {
            if value == 0 && digit == 0 { continue }
            significant += 1
            guard significant <= 15 else { return nil }
            value = value * 10 + UInt64(digit)
        }
        return value == 0 ? nil : PhoneKey(rawValue: value)
    }

    /// The second reading of digits written without `+`, `00` or a trunk 0 that begin with the
    /// default country's calling code, when both readings are valid numbers: `468123456` is the
    /// Lund number 046-812 34 56 read nationally and the Stockholm number 08-123 456 after +46.
    /// The normalizer gives the national one, as libphonenumber does; a list of numbers not to
    /// call is read both ways, because registers write their numbers with the calling code and
    /// a list that means the Stockholm number must not leave it callable.
    static func callingCodeReading(_ bytes: UnsafeRawBufferPointer, read key: PhoneKey, normalizer: PhoneNormalizer) -> PhoneKey? {
        // Whatever the normalizer skips around the digits (`(46) 8 …`, `Tel: 46…`, an apostrophe,
        // a no-break space) is no `+`: only the digits tell. A leading 0 is a trunk or `00` prefix.
        // Counted, not collected: this runs for every line of a 5-million-number register.
        var value: UInt64 = 0, count = 0, leadingZero = false
        for byte in bytes {
            if byte == UInt8(ascii: "+") { return nil }
            guard byte >= 0x30 && byte <= 0x39 else { continue }
            if count == 0 { leadingZero = byte == 0x30 }
            count += 1
            guard count <= 15 else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        // Read with the calling code already, or not beginning with it.
        guard value != key.rawValue, !leadingZero else { return nil }
        let code = normalizer.defaultCountry.callingCode
        var scale: UInt64 = 1
        for _ in 0..<count { scale *= 10 }
        var codeScale: UInt64 = 1
        while codeScale <= code { codeScale *= 10 }
        guard scale > codeScale, value / (scale / codeScale) == code else { return nil }
        let international = Array("+\(value)".utf8)
        guard case let .valid(number) = international.withUnsafeBytes({ normalizer.normalize($0) }), number.key != key else {
            return nil
        }
        return number.key
    }

    /// Whether a field of a first line is a phone number rather than a header name: it parses
    /// as one, or it is digits with phone punctuation only; a date (`2026-10-01`) is not.
    static func looksLikeNumber(_ field: [UInt8], normalizer: PhoneNormalizer) -> Bool {
        let isDate = field.withUnsafeBytes { parseListDate($0) != nil }
        if isDate { return false }
        if field.withUnsafeBytes({ if case .valid = normalizer.normalize($0) { return true } else { return false } }) {
            return true
        }
        return isNumberFragment(field)
    }

    /// Digits with phone punctuation only (` +-./()`), at least one digit: `070-12`, `(08) 12`.
    static func isNumberFragment(_ field: [UInt8]) -> Bool {
        field.contains { $0 >= 0x30 && $0 <= 0x39 } && field.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || " +-./()".utf8.contains($0) }
    }

    /// Whether a field starts as phone numbers are written: `+`, a trunk or international `0`,
    /// or the default country's calling code.
    static func writtenAsPhoneNumber(_ field: [UInt8], defaultCountry: PhoneCountry) -> Bool {
        guard let first = field.first(where: { $0 != 0x20 }) else { return false }
        let digits = field.filter { $0 >= 0x30 && $0 <= 0x39 }
        return first == UInt8(ascii: "+") || first == UInt8(ascii: "0")
            || digits.starts(with: Array(String(defaultCountry.callingCode).utf8))
    }

    /// One number field read: a number (placed, or kept under its written digits), nothing
    /// (blank), or why it cannot be read.
    enum FieldReading {
        case number(PhoneKey, placed: Bool)
        case blank
        case unreadable(String)
    }

    static func readField(_ bytes: UnsafeRawBufferPointer, normalizer: PhoneNormalizer) -> FieldReading {
        switch normalizer.normalize(bytes) {
        case let .valid(number):
            return .number(number.key, placed: true)
        case .invalid(.empty):
            return .blank
        case let .invalid(rejection) where unplaceable.contains(rejection):
            guard let key = writtenKey(bytes, defaultCountry: normalizer.defaultCountry) else {
                return .unreadable("\(rejection.rawValue): no phone number has these digits")
            }
            return .number(key, placed: false)
        case let .invalid(rejection):
            return .unreadable(rejection.rawValue)
        }
    }

    /// Opens a list as CSV with its first line as header. A first line without `,` `;` or tab
    /// but with `|` is read again split at `|`, the other delimiter vendors' exports use.
    static func openList(path: String, csv: CSVOptions) throws -> CSVReader {
        var csv = csv
        csv.hasHeader = true
        csv.requireDataRows = false
        let reader = try CSVReader(input: content(path: path), options: csv)
        if csv.delimiter == nil, reader.headerFields.count == 1, reader.headerFields[0].contains(UInt8(ascii: "|")) {
            csv.delimiter = UInt8(ascii: "|")
            return try CSVReader(input: content(path: path), options: csv)
        }
        return reader
    }

    /// A list file's text: UTF-16 with a byte order mark (Excel's "Unicode text") is read as
    /// UTF-8, as a lead list is; anything else as it is.
    private static func content(path: String) throws -> ContentSource {
        let file = try InputFile(path: path)
        return try UTF16Text.transcoding(file, head: file.peek(2))?.content ?? file
    }

    /// Reads the numbers of a register or block list file into `keys` (unsorted, repeats
    /// kept). Whether the file has a header is decided by its first line: when a field of it
    /// is a phone number there is none, and the numbers are read from the fields of that line
    /// written as phone numbers (a date or an id beside them is not read). With a header,
    /// every number column is read.
    public static func readNumbers(path: String, role: IndexSource.Role, options: ListReadingOptions,
                                   into keys: inout [UInt64]) throws -> ListFileSummary {
        let (checksum, fileLength) = try fileChecksum(path: path)
        let reader = try openList(path: path, csv: options.csv)
        let header = reader.header
        let normalizer = options.normalizer

        var columns: [Int]
        var headerless = false
        if !options.numberColumns.isEmpty {
            var named: [Int] = []
            for name in options.numberColumns {
                for column in try ColumnRoles.columns(named: name, header: header, path: path) where !named.contains(column) { named.append(column) }
            }
            columns = named
        } else {
            let fields = reader.headerFields
            let valid = fields.indices.filter { i in
                fields[i].withUnsafeBytes { if case .valid = normalizer.normalize($0) { return true } else { return false } }
                    && !fields[i].withUnsafeBytes { parseListDate($0) != nil }
            }
            // An id such as 12345678 may parse as a national number: the fields written as
            // phone numbers are the numbers (all of them: a line may hold two), else the first
            // that parses, else the first written in digits.
            let written = valid.filter { writtenAsPhoneNumber(fields[$0], defaultCountry: normalizer.defaultCountry) }
            let chosen = !written.isEmpty ? written
                : (valid.first ?? fields.indices.first { looksLikeNumber(fields[$0], normalizer: normalizer) }).map { [$0] } ?? []
            if !chosen.isEmpty {
                columns = chosen
                headerless = true
            } else {
                columns = header.indices.filter { isNumberName(header[$0]) }
                guard !columns.isEmpty else { throw NixWashError.noNumberColumn(path: path, header: header, list: .register) }
            }
        }
        let columnNames = columns.map { headerless ? "field \($0 + 1)" : ColumnRoles.displayName(of: $0, header: header) }

        var lines: UInt64 = 0, numbers: UInt64 = 0, unplaced: UInt64 = 0, byContent: UInt64 = 0, readBothWays: UInt64 = 0
        var contentColumns: [Int] = []
        /// Keys a number field gives: both readings of one that reads two ways, except in a
        /// file of numbers to remove, where neither is removed (which one left the register
        /// cannot be told, and the other may still be on it).
        func append(_ key: PhoneKey, placed: Bool, bytes: UnsafeRawBufferPointer) {
            numbers += 1
            if !placed { unplaced += 1 }
            guard placed, let other = callingCodeReading(bytes, read: key, normalizer: normalizer) else {
                keys.append(key.rawValue)
                return
            }
            readBothWays += 1
            if role != .removed { keys += [key.rawValue, other.rawValue] }
        }
        let content = PhoneContent(normalizer: normalizer)
        var invalid: [InvalidLine] = []
        func unreadable(_ found: InvalidLine) throws {
            guard UInt64(invalid.count) < options.maxInvalidLines else {
                throw NixWashError.unreadableListLine(path: path, line: found.line, column: found.column, value: found.value,
                                                      reason: found.reason, list: .register, allowed: options.maxInvalidLines)
            }
            invalid.append(found)
        }
        func name(of column: Int) -> String {
            headerless || column >= header.count ? "field \(column + 1)" : ColumnRoles.displayName(of: column, header: header)
        }
        /// One data line: every number column read. The line is unreadable when a field is
        /// not a number, a column is missing, or no column holds a number. A date in a number
        /// field of a file without a header is the date beside a number on another line's
        /// shape (`46701234567;2026-10-01`), not a number; with a header it is unreadable.
        /// Another field that is a phone number is read too; one with a number inside its text
        /// cannot be read whole, so the line is unreadable.
        func take(line: UInt64, fieldCount: Int, field: (Int) -> UnsafeRawBufferPointer) throws {
            lines += 1
            var problem: InvalidLine?
            var found = 0
            for (position, column) in columns.enumerated() {
                guard column < fieldCount else {
                    problem = problem ?? InvalidLine(line: line, column: columnNames[position], value: "",
                                                     reason: "the line has \(fieldCount) fields, the number is in field \(column + 1)")
                    continue
                }
                let bytes = field(column)
                if parseListDate(bytes) != nil {
                    if !headerless {
                        problem = problem ?? InvalidLine(line: line, column: columnNames[position],
                                                         value: String(decodeText(bytes).prefix(60)), reason: "a date")
                    }
                    continue
                }
                switch readField(bytes, normalizer: normalizer) {
                case let .number(key, placed):
                    append(key, placed: placed, bytes: bytes)
                    found += 1
                case .blank:
                    break
                case let .unreadable(reason):
                    problem = problem ?? InvalidLine(line: line, column: columnNames[position],
                                                     value: String(decodeText(bytes).prefix(60)), reason: reason)
                }
            }
            for other in 0..<fieldCount where !columns.contains(other) {
                let bytes = field(other)
                switch content.kind(of: bytes) {
                case .phoneNumber, .phoneOrIdentityNumber:
                    // Written as Excel writes numbers (`4.67012E+10`), it cannot be indexed as it is.
                    guard case let .number(key, placed) = readField(bytes, normalizer: normalizer) else {
                        problem = problem ?? InvalidLine(line: line, column: name(of: other), value: String(decodeText(bytes).prefix(60)),
                                                         reason: "a phone number outside the number column, in a form that cannot be indexed")
                        continue
                    }
                    append(key, placed: placed, bytes: bytes)
                    byContent += 1
                    found += 1
                    if !contentColumns.contains(other) { contentColumns.append(other) }
                case .phoneNumberInText:
                    problem = problem ?? InvalidLine(line: line, column: name(of: other), value: String(decodeText(bytes).prefix(60)),
                                                     reason: "it holds one inside its text, and only whole fields are read: move the number to a column of its own")
                case .other, .identityNumber:
                    break
                }
            }
            if problem == nil, found == 0 {
                problem = InvalidLine(line: line, column: columnNames.joined(separator: ", "), value: "",
                                      reason: "no number in the number column\(columns.count == 1 ? "" : "s")")
            }
            if let problem { try unreadable(problem) }
        }

        if headerless {
            let fields = reader.headerFields
            try take(line: 1, fieldCount: fields.count) { i in fields[i].withUnsafeBytes { $0 } }
        }
        while let record = try reader.next() {
            if let problem = record.problem {
                lines += 1
                try unreadable(InvalidLine(line: problem.line, column: "character \(problem.column)", value: "",
                                           reason: "malformed CSV: \(problem.message)"))
                continue
            }
            try take(line: record.line, fieldCount: record.count) { record.field($0) }
        }
        let source = IndexSource(name: path, role: role, checksum: checksum, fileLength: fileLength,
                                 lines: lines, numbers: numbers, invalidLines: UInt64(invalid.count))
        return ListFileSummary(source: source, invalidLines: invalid, unplacedNumbers: unplaced,
                               headerless: headerless, numberColumns: columnNames,
                               numbersByContent: byContent, contentColumns: contentColumns.map(name(of:)),
                               numbersReadBothWays: readBothWays)
    }

    /// Reads a customer list: number, agreement end (empty = active), optional category.
    /// Columns are found by header name unless given.
    public static func readCustomers(path: String, options: ListReadingOptions,
                                     columns: DatedListColumns = DatedListColumns()) throws -> (CustomerList, ListFileSummary) {
        var entries: [(key: PhoneKey, agreementEnd: Int32?, category: String?)] = []
        let summary = try readDatedRows(path: path, options: options, columns: columns, list: .customers,
                                        dateNames: agreementEndNames, emptyDateAllowed: true) { key, day, category in
            entries.append((key, day, category))
        }
        return (CustomerList(entries: entries), summary)
    }

    /// Reads a consent list: number and consent date. A row without a date is unreadable:
    /// a consent needs its date.
    public static func readConsents(path: String, options: ListReadingOptions,
                                    columns: DatedListColumns = DatedListColumns()) throws -> (ConsentList, ListFileSummary) {
        var entries: [(key: PhoneKey, consentDate: Int32)] = []
        let summary = try readDatedRows(path: path, options: options, columns: columns, list: .consents,
                                        dateNames: consentDateNames, emptyDateAllowed: false) { key, day, _ in
            if let day { entries.append((key, day)) }
        }
        return (ConsentList(entries: entries), summary)
    }

    /// A customer or consent list, row by row: every number column of the row (a row may give
    /// a customer's mobile and landline), its date and category. The first unreadable row
    /// fails the read: a lost customer or consent row would change who may be called.
    private static func readDatedRows(path: String, options: ListReadingOptions, columns: DatedListColumns,
                                      list: ListRole, dateNames: Set<String>, emptyDateAllowed: Bool,
                                      row: (PhoneKey, Int32?, String?) -> Void) throws -> ListFileSummary {
        let (checksum, fileLength) = try fileChecksum(path: path)
        let reader = try openList(path: path, csv: options.csv)
        let header = reader.header
        let numberColumns = try columns.number.map { try ColumnRoles.columns(named: $0, header: header, path: path) }
            ?? header.indices.filter { isNumberName(header[$0]) }
        guard !numberColumns.isEmpty else { throw NixWashError.noNumberColumn(path: path, header: header, list: list) }
        func find(_ explicit: String?, _ names: Set<String>) throws -> Int? {
            if let explicit { return try ColumnRoles.columns(named: explicit, header: header, path: path)[0] }
            return header.indices.first { names.contains(ColumnRoles.canonicalName(header[$0])) }
        }
        guard let dateIndex = try find(columns.date, dateNames) else {
            throw NixWashError.noListDateColumn(path: path, header: header, list: list)
        }
        let categoryIndex = list == .customers ? try find(columns.category, categoryNames) : nil
        let needed = max(numberColumns.max()!, dateIndex, categoryIndex ?? 0) + 1

        var lines: UInt64 = 0, numbers: UInt64 = 0, unplaced: UInt64 = 0, readBothWays: UInt64 = 0
        func fail(_ line: UInt64, _ column: String, _ value: String, _ reason: String) -> NixWashError {
            .unreadableListLine(path: path, line: line, column: column, value: String(value.prefix(60)), reason: reason,
                                list: list, allowed: 0)
        }
        while let record = try reader.next() {
            lines += 1
            if let problem = record.problem {
                throw fail(problem.line, "character \(problem.column)", "", "malformed CSV: \(problem.message)")
            }
            guard record.count >= needed else {
                throw fail(record.line, header[min(record.count, header.count - 1)], "",
                           "the line has \(record.count) fields, the header \(header.count)")
            }
            let dateField = record.field(dateIndex)
            var day: Int32?
            if dateField.allSatisfy({ $0 == 0x20 }) {
                guard emptyDateAllowed else { throw fail(record.line, header[dateIndex], "", "no consent date") }
            } else {
                guard let parsed = listDay(dateField) else {
                    // The value is named in the reason: the message's own wording is about numbers.
                    throw fail(record.line, header[dateIndex], "",
                               "'\(String(record.string(dateIndex).prefix(60)))' is not a date: write YYYY-MM-DD, DD.MM.YYYY or YYYYMMDD, optionally with a time as in the history import (a slash date cannot be told day from month)")
                }
                day = parsed
            }
            let category = categoryIndex.map { record.string($0) }
            var found = 0
            for column in numberColumns {
                switch readField(record.field(column), normalizer: options.normalizer) {
                case let .number(key, placed):
                    found += 1
                    if !placed { unplaced += 1 }
                    // An exemption for one reading of `468123456` would let the other be called
                    // if it is the one the list meant: such a number exempts neither.
                    if placed, callingCodeReading(record.field(column), read: key, normalizer: options.normalizer) != nil {
                        readBothWays += 1
                        continue
                    }
                    row(key, day, category)
                case .blank:
                    break
                case let .unreadable(reason):
                    throw fail(record.line, header[column], record.string(column), reason)
                }
            }
            guard found > 0 else {
                throw fail(record.line, numberColumns.map { header[$0] }.joined(separator: ", "), "", "no number in the row")
            }
            numbers += UInt64(found)
        }
        let source = IndexSource(name: path, role: .register, checksum: checksum, fileLength: fileLength,
                                 lines: lines, numbers: numbers, invalidLines: 0)
        return ListFileSummary(source: source, invalidLines: [], unplacedNumbers: unplaced, headerless: false,
                               numberColumns: numberColumns.map { header[$0] }, numbersReadBothWays: readBothWays)
    }

    /// A list's date as a day: any timestamp the history import accepts, taken as its
    /// Stockholm date (so a UTC time late in the evening is the next day), else a date in any
    /// form the history import reads (`YYYY-MM-DD`, `DD.MM.YYYY`, `YYYYMMDD`), else
    /// `YYYY-MM-DD` with a time after it, as CRM exports write them. A slash date is refused:
    /// its day and month cannot be told apart.
    static func listDay(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        if case let .instant(instant, _) = AttemptTimestamp.parse(bytes) { return StockholmTime.localDay(at: instant) }
        if case let .date(date) = LocalDate.read(bytes, order: nil) { return Int32(date.daysSinceEpoch) }
        return parseListDate(bytes)
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

    /// XXH64 and length of the file as stored (compressed bytes for a gzip file), so that an
    /// auditor holding the delivered file can match it to the index.
    static func fileChecksum(path: String) throws -> (checksum: UInt64, length: UInt64) {
        guard path != "-" else {
            throw NixWashError.listFromStandardInput(path: path)
        }
        let fingerprint = try FileFingerprint.xxHash64(path: path)
        return (fingerprint.checksum, fingerprint.size)
    }
}
