import Foundation

/// Which header names hold the fields of a dialer attempt log. Without a mapping a field is
/// found by its usual names (Swedish or English, case, spaces and punctuation ignored); a
/// mapped field (`number=Telefon`) must be in the header under that name.
public struct AttemptLogColumns: Equatable, Sendable {
    public enum Field: String, CaseIterable, Sendable {
        case number
        case attemptedAt = "attempted_at"
        case campaign
        case offer
        case contactCentre = "contact_centre"
        /// Optional: attempts without it are stored with no outcome.
        case outcome
    }

    /// Header names given by the user, per field.
    public private(set) var mapped: [Field: String] = [:]
    /// One value for every row of a file, given by the user (`offer=elavtal-fast`), for
    /// logs that have no column for it.
    public private(set) var fixed: [Field: String] = [:]

    /// The fields that may be given one value for a whole file: a number or a time never is.
    public static let settableFields: [Field] = [.campaign, .offer, .contactCentre, .outcome]

    public init() {}

    /// Applies `FIELD=HEADER`, e.g. `number=Telefon`; false when the text is not of that form.
    public mutating func map(_ assignment: String) -> Bool {
        guard let (field, header) = Self.split(assignment) else { return false }
        mapped[field] = header
        return true
    }

    /// Applies `FIELD=VALUE`, e.g. `offer=elavtal-fast`; false when the text is not of that
    /// form or the field is not one of `settableFields`.
    public mutating func set(_ assignment: String) -> Bool {
        guard let (field, value) = Self.split(assignment), Self.settableFields.contains(field),
              !value.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        fixed[field] = value.trimmingCharacters(in: .whitespaces)
        return true
    }

    private static func split(_ assignment: String) -> (Field, String)? {
        guard let equals = assignment.firstIndex(of: "="),
              let field = Field(rawValue: String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)) else { return nil }
        let rest = String(assignment[assignment.index(after: equals)...])
        return rest.isEmpty ? nil : (field, rest)
    }

    /// Outcome values that mean the dial never reached the consumer's phone, so the row is not
    /// an attempt (SPEC section 1), folded by `foldOutcome`: an invalid or disconnected number
    /// (VICIdial's ADC and DC), a network failure, a dial that was never placed.
    public static let defaultNotAttemptOutcomeNames = [
        "invalid_number", "invalid", "not_in_service", "disconnected_number", "ADC", "DC",
        "network_error", "network_failure", "congestion", "no_route", "not_dialled", "not_dialed",
        "ogiltigt_nummer", "felaktigt_nummer", "nätverksfel", "ej_uppringd",
    ]
    public static let defaultNotAttemptOutcomes = Set(defaultNotAttemptOutcomeNames.map(foldOutcome))

    /// An outcome compared without case, blanks or punctuation: `Invalid Number` is `invalid_number`.
    public static func foldOutcome(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0)
        }))
    }

    /// Canonical (see `ColumnRoles.canonicalName`) names each field goes by in dialer exports.
    static let usualNames: [Field: Set<String>] = [
        .number: ["number", "nummer", "phonenumber", "phone", "telefon", "telefonnummer", "tel", "msisdn", "e164",
                  "mobil", "mobilnummer", "dialednumber", "ringtnummer"],
        .attemptedAt: ["attemptedat", "attempttime", "timestamp", "time", "datetime", "calltime", "calledat",
                       "startedat", "starttime", "tidpunkt", "tid", "samtalstid", "ringtid"],
        .campaign: ["campaign", "campaignid", "uppdrag", "uppdragsid", "kampanj", "kampanjid"],
        .offer: ["offer", "offerid", "erbjudande", "erbjudandeid", "product", "produkt"],
        .contactCentre: ["contactcentre", "contactcenter", "contactcentreid", "contactcenterid", "kkc",
                         "kundkontaktcenter", "callcentre", "callcenter", "centre", "center"],
        .outcome: ["outcome", "result", "status", "disposition", "utfall", "resultat"],
    ]

    /// The column index of every field in `header` that is read from a column (nil for an
    /// absent outcome, and for the fields given one value). A field given one value that the
    /// log also has a column for is refused: which of the two is right cannot be told.
    func resolve(header: [String], path: String) throws -> [Field: Int] {
        var columns: [Field: Int] = [:]
        for field in Field.allCases {
            let candidates: [Int]
            if let name = mapped[field] {
                guard fixed[field] == nil else {
                    throw NixWashError.attemptLogFieldTwice(path: path, field: field.rawValue, headerColumn: nil, value: fixed[field]!)
                }
                candidates = try ColumnRoles.columns(named: name, header: header, path: path)
            } else {
                candidates = header.indices.filter { AttemptLogColumns.usualNames[field]!.contains(ColumnRoles.canonicalName(header[$0])) }
                if let index = candidates.first, fixed[field] != nil {
                    throw NixWashError.attemptLogFieldTwice(path: path, field: field.rawValue, headerColumn: header[index], value: fixed[field]!)
                }
            }
            // Two columns that could each be the field (a name the header has twice, or two
            // usual names): reading either would guess.
            guard candidates.count <= 1 else {
                throw NixWashError.attemptLogFieldAmbiguous(path: path, field: field.rawValue,
                                                            headerColumns: candidates.map { ColumnRoles.displayName(of: $0, header: header) })
            }
            if let index = candidates.first {
                columns[field] = index
            } else if field != .outcome, fixed[field] == nil {
                throw NixWashError.noAttemptLogColumn(path: path, field: field.rawValue, header: header)
            }
        }
        return columns
    }
}

/// How the logs of one import are read: columns and values (`AttemptLogColumns`), times,
/// the outcomes that are not attempts, CSV and numbers.
public struct AttemptLogOptions: Sendable {
    public var columns = AttemptLogColumns()
    public var time = AttemptTimeReading()
    /// Outcome names (any spelling `AttemptLogColumns.foldOutcome` folds alike).
    public var notAttemptOutcomes = AttemptLogColumns.defaultNotAttemptOutcomeNames
    public var csv = CSVOptions()
    public var normalizer = PhoneNormalizer()
    /// How the details of bad rows (on standard error and in the rejects file) call a setting:
    /// the CLI gives its option names.
    public var naming: @Sendable (Setting) -> String = { $0.description }

    public init() {}
}

extension HistoryImport {
    /// Reads one dialer attempt log (gzip or plain CSV, `-` for standard input) into this
    /// import. A row that cannot be imported is rejected with its line, column and value
    /// (which ends the import unless bad rows are let through); a row whose outcome means no
    /// attempt is counted and left out; anything else that goes wrong (unreadable or corrupt
    /// file, missing column) throws, and the whole import is then rolled back.
    public func importLog(path: String, columns: AttemptLogColumns = AttemptLogColumns(),
                          csv: CSVOptions = CSVOptions(), normalizer: PhoneNormalizer = PhoneNormalizer()) throws -> HistoryFileSummary {
        let fingerprint = try FileFingerprint.sha256(ofRegularFile: path)
        var options = csv
        options.requireDataRows = false
        let reader = try CSVReader(input: InputFile(path: path), options: options)
        let header = reader.header
        let index = try columns.resolve(header: header, path: path)
        try startFile(path: path, size: fingerprint?.size, sha256: fingerprint?.sha256)
        let number = index[.number]!, attemptedAt = index[.attemptedAt]!
        let campaign = index[.campaign], offer = index[.offer], centre = index[.contactCentre], outcome = index[.outcome]
        let needed = [number, attemptedAt, campaign, offer, centre].compactMap { $0 }.max()! + 1
        // The header's columns, an empty name after the last (a trailing delimiter) left out.
        let headerWidth = header.count - header.reversed().prefix(while: { $0.trimmingCharacters(in: .whitespaces).isEmpty }).count
        let delimiter = reader.delimiter
        func rowText(_ record: CSVRecord) -> String {
            (0..<record.count).map { CSVRejectsText.quoted(record.string($0), delimiter: delimiter) }
                .joined(separator: String(UnicodeScalar(delimiter)))
        }
        func name(_ field: AttemptLogColumns.Field) -> String? { index[field].map { header[$0] } }

        // A value given for the whole file stands in for the column: its bytes live as long as the loop.
        var fixedBytes: [AttemptLogColumns.Field: [UInt8]] = [:]
        for (field, value) in columns.fixed { fixedBytes[field] = Array(value.utf8) }
        let fixedCampaign = fixedBytes[.campaign] ?? [], fixedOffer = fixedBytes[.offer] ?? []
        let fixedCentre = fixedBytes[.contactCentre] ?? [], fixedOutcome = fixedBytes[.outcome]

        try fixedCampaign.withUnsafeBytes { fixedCampaign in
        try fixedOffer.withUnsafeBytes { fixedOffer in
        try fixedCentre.withUnsafeBytes { fixedCentre in
        try (fixedOutcome ?? []).withUnsafeBytes { fixedOutcomeBytes in
            while let record = try reader.next() {
                if let problem = record.problem {
                    try reject(line: problem.line, reason: .malformedRow, column: nil, value: nil,
                               detail: "malformed CSV at column \(problem.column): \(problem.message)", row: rowText(record))
                    continue
                }
                // A row wider or narrower than the header has its values in the wrong fields
                // (`09:15:00,5` split at an unquoted comma): never read. Empty fields after the
                // header's last column are a trailing delimiter.
                guard record.count >= max(needed, headerWidth),
                      (headerWidth..<record.count).allSatisfy({ Blanks.isBlank(record.field($0)) }) else {
                    try reject(line: record.line, reason: .malformedRow, column: nil, value: nil,
                               detail: "the row has \(record.count) fields, the header \(headerWidth)", row: rowText(record))
                    continue
                }
                let outcomeField = outcome.flatMap { $0 < record.count ? record.field($0) : nil }
                    ?? (fixedOutcome == nil ? nil : fixedOutcomeBytes)
                var outcomeID: Int64?
                if let outcomeField {
                    let (id, notAnAttempt) = try self.outcome(outcomeField)
                    if notAnAttempt {
                        countNotAnAttempt()
                        continue
                    }
                    outcomeID = id
                }
                let key: PhoneKey, otherKey: PhoneKey?
                switch normalizer.normalize(record.field(number)) {
                case let .valid(normalized):
                    key = normalized.key
                    // A lead column reads `468123456` as 08-123 456, this log as 046-812 34 56:
                    // the attempt counts for both, or the lead's would be invisible.
                    otherKey = ListReading.callingCodeReading(record.field(number), read: key, normalizer: normalizer)
                case let .invalid(rejection):
                    try reject(line: record.line, reason: .invalidNumber, column: header[number],
                               value: HistoryImport.text(record.field(number)),
                               detail: "not a valid phone number (\(rejection.rawValue)). Fix the number; a row whose outcome says the number is invalid is no attempt and is left out (see the not-an-attempt outcomes)",
                               row: rowText(record))
                    continue
                }
                if let problem = try addRow(
                    line: record.line, number: key, alsoAs: otherKey, attemptedAt: record.field(attemptedAt),
                    campaign: campaign.map { record.field($0) } ?? fixedCampaign,
                    offer: offer.map { record.field($0) } ?? fixedOffer,
                    contactCentre: centre.map { record.field($0) } ?? fixedCentre,
                    outcome: outcomeField, outcomeID: outcomeID) {
                    let column = name(problem.field)
                    try reject(line: record.line, reason: problem.reason, column: column ?? problem.field.rawValue,
                               value: index[problem.field].map { HistoryImport.text(record.field($0)) },
                               detail: problem.detail, row: rowText(record))
                }
            }
        } } } }
        return try finishFile()
    }
}

extension ContactHistoryStore {
    /// Imports dialer attempt logs in one transaction: every file's attempts, or none.
    /// - Parameters:
    ///   - maxBadRows: rows per file that may be rejected and the rest still imported (nil: no
    ///     limit); by default none.
    ///   - rejects: where the rejected rows are written (published only with the import).
    public func importLogs(_ paths: [String], options: AttemptLogOptions = AttemptLogOptions(),
                           maxBadRows: Int? = 0, rejects: HistoryRejectsFile? = nil,
                           waiting: () -> Void = {},
                           progress: (HistoryFileSummary) -> Void = { _ in }) throws -> [HistoryFileSummary] {
        let session = try beginImport(maxBadRows: maxBadRows, waiting: waiting)
        session.timeReading = options.time
        session.notAttemptOutcomes = Set(options.notAttemptOutcomes.map(AttemptLogColumns.foldOutcome))
        session.rejects = rejects
        session.naming = options.naming
        var summaries: [HistoryFileSummary] = []
        for path in paths {
            let summary = try session.importLog(path: path, columns: options.columns, csv: options.csv,
                                                normalizer: options.normalizer)
            progress(summary)
            summaries.append(summary)
        }
        try session.commit()
        return summaries
    }

    /// `importLogs` with the columns and CSV options only.
    public func importLogs(_ paths: [String], columns: AttemptLogColumns, csv: CSVOptions = CSVOptions(),
                           maxBadRows: Int? = 0) throws -> [HistoryFileSummary] {
        var options = AttemptLogOptions()
        options.columns = columns
        options.csv = csv
        return try importLogs(paths, options: options, maxBadRows: maxBadRows)
    }
}
